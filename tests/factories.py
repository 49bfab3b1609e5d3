"""Small factories for tests: each makes a valid object with sensible defaults."""

import functools
import itertools
import uuid

from django.contrib.auth import get_user_model

from explainer import caching, models

_seq = itertools.count(1)


def batched(factory):
    """Run `factory` inside caching.batched(): the page versions it changes are raised once, when it
    returns, as load_content raises them, instead of once for every row it saves (50 times for a quiz)."""

    @functools.wraps(factory)
    def wrapper(*args, **kwargs):
        with caching.batched():
            return factory(*args, **kwargs)

    return wrapper


def make_category(**kwargs):
    n = next(_seq)
    defaults = {"name": f"Category {n}", "slug": f"category-{n}"}
    return models.Category.objects.create(**{**defaults, **kwargs})


def make_concept(**kwargs):
    n = next(_seq)
    defaults = {"name": f"Concept {n}", "slug": f"concept-{n}", "definition": f"Definition of concept {n}."}
    return models.Concept.objects.create(**{**defaults, **kwargs})


@batched
def make_comparison(concepts=2, attributes=3, published=True, **kwargs):
    """A comparison with `concepts` new concepts (or the given list) and a fully filled table."""
    n = next(_seq)
    defaults = {
        "title": f"Comparison {n}",
        "slug": f"comparison-{n}",
        "lede": f"Lede of comparison {n}.",
        "intro": "An *introduction*.",
        "blur_note": "Some cases sit **between** the two.",
        "category": kwargs.pop("category", None) or make_category(),
        "status": models.Comparison.Status.PUBLISHED if published else models.Comparison.Status.DRAFT,
    }
    comparison = models.Comparison.objects.create(**{**defaults, **kwargs})
    if isinstance(concepts, int):
        concepts = [make_concept() for _ in range(concepts)]
    for position, concept in enumerate(concepts):
        models.ComparisonConcept.objects.create(comparison=comparison, concept=concept, position=position)
    for _ in range(attributes):
        add_attribute(comparison, concepts)
    return comparison


@batched
def add_attribute(comparison, concepts=None, **kwargs):
    n = next(_seq)
    concepts = comparison.ordered_concepts if concepts is None else concepts
    defaults = {"name": f"Attribute {n}", "slug": f"attribute-{n}", "question": f"Question {n}?", "position": n}
    attribute = models.Attribute.objects.create(comparison=comparison, **{**defaults, **kwargs})
    for concept in concepts:
        models.Cell.objects.create(attribute=attribute, concept=concept, text=f"{concept.name} on {attribute.name}")
    return attribute


def add_similarity(comparison, **kwargs):
    n = next(_seq)
    defaults = {"title": f"Similarity {n}", "text": f"Both share point {n}.", "position": n}
    return models.Point.objects.create(
        comparison=comparison, kind=models.Point.Kind.SIMILARITY, **{**defaults, **kwargs}
    )


def add_difference(comparison, attribute, **kwargs):
    n = next(_seq)
    defaults = {"title": f"Difference {n}", "text": f"They differ on point {n}.", "position": n}
    return models.Point.objects.create(
        comparison=comparison, kind=models.Point.Kind.DIFFERENCE, attribute=attribute, **{**defaults, **kwargs}
    )


def make_example(concept, **kwargs):
    n = next(_seq)
    defaults = {
        "name": f"Example {n}",
        "slug": f"example-{n}",
        "kind": models.Example.Kind.POLITICAL,
        "start_year": 1900 + n,
        "summary": f"Summary of example {n}.",
        "source_url": f"https://example.org/{n}",
    }
    return models.Example.objects.create(concept=concept, **{**defaults, **kwargs})


@batched
def complete(comparison, quiz=False):
    """Add what publishing needs beyond a full table: 3 similarities, 3 key differences, 4 examples,
    and either the minimum quiz (`quiz=True`: 15 scenarios per concept) or "no quiz yet"."""
    rows = list(comparison.attributes.all())
    for _ in range(3):
        add_similarity(comparison)
    for i in range(3):
        add_difference(comparison, rows[i % len(rows)])
    concepts = comparison.ordered_concepts
    for i in range(4):
        make_example(concepts[i % len(concepts)])
    if quiz:
        for concept in concepts:
            for i in range(15):
                make_scenario(comparison, correct_concept=concept, cues=[rows[i % len(rows)]])
    else:
        comparison.has_quiz = False
        comparison.save(update_fields=["has_quiz"])
    return comparison


def make_user(staff=False, superuser=False, **kwargs):
    n = next(_seq)
    return get_user_model().objects.create_user(
        username=kwargs.pop("username", f"user{n}"),
        password=kwargs.pop("password", "a-long-test-password"),
        is_staff=staff or superuser,
        is_superuser=superuser,
        **kwargs,
    )


def make_editor(**kwargs):
    """A staff user in the Editors group (the group the migrations create with its permissions)."""
    from django.contrib.auth.models import Group

    user = make_user(staff=True, **kwargs)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def make_role(role):
    """A user in `role` (reader, staff, teacher, editor, superuser) for permission matrices; None for anonymous."""
    makers = {
        "anonymous": lambda: None,
        "reader": make_user,
        "staff": lambda: make_user(staff=True),
        "teacher": make_teacher,
        "editor": make_editor,
        "superuser": lambda: make_user(superuser=True),
    }
    return makers[role]()


@batched
def make_scenario(comparison, correct_concept=None, cues=None, **kwargs):
    """A published scenario of `comparison` whose correct concept is `correct_concept` (default: its first concept)."""
    n = next(_seq)
    correct_concept = correct_concept or comparison.ordered_concepts[0]
    defaults = {
        "slug": f"scenario-{n}",
        "text": f"Scenario {n}: several parties act together for a while.",
        "explanation": f"Explanation {n}: the deciding rows show it.",
        "misconception": f"Mix-up {n}: many think otherwise.",
    }
    scenario = models.Scenario.objects.create(
        comparison=comparison, correct_concept=correct_concept, **{**defaults, **kwargs}
    )
    scenario.cues.set(cues if cues is not None else list(comparison.attributes.all()[:1]))
    return scenario


@batched
def make_quiz_comparison(concepts=2, per_concept=8, attributes=4, **kwargs):
    """A published comparison with `per_concept` scenarios for each concept, cues spread over the rows."""
    comparison = make_comparison(concepts=concepts, attributes=attributes, **kwargs)
    rows = list(comparison.attributes.all())
    for concept in comparison.ordered_concepts:
        for i in range(per_concept):
            make_scenario(comparison, correct_concept=concept, cues=[rows[i % len(rows)], rows[(i + 1) % len(rows)]])
    return comparison


TEACHER_PERMISSIONS = [
    "add_schoolclass",
    "change_schoolclass",
    "delete_schoolclass",
    "view_schoolclass",
    "view_pupil",
    "delete_pupil",
]


def make_teacher(**kwargs):
    """A staff user in the "Teachers" group (made by migration 0010; remade after a transactional test's flush)."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name="Teachers")
    if created:
        group.permissions.set(Permission.objects.filter(codename__in=TEACHER_PERMISSIONS))
    user = make_user(staff=True, **kwargs)
    user.groups.add(group)
    return user


@batched
def make_class(comparison=None, teacher=None, question_count=4, **kwargs):
    """A class over `comparison` (default: a new quiz comparison), its questions drawn as the teacher form does."""
    import random

    from explainer.quiz.rounds import draw_round

    comparison = comparison or make_quiz_comparison(per_concept=3)
    teacher = teacher or make_teacher()
    n = next(_seq)
    school_class = models.SchoolClass.objects.create(
        comparison=comparison,
        teacher=teacher,
        name=kwargs.pop("name", f"Class {n}"),
        question_count=question_count,
        **kwargs,
    )
    scenarios = models.Scenario.objects.published().filter(comparison=comparison)
    school_class.scenarios.set(draw_round(scenarios, question_count, random.Random(n)))
    return school_class


def make_learner(client=None, **kwargs):
    """A Learner; with `client`, that test client's browser is known as it (the signed learner cookie)."""
    from django.http import HttpResponse

    from explainer.learners import identity

    learner = models.Learner.objects.create(**kwargs)
    if client is not None:
        response = HttpResponse()
        identity.set_cookie(response, learner.public_id)  # signed as the site signs it
        client.cookies[identity.LEARNER_COOKIE] = response.cookies[identity.LEARNER_COOKIE].value
    return learner


def learner_of(client):
    """The Learner the test client's learner cookie names, or None."""
    from django.test import RequestFactory

    from explainer.learners import identity

    cookie = client.cookies.get(identity.LEARNER_COOKIE)
    if cookie is None or not cookie.value:
        return None
    request = RequestFactory().get("/")
    request.COOKIES[identity.LEARNER_COOKIE] = cookie.value
    public_id = identity.cookie_id(request)  # read as the site reads it
    return models.Learner.objects.filter(public_id=public_id).first() if public_id else None


def round_of(client, comparison):
    """The QuizRound the test client's learner is playing in `comparison`, or None."""
    from explainer.quiz.rounds import QuizRound

    learner = learner_of(client)
    row = models.LearnerRound.objects.filter(learner=learner, comparison=comparison).first() if learner else None
    return QuizRound.from_row(row) if row is not None else None


def make_right_answer(learner, scenario, round_id=None):
    """`learner`'s right answer to `scenario`, as a Response of the round `round_id` (a new one by default)."""
    return models.Response.objects.create(
        round_id=round_id or uuid.uuid4(),
        scenario=scenario,
        chosen=scenario.correct_concept,
        is_correct=True,
        learner=learner,
    )


def make_card(learner, scenario, due, confidently_wrong=False, stability=1.0, last_review=None):
    """A review card of `learner` for `scenario`, due at `due`."""
    return models.ReviewCard.objects.create(
        learner=learner,
        scenario=scenario,
        state=2,
        stability=stability,
        difficulty=5.0,
        due=due,
        last_review=last_review or due,
        confidently_wrong=confidently_wrong,
    )
