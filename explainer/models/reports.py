"""Readers' "Report a problem" notes."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from explainer.models.comparisons import Comparison
from explainer.models.fields import optional_link
from explainer.models.quiz import Scenario


class ReportQuerySet(models.QuerySet):
    def recent_from(self, visitor, since):
        return self.filter(visitor=visitor, created_at__gte=since)


class Report(models.Model):
    """A reader's "Report a problem" note about a comparison or a quiz scenario."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        FIXED = "fixed", _("Fixed")
        DISMISSED = "dismissed", _("Dismissed")

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comparison")
    )
    scenario = optional_link(
        Scenario,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("quiz scenario"),
        help_text=_("Set when the report is about one quiz question."),
    )
    message = models.TextField(_("message"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    note = models.TextField(
        _("editor's note"), blank=True, help_text=_("What was done about it; readers never see this.")
    )
    visitor = models.CharField(
        _("visitor"),
        max_length=16,
        editable=False,
        help_text=_("A one-way hash of the address, for rate limiting only."),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reader report")
        verbose_name_plural = _("reader reports")

    def __str__(self):
        return f"{self.comparison}: {self.message[:60]}"

    def get_absolute_url(self):
        """The reported page: the comparison, or its quiz for a scenario."""
        if self.scenario_id:
            return reverse("quiz", args=[self.comparison.slug])
        return self.comparison.get_absolute_url()


# The content editors write, parents before children. Responses and reports are
# records of what readers did, not content: they change no page.
