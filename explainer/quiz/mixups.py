"""Which wrong choices a scenario's "common mix-up" speaks to.

A mix-up (`Scenario.misconception`) is the usual reason for a wrong answer, and in a quiz of three
concepts it is written about one wrong concept: "Many pick partnership because of the title ..." means
nothing to a learner who answered coalition. The text names the concept it is about, so the text is
the tie (no second field for editors to keep in step with it):

- a mix-up that names one or more wrong concepts (by name, singular or plural, any case) fits those
  choices only;
- one that names no wrong concept is about misreading the right one ("a slow creep is inflation too")
  and fits every wrong choice. With two concepts there is one wrong choice, so nothing changes there.
"""

import re


def names(concept):
    """A pattern matching the concept's name as a word, singular or plural ("alliance", "Alliances")."""
    return re.compile(rf"\b{re.escape(concept.name)}(?:s|es)?\b", re.IGNORECASE)


def named_wrong_concepts(text, concepts, correct_id):
    """The ids of the concepts other than the correct one that `text` names."""
    return {c.pk for c in concepts if c.pk != correct_id and names(c).search(text or "")}


def mixup_for(scenario, chosen_id, concepts):
    """The scenario's mix-up if it fits a learner who chose `chosen_id` (wrongly), else ""."""
    text = scenario.misconception
    if not text or chosen_id == scenario.correct_concept_id:
        return ""
    about = named_wrong_concepts(text, concepts, scenario.correct_concept_id)
    return text if not about or chosen_id in about else ""
