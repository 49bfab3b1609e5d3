"""Issue 25: /review/ across comparisons, the honest due counts, /progress/, /my-data/ and /privacy/."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from explainer import due_hint
from explainer.models import Confidence, Learner, LearnerRound, Response, ReviewCard, Scenario
from explainer.quiz import review
from tests import factories
from tests.test_quiz import right, urls, wrong

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(db):
    return factories.make_quiz_comparison(), factories.make_quiz_comparison()


def cards(learner, comparison, count, *, due, sure=()):
    """`count` cards of `learner` on `comparison`'s cases, due at `due`; the cases in `sure` were missed "sure"."""
    scenarios = list(Scenario.objects.filter(comparison=comparison).order_by("pk")[:count])
    for scenario in scenarios:
        factories.make_card(learner, scenario, due=due, confidently_wrong=scenario.pk in sure)
    return scenarios


def play_review(client, pick):
    """Answer every case of the review round in play with pick(scenario); returns the summary page."""
    while True:
        row = LearnerRound.objects.get(comparison=None)
        if row.position >= len(row.items):
            return client.get(reverse("review_summary"))
        scenario = Scenario.objects.get(pk=row.items[row.position])
        assert (
            client.post(reverse("review_answer"), {"scenario": scenario.pk, "choice": pick(scenario).pk}).status_code
            == 302
        )
        assert client.post(reverse("review_next"), {"position": row.position}).status_code == 302


def test_the_review_page_without_a_learner_says_nothing_is_kept_yet(client, db):
    page = client.get(reverse("review"))
    assert page.status_code == 200
    assert "Nothing yet" in page.text
    assert Learner.objects.count() == 0


def test_the_review_page_gives_honest_counts_and_the_next_due_date(client, learner, two):
    now = timezone.now()
    first, second = two
    cards(learner, first, 3, due=now - timedelta(hours=2))
    cards(learner, second, 2, due=now - timedelta(minutes=5))
    soon = list(Scenario.objects.filter(comparison=second).order_by("pk")[2:4])
    for scenario in soon:
        factories.make_card(learner, scenario, due=now + timedelta(hours=20))
    page = client.get(reverse("review")).text
    assert "5 cases due now</strong>, 2 more by the end of tomorrow." in page
    assert f"{first.title}</a>: 3 cases" in page and f"{second.title}</a>: 2 cases" in page
    when = timezone.localtime(now + timedelta(hours=20))
    assert f"The next one falls due on {when:%-d %B %Y, %H:%M} (UTC)." in page


def test_a_review_round_takes_the_confidently_wrong_first_and_at_most_ten(client, learner, two):
    first, second = two
    past = timezone.now() - timedelta(days=1)
    cards(learner, first, 8, due=past)
    sure = cards(learner, second, 6, due=past + timedelta(hours=1))[:2]
    ReviewCard.objects.filter(scenario__in=sure).update(confidently_wrong=True)
    page = client.get(reverse("review")).text
    assert "Review 10 of them now" in page
    client.post(reverse("review_start"))
    items = LearnerRound.objects.get(learner=learner, comparison=None).items
    assert len(items) == 10
    assert set(items[:2]) == {s.pk for s in sure}


def test_a_review_round_plays_cases_of_two_comparisons_each_with_its_own_choices(client, learner, two, clock):
    first, second = two
    past = timezone.now() - timedelta(hours=1)
    cards(learner, first, 2, due=past)
    cards(learner, second, 2, due=past)
    client.post(reverse("review_start"))
    titles = set()
    row = LearnerRound.objects.get(comparison=None)
    for position, pk in enumerate(row.items):
        scenario = Scenario.objects.select_related("comparison").get(pk=pk)
        page = client.get(reverse("review")).text
        assert scenario.text in page
        assert f'value="{right(scenario).pk}"' in page  # the choices are the case's own comparison's concepts
        titles.add(scenario.comparison.title)
        client.post(reverse("review_answer"), {"scenario": pk, "choice": right(scenario).pk})
        assert "Right:" in client.get(reverse("review")).text
        client.post(reverse("review_next"), {"position": position})
    assert titles == {first.title, second.title}
    summary = client.get(reverse("review_summary"))
    assert "You got 4 of 4 right" in summary.text
    assert Response.objects.filter(learner=learner).count() == 4
    assert not review.due_ids(learner)  # each answer reviewed its card: nothing is due any more


def test_a_miss_in_review_comes_back_again_later(client, learner, two, clock):
    first, _second = two
    (scenario,) = cards(learner, first, 1, due=timezone.now() - timedelta(hours=1))
    client.post(reverse("review_start"))
    summary = play_review(client, wrong)
    assert "You got 0 of 1 right" in summary.text
    assert review.due_ids(learner) == []
    clock.move(days=2)
    assert review.due_ids(learner) == [scenario.pk]


def test_an_answer_without_a_review_round_is_refused_and_records_nothing(client, learner, two):
    scenario = Scenario.objects.filter(comparison=two[0]).first()
    response = client.post(reverse("review_answer"), {"scenario": scenario.pk, "choice": right(scenario).pk})
    assert response.status_code == 409
    assert Response.objects.count() == 0


def test_starting_a_review_with_nothing_due_says_so(client, learner, db):
    page = client.post(reverse("review_start"), follow=True)
    assert "Nothing is due for review now." in page.text
    assert not LearnerRound.objects.exists()


def test_the_comparison_page_says_how_many_are_due_how_to_review_and_when_the_next_come(client, learner, two):
    first, _second = two
    now = timezone.now()
    cards(learner, first, 7, due=now - timedelta(hours=1))
    for scenario in Scenario.objects.filter(comparison=first).order_by("pk")[7:9]:
        factories.make_card(learner, scenario, due=now + timedelta(hours=10))
    client.cookies[due_hint.DUE_COOKIE] = str(int((now - timedelta(hours=1)).timestamp()))
    page = client.get(first.get_absolute_url()).text
    assert "7 cases to review</strong> from this quiz are due now." in page
    assert "it brings back up to 5 of them" in page
    assert "2 more fall due by the end of tomorrow." in page
    home = client.get("/").text
    assert 'href="/review/"' in home and "7 cases to review" in home


# Progress


def test_progress_counts_seen_right_at_first_try_solid_and_due_per_comparison(client, learner, two):
    first, _second = two
    scenarios = list(Scenario.objects.filter(comparison=first).order_by("pk")[:3])
    for index, scenario in enumerate(scenarios):
        client.get(urls(first)[""])
        row = LearnerRound.objects.get(learner=learner, comparison=first)
        LearnerRound.objects.filter(pk=row.pk).update(
            items=[scenario.pk, *[p for p in row.items if p != scenario.pk]], position=0, responses={}
        )
        data = {
            "scenario": scenario.pk,
            "choice": (right if index else wrong)(scenario).pk,
            "confidence": Confidence.SURE,
        }
        assert client.post(urls(first)["_respond"], data).status_code == 302
        client.post(urls(first)["_new"])
    ReviewCard.objects.filter(learner=learner).update(stability=30)
    page = client.get(reverse("progress")).text
    assert "3 of 16 cases" in page
    assert "<dt>Right at the first try</dt><dd>2</dd>" in page
    assert "<dt>Solid</dt><dd>1</dd>" in page
    assert "Round 1: right 0 of 1 times sure (0%)" in page and "Round 3: right 1 of 1 times sure (100%)" in page
    assert "<svg" in page


def test_progress_without_a_learner_invites_to_a_quiz(client, db):
    page = client.get(reverse("progress"))
    assert page.status_code == 200 and "Nothing yet" in page.text


# Their data


def answered_once(client, comparison):
    scenario = Scenario.objects.filter(comparison=comparison).first()
    data = {"scenario": scenario.pk, "choice": wrong(scenario).pk, "confidence": Confidence.SURE}
    assert client.post(urls(comparison)["_respond"], data).status_code == 302
    return scenario


def test_download_holds_the_answers_confidence_and_cards(client, two):
    scenario = answered_once(client, two[0])
    response = client.get(reverse("my_data_download"))
    assert response["Content-Disposition"] == 'attachment; filename="explainer-my-data.json"'
    data = json.loads(response.content)
    assert data["answers"][0]["case"] == scenario.slug and data["answers"][0]["confidence"] == "sure"
    assert data["review_cards"][0]["case"] == scenario.slug and data["review_cards"][0]["last_miss_was_sure"]
    assert data["account"] is None and data["classes_joined"] == []


def test_download_without_a_learner_is_404(client, db):
    assert client.get(reverse("my_data_download")).status_code == 404


def test_delete_without_the_confirming_tick_is_400_and_deletes_nothing(client, two):
    answered_once(client, two[0])
    response = client.post(reverse("my_data_delete"), {})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.text
    assert Learner.objects.count() == 1 and Response.objects.count() == 1


def test_delete_removes_the_learner_answers_cards_rounds_and_account_and_clears_the_cookie(client, two):
    answered_once(client, two[0])
    Learner.objects.update(user=factories.make_user())
    response = client.post(reverse("my_data_delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert (Learner.objects.count(), Response.objects.count(), ReviewCard.objects.count()) == (0, 0, 0)
    assert not LearnerRound.objects.exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.exists()
    assert response.cookies["learner"].value == "" and response.cookies[due_hint.DUE_COOKIE].value == ""
    assert "Nothing is kept about this browser" in client.get(reverse("my_data")).text


def test_get_on_delete_is_405(client, db):
    assert client.get(reverse("my_data_delete")).status_code == 405


def test_the_privacy_page_says_what_is_kept_and_for_how_long(client, db):
    page = client.get(reverse("privacy")).text
    assert "13 months" in page and "365 days" in page and "No e-mail, name or address" in page


@pytest.mark.parametrize(
    "data",
    [{}, {"scenario": "x", "choice": "1"}, {"scenario": "99999999", "choice": "1"}, {"scenario": "1", "choice": "-4"}],
)
def test_junk_answers_to_the_review_get_a_4xx_and_record_nothing(client, learner, two, data):
    cards(learner, two[0], 2, due=timezone.now() - timedelta(hours=1))
    client.post(reverse("review_start"))
    before = LearnerRound.objects.get(comparison=None)
    response = client.post(reverse("review_answer"), data)
    assert response.status_code in {400, 409}
    assert Response.objects.count() == 0
    assert LearnerRound.objects.get(comparison=None).responses == before.responses
