"""The editor's home: what is waiting for the signed-in editor, on the admin's index page.

Contract: `editor_home(user)` returns, for a user who may view comparisons,
the new reader reports (oldest first, each with the admin address where its
object is fixed), the drafts in progress (the user's own and others', oldest
first, with who started each), and the comparisons whose quiz breaks a rule.
A fixed number of queries, plus the site-wide quiz check, which is cached for
CHECK_SECONDS under a key that changes whenever any comparison is saved.
"""

from django.core.cache import cache
from django.db.models import Max
from django.urls import reverse
from reversion.models import Version

from explainer import content_checks
from explainer.models import Comparison, Report

LIMIT = 20  # of each list: the home shows what is waiting, the lists behind it the rest
CHECK_SECONDS = 300


def _fix_url(report):
    if report.scenario_id:
        return reverse("admin:explainer_comparison_quiz", args=[report.comparison_id]) + (
            f"#scenario-{report.scenario.slug}"
        )
    return reverse("admin:explainer_comparison_change", args=[report.comparison_id])


def _starters(drafts):
    """{comparison id: the user who made its first revision} (None when it has no history)."""
    versions = (
        Version.objects.get_for_model(Comparison)
        .filter(object_id__in=[str(d.pk) for d in drafts])
        .select_related("revision__user")
        .order_by("revision__date_created")
    )
    found = {}
    for version in versions:
        found.setdefault(int(version.object_id), version.revision.user)
    return found


def quiz_breakers():
    """Comparisons (not drafts' copies) whose quiz breaks a rule: [(comparison, number of findings)]."""
    stamp = Comparison.objects.aggregate(last=Max("updated_at"))["last"]
    key = f"editor-home:quiz-breakers:{stamp.isoformat() if stamp else 'none'}"
    counts = cache.get(key)
    if counts is None:
        findings, _ = content_checks.check()
        counts = {}
        for finding in findings:
            if finding.rule in content_checks.QUIZ_RULES:
                counts[finding.comparison] = counts.get(finding.comparison, 0) + 1
        cache.set(key, counts, CHECK_SECONDS)
    comparisons = Comparison.objects.filter(slug__in=counts, has_quiz=True).order_by("title")[:LIMIT]
    return [(c, counts[c.slug]) for c in comparisons]


def editor_home(user):
    if not user.has_perm("explainer.view_comparison"):
        return None
    new = Report.objects.filter(status=Report.Status.NEW)
    reports = [
        (report, _fix_url(report))
        for report in new.select_related("comparison", "scenario").order_by("created_at")[:LIMIT]
    ]
    drafts = list(
        Comparison.objects.filter(status=Comparison.Status.DRAFT)
        .select_related("draft_of")
        .order_by("updated_at")[:LIMIT]
    )
    starters = _starters(drafts)
    own = [(d, starters.get(d.pk)) for d in drafts if starters.get(d.pk) == user]
    others = [(d, starters.get(d.pk)) for d in drafts if starters.get(d.pk) != user]
    return {
        "report_count": new.count(),
        "reports": reports,
        "reports_url": reverse("admin:explainer_report_changelist") + "?status__exact=new",
        "own_drafts": own,
        "other_drafts": others,
        "quiz_breakers": quiz_breakers(),
    }
