"""The comparisons' list filter "Due for review": time-bound claims whose review-by month has come.

Comparison.review_by is the earliest review-by month among a comparison's
sources (explainer.freshness); a month is due from its first day.
"""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SOON_DAYS = 92  # "due within three months"


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("due for review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("due", _("Due for review")),
            ("soon", _("Due within three months")),
            ("dated", _("Has a review date")),
            ("none", _("No review date")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.filter(review_by__lte=today)
        if self.value() == "soon":
            return queryset.filter(review_by__lte=today + datetime.timedelta(days=SOON_DAYS))
        if self.value() == "dated":
            return queryset.filter(review_by__isnull=False)
        if self.value() == "none":
            return queryset.filter(review_by__isnull=True)
        return queryset
