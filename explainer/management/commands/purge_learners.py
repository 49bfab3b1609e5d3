"""manage.py purge_learners: delete anonymous learners untouched for 13 months (run daily; README, "Learners").

A learner without an account whose `last_seen_at` is older than the cut-off
goes with its rounds, review cards and class links; its answers stay in the
quiz statistics, linked to nobody (explainer/learners/records.py, purge).
"""

import calendar

from django.core.management.base import BaseCommand
from django.utils import timezone

from explainer.learners import records

MONTHS = 13


def months_before(moment, months):
    """The same day and time `months` calendar months earlier (the month's last day when it is shorter)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


class Command(BaseCommand):
    help = "Delete anonymous learners not seen for 13 months (their answers stay, linked to nobody)."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=MONTHS, help="How long untouched (default 13).")

    def handle(self, *args, months, **options):
        if months < 1:
            self.stderr.write("--months must be at least 1.")
            raise SystemExit(2)
        before = months_before(timezone.now(), months)
        count = records.purge(before)
        self.stdout.write(f"Deleted {count} learner(s) not seen since {before:%Y-%m-%d}.")
