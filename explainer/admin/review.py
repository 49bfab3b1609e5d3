"""The comparisons' list filter "Due for review": time-bound claims whose review-by month has come.

Comparison.review_by is the earliest review-by month among a comparison's
sources (explainer.freshness); a month is due from its first day.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from explainer.admin.base import ChoiceFilter

SOON_DAYS = 92  # "due within three months"


def due_within(days):
    return lambda: Q(review_by__lte=timezone.localdate() + datetime.timedelta(days=days))


class ReviewDueFilter(ChoiceFilter):
    title = _("due for review")
    parameter_name = "review"
    conditions = {
        "due": (_("Due for review"), due_within(0)),
        "soon": (_("Due within three months"), due_within(SOON_DAYS)),
        "dated": (_("Has a review date"), Q(review_by__isnull=False)),
        "none": (_("No review date"), Q(review_by__isnull=True)),
    }
