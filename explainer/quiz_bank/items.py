"""The quiz as the exports see it: one Item per published scenario, with its options and feedback.

Contract: `quiz_items(comparison)` takes a comparison loaded `with_concepts()` and returns its
published scenarios (in the editors' order) as Items in 2 queries, whatever their number. Each
Item has the case's text, the question asked on the site ("Which is it?"), one Option per concept
of the comparison in column order (the correct one marked), and the feedback the site gives: per
wrong option, what a learner who chose it reads (the note on that wrong choice, then the
scenario's common mix-up); for everyone, the explanation (Markdown, and as sanitised HTML).
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from explainer.markup import render_markdown
from explainer.models import Scenario, WrongChoiceNote

PROMPT_TEXT = "Which is it?"


@dataclass(frozen=True)
class Option:
    identifier: str  # "C<concept id>": stable across exports, an XML name
    text: str
    correct: bool
    feedback: str  # plain text; "" for the correct option


@dataclass(frozen=True)
class Item:
    identifier: str  # "<comparison slug>-<scenario slug>": unique, stable, an XML name
    title: str
    text: str  # plain text
    prompt: str
    options: tuple
    explanation: str  # Markdown

    @property
    def explanation_html(self):
        return render_markdown(self.explanation)

    @property
    def correct(self):
        return next(option for option in self.options if option.correct)


def option_feedback(scenario, concept, notes):
    """What the site shows a learner who chose `concept` wrongly: its note, then the common mix-up."""
    parts = [notes.get(concept.pk, ""), scenario.misconception]
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def xml_name(slug):
    """`slug` as an XML name (QTI identifiers are NCNames): it must not start with a digit or hyphen."""
    return slug if slug[:1].isalpha() else f"q-{slug}"


def title_of(scenario, limit=8):
    words = scenario.text.split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


def quiz_items(comparison):
    concepts = comparison.ordered_concepts
    scenarios = (
        Scenario.objects.published()
        .filter(comparison=comparison)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("wrong_notes", queryset=WrongChoiceNote.objects.only("scenario", "concept", "text")))
    )
    items = []
    for scenario in scenarios:
        notes = {note.concept_id: note.text for note in scenario.wrong_notes.all()}
        if scenario.correct_concept_id not in {concept.pk for concept in concepts}:
            continue  # a case whose answer is not a column of the comparison cannot be asked
        options = tuple(
            Option(
                identifier=f"C{concept.pk}",
                text=concept.name,
                correct=concept.pk == scenario.correct_concept_id,
                feedback="" if concept.pk == scenario.correct_concept_id else option_feedback(scenario, concept, notes),
            )
            for concept in concepts
        )
        items.append(
            Item(
                identifier=xml_name(f"{comparison.slug}-{scenario.slug}"),
                title=title_of(scenario),
                text=scenario.text,
                prompt=_(PROMPT_TEXT),
                options=options,
                explanation=scenario.explanation,
            )
        )
    return items
