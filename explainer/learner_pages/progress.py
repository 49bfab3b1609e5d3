"""/progress/: per comparison, what the learner has seen, got right at the first try, made solid, has due.

Contract of `figures(learner)`: one entry per comparison the learner has
answered (published ones), by title: {"comparison", "total" (published
cases), "seen" (of those, answered at least once), "first_right" (answered
right the first time), "solid" (cards with FSRS stability of at least
review.SOLID_DAYS days), "due" (cards due now), "calibration" (per round in
which the learner said "sure": how often right, oldest first, the last
CALIBRATION_ROUNDS of them)}. A handful of queries whatever the history's size.
"""

from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from explainer.http import allow
from explainer.learners import identity
from explainer.models import Comparison, Confidence, Response, ReviewCard, Scenario
from explainer.quiz import review

CALIBRATION_ROUNDS = 12
CHART_WIDTH = 240
CHART_HEIGHT = 60


def figures(learner, at=None):
    """The progress figures of `learner` (see the module docstring)."""
    answers = (
        Response.objects.filter(learner=learner, scenario__comparison__status=Comparison.Status.PUBLISHED)
        .order_by("answered_at", "pk")
        .values_list("scenario_id", "scenario__comparison_id", "is_correct", "confidence", "round_id")
    )
    per = {}
    for scenario_id, comparison_id, correct, confidence, round_id in answers:
        entry = per.setdefault(comparison_id, {"first": {}, "rounds": {}})
        entry["first"].setdefault(scenario_id, correct)
        if confidence == Confidence.SURE:
            sure = entry["rounds"].setdefault(round_id, [0, 0])
            sure[0] += 1
            sure[1] += int(correct)
    if not per:
        return []
    published = Scenario.objects.published().filter(comparison_id__in=per)
    totals = dict(published.values("comparison_id").annotate(n=Count("id")).values_list("comparison_id", "n"))
    asked = set(published.values_list("pk", flat=True))
    cards = (
        ReviewCard.objects.filter(learner=learner, scenario__comparison_id__in=per, scenario__is_published=True)
        .values("scenario__comparison_id")
        .annotate(
            solid=Count("id", filter=Q(stability__gte=review.SOLID_DAYS)),
            due=Count("id", filter=Q(due__lte=at or review.now())),
        )
    )
    card_counts = {row["scenario__comparison_id"]: row for row in cards}
    result = []
    for comparison in Comparison.objects.filter(pk__in=per).only("slug", "title").order_by("title"):
        entry = per[comparison.pk]
        first = {pk: right for pk, right in entry["first"].items() if pk in asked}
        rounds = list(entry["rounds"].values())[-CALIBRATION_ROUNDS:]
        result.append(
            {
                "comparison": comparison,
                "total": totals.get(comparison.pk, 0),
                "seen": len(first),
                "first_right": sum(first.values()),
                "solid": card_counts.get(comparison.pk, {}).get("solid", 0),
                "due": card_counts.get(comparison.pk, {}).get("due", 0),
                "calibration": chart(rounds),
            }
        )
    return result


def chart(rounds):
    """Bars for the calibration chart: per round [answers marked sure, of those right], as SVG geometry."""
    if not rounds:
        return None
    step = CHART_WIDTH / max(len(rounds), 1)
    bars = []
    for index, (sure, right) in enumerate(rounds):
        percent = round(100 * right / sure)
        height = max(2, round(CHART_HEIGHT * right / sure))
        bars.append(
            {
                "x": round(index * step + 2, 1),
                "width": round(max(step - 4, 2), 1),
                "y": CHART_HEIGHT - height,
                "height": height,
                "percent": percent,
                "sure": sure,
                "right": right,
                "number": index + 1,
            }
        )
    return {"bars": bars, "width": CHART_WIDTH, "height": CHART_HEIGHT}


@never_cache
@allow("GET")
def progress(request):
    learner = identity.current(request)
    context = {
        "rows": figures(learner) if learner is not None else [],
        "outlook": review.outlook(learner),
        "solid_days": review.SOLID_DAYS,
    }
    return render(request, "learners/progress.html", context)
