"""Hostile input, generated: submissions to the quiz answer, the report form, search and the admin login.

As many of each as the Hypothesis profile says (tests/conftest.py): 100 locally, 1,000 in CI's
SQLite run (CI=true), 100 again in its PostgreSQL run, so that `make test` stays quick on a
laptop and CI makes the full run once.

Arbitrary strings, huge values, wrong types, missing and duplicated fields,
bad CSRF tokens. None may answer 5xx, and none may change recorded data
unless it is valid.
"""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer.models import Report, Response
from tests import factories
from tests.html import dangerous_markup, main_of

pytestmark = pytest.mark.django_db

hostile = settings(
    deadline=None,
    derandomize=True,  # the same inputs every run: a failure reproduces
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text a browser could send: anything but lone surrogates, which cannot be encoded at all.
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
numbers = st.integers(min_value=-(2**70), max_value=2**70).map(str)
huge = st.integers(min_value=5_000, max_value=1_500_000).map(lambda n: "x" * n)
value = st.one_of(any_text, numbers, huge, st.just(""), st.sampled_from(["1", "0", "-1", "null", "[]", "1e9"]))
# A field is sent once, several times (a duplicated field), or not at all.
field = st.one_of(st.none(), value, st.lists(value, min_size=2, max_size=3))


def form(**fields):
    """A strategy of POST bodies with the given fields (each maybe missing, duplicated or odd) plus junk."""
    return st.fixed_dictionaries(fields, optional={"junk": field, "csrfmiddlewaretoken": field}).map(
        lambda data: {key: val for key, val in data.items() if val is not None}
    )


def last(value):
    """What Django reads from a field sent several times: the last value."""
    return value[-1] if isinstance(value, list) else value


@pytest.fixture
def sent():
    """Counts the submissions a test made; it fails unless the profile's max_examples were all sent."""
    counter = []
    yield counter
    assert len(counter) >= settings().max_examples, f"only {len(counter)} submissions were generated"


@pytest.fixture
def quiz_comparison(db):
    return factories.make_quiz_comparison()


@given(data=st.data())
@hostile
def test_quiz_answers(quiz_comparison, sent, data):
    enforce_csrf = data.draw(st.booleans())  # half the time the CSRF check runs, with a junk token
    client = Client(enforce_csrf_checks=enforce_csrf)
    factories.make_learner(client)
    client.get(f"/compare/{quiz_comparison.slug}/quiz/")
    state = factories.round_of(client, quiz_comparison)
    concept_ids = [str(c.pk) for c in quiz_comparison.ordered_concepts]
    body = data.draw(
        form(
            scenario=st.one_of(field, st.just(str(state.current))),
            choice=st.one_of(field, st.sampled_from(concept_ids)),
        )
    )
    before = Response.objects.count()
    response = client.post(f"/compare/{quiz_comparison.slug}/quiz/answer/", body)
    sent.append(body)
    assert response.status_code < 500
    recorded = Response.objects.count() - before
    valid = (
        not enforce_csrf
        and last(body.get("scenario")) == str(state.current)
        and last(body.get("choice")) in concept_ids
    )
    if response.status_code == 302:
        assert valid and recorded == 1
        after = factories.round_of(client, quiz_comparison)
        assert after.responses[str(state.current)]["chosen"] == int(last(body["choice"]))
    else:
        assert recorded == 0
        assert response.status_code in {400, 403, 409}


@given(data=st.data())
@hostile
def test_reports(comparison, sent, data):
    enforce_csrf = data.draw(st.booleans())
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.get(f"/compare/{comparison.slug}/report/")
    body = data.draw(form(message=st.one_of(field, any_text), website=st.one_of(st.none(), st.just(""), any_text)))
    before = Report.objects.count()
    response = client.post(f"/compare/{comparison.slug}/report/", body)
    sent.append(body)
    assert response.status_code < 500
    stored = Report.objects.count() - before
    assert stored in (0, 1)
    if stored:
        message = last(body["message"])
        assert response.status_code == 302 and not enforce_csrf
        assert 5 <= len(message.strip()) <= 1000
        assert not last(body.get("website"))
        assert Report.objects.order_by("-pk").first().message == message.strip()
    else:
        assert response.status_code in {302, 400, 403, 429}


@given(q=st.one_of(any_text, huge, st.lists(any_text, min_size=2, max_size=3)))
@hostile
def test_search(client, comparison, sent, q):
    response = client.get("/search/", {"q": q})
    sent.append(q)
    assert response.status_code == 200
    page = response.content.decode()
    main = main_of(page)
    main = main.replace(
        main[main.index('<form class="search-form"') : main.index(">", main.index("search-form")) + 1], ""
    )
    assert dangerous_markup(main) == []


@given(data=st.data())
@hostile
def test_admin_login(db, sent, data):
    user_model = get_user_model()
    if not user_model.objects.filter(username="boss").exists():
        factories.make_user(superuser=True, username="boss", password="a-very-secret-password")
    client = Client(enforce_csrf_checks=data.draw(st.booleans()))
    client.get("/admin/login/")
    body = data.draw(form(username=st.one_of(field, st.just("boss")), password=field, next=field))
    before = list(user_model.objects.order_by("pk").values_list("pk", "password", "last_login"))
    response = client.post("/admin/login/", body)
    sent.append(body)
    assert response.status_code < 500
    assert response.status_code in {200, 400, 403, 429}  # never logged in: no generated password is right
    assert list(user_model.objects.order_by("pk").values_list("pk", "password", "last_login")) == before


@given(data=st.data())
@hostile
def test_class_nicknames(school_class, sent, data):
    from explainer.models.classes import NICKNAME_MAX, Pupil

    client = Client(enforce_csrf_checks=data.draw(st.booleans()))
    client.get(f"/join/{school_class.code}/")
    body = data.draw(form(nickname=st.one_of(field, any_text)))
    before = Pupil.objects.count()
    response = client.post(f"/join/{school_class.code}/", body)
    sent.append(body)
    assert response.status_code < 500
    created = Pupil.objects.count() - before
    if response.status_code == 302:
        assert created == 1
        pupil = Pupil.objects.order_by("-pk").first()
        assert pupil.nickname == " ".join(last(body["nickname"]).split()) and 1 <= len(pupil.nickname) <= NICKNAME_MAX
    else:
        assert created == 0
        assert response.status_code in {400, 403, 409}
        nickname = last(body.get("nickname")) or ""
        if "<" in nickname:
            assert nickname not in response.content.decode()  # shown back escaped, never as markup


@given(data=st.data())
@hostile
def test_class_answers(school_class, sent, data, monkeypatch):
    from explainer.models.classes import Pupil

    monkeypatch.setattr("explainer.classes.join_views.MAX_PUPILS", 10**6)
    enforce_csrf = data.draw(st.booleans())
    joiner = Client()
    assert joiner.post(f"/join/{school_class.code}/", {"nickname": uuid.uuid4().hex[:12]}).status_code == 302
    pupil = Pupil.objects.order_by("-pk").first()
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.cookies = joiner.cookies  # the same pupil, with the CSRF check on half the time
    concept_ids = [str(c.pk) for c in school_class.comparison.ordered_concepts]
    body = data.draw(
        form(
            scenario=st.one_of(field, st.just(str(pupil.current))),
            choice=st.one_of(field, st.sampled_from(concept_ids)),
        )
    )
    before = Response.objects.count()
    response = client.post(f"/join/{school_class.code}/answer/", body)
    sent.append(body)
    assert response.status_code < 500
    recorded = Response.objects.count() - before
    valid = (
        not enforce_csrf
        and last(body.get("scenario")) == str(pupil.current)
        and last(body.get("choice")) in concept_ids
    )
    if response.status_code == 302:
        assert valid and recorded == 1 and Response.objects.order_by("-pk").first().pupil == pupil
    else:
        assert recorded == 0
        assert response.status_code in {400, 403, 409}
        assert not valid
