"""The quiz's items (Scenario, with notes on wrong choices) and the answers readers give (Response)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from explainer.models.comparisons import Comparison
from explainer.models.concepts import Concept
from explainer.models.fields import optional_link
from explainer.models.table import Attribute, ComparisonConcept

# What makes a learner strong or weak for the item statistics (docs/quiz.md, rule 9): a round's
# score is its share of right responses, and a scenario that strong learners miss more often than
# weak ones is probably ambiguous or wrong.
STRONG_ROUND = 0.7
WEAK_ROUND = 0.4


def _rate(part, whole):
    """100 * part / whole as a float, or None when whole is 0."""
    return models.ExpressionWrapper(100.0 * part / NullIf(whole, 0), output_field=models.FloatField())


class ScenarioQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_question(self):
        """What a question page shows: the text only (never the answer's explanation)."""
        return self.select_related("comparison").only("id", "text", "difficulty", "comparison_id", "comparison__slug")

    def for_feedback(self):
        """What feedback shows: the correct concept, the explanation, the cues (rows come from the table)
        and the notes on wrong choices."""
        return self.select_related("correct_concept").prefetch_related("cues", "wrong_notes")

    def with_stats(self):
        """Annotate, for editors, how each scenario fares.

        answered, correct_rate (0-100, None before any answer), and the %
        correct among strong learners (rounds scored STRONG_ROUND or better)
        and weak ones (WEAK_ROUND or worse): strong_rate and weak_rate. A
        scenario that strong learners miss more often than weak ones is
        probably ambiguous or wrong (docs/quiz.md). confidently_wrong counts the
        answers marked "sure" that were wrong, and confidently_wrong_rate is their
        share of all answers: the strongest sign of a misconception.
        """
        answered = models.Count("responses")
        correct = models.Count("responses", filter=Q(responses__is_correct=True))
        scores = (
            Response.objects.values("round_id")
            .annotate(score=models.Avg(models.Case(models.When(is_correct=True, then=1.0), default=0.0)))
            .values("round_id")
        )
        strong = Q(responses__round_id__in=scores.filter(score__gte=STRONG_ROUND))
        weak = Q(responses__round_id__in=scores.filter(score__lte=WEAK_ROUND))
        confidently_wrong = models.Count(
            "responses", filter=Q(responses__confidence=Confidence.SURE, responses__is_correct=False)
        )
        return self.annotate(
            answered=answered,
            correct_rate=_rate(correct, answered),
            confidently_wrong=confidently_wrong,
            confidently_wrong_rate=_rate(confidently_wrong, answered),
            strong_rate=_rate(
                models.Count("responses", filter=strong & Q(responses__is_correct=True)),
                models.Count("responses", filter=strong),
            ),
            weak_rate=_rate(
                models.Count("responses", filter=weak & Q(responses__is_correct=True)),
                models.Count("responses", filter=weak),
            ),
        )


SHORT_SLUG_WORDS = 5
SHORT_SLUG_LENGTH = 40


def short_slug(text, siblings):
    """A short slug from the first words of `text` ("a-navy-and-an-army"), made unique among `siblings`."""
    base = slugify(" ".join(text.split()[:SHORT_SLUG_WORDS]))[:SHORT_SLUG_LENGTH].strip("-") or "scenario"
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


class Scenario(models.Model):
    """A case for the "Which is it?" quiz: the learner decides which concept it shows."""

    class Difficulty(models.TextChoices):
        EASY = "easy", _("Easy")
        MEDIUM = "medium", _("Medium")
        HARD = "hard", _("Hard")

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="scenarios", verbose_name=_("comparison")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        blank=True,
        help_text=_("Unique within the comparison. Leave empty: a short one is made from the first words."),
    )
    text = models.TextField(
        _("scenario"),
        max_length=1200,
        help_text=_(
            "Two to four plain sentences: who, what, for how long, how they decide. Do not give the answer away."
        ),
    )
    correct_concept = models.ForeignKey(
        Concept,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("correct concept"),
        help_text=_("Must be one of the comparison's concepts."),
    )
    explanation = models.TextField(
        _("explanation"),
        help_text=_(
            "Markdown. Why this is the right concept, naming the deciding rows, and what the other "
            "concept would have looked like."
        ),
    )
    misconception = models.TextField(
        _("common mistake"),
        blank=True,
        help_text=_("Shown to learners who chose wrongly: the usual reason for the wrong choice, and why it fails."),
    )
    cues = models.ManyToManyField(
        Attribute,
        related_name="scenarios",
        verbose_name=_("cues"),
        help_text=_(
            "The table rows that decide this case; they are highlighted in the feedback. "
            "Name each in the explanation, in parentheses: “(duration)”."
        ),
    )
    against_type = models.BooleanField(
        _("against type"),
        default=False,
        help_text=_(
            "The usual surface cue points the wrong way here and a deeper row decides "
            "(a coalition that lasted decades). At least 30% of a quiz should be."
        ),
    )
    difficulty = models.CharField(_("difficulty"), max_length=6, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    is_real = models.BooleanField(
        _("real case"), default=False, help_text=_("A real historical case (needs year and source).")
    )
    year = models.SmallIntegerField(_("year"), null=True, blank=True)
    source_url = models.URLField(_("source"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=True, help_text=_("Only published scenarios are asked."))
    # The editors' order on the quiz screen (explainer.admin.quiz_screen); learners get their own order.
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    draft_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["comparison", "slug"]
        verbose_name = _("quiz scenario")
        verbose_name_plural = _("quiz scenarios")
        constraints = [
            models.UniqueConstraint(fields=["comparison", "slug"], name="unique_scenario_slug_per_comparison"),
            models.CheckConstraint(
                condition=Q(is_real=False) | (Q(year__isnull=False) & ~Q(source_url="")),
                name="real_scenario_has_year_and_source",
            ),
        ]

    def __str__(self):
        return f"{self.comparison}: {self.slug}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = short_slug(self.text, Scenario.objects.filter(comparison_id=self.comparison_id))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("quiz", args=[self.comparison.slug])

    @property
    def is_locked(self):
        """A scenario of a live comparison changes only through a draft (explainer.drafts)."""
        return self.comparison.is_locked

    def clean(self):
        if (
            self.comparison_id
            and self.correct_concept_id
            and not ComparisonConcept.joins(self.comparison_id, self.correct_concept_id)
        ):
            raise ValidationError({"correct_concept": _("Choose one of this comparison's concepts.")})


class WrongChoiceNote(models.Model):
    """Why one wrong concept does not fit one scenario ("why not a coalition?"), shown to learners who chose it."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="wrong_notes", verbose_name=_("scenario")
    )
    concept = models.ForeignKey(
        Concept,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("wrong concept"),
        help_text=_("One of the comparison's concepts other than the correct one."),
    )
    text = models.TextField(
        _("why not"),
        max_length=600,
        help_text=_(
            "One to three plain sentences: what this concept would have needed, and the detail of the case "
            "that rules it out. Name the deciding row."
        ),
    )

    class Meta:
        ordering = ["scenario", "concept__name"]
        verbose_name = _("note on a wrong choice")
        verbose_name_plural = _("notes on wrong choices")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "concept"], name="one_note_per_wrong_concept"),
        ]

    def __str__(self):
        return f"{self.scenario}: why not {self.concept}"

    def get_absolute_url(self):
        return self.scenario.get_absolute_url()

    def clean(self):
        scenario = self.scenario if self.scenario_id else None
        if scenario is None or not self.concept_id:
            return
        if self.concept_id == scenario.correct_concept_id:
            raise ValidationError({"concept": _("This is the correct concept: a note is for a wrong one.")})
        if not ComparisonConcept.joins(scenario.comparison_id, self.concept_id):
            raise ValidationError({"concept": _("Choose one of this comparison's concepts.")})


class Confidence(models.TextChoices):
    """How sure the learner said they were, before seeing the answer (optional)."""

    SURE = "sure", _("Sure")
    THINK_SO = "think", _("I think so")
    GUESSING = "guess", _("Guessing")


class ResponseQuerySet(models.QuerySet):
    def confidently_wrong(self):
        return self.filter(confidence=Confidence.SURE, is_correct=False)


class Response(models.Model):
    """One learner's response to one scenario, recorded anonymously for the statistics."""

    Confidence = Confidence

    round_id = models.UUIDField(_("round"), db_index=True)
    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="responses", verbose_name=_("scenario")
    )
    chosen = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="+", verbose_name=_("chosen concept"))
    is_correct = models.BooleanField(_("correct"))
    answered_at = models.DateTimeField(_("answered"), default=timezone.now, db_index=True)
    # Set for a pupil of a teacher's class (explainer.classes): the response counts in the
    # statistics like any other, and goes with the pupil when the class is deleted.
    pupil = optional_link(
        "explainer.Pupil", on_delete=models.CASCADE, related_name="responses", verbose_name=_("pupil"), editable=False
    )
    # The learner who answered (explainer/models/learners.py); empty for answers from before learners were
    # kept, from a draft's preview, and after an untouched learner was purged (the answer stays, anonymous).
    learner = optional_link(
        "explainer.Learner",
        on_delete=models.SET_NULL,
        related_name="responses",
        verbose_name=_("learner"),
        editable=False,
    )
    confidence = models.CharField(
        _("confidence"),
        max_length=5,
        choices=Confidence.choices,
        blank=True,
        default="",
        help_text=_("How sure the learner said they were; empty when they did not say (and for older responses)."),
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at"]
        verbose_name = _("learner response")
        verbose_name_plural = _("learner responses")
        constraints = [
            # A round answered twice (a double click, a replayed POST) is counted once.
            models.UniqueConstraint(fields=["round_id", "scenario"], name="one_response_per_scenario_per_round"),
        ]

    def __str__(self):
        verdict = _("right") if self.is_correct else _("wrong")
        return f"{self.scenario}: {self.chosen} ({verdict})"

    def get_absolute_url(self):
        return self.scenario.get_absolute_url()
