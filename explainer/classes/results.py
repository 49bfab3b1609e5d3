"""The teacher's figures for a class, read in one query over its pupils' responses.

Contract: `class_results(school_class)` takes a class loaded with
`SchoolClass.objects.with_results()` and returns a ClassResults: one ItemRow
per question (numbered as on the class's worksheet), one PupilRow per pupil
with one Mark (or None: not answered) per question in that order (the pupil x
question grid), and the cue breakdown the summary chart draws
(explainer_tags.miss_chart). `as_csv_rows` writes the same figures for the CSV
export, every cell a spreadsheet would run as a formula defused.
"""

import random
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from explainer.models import Confidence, Response
from explainer.quiz.rounds import interleave

# Pupils may say how sure they are (the quiz's optional confidence): an answer marked
# "sure" and wrong counts as confidently wrong, the strongest sign of a misconception.
CONFIDENCE_FIELD = "confidence"


def confident_value():
    """The Response.confidence value that counts as confident."""
    return Confidence.SURE


@dataclass
class ItemRow:
    number: int
    scenario: object
    answered: int = 0
    right: int = 0
    wrong_choices: Counter = field(default_factory=Counter)
    confidently_wrong: int = 0

    @property
    def share_right(self):
        """Whole per cent right, or None before any answer."""
        return round(100 * self.right / self.answered) if self.answered else None

    @property
    def top_wrong(self):
        """(concept, how many chose it) for the wrong answer chosen most, or None."""
        if not self.wrong_choices:
            return None
        return self.wrong_choices.most_common(1)[0]


@dataclass(frozen=True)
class Mark:
    """One pupil's answer to one question, for the grid: what they chose, right or not, and how sure."""

    chosen: object  # the Concept chosen (None if it has left the comparison since)
    is_correct: bool
    confidence: str = ""

    @property
    def sure(self):
        return self.confidence == Confidence.SURE

    @property
    def verdict(self):
        return _("right") if self.is_correct else _("wrong")

    @property
    def confidence_word(self):
        """How sure the pupil said they were, as a word ("" when they did not say)."""
        words = {Confidence.SURE: _("sure"), Confidence.THINK_SO: _("thought so"), Confidence.GUESSING: _("guessed")}
        return words.get(self.confidence, "")

    def as_text(self):
        """The mark as words, e.g. "Coalition (wrong, sure)": the CSV's grid cell."""
        name = self.chosen.name if self.chosen is not None else "?"
        details = ", ".join(part for part in (self.verdict, self.confidence_word) if part)
        return f"{name} ({details})"


@dataclass
class PupilRow:
    pupil: object
    answered: int = 0
    right: int = 0
    marks: dict = field(default_factory=dict)  # scenario id -> Mark
    cells: list = field(default_factory=list)  # one Mark or None per question, in the items' order

    @property
    def total(self):
        return self.pupil.total

    @property
    def finished(self):
        return self.answered >= self.total


@dataclass
class ClassResults:
    items: list
    pupils: list
    breakdown: list
    has_confidence: bool

    @property
    def answered(self):
        return sum(row.answered for row in self.items)

    @property
    def finished(self):
        return sum(1 for row in self.pupils if row.finished)


def class_results(school_class):
    confident = confident_value()
    fields = ["pupil_id", "scenario_id", "chosen_id", "is_correct"]
    if confident is not None:
        fields.append(CONFIDENCE_FIELD)
    responses = Response.objects.filter(pupil__school_class=school_class).values_list(*fields)
    concepts = {concept.pk: concept for concept in school_class.comparison.ordered_concepts}
    items = {s.pk: ItemRow(n, s) for n, s in enumerate(sheet_order(school_class), start=1)}
    pupils = {pupil.pk: PupilRow(pupil) for pupil in school_class.pupils.all()}
    for pupil_id, scenario_id, chosen_id, is_correct, *confidence in responses:
        pupil, item = pupils.get(pupil_id), items.get(scenario_id)
        if pupil is not None:
            pupil.answered += 1
            pupil.right += is_correct
            pupil.marks[scenario_id] = Mark(concepts.get(chosen_id), is_correct, confidence[0] if confidence else "")
        if item is None:
            continue  # a question withdrawn since: the pupil's score keeps it
        item.answered += 1
        if is_correct:
            item.right += 1
        else:
            item.wrong_choices[concepts.get(chosen_id)] += 1
            if confidence and confidence[0] == confident:
                item.confidently_wrong += 1
    for pupil in pupils.values():
        pupil.cells = [pupil.marks.get(scenario_id) for scenario_id in items]
    return ClassResults(
        items=list(items.values()),
        pupils=list(pupils.values()),
        breakdown=cue_breakdown(items.values()),
        has_confidence=confident is not None,
    )


def cue_breakdown(items):
    """Per cue (table row): answers to the questions it decides, and how many of those were wrong.

    The same shape as explainer.quiz.views.cue_breakdown, so the summary's chart
    draws it; most missed first. Rows nobody has answered yet are left out.
    """
    rows = {}
    for item in items:
        if not item.answered:
            continue
        for cue in item.scenario.cues.all():
            row = rows.setdefault(cue.pk, {"attribute": cue, "seen": 0, "missed": 0})
            row["seen"] += item.answered
            row["missed"] += item.answered - item.right
    return sorted(rows.values(), key=lambda r: (-r["missed"], -r["seen"], r["attribute"].position))


def spreadsheet_safe(text):
    """Text a spreadsheet will not run as a formula (a nickname such as "=HYPERLINK(...)")."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def column_heading(item):
    """A grid column's heading: the question's number and its correct concept ("3: Alliance")."""
    return f"{item.number}: {item.scenario.correct_concept.name}"


def as_csv_rows(results):
    """The results as CSV rows, every text cell defused (spreadsheet_safe).

    First the pupils: their scores, then the grid, one column per question headed by its
    number and correct concept, each cell the pupil's own answer ("Coalition (wrong, sure)",
    empty when not answered). A blank line, then one row per question with its correct answer.
    """
    yield ["Pupil", "Answered", "Right", "Questions", *(spreadsheet_safe(column_heading(i)) for i in results.items)]
    for row in results.pupils:
        marks = [spreadsheet_safe(mark.as_text()) if mark else "" for mark in row.cells]
        yield [spreadsheet_safe(row.pupil.nickname), row.answered, row.right, row.total, *marks]
    yield []
    header = ["Question", "Scenario", "Correct answer", "Answered", "Right", "Share right (%)"]
    header += ["Wrong answer chosen most", "Chosen by"]
    if results.has_confidence:
        header.append("Confidently wrong")
    yield header
    for item in results.items:
        top = item.top_wrong
        row = [
            item.number,
            spreadsheet_safe(item.scenario.text),
            spreadsheet_safe(item.scenario.correct_concept.name),
            item.answered,
            item.right,
            "" if item.share_right is None else item.share_right,
            spreadsheet_safe(top[0].name) if top and top[0] else "",
            top[1] if top else "",
        ]
        if results.has_confidence:
            row.append(item.confidently_wrong)
        yield row


def sheet_order(school_class):
    """The class's scenarios in the one order its worksheet, answer key and results share (seeded by the code)."""
    scenarios = {s.pk: s for s in school_class.scenarios.all()}
    groups = {}
    for pk in sorted(scenarios):
        groups.setdefault(scenarios[pk].correct_concept_id, []).append(pk)
    return [scenarios[pk] for pk in interleave(groups, random.Random(school_class.code))]
