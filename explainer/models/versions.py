"""Numbers that go up with every content change: they key the page cache (explainer.caching)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContentGeneration(models.Model):
    """A single row whose number goes up with every change to content; it keys the page cache."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("content generation")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="content_generation_single_row")]

    def __str__(self):
        return f"content generation {self.number}"


class ComparisonVersion(models.Model):
    """A number per comparison that goes up with every change to what its pages show; it keys their cache.

    Raised by explainer.caching in the same transaction as the change: a save or
    delete of the comparison, its rows, cells, points, scenarios and concept
    links, of its concepts and their examples, of its category, and of a
    comparison it lists as related. The comparison id is a plain number, not a
    foreign key: the row outlives a deleted comparison, so that the count never
    starts again from the bottom under an id it used before.
    """

    comparison_id = models.PositiveBigIntegerField(_("comparison id"), primary_key=True)
    number = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["comparison_id"]
        verbose_name = _("comparison version")
        verbose_name_plural = _("comparison versions")

    def __str__(self):
        return f"comparison {self.comparison_id} version {self.number}"
