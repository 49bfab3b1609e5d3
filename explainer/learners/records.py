"""What the site keeps of a learner, as one unit: merged, handed over, deleted, purged.

Contract:
- `merge_learners(source, target)`: `source`'s records become `target`'s and
  `source` is deleted (signing in on a browser that learned anonymously). The
  answers are united; each case keeps its latest review (the card reviewed
  last wins); a round of a comparison the target has none of moves over, the
  target's own round stays otherwise. Pupils joined by the source follow.
- `export(learner)`: everything kept about the learner, as plain data for JSON.
- `delete(learner)`: the learner, their answers, cards, rounds and class
  nicknames (with their class answers), and their account if they have one.
- `purge(before)`: anonymous learners (no account) not seen since `before`
  are deleted; their answers stay in the statistics, linked to nobody.
"""

from django.db import transaction

from explainer.models import Learner, LearnerRound, Pupil, Response, ReviewCard


@transaction.atomic
def merge_learners(source, target):
    """Unite `source`'s records into `target` and delete `source` (see the module docstring). Returns `target`."""
    if source.pk == target.pk:
        return target
    Response.objects.filter(learner=source).update(learner=target)
    Pupil.objects.filter(learner=source).update(learner=target)
    kept = {card.scenario_id: card for card in ReviewCard.objects.filter(learner=target)}
    for card in ReviewCard.objects.filter(learner=source):
        mine = kept.get(card.scenario_id)
        if mine is None:
            ReviewCard.objects.filter(pk=card.pk).update(learner=target)
        elif _reviewed_after(card, mine):
            ReviewCard.objects.filter(pk=mine.pk).delete()
            ReviewCard.objects.filter(pk=card.pk).update(learner=target)
    has_round = set(LearnerRound.objects.filter(learner=target).values_list("comparison_id", flat=True))
    for learner_round in LearnerRound.objects.filter(learner=source):
        if learner_round.comparison_id not in has_round:  # None: the review round across comparisons
            learner_round.learner = target
            learner_round.save(update_fields=["learner"])
    target.last_seen_at = max(target.last_seen_at, source.last_seen_at)
    target.created_at = min(target.created_at, source.created_at)
    target.save(update_fields=["last_seen_at", "created_at"])
    source.delete()
    return target


def _reviewed_after(card, other):
    if card.last_review is None:
        return False
    return other.last_review is None or card.last_review > other.last_review


def export(learner):
    """Everything kept about `learner`, as JSON-ready data (the "download my data" file)."""
    responses = Response.objects.filter(learner=learner).select_related("scenario__comparison", "chosen")
    cards = ReviewCard.objects.filter(learner=learner).select_related("scenario__comparison")
    pupils = Pupil.objects.filter(learner=learner).select_related("school_class__comparison")
    user = learner.user
    return {
        "learner": {
            "id": learner.public_id,
            "created": learner.created_at.isoformat(),
            "last_seen": learner.last_seen_at.isoformat(),
        },
        "account": {"username": user.get_username(), "email": user.email, "joined": user.date_joined.isoformat()}
        if user is not None
        else None,
        "answers": [
            {
                "answered": r.answered_at.isoformat(),
                "comparison": r.scenario.comparison.slug,
                "case": r.scenario.slug,
                "chosen": r.chosen.name,
                "correct": r.is_correct,
                "confidence": r.confidence or None,
                "round": str(r.round_id),
                "in_class": r.pupil_id is not None,
            }
            for r in responses.order_by("answered_at", "pk")
        ],
        "review_cards": [
            {
                "comparison": c.scenario.comparison.slug,
                "case": c.scenario.slug,
                "due": c.due.isoformat(),
                "last_review": c.last_review.isoformat() if c.last_review else None,
                "stability_days": c.stability,
                "difficulty": c.difficulty,
                "last_miss_was_sure": c.confidently_wrong,
            }
            for c in cards.order_by("due", "pk")
        ],
        "classes_joined": [
            {
                "class": p.school_class.name,
                "comparison": p.school_class.comparison.slug,
                "nickname": p.nickname,
                "joined": p.joined_at.isoformat(),
            }
            for p in pupils.order_by("joined_at", "pk")
        ],
    }


@transaction.atomic
def delete(learner):
    """Delete `learner` and everything kept about them, their account included (see the module docstring)."""
    Response.objects.filter(learner=learner).delete()
    Pupil.objects.filter(learner=learner).delete()  # their nickname, and their class answers with it
    user = learner.user
    learner.delete()  # rounds and cards go with it
    if user is not None:
        user.delete()


def purge(before):
    """Delete anonymous learners not seen since `before`; returns how many. Their answers stay, anonymous."""
    untouched = Learner.objects.filter(user__isnull=True, last_seen_at__lt=before)
    count = untouched.count()
    untouched.delete()
    return count
