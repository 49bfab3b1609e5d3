"""Review that comes back: missed cases return in a later round, scheduled by FSRS (the `fsrs` package).

No account is needed: the cards live in the learner's session, one small entry
per comparison under `review:<comparison id>` (its own key, so two tabs merge;
explainer/sessions.py), mapping a scenario id to a compact card:
[state, stability, difficulty, due, last review, sure and wrong] with times as
Unix seconds and the last item 1 when the last miss was answered "sure".

Contract:
- A card is made when a learner misses a case (right answers need no review);
  from then on every answer to that case reviews the card with a rating taken
  from right/wrong and the stated confidence (RIGHT_ANSWER_RATINGS below).
- The scheduler has no same-day learning steps: a missed case is due a day
  later at the earliest, so it comes back in a later visit, not in this one.
- `due_ids()` lists a comparison's due cases, confidently wrong and most
  overdue first; a new round takes up to rounds.MAX_DUE_PER_ROUND of them, mixed with
  new cases (explainer/quiz/rounds.py).
- `now()` is the one clock this module reads; tests move it by patching it.
- Sessions from before this module hold no `review:` keys and simply have nothing due.
"""

from datetime import UTC, datetime

from django.utils import timezone
from fsrs import Card, Rating, Scheduler, State

from explainer import due_hint
from explainer.models import Confidence

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
MAX_CARDS = 60  # per comparison; more than any shipped quiz has scenarios
KEY_PREFIX = "review:"


def now():
    """The current time, timezone-aware. Tests patch this to return "a day later"."""
    return timezone.now()


def rating(correct, confidence=""):
    """The FSRS rating of one answer."""
    if not correct:
        return Rating.Again
    return RIGHT_ANSWER_RATINGS.get(confidence or "", Rating.Good)


def _key(comparison_id):
    return f"{KEY_PREFIX}{comparison_id}"


def _to_list(card, confidently_wrong):
    last = int(card.last_review.timestamp()) if card.last_review else None
    state = card.state.value
    return [
        state,
        round(card.stability, 4),
        round(card.difficulty, 4),
        int(card.due.timestamp()),
        last,
        confidently_wrong,
    ]


def _from_list(data, card_id):
    state, stability, difficulty, due, last, _confidently_wrong = data
    return Card(
        card_id=card_id,
        state=State(state),
        step=None,
        stability=float(stability),
        difficulty=float(difficulty),
        due=datetime.fromtimestamp(due, UTC),
        last_review=datetime.fromtimestamp(last, UTC) if last is not None else None,
    )


def cards(session, comparison_id):
    """{scenario id: card as a list (see the module docstring)} for a comparison; {} when damaged or absent."""
    deck = session.get(_key(comparison_id))
    if not isinstance(deck, dict):
        return {}
    return {
        key: value
        for key, value in deck.items()
        if key.isdigit() and isinstance(value, list) and len(value) == 6 and isinstance(value[3], int)
    }


def record(session, comparison_id, scenario_id, correct, confidence="", at=None):
    """Review the case's card after an answer (making one on a miss). Returns the card's due time, or None."""
    deck = cards(session, comparison_id)
    key = str(scenario_id)
    if key not in deck and correct:
        return None
    # An explicit card_id: without one, fsrs makes it from the clock and sleeps 1 ms
    # (in the request) so that the next card gets another.
    try:
        card = _from_list(deck[key], scenario_id) if key in deck else Card(card_id=scenario_id)
    except (TypeError, ValueError):
        card = Card(card_id=scenario_id)
    card, _log = SCHEDULER.review_card(card, rating(correct, confidence), at or now())
    confidently_wrong = int(not correct and confidence == Confidence.SURE)
    deck[key] = _to_list(card, confidently_wrong)
    if len(deck) > MAX_CARDS:
        # Keep the cards due soonest: those are the ones still worth reviewing.
        deck = dict(sorted(deck.items(), key=lambda item: item[1][3])[:MAX_CARDS])
    session[_key(comparison_id)] = deck
    return card.due


def due_ids(session, comparison_id, at=None):
    """The ids of the comparison's cases due for review: confidently wrong ones first, then most overdue first."""
    moment = (at or now()).timestamp()
    due = [
        (-value[5], value[3], int(key)) for key, value in cards(session, comparison_id).items() if value[3] <= moment
    ]
    return [pk for *_order, pk in sorted(due)]


def due_counts(session, at=None):
    """{comparison id: number of cases due} over every comparison with a card in the session."""
    counts = {}
    for key in list(session.keys()):
        if key.startswith(KEY_PREFIX) and key[len(KEY_PREFIX) :].isdigit():
            comparison_id = int(key[len(KEY_PREFIX) :])
            count = len(due_ids(session, comparison_id, at))
            if count:
                counts[comparison_id] = count
    return counts


def next_due(session):
    """The Unix time at which the earliest card of any comparison falls due, or None without cards."""
    times = [
        value[3]
        for key in list(session.keys())
        if key.startswith(KEY_PREFIX) and key[len(KEY_PREFIX) :].isdigit()
        for value in cards(session, int(key[len(KEY_PREFIX) :])).values()
    ]
    return min(times, default=None)


def remember_next_due(response, session):
    """Set (or clear) the due-time hint cookie (explainer/due_hint.py) on `response` after the cards changed."""
    due_hint.remember(response, next_due(session))
