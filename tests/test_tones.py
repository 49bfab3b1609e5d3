"""The concept colours: one rule (explainer.tones.tone_of), and CSS for every tone a page can name."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from explainer.models import Scenario
from explainer.tones import TONES, tone_of
from tests import factories

TONES_SCSS = Path(settings.BASE_DIR) / "static" / "scss" / "_tones.scss"


def defined_tones():
    """The tone numbers the stylesheet gives a colour and a marker (`.tone-N { --tone: ...`)."""
    return {int(n) for n in re.findall(r"^\.tone-(\d+) \{ --tone:", TONES_SCSS.read_text(), flags=re.M)}


def named_tones(html):
    """Every tone number a page puts in a class attribute."""
    classes = " ".join(re.findall(r'class="([^"]*)"', html))
    return {int(n) for n in re.findall(r"\btone-(\d+)\b", classes)}


def test_tone_of_cycles_through_the_palette():
    assert [tone_of(index) for index in range(7)] == [1, 2, 3, 1, 2, 3, 1]


def test_the_stylesheet_defines_every_tone_of_the_palette():
    assert defined_tones() == set(range(1, TONES + 1))


@pytest.mark.django_db
def test_a_four_concept_quiz_names_only_tones_the_stylesheet_defines(client):
    """The fourth column's concept, right and wrong, on every page that colours concepts."""
    comparison = factories.make_quiz_comparison(concepts=4, per_concept=3)
    fourth = comparison.ordered_concepts[3]
    seen = named_tones(client.get(comparison.get_absolute_url()).text)
    factories.make_learner(client)
    client.get(reverse("quiz", args=[comparison.slug]))
    seen |= named_tones(client.get(reverse("quiz", args=[comparison.slug])).text)  # the question
    while not (quiz_round := factories.round_of(client, comparison)).finished:
        scenario = Scenario.objects.get(pk=quiz_round.current)
        # The fourth concept when it is wrong, else the first: both the answer's and the choice's tones show.
        chosen = fourth.pk if scenario.correct_concept_id != fourth.pk else comparison.ordered_concepts[0].pk
        client.post(reverse("quiz_respond", args=[comparison.slug]), {"scenario": scenario.pk, "choice": chosen})
        seen |= named_tones(client.get(reverse("quiz", args=[comparison.slug])).text)  # the feedback
        client.post(reverse("quiz_next", args=[comparison.slug]), {"position": quiz_round.position})
    seen |= named_tones(client.get(reverse("quiz_summary", args=[comparison.slug])).text)
    assert seen == defined_tones()  # all three colours used, and none without CSS (no tone-4)
