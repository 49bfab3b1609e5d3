"""Helpers for the classes' tests: a pupil joining and answering through the pages, as a browser would."""

from django.test import Client
from django.urls import reverse

from explainer.models import Pupil, Scenario


def join(school_class, nickname, client=None):
    """A new pupil's client, joined to `school_class` as `nickname` (the POST must succeed)."""
    client = client or Client()
    response = client.post(reverse("class_join", args=[school_class.code]), {"nickname": nickname})
    assert response.status_code == 302, response.status_code
    return client


def pupil_named(school_class, nickname):
    return Pupil.objects.get(school_class=school_class, nickname=nickname)


def answer(client, pupil, right=True, next_question=True, confidence=""):
    """Answer the pupil's current question (rightly or not, as sure as `confidence` says) and,
    by default, go on to the next one."""
    pupil.refresh_from_db()
    scenario = Scenario.objects.get(pk=pupil.current)
    concepts = pupil.school_class.comparison.ordered_concepts
    chosen = scenario.correct_concept if right else next(c for c in concepts if c.pk != scenario.correct_concept_id)
    code = pupil.school_class.code
    data = {"scenario": scenario.pk, "choice": chosen.pk, "confidence": confidence}
    response = client.post(reverse("class_answer", args=[code]), data)
    assert response.status_code == 302, response.status_code
    if next_question:
        response = client.post(reverse("class_next", args=[code]), {"position": pupil.position})
        assert response.status_code == 302, response.status_code
    return scenario, chosen
