"""Sessions from before learners were kept: their rounds and review cards move into a Learner's records.

Up to issue 25 a visitor's rounds lived in the session under `quiz:<comparison
id>` and their review cards under `review:<comparison id>` (a scenario id ->
[state, stability, difficulty, due, last review, sure and wrong], times as
Unix seconds). On such a browser's next request (explainer/learners/identity.py)
they become a Learner with LearnerRound and ReviewCard rows, and leave the
session: from then on the session keeps no learning state. A session without
any of it makes no learner. Damaged entries are left out, never a 500.
"""

import uuid
from datetime import UTC, datetime

from django.db import transaction

from explainer.models import Comparison, Learner, LearnerRound, ReviewCard, Scenario

ROUND_PREFIX = "quiz:"
CARDS_PREFIX = "review:"


def _comparison_keys(session, prefix):
    return {
        int(key[len(prefix) :]): key
        for key in list(session.keys())
        if key.startswith(prefix) and key[len(prefix) :].isdigit()
    }


def _card(scenario_id, data):
    """A ReviewCard (unsaved, no learner) from a session's compact card, or None when damaged."""
    try:
        state, stability, difficulty, due, last, confidently_wrong = data
        return ReviewCard(
            scenario_id=scenario_id,
            state=int(state),
            stability=float(stability),
            difficulty=float(difficulty),
            due=datetime.fromtimestamp(int(due), UTC),
            last_review=datetime.fromtimestamp(int(last), UTC) if last is not None else None,
            confidently_wrong=bool(confidently_wrong),
        )
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _round(comparison_id, data):
    """A LearnerRound (unsaved, no learner) from a session's round, or None when damaged."""
    if not isinstance(data, dict):
        return None
    responses = data.get("responses", data.get("answers", {}))  # "answers": rounds saved before a rename
    items = data.get("items")
    try:
        round_id = uuid.UUID(str(data.get("round_id")))
    except ValueError:
        round_id = uuid.uuid4()
    if not isinstance(items, list) or not items or not all(isinstance(pk, int) for pk in items):
        return None
    if not isinstance(responses, dict) or not isinstance(data.get("position", 0), int):
        return None
    return LearnerRound(
        comparison_id=comparison_id,
        round_id=round_id,
        items=items,
        position=max(0, data.get("position", 0)),
        responses=responses,
        retry=bool(data.get("retry", False)),
        review=[pk for pk in data.get("review", []) if isinstance(pk, int)]
        if isinstance(data.get("review"), list)
        else [],
    )


def carry_over(request):
    """Move the session's rounds and cards into a new Learner (returned), or return None when it holds none.

    The caller (identity.current) has the response set the learner's cookie.
    """
    session = request.session
    rounds = _comparison_keys(session, ROUND_PREFIX)
    decks = _comparison_keys(session, CARDS_PREFIX)
    if not rounds and not decks:
        return None
    comparisons = set(Comparison.objects.filter(pk__in=set(rounds) | set(decks)).values_list("pk", flat=True))
    learner_rounds = [_round(pk, session.get(key)) for pk, key in rounds.items() if pk in comparisons]
    cards = {}
    for pk, key in decks.items():
        deck = session.get(key)
        if pk in comparisons and isinstance(deck, dict):
            for scenario_id, data in deck.items():
                if scenario_id.isdigit() and (card := _card(int(scenario_id), data)) is not None:
                    cards[card.scenario_id] = card
    known = set(Scenario.objects.filter(pk__in=cards).values_list("pk", flat=True))
    with transaction.atomic():
        learner = Learner.objects.create()
        for learner_round in learner_rounds:
            if learner_round is not None:
                learner_round.learner = learner
                learner_round.save()
        for card in cards.values():
            card.learner = learner
        ReviewCard.objects.bulk_create(card for card in cards.values() if card.scenario_id in known)
    for key in [*rounds.values(), *decks.values()]:
        del session[key]
    return learner
