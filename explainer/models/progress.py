"""Where a learner is in a round: shared by the quiz's rounds and the class pupils' rows."""


class Progress:
    """Where a learner is in an ordered list of scenario ids: `items` and `position` (a quiz round, a pupil)."""

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
    def number(self):
        """The current question's number as learners count (1-based)."""
        return min(self.position + 1, self.total)
