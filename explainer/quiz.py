"""A learner's quiz round, kept in the Django session (no account needed).

The session holds, per comparison, the round's id, the scenario ids in order,
the position of the current question and the answers given so far. Grading
happens only on the server; the page never holds an answer before the learner
has submitted theirs.
"""

import random
import uuid
from dataclasses import dataclass, field

ROUND_SIZE = 10
# How many other questions come before a missed one returns (spacing effect).
RETRY_GAP = 2


@dataclass
class QuizRound:
    comparison_id: int
    round_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    items: list = field(default_factory=list)
    position: int = 0
    answers: dict = field(default_factory=dict)  # str(scenario id) -> {"chosen": id, "correct": bool}
    retry: bool = False

    @staticmethod
    def session_key(comparison_id):
        return f"quiz:{comparison_id}"

    @classmethod
    def load(cls, session, comparison_id):
        """The round stored in `session` for the comparison, or None (also for a damaged entry)."""
        data = session.get(cls.session_key(comparison_id))
        if not isinstance(data, dict):
            return None
        try:
            quiz_round = cls(comparison_id=comparison_id, **data)
        except TypeError:
            return None
        if not quiz_round.items or not all(isinstance(pk, int) for pk in quiz_round.items):
            return None
        return quiz_round

    def save(self, session):
        session[self.session_key(self.comparison_id)] = {
            "round_id": self.round_id,
            "items": self.items,
            "position": self.position,
            "answers": self.answers,
            "retry": self.retry,
        }

    @property
    def total(self):
        return len(self.items)

    @property
    def finished(self):
        return self.position >= self.total

    @property
    def current(self):
        """The id of the current scenario, or None when the round is over."""
        return None if self.finished else self.items[self.position]

    @property
    def current_answered(self):
        return self.current is not None and str(self.current) in self.answers

    @property
    def number(self):
        """The current question's number as learners count (1-based)."""
        return min(self.position + 1, self.total)

    @property
    def score(self):
        return sum(1 for answer in self.answers.values() if answer["correct"])

    @property
    def missed(self):
        return [pk for pk in self.items if str(pk) in self.answers and not self.answers[str(pk)]["correct"]]

    def record(self, scenario_id, chosen_id, correct):
        self.answers[str(scenario_id)] = {"chosen": chosen_id, "correct": correct}

    def advance(self):
        if self.current_answered:
            self.position += 1


def new_round(comparison, scenarios, rng=None):
    """A fresh round over `scenarios` (a queryset of the comparison's published ones)."""
    rng = rng or random.SystemRandom()
    return QuizRound(comparison_id=comparison.pk, items=scenarios.draw_round(ROUND_SIZE, rng))


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
