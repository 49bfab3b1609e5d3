"""Concepts and their categories and examples: the vocabulary every comparison draws on.

An example belongs to a concept, so that NATO is an example of "alliance" on every
comparison that has alliances.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from explainer.models.fields import optional_link


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(
        _("description"), max_length=300, blank=True, help_text=_("One plain sentence shown on the category page.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Lower numbers come first."))

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("category_detail", args=[self.slug])


class ConceptQuerySet(models.QuerySet):
    def live(self):
        """Concepts themselves, not the private copies that drafts of live comparisons edit."""
        return self.filter(draft_of__isnull=True)


class Concept(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    definition = models.CharField(
        _("definition"),
        max_length=300,
        blank=True,
        help_text=_("One plain sentence. Required before any comparison using this concept can be published."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("A few short paragraphs. Markdown: **bold**, *italic*, lists, links.")
    )
    synonyms = models.CharField(
        _("synonyms"),
        max_length=300,
        blank=True,
        help_text=_(
            "Close synonyms, separated by commas. The quiz checks warn when a scenario uses one, "
            "since it would give the answer away."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    draft_of = optional_link(
        "self",
        # Not SET_NULL: an orphaned copy would become a second live concept of the same name.
        on_delete=models.CASCADE,
        related_name="draft_copies",
        verbose_name=_("draft of"),
        editable=False,
        help_text=_("Set on the copy a draft of a live comparison edits; publishing the draft applies it here."),
    )
    draft_base = models.JSONField(
        _("values when the draft began"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The live concept's texts when this copy was made: publishing applies only what changed."),
    )

    objects = ConceptQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        constraints = [
            # Drafts' copies keep the name, so that a preview looks exactly like the page it will become.
            models.UniqueConstraint(
                fields=["name"], condition=Q(draft_of__isnull=True), name="unique_live_concept_name"
            ),
        ]

    def __str__(self):
        if self.draft_of_id:
            return _("%(name)s (draft copy)") % {"name": self.name}
        return self.name

    def get_absolute_url(self):
        return reverse("concept_detail", args=[self.slug])

    @property
    def is_locked(self):
        """Whether editors may not change it in place: a live comparison shows it (a draft's copy never is)."""
        if self.pk is None or self.draft_of_id:
            return False
        return self.comparisons.published().exists()

    @property
    def synonym_list(self):
        return [word.strip() for word in self.synonyms.split(",") if word.strip()]


class Example(models.Model):
    class Kind(models.TextChoices):
        # Broad enough for any subject; "none" (blank) is fine when no label helps.
        POLITICAL = "political", _("Political")
        MILITARY = "military", _("Military")
        ECONOMIC = "economic", _("Economic")
        LEGAL = "legal", _("Legal")
        SOCIAL = "social", _("Social")
        CULTURAL = "cultural", _("Cultural")
        SCIENTIFIC = "scientific", _("Scientific")
        ENVIRONMENTAL = "environmental", _("Environmental")
        TECHNOLOGICAL = "technological", _("Technological")
        HISTORICAL = "historical", _("Historical")

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="examples", verbose_name=_("concept"))
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=Kind.choices,
        blank=True,
        help_text=_("Optional: a broad label, shown as a badge."),
    )
    start_year = models.SmallIntegerField(_("from (year)"), help_text=_("Negative for years BCE."))
    end_year = models.SmallIntegerField(
        _("to (year)"), null=True, blank=True, help_text=_("Leave empty for a one-year event, or if it still goes on.")
    )
    ongoing = models.BooleanField(
        _("still goes on"),
        default=False,
        help_text=_("Tick if it still exists today (shown as “1949–present”); leave unticked for a past event."),
    )
    summary = models.TextField(_("summary"), help_text=_("Two or three plain sentences: what it is and why it counts."))
    source_url = models.URLField(_("source"), max_length=300, help_text=_("A reliable page readers can check."))
    draft_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    draft_base = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["concept", "start_year", "name"]
        verbose_name = _("example")
        verbose_name_plural = _("examples")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="example_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(ongoing=False), name="example_ongoing_has_no_end"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.concept.get_absolute_url()}#example-{self.slug}"

    @property
    def period(self):
        """The years as readers see them: "1949–present", "1955–1991", "2010"."""
        if self.end_year is None and self.ongoing:
            return _("%(start)s–present") % {"start": self.start_year}
        if self.end_year is None or self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"
