"""Review that comes back: missed cases return later, scheduled by FSRS (the `fsrs` package).

The cards are the learner's `ReviewCard` rows (explainer/models/learners.py),
one per (learner, scenario), whichever comparison or class the case was met in.

Contract:
- A card is made when a learner misses a case (right answers need no review);
  from then on every answer to that case reviews the card with a rating taken
  from right/wrong and the stated confidence (RIGHT_ANSWER_RATINGS below).
- The scheduler has no same-day learning steps: a missed case is due a day
  later at the earliest, so it comes back in a later visit, not in this one.
- `due_ids()` lists due cases (of one comparison, or all), confidently wrong
  and most overdue first; a new round of a comparison takes up to
  rounds.MAX_DUE_PER_ROUND of them, /review/ takes them all in rounds of
  rounds.ROUND_SIZE (explainer/quiz/rounds.py, explainer/learners/views.py).
- `outlook()` says how many are due now, how many more by the end of tomorrow,
  and when the next one falls due: the honest counts the pages show.
- `now()` is the one clock this module reads; tests move it by patching it.
"""

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone
from fsrs import Card, Rating, Scheduler, State

from explainer import due_hint
from explainer.models import Confidence, ReviewCard, Scenario
from explainer.quiz.engine import record_answer

# Same-day steps would bring a missed case back within minutes, inside the
# very round in which it was missed: reviews come back a day or more later.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)

# How an answer rates the recall of a case (FSRS's four grades). A wrong answer is
# Again whatever the confidence; a right one is graded by how sure the learner was.
RIGHT_ANSWER_RATINGS = {
    Confidence.GUESSING: Rating.Hard,
    Confidence.THINK_SO: Rating.Good,
    "": Rating.Good,  # no confidence given
    Confidence.SURE: Rating.Easy,
}
SOLID_DAYS = 21  # a card this stable is "solid" on the progress page


def now():
    """The current time, timezone-aware. Tests patch this to return "a day later"."""
    return timezone.now()


def rating(correct, confidence=""):
    """The FSRS rating of one answer."""
    if not correct:
        return Rating.Again
    return RIGHT_ANSWER_RATINGS.get(confidence or "", Rating.Good)


def to_fsrs(card):
    """The fsrs Card of a ReviewCard row (an explicit card_id: without one, fsrs sleeps 1 ms to make one)."""
    return Card(
        card_id=card.scenario_id,
        state=State(card.state),
        step=None,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def apply(row, card, correct, confidence):
    """Copy the reviewed fsrs `card` into the ReviewCard `row`."""
    row.state = card.state.value
    row.stability = round(card.stability, 4)
    row.difficulty = round(card.difficulty, 4)
    row.due = card.due
    row.last_review = card.last_review
    row.confidently_wrong = not correct and confidence == Confidence.SURE
    return row


def keep_answer(owner, learner, quiz_round, scenario, chosen, correct, confidence, counted=True):
    """A learner's accepted answer kept: its Response row (for the statistics), the round saved by its
    `owner`, and the case's review card; returns when the case is next due.

    Called in the engine's transaction. A round that is not `counted` (a draft's
    preview) is graded and saved but leaves no response and no card: returns None.
    """
    record_answer(quiz_round, scenario, chosen, correct, confidence, counted, learner=learner)
    owner.save(quiz_round)
    return record(learner, scenario.pk, correct, confidence) if counted else None


def record(learner, scenario_id, correct, confidence="", at=None):
    """Review the case's card after an answer (making one on a miss). Returns the card's due time, or None."""
    row = ReviewCard.objects.of(learner.pk, scenario_id)
    if row is None and correct:
        return None
    card = to_fsrs(row) if row is not None else Card(card_id=scenario_id)
    card, _log = SCHEDULER.review_card(card, rating(correct, confidence), at or now())
    if row is None:
        row = ReviewCard(learner=learner, scenario_id=scenario_id)
    apply(row, card, correct, confidence).save()
    return card.due


def _cards(learner, comparison_id=None):
    cards = ReviewCard.objects.filter(learner=learner, scenario__is_published=True)
    if comparison_id is not None:
        cards = cards.filter(scenario__comparison_id=comparison_id)
    return cards.filter(scenario__comparison__status="published")


def due_ids(learner, comparison_id=None, at=None):
    """The ids of the learner's due cases (of one comparison, or all): confidently wrong first, then most overdue."""
    if learner is None:
        return []
    due = _cards(learner, comparison_id).filter(due__lte=at or now())
    return list(due.order_by("-confidently_wrong", "due", "scenario_id").values_list("scenario_id", flat=True))


def due_counts(learner, at=None):
    """{comparison id: number of cases due} over every comparison with a due card."""
    if learner is None:
        return {}
    rows = (
        _cards(learner)
        .filter(due__lte=at or now())
        .values("scenario__comparison_id")
        .annotate(count=Count("id"))
        .values_list("scenario__comparison_id", "count")
    )
    return dict(rows)


def outlook(learner, comparison_id=None, at=None):
    """{"now": due now, "soon": due later by the end of tomorrow, "next": when the next not yet due one falls due}."""
    moment = at or now()
    if learner is None:
        return {"now": 0, "soon": 0, "next": None}
    cards = _cards(learner, comparison_id)
    tomorrow_ends = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=2)
    later = cards.filter(due__gt=moment)
    figures = cards.aggregate(
        now=Count("id", filter=_before(moment)),
        soon=Count("id", filter=_between(moment, tomorrow_ends)),
    )
    figures["next"] = later.aggregate(next=Min("due"))["next"]
    return figures


def _before(moment):
    return Q(due__lte=moment)


def _between(start, end):
    return Q(due__gt=start, due__lt=end)


def next_due(learner):
    """When the learner's earliest card falls due (a datetime), or None without cards."""
    if learner is None:
        return None
    return ReviewCard.objects.earliest_due(learner.pk)


def remember_next_due(response, learner):
    """Set (or clear) the due-time hint cookie (explainer/due_hint.py) on `response` after the cards changed."""
    due = next_due(learner)
    due_hint.remember(response, int(due.timestamp()) if due is not None else None)


def published_due(ids):
    """`ids` still asked (published, in a published comparison), in their order."""
    asked = set(
        Scenario.objects.filter(pk__in=ids, is_published=True, comparison__status="published").values_list(
            "id", flat=True
        )
    )
    return [pk for pk in ids if pk in asked]
