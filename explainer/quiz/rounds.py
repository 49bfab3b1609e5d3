"""A learner's quiz round: how it is drawn, and how it is kept (no account needed).

A round is the round's id, the scenario ids in order, the position of the
current question and the responses given so far. A learner's rounds are
LearnerRound rows (explainer/models/learners.py; `from_row`, `fields`);
sessions of before kept them under `quiz:<comparison id>` (`load`, read once
to carry them over: explainer/learners/carry_over.py). Grading happens only on
the server; the page never holds the correct concept before the learner has
submitted a choice.
"""

import random
import uuid
from dataclasses import dataclass, field

from explainer.models.progress import Progress

ROUND_SIZE = 10
# At most half a round of cases due for review: the rest are new (explainer/quiz/review.py).
MAX_DUE_PER_ROUND = 5
# How many other questions come before a missed one returns (spacing effect).
RETRY_GAP = 2


@dataclass
class QuizRound(Progress):
    comparison_id: int
    round_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    items: list = field(default_factory=list)
    position: int = 0
    # str(scenario id) -> {"chosen": id, "correct": bool}, plus "confidence" when the learner gave one
    responses: dict = field(default_factory=dict)
    retry: bool = False
    review: list = field(default_factory=list)  # the ids that came back for review (explainer/quiz/review.py)

    @staticmethod
    def session_key(comparison_id):
        return f"quiz:{comparison_id}"

    @classmethod
    def load(cls, session, comparison_id):
        """The round stored in `session` for the comparison, or None (also for a damaged entry)."""
        data = session.get(cls.session_key(comparison_id))
        if not isinstance(data, dict):
            return None
        if "answers" in data and "responses" not in data:
            # Rounds saved before the rename (sessions live 14 days) keep their responses.
            data = {**data, "responses": data["answers"]}
            del data["answers"]
        try:
            quiz_round = cls(comparison_id=comparison_id, **data)
        except TypeError:
            return None
        if not quiz_round.items or not all(isinstance(pk, int) for pk in quiz_round.items):
            return None
        return quiz_round

    @classmethod
    def from_row(cls, row):
        """The round a LearnerRound row keeps."""
        return cls(
            comparison_id=row.comparison_id,
            round_id=str(row.round_id),
            items=list(row.items),
            position=row.position,
            responses=dict(row.responses),
            retry=row.retry,
            review=list(row.review),
        )

    def fields(self):
        """The LearnerRound fields that keep this round."""
        return {
            "round_id": self.round_id,
            "items": self.items,
            "position": self.position,
            "responses": self.responses,
            "retry": self.retry,
            "review": self.review,
        }

    @property
    def current_answered(self):
        return self.current is not None and str(self.current) in self.responses

    @property
    def score(self):
        return sum(1 for response in self.responses.values() if response["correct"])

    @property
    def missed(self):
        return [pk for pk in self.items if str(pk) in self.responses and not self.responses[str(pk)]["correct"]]

    @property
    def answered(self):
        """How many questions of the round have been answered so far."""
        return len(self.responses)

    def response(self, scenario_id):
        """The response given to `scenario_id` in this round ({"chosen", "correct"[, "confidence"]}), or None."""
        return self.responses.get(str(scenario_id))

    def record(self, scenario_id, chosen_id, correct, confidence=""):
        response = {"chosen": chosen_id, "correct": correct}
        if confidence:
            response["confidence"] = confidence  # absent when not given: rounds stay small
        self.responses[str(scenario_id)] = response

    def advance(self):
        if self.current_answered:
            self.position += 1


def new_round(comparison, scenarios, rng=None, due=(), seen=None, first=None):
    """A fresh round over `scenarios` (a queryset of the comparison's published ones).

    `due` lists the ids due for review, most pressing first: up to
    MAX_DUE_PER_ROUND of those still asked come back, mixed with new cases.
    `seen` ({id: when last answered}) makes unseen cases come first, then the
    least recently seen. `first` (an id) opens the round: the question a
    learner answered before any round was kept for them.
    """
    rng = rng or random.SystemRandom()
    asked = set(scenarios.values_list("id", flat=True))
    review = [pk for pk in due if pk in asked][:MAX_DUE_PER_ROUND]
    items = draw_round(scenarios, ROUND_SIZE, rng, include=review, seen=seen, first=first)
    return QuizRound(comparison_id=comparison.pk, items=items, review=review)


def draw_round(scenarios, size, rng, include=(), seen=None, first=None):
    """Scenario ids for a round: up to `size`, no repeats, concepts balanced and interleaved.

    The ids in `include` (cases due for review) are taken first; then unseen
    cases (not in `seen`, {id: when last answered}), so that a round after a
    perfect one repeats no case while unseen ones remain; then the least
    recently seen. Within each of those, each concept gets an equal share (as
    far as it has scenarios), and the order never shows the same correct
    concept three times in a row when another concept is left to show
    (interleaving; docs/quiz.md). Reviews are interleaved with new cases the
    same way. `first`, when given and asked, opens the round.
    """
    seen = seen or {}
    by_concept = {}
    for pk, concept_id in scenarios.values_list("id", "correct_concept_id"):
        by_concept.setdefault(concept_id, []).append(pk)
    for ids in by_concept.values():
        rng.shuffle(ids)
        # Due cases first, then unseen (in random order), then the least recently seen.
        ids.sort(key=lambda pk: (pk not in include and pk != first, pk in seen, seen.get(pk) or 0))
    chosen = {concept_id: [pk for pk in ids if pk in include or pk == first] for concept_id, ids in by_concept.items()}
    for fresh_only in (True, False):
        while sum(map(len, chosen.values())) < size:
            open_concepts = [
                c
                for c in by_concept
                if len(chosen[c]) < len(by_concept[c]) and not (fresh_only and by_concept[c][len(chosen[c])] in seen)
            ]
            if not open_concepts:
                break
            fewest = min(len(chosen[c]) for c in open_concepts)
            concept_id = rng.choice([c for c in open_concepts if len(chosen[c]) == fewest])
            chosen[concept_id].append(by_concept[concept_id][len(chosen[concept_id])])
    if first is not None and any(first in ids for ids in chosen.values()):
        rest = {c: [pk for pk in ids if pk != first] for c, ids in chosen.items()}
        for ids in rest.values():
            rng.shuffle(ids)
        return [first, *interleave(rest, rng)]
    for ids in chosen.values():
        rng.shuffle(ids)  # reviews spread through the round, not bunched at its start
    return interleave(chosen, rng)


def interleave(groups, rng, max_run=2):
    """Merge `groups` ({key: [items]}) in a random order with no run longer than `max_run`.

    At each step only keys that keep the rest of the order feasible are drawn
    (see _can_follow). When no order can avoid a long run (one group far
    bigger than the rest), the least bad one is taken.
    """
    remaining = {key: list(items) for key, items in groups.items() if items}
    order, run = [], (None, 0)
    while remaining:
        keys = [k for k in remaining if _can_follow(k, run, remaining, max_run)] or list(remaining)
        key = rng.choices(keys, weights=[len(remaining[k]) for k in keys])[0]
        order.append(remaining[key].pop(0))
        run = (key, run[1] + 1 if key == run[0] else 1)
        if not remaining[key]:
            del remaining[key]
    return order


def _can_follow(key, run, remaining, max_run):
    """Whether `key` may come next: its run stays short, and every group can still be separated.

    A group of c items can be separated when the others leave room for it,
    c <= max_run * (others + 1), less the run it is already in.
    """
    run_key, run_length = run
    new_run = run_length + 1 if key == run_key else 1
    if new_run > max_run:
        return False
    total = sum(map(len, remaining.values())) - 1
    for other, items in remaining.items():
        count = len(items) - (1 if other == key else 0)
        already = new_run if other == key else 0
        if count > max_run * (total - count + 1) - already:
            return False
    return True


def retry_round(comparison, scenarios, missed, rng=None):
    """A round that brings back the `missed` ids, spaced out between other scenarios.

    No missed scenario comes in the first RETRY_GAP questions, and two missed
    ones are never back to back, so that the second try is a real retrieval
    and not a repetition of the feedback just read (the spacing effect). The
    fillers are other published scenarios, drawn at random; the round is at
    least ROUND_SIZE long when there are enough of them.
    """
    rng = rng or random.SystemRandom()
    still_asked = set(scenarios.filter(pk__in=missed).values_list("id", flat=True))
    missed = [pk for pk in missed if pk in still_asked]
    rng.shuffle(missed)
    others = [pk for pk in scenarios.values_list("id", flat=True) if pk not in still_asked]
    rng.shuffle(others)
    fillers = others[: max(RETRY_GAP + len(missed) - 1, ROUND_SIZE - len(missed))]
    # The skeleton: RETRY_GAP fillers, then missed ones with a filler between each pair.
    items = fillers[:RETRY_GAP]
    spare = fillers[RETRY_GAP:]
    for index, pk in enumerate(missed):
        if index and spare:
            items.append(spare.pop())
        items.append(pk)
    # The other fillers go anywhere after the opening gap: a gap only grows.
    for pk in spare:
        items.insert(rng.randint(min(RETRY_GAP, len(items)), len(items)), pk)
    return QuizRound(comparison_id=comparison.pk, items=items, retry=True)
