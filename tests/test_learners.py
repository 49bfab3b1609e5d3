"""Issue 25: learners kept in the database: the cookie, the first answer, sessions carried over, merging,
purging, drawing unseen cases first, and pupils' misses in their own review."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from explainer.learners import identity, records
from explainer.models import Learner, LearnerRound, Pupil, Response, ReviewCard, Scenario
from explainer.quiz import review
from explainer.quiz.rounds import ROUND_SIZE
from tests import factories
from tests.classes_helpers import answer as pupil_answer
from tests.classes_helpers import join, pupil_named
from tests.test_quiz import answer, current_round, play_round, right, urls

pytestmark = pytest.mark.django_db


class Ledger:
    accepted = 0


# The learner and its cookie


def test_reading_pages_and_opening_the_quiz_makes_no_learner(client, quiz_comparison):
    client.get("/")
    client.get(quiz_comparison.get_absolute_url())
    assert client.get(urls(quiz_comparison)[""]).status_code == 200
    assert Learner.objects.count() == 0
    assert LearnerRound.objects.count() == 0


def test_the_first_answer_makes_the_learner_and_sets_a_years_httponly_lax_cookie(client, quiz_comparison):
    scenario = Scenario.objects.filter(comparison=quiz_comparison).first()
    response = answer(client, quiz_comparison, right(scenario).pk, scenario_id=scenario.pk)
    assert response.status_code == 302
    cookie = response.cookies[identity.LEARNER_COOKIE]
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    learner = Learner.objects.get()
    assert factories.learner_of(client) == learner
    assert Response.objects.get().learner == learner


def test_the_learner_cookie_is_secure_under_production_settings(client, quiz_comparison, settings):
    settings.SESSION_COOKIE_SECURE = True
    scenario = Scenario.objects.filter(comparison=quiz_comparison).first()
    response = answer(client, quiz_comparison, right(scenario).pk, scenario_id=scenario.pk)
    assert response.cookies[identity.LEARNER_COOKIE]["secure"]


def test_the_same_browser_keeps_its_round_without_any_session(client, quiz_comparison):
    scenario = Scenario.objects.filter(comparison=quiz_comparison).first()
    answer(client, quiz_comparison, right(scenario).pk, scenario_id=scenario.pk)
    client.cookies.pop("sessionid", None)
    page = client.get(urls(quiz_comparison)[""])
    assert "Right:" in page.text  # the feedback of the answer given
    assert current_round(client, quiz_comparison).answered == 1


def test_a_learner_seen_a_day_ago_is_touched_and_its_cookie_renewed(client, quiz_comparison, learner):
    Learner.objects.filter(pk=learner.pk).update(last_seen_at=timezone.now() - timedelta(days=2))
    response = client.get(urls(quiz_comparison)[""])
    learner.refresh_from_db()
    assert timezone.now() - learner.last_seen_at < timedelta(minutes=1)
    assert identity.LEARNER_COOKIE in response.cookies


def test_played_by_reads_the_learner_and_round_exactly_as_the_orm_does(client, quiz_comparison):
    scenario = Scenario.objects.filter(comparison=quiz_comparison).first()
    answer(client, quiz_comparison, right(scenario).pk, scenario_id=scenario.pk)
    stored = LearnerRound.objects.select_related("learner").get()
    learner, row = LearnerRound.objects.played_by(stored.learner.public_id, quiz_comparison.pk)
    fields = [f.attname for f in LearnerRound._meta.concrete_fields]
    assert [getattr(row, name) for name in fields] == [getattr(stored, name) for name in fields]
    assert row.responses[str(scenario.pk)]["correct"] is True  # JSON decoded, not a string
    assert timezone.is_aware(row.updated_at) and timezone.is_aware(learner.last_seen_at)
    assert (learner.pk, learner.public_id, learner.created_at) == (
        stored.learner.pk,
        stored.learner.public_id,
        stored.learner.created_at,
    )
    assert row.learner is learner and not row._state.adding


def test_played_by_is_none_for_an_unknown_learner_or_a_comparison_without_a_round(client, quiz_comparison):
    scenario = Scenario.objects.filter(comparison=quiz_comparison).first()
    answer(client, quiz_comparison, right(scenario).pk, scenario_id=scenario.pk)
    public_id = Learner.objects.get().public_id
    other = factories.make_quiz_comparison(slug="other-pair")
    assert LearnerRound.objects.played_by("no-such-learner", quiz_comparison.pk) is None
    assert LearnerRound.objects.played_by(public_id, other.pk) is None


# Sessions of before


def test_review_cards_kept_in_a_session_of_before_are_carried_over(client, quiz_comparison):
    scenario = Scenario.objects.filter(comparison=quiz_comparison).first()
    due = int((timezone.now() - timedelta(hours=1)).timestamp())
    session = client.session
    session[f"review:{quiz_comparison.pk}"] = {str(scenario.pk): [2, 1.5, 6.0, due, due - 86400, 1], "x": "junk"}
    session.save()
    page = client.get("/review/")
    card = ReviewCard.objects.get()
    assert (card.scenario, card.confidently_wrong, card.learner) == (scenario, True, factories.learner_of(client))
    assert "1 case due now" in page.text
    assert not any(key.startswith("review:") for key, _value in client.session.items())


def test_a_session_without_learning_state_makes_no_learner(client, quiz_comparison):
    session = client.session
    session["something"] = 1
    session.save()
    client.get("/review/")
    assert Learner.objects.count() == 0


# Merging (an account's sign-in calls it)


def test_merging_unites_the_answers_and_keeps_each_cases_latest_review(quiz_comparison):
    source, target = factories.make_learner(), factories.make_learner()
    first, second, third = Scenario.objects.filter(comparison=quiz_comparison)[:3]
    now = timezone.now()
    factories.make_right_answer(source, first)
    factories.make_right_answer(target, first)
    newer = factories.make_card(source, first, due=now + timedelta(days=9), last_review=now)
    factories.make_card(target, first, due=now + timedelta(days=1), last_review=now - timedelta(days=3))
    older = factories.make_card(source, second, due=now, last_review=now - timedelta(days=5))
    factories.make_card(target, second, due=now + timedelta(days=4), last_review=now - timedelta(days=1))
    only_source = factories.make_card(source, third, due=now)
    records.merge_learners(source, target)
    assert Response.objects.filter(learner=target).count() == 2
    kept = {card.scenario_id: card for card in ReviewCard.objects.filter(learner=target)}
    assert kept[first.pk].pk == newer.pk
    assert kept[second.pk].pk != older.pk
    assert kept[third.pk].pk == only_source.pk
    assert not Learner.objects.filter(pk=source.pk).exists()


def test_merging_moves_a_round_the_target_lacks_and_keeps_the_targets_own(quiz_comparison):
    other = factories.make_quiz_comparison()
    source, target = factories.make_learner(), factories.make_learner()
    moved = LearnerRound.objects.create(learner=source, comparison=quiz_comparison, items=[1])
    LearnerRound.objects.create(learner=source, comparison=other, items=[2])
    kept = LearnerRound.objects.create(learner=target, comparison=other, items=[3])
    records.merge_learners(source, target)
    assert set(LearnerRound.objects.filter(learner=target).values_list("pk", flat=True)) == {moved.pk, kept.pk}


def test_merging_a_learner_into_itself_changes_nothing(quiz_comparison):
    learner = factories.make_learner()
    assert records.merge_learners(learner, learner) == learner
    assert Learner.objects.filter(pk=learner.pk).exists()


# Purging


def test_purge_deletes_anonymous_learners_untouched_for_13_months_and_keeps_their_answers(quiz_comparison):
    scenario = Scenario.objects.filter(comparison=quiz_comparison).first()
    old = factories.make_learner(last_seen_at=timezone.now() - timedelta(days=400))
    recent = factories.make_learner(last_seen_at=timezone.now() - timedelta(days=300))
    with_account = factories.make_learner(last_seen_at=timezone.now() - timedelta(days=800), user=factories.make_user())
    factories.make_card(old, scenario, due=timezone.now())
    factories.make_right_answer(old, scenario)
    call_command("purge_learners")
    assert set(Learner.objects.values_list("pk", flat=True)) == {recent.pk, with_account.pk}
    assert ReviewCard.objects.count() == 0
    assert Response.objects.get().learner is None  # still counted in the statistics, linked to nobody


# New rounds: unseen cases first (acceptance 2)


@pytest.mark.parametrize("per_concept", [(6, 24), (17, 17)])
def test_a_new_round_after_a_perfect_one_repeats_no_case_while_unseen_ones_remain(client, learner, per_concept):
    comparison = factories.make_quiz_comparison(per_concept=1)
    concepts = comparison.ordered_concepts
    for concept, count in zip(concepts, per_concept, strict=True):
        for _ in range(count - 1):
            factories.make_scenario(comparison, correct_concept=concept, cues=[comparison.attributes.first()])
    total = sum(per_concept)
    seen = set()
    ledger = Ledger()
    while len(seen) + ROUND_SIZE <= total:
        summary = play_round(client, comparison, ledger, right)
        assert "You got 10 of 10 right" in summary.text
        items = set(current_round(client, comparison).items)
        assert not items & seen, "a case came back while unseen ones remained"
        seen |= items
        client.post(urls(comparison)["_new"])
    assert set(current_round(client, comparison).items) >= set(
        Scenario.objects.filter(comparison=comparison).exclude(pk__in=seen).values_list("pk", flat=True)
    )


def test_a_retry_round_says_how_many_questions_it_holds(client, learner, quiz_comparison):
    from tests.test_quiz import wrong

    play_round(client, quiz_comparison, Ledger(), wrong)
    page = client.post(urls(quiz_comparison)["_retry"], follow=True)
    total = current_round(client, quiz_comparison).total
    assert f"This round has {total} questions: the 10 you missed, spaced out between {total - 10} others." in page.text


# Pupils carry their misses


def test_a_pupils_browser_is_a_learner_whose_class_misses_come_back_in_their_review(monkeypatch, db):
    school_class = factories.make_class(question_count=3)
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    assert pupil.learner is not None and factories.learner_of(client) == pupil.learner
    missed, _chosen = pupil_answer(client, pupil, right=False, confidence="sure")
    assert Response.objects.get().learner == pupil.learner
    monkeypatch.setattr(review, "now", lambda: timezone.now() + timedelta(days=2))
    page = client.get(reverse("review"))
    assert "1 case due now" in page.text
    client.post(reverse("review_start"))
    assert missed.text in client.get(reverse("review")).text


def test_a_pupils_last_page_shows_each_cases_explanation(db):
    school_class = factories.make_class(question_count=3)
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    answered = [pupil_answer(client, pupil, right=index != 0)[0] for index in range(3)]
    page = client.get(reverse("class_play", args=[school_class.code])).text
    for scenario in answered:
        assert scenario.explanation.split()[0] in page
    assert page.count('class="result-explanation"') == 3


def test_a_pupil_who_joined_before_learners_were_kept_gets_one_at_their_next_answer(db):
    school_class = factories.make_class(question_count=3)
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    Pupil.objects.filter(pk=pupil.pk).update(learner=None)
    Learner.objects.all().delete()
    client.cookies.pop(identity.LEARNER_COOKIE)
    pupil_answer(client, pupil, right=False)
    pupil.refresh_from_db()
    assert pupil.learner is not None
    assert ReviewCard.objects.get().learner == pupil.learner


def test_download_lists_the_classes_joined(db):
    school_class = factories.make_class(question_count=3)
    client = join(school_class, "Ada")
    data = json.loads(client.get(reverse("my_data_download")).content)
    assert data["classes_joined"][0]["nickname"] == "Ada"


def test_the_summary_says_how_many_of_the_quizs_cases_were_seen(client, learner, quiz_comparison):
    summary = play_round(client, quiz_comparison, Ledger(), right)
    assert "You have seen 10 of 16 cases of this quiz; a new round brings the unseen ones first." in summary.text
