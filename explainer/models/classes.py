"""A teacher's class (one comparison, a fixed set of items, a code), its pupils (a nickname each),
and the teacher's own preferences (their time zone).

Nothing else is stored about a pupil: no e-mail, no password, no address. A
pupil's answers are `Response` rows whose `pupil` is set; deleting a class
deletes its pupils and, through that foreign key, their answers.
"""

import unicodedata
import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from explainer import class_codes as codes
from explainer.models.fields import optional_link
from explainer.models.progress import Progress
from explainer.models.quiz import Scenario
from explainer.models.table import ComparisonConcept

NICKNAME_MAX = 24
MAX_QUESTIONS = 20
MIN_QUESTIONS = 3
MAX_PUPILS = 200  # a class, or a whole year group; more is a flood, not a class


def nickname_key(nickname):
    """What makes two nicknames the same: case and Unicode forms ignored ("Zoë" = "ZOË" = "zoe\u0308")."""
    return unicodedata.normalize("NFKC", nickname).casefold()


class SchoolClassQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The classes `user` may see: their own; every class for superusers and holders of view_any_class."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("explainer.view_any_class"):
            return self.all()
        return self.filter(teacher=user)

    def with_counts(self):
        """For the list of classes: the comparison and teacher, and how many pupils joined; newest first.

        The count groups the rows, and Django leaves Meta.ordering out of a grouped query, so the
        order is restated here (an order_by given before this call is kept).
        """
        ordering = self.query.order_by or self.model._meta.ordering
        return (
            self.select_related("comparison", "teacher")
            .annotate(pupil_count=Count("pupils", distinct=True))
            .order_by(*ordering)
        )

    def with_results(self):
        """Everything the results page reads, in a fixed number of queries.

        The class with its comparison and teacher, the comparison's concepts in
        column order, the class's items with their correct concept and cues, and
        the pupils; the answers themselves are read by explainer.classes.results.
        """
        return self.select_related("comparison", "teacher").prefetch_related(
            Prefetch(
                "comparison__comparisonconcept_set",
                queryset=ComparisonConcept.objects.select_related("concept"),
            ),
            Prefetch("scenarios", queryset=Scenario.objects.select_related("correct_concept").prefetch_related("cues")),
            Prefetch("pupils", queryset=Pupil.objects.order_by("joined_at", "id")),
        )


class SchoolClass(models.Model):
    """A class of pupils taking one comparison's quiz by one link; everyone gets the same items."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classes", verbose_name=_("teacher")
    )
    comparison = models.ForeignKey(
        "explainer.Comparison", on_delete=models.CASCADE, related_name="classes", verbose_name=_("comparison")
    )
    name = models.CharField(_("name"), max_length=80, help_text=_('As you call the class, e.g. "9B history".'))
    code = models.CharField(_("code"), max_length=codes.LENGTH, unique=True, editable=False)
    question_count = models.PositiveSmallIntegerField(
        _("number of questions"), default=10, help_text=_("Every pupil answers the same questions, in their own order.")
    )
    scenarios = models.ManyToManyField(
        "explainer.Scenario", related_name="classes", verbose_name=_("questions"), editable=False
    )
    closes_at = models.DateTimeField(
        _("closes"), null=True, blank=True, help_text=_("Optional. After this, no new pupils and no new answers.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = SchoolClassQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        permissions = [("view_any_class", _("Can see every teacher's classes and results"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(question_count__gte=MIN_QUESTIONS) & Q(question_count__lte=MAX_QUESTIONS),
                name="class_question_count_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.comparison})"

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = self.unused_code()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("class_detail", args=[self.pk])

    @staticmethod
    def unused_code():
        while True:
            code = codes.new_code()
            if not SchoolClass.objects.filter(code=code).exists():
                return code

    @property
    def display_code(self):
        return codes.display(self.code)

    @property
    def join_path(self):
        return reverse("class_join", args=[self.code])

    @property
    def is_open(self):
        """Whether the class takes new pupils and answers: not past its closing time, and its comparison live."""
        return not self.is_past_closing and not self.is_withdrawn

    @property
    def is_past_closing(self):
        """Closed by its teacher (or its closing time): reopening lifts it."""
        return self.closes_at is not None and timezone.now() >= self.closes_at

    @property
    def is_withdrawn(self):
        """Whether its comparison is not published (withdrawn by the editors): the class is closed until it is again.

        A class plays its comparison as published, never a draft (explainer/drafts.py keeps drafts as
        rows of their own); its pupils' answers are kept either way.
        """
        from explainer.models import Comparison

        return self.comparison.status != Comparison.Status.PUBLISHED

    def item_ids(self):
        """The class's scenario ids, in id order (the set every pupil answers)."""
        return sorted(scenario.pk for scenario in self.scenarios.all())


class Pupil(Progress, models.Model):
    """A pupil of a class: a nickname, their own order of the class's items, and where they are in it."""

    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="pupils", verbose_name=_("class")
    )
    nickname = models.CharField(_("nickname"), max_length=NICKNAME_MAX)
    nickname_key = models.CharField(
        _("nickname, folded"), max_length=4 * NICKNAME_MAX, editable=False, help_text=_("Keeps nicknames unique.")
    )
    round_id = models.UUIDField(_("round"), default=uuid.uuid4, unique=True, editable=False)
    items = models.JSONField(_("questions in order"), default=list, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0, editable=False)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    # The browser's learner (explainer/models/learners.py): the pupil's misses come back in their own review.
    learner = optional_link(
        "explainer.Learner", on_delete=models.SET_NULL, related_name="pupils", verbose_name=_("learner"), editable=False
    )

    class Meta:
        ordering = ["school_class", "joined_at", "id"]
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "nickname_key"], name="unique_nickname_per_class"),
        ]

    def __str__(self):
        return self.nickname

    def save(self, *args, **kwargs):
        self.nickname_key = nickname_key(self.nickname)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("class_play", args=[self.school_class.code])


def time_zone_names():
    """The IANA time zone names this machine knows ("Europe/Berlin"), sorted."""
    return sorted(zoneinfo.available_timezones())


class TeacherPreferences(models.Model):
    """What a teacher chose once for their pages: the time zone closing times are entered and shown in.

    One row per user, made the first time they create a class (from their browser's zone) or choose
    a zone; without one their pages use settings.TIME_ZONE (explainer/classes/time_zones.py).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="teacher_preferences",
        verbose_name=_("teacher"),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, help_text=_('An IANA time zone name, e.g. "Europe/Berlin".')
    )

    class Meta:
        verbose_name = _("teacher's preferences")
        verbose_name_plural = _("teachers' preferences")

    def __str__(self):
        return f"{self.user}: {self.time_zone}"
