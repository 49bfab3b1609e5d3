"""One round engine: a class pupil's round and a visitor's are the same steps, pages and templates.

The pupil's rules sit on top (the class's fixed items, closing, nicknames,
no new rounds); everything a learner sees of a step, a pupil sees too.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from explainer.models import Scenario, WrongChoiceNote
from explainer.models.classes import Pupil
from explainer.quiz import content as quiz_content
from explainer.quiz import prerender
from explainer.templatetags import explainer_tags
from tests import factories
from tests.classes_helpers import join

pytestmark = pytest.mark.django_db


class Landmarks(HTMLParser):
    """What structures a quiz panel: each element's tag with its id and classes, in document order."""

    def __init__(self):
        super().__init__()
        self.inside = 0
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "quiz-panel":
            self.inside = 1
            return
        if self.inside:
            if tag not in {"br", "input", "hr", "img"}:
                self.inside += 1
            if attrs.get("id") or attrs.get("class"):
                # Which colour depends on the case asked, not on who asks: tone-N for any N.
                classes = re.sub(r"\btone-\d+", "tone-N", attrs.get("class") or "")
                self.found.append((tag, attrs.get("id") or "", classes))

    def handle_endtag(self, tag):
        if self.inside:
            self.inside -= 1


def landmarks(response):
    parser = Landmarks()
    parser.feed(response.content.decode())
    return parser.found


def fresh_memos():
    """Each page rendered afresh: parts kept per version would leave their templates out of the second page."""
    quiz_content.memo.clear()
    prerender.memo.clear()
    explainer_tags._fragments.clear()


@pytest.fixture
def comparison(db):
    comparison = factories.make_quiz_comparison(concepts=3, per_concept=4)
    for scenario in Scenario.objects.filter(comparison=comparison):
        for concept in comparison.ordered_concepts:
            if concept.pk != scenario.correct_concept_id:
                WrongChoiceNote.objects.create(scenario=scenario, concept=concept, text=f"Not {concept.name}: no.")
    return comparison


def wrong_choice(comparison, scenario):
    return next(c for c in comparison.ordered_concepts if c.pk != scenario.correct_concept_id)


def learner_feedback(comparison):
    """A visitor's feedback page after a wrong answer, and the scenario."""
    client = Client()
    factories.make_learner(client)
    client.get(reverse("quiz", args=[comparison.slug]))
    scenario = Scenario.objects.get(pk=factories.round_of(client, comparison).current)
    data = {"scenario": scenario.pk, "choice": wrong_choice(comparison, scenario).pk, "confidence": "sure"}
    assert client.post(reverse("quiz_respond", args=[comparison.slug]), data).status_code == 302
    fresh_memos()
    return client.get(reverse("quiz", args=[comparison.slug])), scenario


def pupil_feedback(school_class, comparison, scenario):
    """A pupil's feedback page after a wrong answer to `scenario` (put first in their order)."""
    client = join(school_class, "Ada")
    pupil = Pupil.objects.get(school_class=school_class)
    pupil.items = [scenario.pk] + [pk for pk in pupil.items if pk != scenario.pk]
    pupil.save()
    data = {"scenario": scenario.pk, "choice": wrong_choice(comparison, scenario).pk, "confidence": "sure"}
    assert client.post(reverse("class_answer", args=[school_class.code]), data).status_code == 302
    fresh_memos()
    return client.get(reverse("class_play", args=[school_class.code])), client


def template_names(response):
    return {template.name for template in response.templates}


def test_a_pupils_feedback_and_a_learners_are_rendered_by_the_same_templates(comparison):
    school_class = factories.make_class(comparison=comparison, question_count=12)  # every case: the same one
    learner, scenario = learner_feedback(comparison)
    pupil, _ = pupil_feedback(school_class, comparison, scenario)
    assert learner.status_code == pupil.status_code == 200
    # The one difference by design: a class's pages give link previews no card (includes/social.html).
    assert template_names(pupil) == template_names(learner) - {"includes/social.html"}
    assert "quiz/feedback.html" in template_names(pupil)
    assert landmarks(pupil) == landmarks(learner)
    # The parts the pupils' own copy lacked: notes on wrong choices, deciding cells, colours, the score, Next.
    text = pupil.content.decode()
    for part in ('class="why-not tone-', 'class="deciding"', "deciding-cell deciding-chosen tone-", "quiz-score"):
        assert part in text, part
    assert 'class="quiz-next' in text and f'action="/join/{school_class.code}/next/"' in text
    assert "Not " in text and ": no." in text  # the note on the wrong choice


def test_a_pupils_question_and_summary_are_the_learners_templates(comparison):
    school_class = factories.make_class(comparison=comparison, question_count=3)
    client = join(school_class, "Ada")
    question = client.get(reverse("class_play", args=[school_class.code]))
    assert "quiz/question.html" in template_names(question)
    assert f'action="/join/{school_class.code}/answer/"' in question.content.decode()
    pupil = Pupil.objects.get(school_class=school_class)
    for position in range(3):
        pupil.refresh_from_db()
        scenario = Scenario.objects.get(pk=pupil.current)
        data = {"scenario": scenario.pk, "choice": wrong_choice(comparison, scenario).pk}
        client.post(reverse("class_answer", args=[school_class.code]), data)
        client.post(reverse("class_next", args=[school_class.code]), {"position": position})
    summary = client.get(reverse("class_play", args=[school_class.code]))
    assert "quiz/summary.html" in template_names(summary)
    text = summary.content.decode()
    assert "You got 0 of 3 right" in text
    # The explanations on the last page, as a learner's summary has them; no new rounds in a class.
    assert text.count('class="result-explanation"') == 3
    assert "Retry the ones I missed" not in text and "New round" not in text
    assert "You are Ada" in text and 'name="robots" content="noindex"' in text


def test_a_pupils_running_score_shows_on_the_next_question(comparison):
    school_class = factories.make_class(comparison=comparison, question_count=3)
    client = join(school_class, "Ada")
    pupil = Pupil.objects.get(school_class=school_class)
    scenario = Scenario.objects.get(pk=pupil.current)
    data = {"scenario": scenario.pk, "choice": scenario.correct_concept_id}
    client.post(reverse("class_answer", args=[school_class.code]), data)
    client.post(reverse("class_next", args=[school_class.code]), {"position": 0})
    page = client.get(reverse("class_play", args=[school_class.code])).content.decode()
    assert "Question 2 of 3" in page and "Score so far: 1 of 1" in page
