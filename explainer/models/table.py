"""A comparison's table (one Attribute per row, one Cell per concept) and its points.

Similarities and key differences are Points of the comparison; a key difference
names the row it is about.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from explainer.models.concepts import Concept
from explainer.models.fields import optional_link


def number_last(instance, siblings):
    """Give a new `instance` left at position 0 the next free position among `siblings`, so that it goes last.

    Editors may still type any number to reorder; only a new, unnumbered item is moved.
    """
    if instance._state.adding and not instance.position:
        last = siblings.aggregate(last=models.Max("position"))["last"]
        if last is not None:
            instance.position = last + 1


KEY_ROWS = 3  # rows shown in the key-takeaways box


class TableCell:
    """One concept's entry in a table row: concept, tone, bold headline and sentence ("" when missing)."""

    __slots__ = ("concept", "headline", "text", "tone")

    def __init__(self, concept, tone, cell=None):
        self.concept = concept
        self.tone = tone
        self.headline = cell.headline if cell else ""
        self.text = cell.text if cell else ""

    def __repr__(self):
        return f"TableCell({self.concept!r}, {self.headline!r}, {self.text!r})"


class TableRow:
    """One row of a comparison table: the attribute, one text per concept (empty when missing) and the full cells."""

    __slots__ = ("attribute", "cells", "columns")

    def __init__(self, attribute, cells, columns=None):
        self.attribute = attribute
        self.cells = cells
        self.columns = columns or []

    def __repr__(self):
        return f"TableRow({self.attribute!r}, {self.cells!r})"


class ComparisonConcept(models.Model):
    comparison = models.ForeignKey("explainer.Comparison", on_delete=models.CASCADE, verbose_name=_("comparison"))
    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, verbose_name=_("concept"))
    position = models.PositiveSmallIntegerField(
        _("column"), default=0, help_text=_("Columns go left to right. Leave 0 to add the column last.")
    )

    class Meta:
        ordering = ["comparison", "position"]
        verbose_name = _("concept of a comparison")
        verbose_name_plural = _("concepts of the comparison")
        constraints = [
            models.UniqueConstraint(fields=["comparison", "concept"], name="unique_concept_per_comparison"),
        ]

    def __str__(self):
        return f"{self.comparison}: {self.concept}"

    def save(self, *args, **kwargs):
        number_last(self, ComparisonConcept.objects.filter(comparison_id=self.comparison_id))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.comparison.get_absolute_url()

    @staticmethod
    def joins(comparison_id, concept_id):
        """Whether the concept is one of the comparison's: what a cell, a scenario and a note must name."""
        return ComparisonConcept.objects.filter(comparison_id=comparison_id, concept_id=concept_id).exists()


class AttributeQuerySet(models.QuerySet):
    def with_miss_stats(self):
        """Annotate how often the scenarios this row is a cue of were answered, and missed; most missed first."""
        responses = "scenarios__responses"
        return self.annotate(
            answered=models.Count(responses),
            missed=models.Count(responses, filter=Q(scenarios__responses__is_correct=False)),
        ).order_by("-missed", "position")


class Attribute(models.Model):
    comparison = models.ForeignKey(
        "explainer.Comparison", on_delete=models.CASCADE, related_name="attributes", verbose_name=_("comparison")
    )
    name = models.CharField(_("name"), max_length=80, help_text=_('The row heading, e.g. "Duration".'))
    slug = models.SlugField(_("slug"), max_length=80, help_text=_("Unique within the comparison; used in links."))
    question = models.CharField(
        _("question"),
        max_length=160,
        blank=True,
        help_text=_('The question the row answers, e.g. "How long does it last?"'),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Rows go top to bottom. Leave 0 to add the row last.")
    )
    is_key = models.BooleanField(
        _("key takeaway"),
        default=False,
        help_text=_("Mark the three rows that matter most: their headlines open the page, in the key-takeaways box."),
    )
    draft_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = AttributeQuerySet.as_manager()

    class Meta:
        ordering = ["comparison", "position", "id"]
        verbose_name = _("attribute (table row)")
        verbose_name_plural = _("attributes (table rows)")
        constraints = [
            models.UniqueConstraint(fields=["comparison", "slug"], name="unique_attribute_slug_per_comparison"),
        ]

    def __str__(self):
        return f"{self.comparison}: {self.name}"

    def save(self, *args, **kwargs):
        number_last(self, Attribute.objects.filter(comparison_id=self.comparison_id))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.comparison.get_absolute_url()}#row-{self.slug}"

    @property
    def is_locked(self):
        """A row of a live comparison changes only through a draft (explainer.drafts)."""
        return self.comparison.is_locked


class Cell(models.Model):
    attribute = models.ForeignKey(
        Attribute, on_delete=models.CASCADE, related_name="cells", verbose_name=_("attribute")
    )
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="cells", verbose_name=_("concept"))
    headline = models.CharField(
        _("headline"),
        max_length=60,
        blank=True,
        help_text=_("A few words, shown in bold above the sentence, e.g. “A standing promise of support”."),
    )
    text = models.CharField(_("text"), max_length=500, help_text=_("One or two plain sentences."))

    class Meta:
        ordering = ["attribute", "concept"]
        verbose_name = _("cell")
        verbose_name_plural = _("cells")
        constraints = [
            models.UniqueConstraint(fields=["attribute", "concept"], name="unique_cell_per_attribute_and_concept"),
        ]

    def __str__(self):
        return f"{self.attribute.name} × {self.concept.name}"

    def get_absolute_url(self):
        return self.attribute.get_absolute_url()

    def clean(self):
        if (
            self.attribute_id
            and self.concept_id
            and not ComparisonConcept.joins(self.attribute.comparison_id, self.concept_id)
        ):
            raise ValidationError({"concept": _("This concept is not part of the attribute's comparison.")})


class PointKind(models.TextChoices):
    SIMILARITY = "similarity", _("Similarity")
    DIFFERENCE = "difference", _("Key difference")


class Point(models.Model):
    """A similarity or a key difference: an ordered point of a comparison.

    One table for both keeps the comparison page at a fixed, small number of
    queries; editors see them as two separate lists (the proxies below).
    """

    Kind = PointKind

    comparison = models.ForeignKey(
        "explainer.Comparison", on_delete=models.CASCADE, related_name="points", verbose_name=_("comparison")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    attribute = optional_link(
        Attribute,
        on_delete=models.CASCADE,
        related_name="differences",
        verbose_name=_("attribute"),
        help_text=_("Key differences: the table row this difference is about."),
    )
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), help_text=_("One to three plain sentences."))
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Leave 0 to add it last."))
    # In a draft of a live comparison: the live point this one is a copy of, so that publishing
    # updates that point (same id, history reads as an edit) instead of replacing it.
    draft_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        ordering = ["comparison", "kind", "position", "id"]
        verbose_name = _("point")
        verbose_name_plural = _("points")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=PointKind.SIMILARITY, attribute__isnull=True)
                | Q(kind=PointKind.DIFFERENCE, attribute__isnull=False),
                name="point_difference_names_attribute",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        number_last(self, Point.objects.filter(comparison_id=self.comparison_id, kind=self.kind))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        anchor = "similarities" if self.kind == self.Kind.SIMILARITY else "differences"
        return f"{self.comparison.get_absolute_url()}#{anchor}"

    def clean(self):
        if self.attribute_id and self.comparison_id and self.attribute.comparison_id != self.comparison_id:
            raise ValidationError({"attribute": _("Choose a row of this comparison's own table.")})


class SimilarityManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Point.Kind.SIMILARITY)


class DifferenceManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Point.Kind.DIFFERENCE)


class Similarity(Point):
    objects = SimilarityManager()

    class Meta:
        proxy = True
        ordering = ["comparison", "position", "id"]
        verbose_name = _("similarity")
        verbose_name_plural = _("similarities")

    def save(self, *args, **kwargs):
        self.kind = Point.Kind.SIMILARITY
        super().save(*args, **kwargs)


class KeyDifference(Point):
    objects = DifferenceManager()

    class Meta:
        proxy = True
        ordering = ["comparison", "position", "id"]
        verbose_name = _("key difference")
        verbose_name_plural = _("key differences")

    def save(self, *args, **kwargs):
        self.kind = Point.Kind.DIFFERENCE
        super().save(*args, **kwargs)

    def clean(self):
        # The database refuses a difference without its row (point_difference_names_attribute): say so
        # on the form, where everything typed is kept, rather than fail on save. `pending_row` is a row
        # typed on the same comparison form, which that save creates first (explainer.admin.typed_rows).
        if self.attribute_id is None and getattr(self, "pending_row", None) is None:
            raise ValidationError(
                {
                    "attribute": _(
                        "Choose the table row this difference is about. If you have just typed its row on "
                        "this form, it is now in the list, marked “new”."
                    )
                }
            )
        super().clean()
