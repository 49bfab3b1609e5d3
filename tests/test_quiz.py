"""The "Which is it?" quiz, played through the Django test client."""

import random
import re
from itertools import groupby, pairwise

import pytest
from django.urls import reverse

from explainer.models import Comparison, LearnerRound, Response, Scenario
from explainer.quiz.rounds import RETRY_GAP, ROUND_SIZE, draw_round, retry_round
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


class Ledger:
    """Counts the answers the server accepted in a test, to compare with what it recorded."""

    def __init__(self):
        self.accepted = 0


@pytest.fixture
def ledger():
    ledger = Ledger()
    yield ledger
    assert Response.objects.count() == ledger.accepted, "recorded answers must equal the answers given"


@pytest.fixture(autouse=True)
def known_learner(learner):
    """These tests play as a browser already known as a learner: its rounds are kept from the first page."""
    return learner


def urls(comparison):
    return {
        name: reverse(f"quiz{name}", args=[comparison.slug])
        for name in ["", "_respond", "_next", "_summary", "_new", "_retry"]
    }


def current_round(client, comparison):
    return factories.round_of(client, comparison)


def current_scenario(client, comparison):
    """Start (or resume) the round and return the scenario of its current question."""
    client.get(urls(comparison)[""])
    return Scenario.objects.get(pk=current_round(client, comparison).current)


def answer(client, comparison, choice, scenario_id=None, ledger=None):
    quiz_round = current_round(client, comparison)
    data = {"scenario": scenario_id or quiz_round.current, "choice": choice}
    response = client.post(urls(comparison)["_respond"], data)
    if ledger is not None and response.status_code == 302:
        ledger.accepted += 1
    return response


def play_round(client, comparison, ledger, pick):
    """Answer every question of the current round with pick(scenario); return the summary response."""
    client.get(urls(comparison)[""])
    while True:
        quiz_round = current_round(client, comparison)
        if quiz_round.finished:
            break
        if not quiz_round.current_answered:
            scenario = Scenario.objects.get(pk=quiz_round.current)
            response = answer(client, comparison, pick(scenario).pk, ledger=ledger)
            assert response.status_code == 302
        assert client.get(urls(comparison)[""]).status_code == 200  # the feedback
        response = client.post(urls(comparison)["_next"], {"position": quiz_round.position})
        assert response.status_code == 302
    return client.get(urls(comparison)["_summary"])


def right(scenario):
    return scenario.correct_concept


def wrong(scenario):
    return scenario.comparison.concepts.exclude(pk=scenario.correct_concept_id).first()


# Drawing a round


def test_a_round_has_ten_different_published_scenarios(client, quiz_comparison):
    factories.make_scenario(quiz_comparison, is_published=False, slug="hidden")
    client.get(urls(quiz_comparison)[""])
    quiz_round = current_round(client, quiz_comparison)
    assert len(quiz_round.items) == ROUND_SIZE
    assert len(set(quiz_round.items)) == ROUND_SIZE
    assert not Scenario.objects.filter(pk__in=quiz_round.items, is_published=False).exists()


@pytest.mark.parametrize("seed", range(20))
def test_a_round_balances_and_interleaves_the_concepts(quiz_comparison, seed):
    items = draw_round(Scenario.objects.filter(comparison=quiz_comparison), ROUND_SIZE, random.Random(seed))
    answers = dict(Scenario.objects.values_list("id", "correct_concept_id"))
    sequence = [answers[pk] for pk in items]
    assert sorted(sequence.count(c) for c in set(sequence)) == [5, 5]
    assert max(len(list(run)) for _, run in groupby(sequence)) <= 2


def test_a_small_pool_gives_a_shorter_round(db):
    comparison = factories.make_quiz_comparison(per_concept=2)
    items = draw_round(Scenario.objects.filter(comparison=comparison), ROUND_SIZE, random.Random(1))
    assert len(items) == 4


@pytest.mark.parametrize("seed", range(10))
def test_retry_spaces_the_missed_ones_between_others(quiz_comparison, seed):
    missed = list(Scenario.objects.filter(comparison=quiz_comparison).values_list("id", flat=True)[:3])
    quiz_round = retry_round(
        quiz_comparison, Scenario.objects.filter(comparison=quiz_comparison), missed, random.Random(seed)
    )
    assert set(missed) <= set(quiz_round.items)
    positions = sorted(quiz_round.items.index(pk) for pk in missed)
    assert positions[0] >= RETRY_GAP  # never straight away
    assert all(b - a >= 2 for a, b in pairwise(positions))  # and not back to back
    assert len(set(quiz_round.items)) == len(quiz_round.items)


# Whole rounds


def test_a_round_all_right_scores_ten_and_offers_no_retry(client, quiz_comparison, ledger):
    summary = play_round(client, quiz_comparison, ledger, right)
    assert summary.status_code == 200
    assert "You got 10 of 10 right" in summary.text
    assert "Retry the ones I missed" not in summary.text
    assert Response.objects.filter(is_correct=True).count() == 10


def test_a_perfect_round_says_so_instead_of_a_chart_of_zeros(client, quiz_comparison, ledger):
    page = play_round(client, quiz_comparison, ledger, right).text
    assert "miss-chart" not in page
    assert "A perfect round" in page


def test_the_chart_shows_a_long_row_name_whole(client, quiz_comparison, ledger):
    quiz_comparison.attributes.update(name="Joining and leaving")
    page = play_round(client, quiz_comparison, ledger, wrong).text
    assert '<span class="chart-label">Joining and leaving</span>' in page


def test_a_round_all_wrong_scores_zero_and_charts_the_missed_cues(client, quiz_comparison, ledger):
    summary = play_round(client, quiz_comparison, ledger, wrong)
    page = summary.text
    assert "You got 0 of 10 right" in page
    assert "Retry the ones I missed" in page
    assert '<figure class="miss-chart" aria-labelledby="miss-chart-title">' in page
    first_row = quiz_comparison.attributes.first()
    # Each bar names its cue in text and links to the cue's row of the table.
    assert f'href="{quiz_comparison.get_absolute_url()}#row-{first_row.slug}"' in page
    assert f'<span class="chart-label">{first_row.name}</span>' in page
    assert page.count('class="result result-wrong"') == 10


def test_the_summary_lists_each_answer_and_the_right_one(client, quiz_comparison, ledger):
    summary = play_round(client, quiz_comparison, ledger, wrong)
    quiz_round = current_round(client, quiz_comparison)
    for pk in quiz_round.items:
        scenario = Scenario.objects.get(pk=pk)
        assert scenario.text in summary.text
        assert f"You answered {wrong(scenario).name}; the answer is {scenario.correct_concept.name}." in summary.text


def test_retry_missed_brings_back_exactly_the_missed_ones(client, quiz_comparison, ledger):
    missed_on_purpose = set()

    def half_wrong(scenario):
        if len(missed_on_purpose) < 4:
            missed_on_purpose.add(scenario.pk)
            return wrong(scenario)
        return right(scenario)

    play_round(client, quiz_comparison, ledger, half_wrong)
    assert client.post(urls(quiz_comparison)["_retry"]).status_code == 302
    retry = current_round(client, quiz_comparison)
    assert retry.retry and retry.position == 0 and retry.responses == {}
    assert missed_on_purpose <= set(retry.items)
    summary = play_round(client, quiz_comparison, ledger, right)
    assert f"You got {len(retry.items)} of {len(retry.items)} right" in summary.text


def test_a_new_round_starts_from_question_one(client, quiz_comparison, ledger):
    play_round(client, quiz_comparison, ledger, right)
    old = current_round(client, quiz_comparison)
    assert client.post(urls(quiz_comparison)["_new"]).status_code == 302
    new = current_round(client, quiz_comparison)
    assert new.round_id != old.round_id and new.position == 0 and not new.responses
    assert "Question 1 of 10" in client.get(urls(quiz_comparison)[""]).text


def test_a_three_concept_comparison_plays_the_same_way(client, ledger):
    comparison = factories.make_quiz_comparison(concepts=3, per_concept=5)
    client.get(urls(comparison)[""])
    question = client.get(urls(comparison)[""]).text
    for concept in comparison.ordered_concepts:
        assert f'value="{concept.pk}"' in question
    answers = dict(Scenario.objects.values_list("id", "correct_concept_id"))
    sequence = [answers[pk] for pk in current_round(client, comparison).items]
    assert len(set(sequence)) == 3
    assert max(len(list(run)) for _, run in groupby(sequence)) <= 2
    summary = play_round(client, comparison, ledger, right)
    assert "You got 10 of 10 right" in summary.text


# What each step shows


def test_the_question_page_shows_the_case_the_choices_and_progress_but_no_answer(client, quiz_comparison):
    page = client.get(urls(quiz_comparison)[""]).text
    scenario = Scenario.objects.get(pk=current_round(client, quiz_comparison).current)
    assert "Question 1 of 10" in page
    assert '<progress class="quiz-progress" value="0" max="10"' in page
    assert scenario.text in page
    assert page.count('type="radio" class="form-check-input" name="choice"') == 2
    assert scenario.explanation not in page
    assert scenario.misconception not in page
    assert "cue-row" not in page


def test_a_learner_who_leaves_comes_back_to_the_same_question(client, quiz_comparison):
    client.get(urls(quiz_comparison)[""])
    first = current_round(client, quiz_comparison).current
    client.get("/")
    client.get(urls(quiz_comparison)[""])
    assert current_round(client, quiz_comparison).current == first


def test_feedback_explains_and_highlights_the_deciding_rows(client, quiz_comparison, ledger):
    scenario = current_scenario(client, quiz_comparison)
    answer(client, quiz_comparison, right(scenario).pk, ledger=ledger)
    page = client.get(urls(quiz_comparison)[""]).text
    assert "Right:" in page
    assert scenario.explanation in page
    assert scenario.misconception not in page  # the mix-up is for wrong answers
    for cue in scenario.cues.all():
        assert f'<tr id="row-{cue.slug}" class="cue-row">' in page
        for cell in cue.cells.all():
            assert cell.text in page
    assert reverse("comparison_detail", args=[quiz_comparison.slug]) in page


def test_a_wrong_answer_gets_the_common_mix_up(client, quiz_comparison, ledger):
    scenario = current_scenario(client, quiz_comparison)
    answer(client, quiz_comparison, wrong(scenario).pk, ledger=ledger)
    page = client.get(urls(quiz_comparison)[""]).text
    assert "Not quite:" in page
    assert f"You answered {wrong(scenario).name}." in page
    assert scenario.misconception in page


def mixed_up(comparison, client):
    """The current scenario of a three-concept quiz, its mix-up rewritten to name its first wrong concept."""
    scenario = current_scenario(client, comparison)
    first, second = [c for c in comparison.ordered_concepts if c.pk != scenario.correct_concept_id]
    scenario.misconception = f"Many pick {first.name.lower()}s because of the long title."
    scenario.save()
    return scenario, first, second


def test_in_a_three_concept_quiz_the_mix_up_is_not_shown_for_the_wrong_choice_it_is_not_about(client, db):
    comparison = factories.make_quiz_comparison(concepts=3, per_concept=4)
    _scenario, _named, other = mixed_up(comparison, client)
    answer(client, comparison, other.pk)
    page = client.get(urls(comparison)[""]).text
    assert f"You answered {other.name}." in page
    assert "A common mix-up" not in page and "long title" not in page


def test_in_a_three_concept_quiz_the_mix_up_is_shown_for_the_wrong_choice_it_names(client, db):
    comparison = factories.make_quiz_comparison(concepts=3, per_concept=4)
    scenario, named, _other = mixed_up(comparison, client)
    answer(client, comparison, named.pk)
    page = client.get(urls(comparison)[""]).text
    assert "A common mix-up" in page and scenario.misconception in page


def test_a_mix_up_that_names_no_wrong_concept_fits_every_wrong_choice(db):
    from explainer.quiz.mixups import mixup_for

    comparison = factories.make_quiz_comparison(concepts=3, per_concept=1)
    scenario = comparison.scenarios.first()
    scenario.misconception = "Some think a slow creep is too ordinary to count."
    concepts = comparison.ordered_concepts
    shown = [bool(mixup_for(scenario, c.pk, concepts)) for c in concepts if c.pk != scenario.correct_concept_id]
    assert shown == [True, True]
    assert mixup_for(scenario, scenario.correct_concept_id, concepts) == ""


def test_the_comparison_page_links_to_its_quiz(client, quiz_comparison):
    page = client.get(quiz_comparison.get_absolute_url()).text
    assert f'href="{urls(quiz_comparison)[""]}"' in page


def test_quiz_pages_are_never_cached(client, quiz_comparison):
    response = client.get(urls(quiz_comparison)[""])
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


# Bad input: the right status, a message, nothing changed


def assert_nothing_changed(client, comparison, before):
    after = current_round(client, comparison)
    assert (after.position, after.responses, after.score) == (before.position, before.responses, before.score)


def test_an_answer_for_another_question_is_refused(client, quiz_comparison, ledger):
    client.get(urls(quiz_comparison)[""])
    before = current_round(client, quiz_comparison)
    other = next(pk for pk in before.items if pk != before.current)
    response = answer(client, quiz_comparison, quiz_comparison.ordered_concepts[0].pk, scenario_id=other, ledger=ledger)
    assert response.status_code == 409
    assert "That answer was for another question" in response.text
    assert_nothing_changed(client, quiz_comparison, before)


def test_a_concept_from_another_comparison_is_refused(client, quiz_comparison, ledger):
    client.get(urls(quiz_comparison)[""])
    before = current_round(client, quiz_comparison)
    stranger = factories.make_concept()
    response = answer(client, quiz_comparison, stranger.pk, ledger=ledger)
    assert response.status_code == 400
    assert "That is not one of the answers" in response.text
    assert_nothing_changed(client, quiz_comparison, before)


@pytest.mark.parametrize("choice", ["", "abc", "1.5", "-1", "99999999999999999999999"])
def test_a_missing_or_malformed_choice_is_refused(client, quiz_comparison, ledger, choice):
    client.get(urls(quiz_comparison)[""])
    before = current_round(client, quiz_comparison)
    response = answer(client, quiz_comparison, choice, ledger=ledger)
    assert response.status_code == 400
    assert "Choose one of the answers" in response.text or "That is not one of the answers" in response.text
    assert_nothing_changed(client, quiz_comparison, before)


@pytest.mark.parametrize("scenario_field", [None, "", "x", "0"])
def test_a_missing_or_malformed_scenario_is_refused(client, quiz_comparison, scenario_field):
    client.get(urls(quiz_comparison)[""])
    before = current_round(client, quiz_comparison)
    data = {"choice": quiz_comparison.ordered_concepts[0].pk}
    if scenario_field is not None:
        data["scenario"] = scenario_field
    response = client.post(urls(quiz_comparison)["_respond"], data)
    assert response.status_code == 400
    assert "did not say which question" in response.text
    assert_nothing_changed(client, quiz_comparison, before)
    assert Response.objects.count() == 0


def test_a_replayed_answer_counts_once(client, quiz_comparison, ledger):
    scenario = current_scenario(client, quiz_comparison)
    assert answer(client, quiz_comparison, right(scenario).pk, ledger=ledger).status_code == 302
    before = current_round(client, quiz_comparison)
    response = answer(client, quiz_comparison, wrong(scenario).pk, scenario_id=scenario.pk, ledger=ledger)
    assert response.status_code == 409
    assert "your first answer counts" in response.text
    assert_nothing_changed(client, quiz_comparison, before)
    assert Response.objects.get().is_correct is True


def test_a_replay_from_an_old_copy_of_the_round_is_not_counted_twice(client, quiz_comparison, ledger):
    # Two tabs, or a resent request: the round does not know yet, the database's responses do.
    client.get(urls(quiz_comparison)[""])
    stale = LearnerRound.objects.values("items", "position", "responses").get()
    scenario = Scenario.objects.get(pk=current_round(client, quiz_comparison).current)
    assert answer(client, quiz_comparison, right(scenario).pk, ledger=ledger).status_code == 302
    LearnerRound.objects.update(**stale)
    response = answer(client, quiz_comparison, wrong(scenario).pk, ledger=ledger)
    assert response.status_code == 409
    assert Response.objects.filter(scenario=scenario).count() == 1


def test_a_first_answer_without_a_kept_round_starts_the_round_with_that_question(client, quiz_comparison, ledger):
    scenario = Scenario.objects.filter(comparison=quiz_comparison).first()
    response = answer(client, quiz_comparison, right(scenario).pk, scenario_id=scenario.pk, ledger=ledger)
    assert response.status_code == 302
    quiz_round = current_round(client, quiz_comparison)
    assert quiz_round.items[0] == scenario.pk
    assert quiz_round.response(scenario.pk) == {"chosen": right(scenario).pk, "correct": True}


def test_an_answer_without_a_round_for_a_case_not_asked_is_refused(client, quiz_comparison, ledger):
    hidden = factories.make_scenario(quiz_comparison, is_published=False, slug="hidden")
    response = client.post(urls(quiz_comparison)["_respond"], {"scenario": hidden.pk, "choice": right(hidden).pk})
    assert response.status_code == 409
    assert "Nothing was recorded" in response.text


def test_a_forged_learner_cookie_is_a_stranger_whose_round_is_not_found(client, quiz_comparison, ledger):
    client.get(urls(quiz_comparison)[""])
    client.cookies["learner"] = "someone-else:forged:signature"
    response = client.post(urls(quiz_comparison)["_respond"], {"scenario": "x", "choice": 1})
    assert response.status_code == 409
    assert Response.objects.count() == 0


@pytest.mark.parametrize("step", ["_respond", "_next", "_new", "_retry"])
def test_get_on_a_post_only_step_is_405_with_a_way_back(client, quiz_comparison, step):
    response = client.get(urls(quiz_comparison)[step])
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert f'href="{urls(quiz_comparison)[""]}"' in response.text


def test_next_before_answering_is_refused(client, quiz_comparison):
    client.get(urls(quiz_comparison)[""])
    before = current_round(client, quiz_comparison)
    response = client.post(urls(quiz_comparison)["_next"], {"position": 0})
    assert response.status_code == 409
    assert "Answer this question first" in response.text
    assert_nothing_changed(client, quiz_comparison, before)


def test_a_double_click_on_next_moves_on_once(client, quiz_comparison, ledger):
    scenario = current_scenario(client, quiz_comparison)
    answer(client, quiz_comparison, right(scenario).pk, ledger=ledger)
    assert client.post(urls(quiz_comparison)["_next"], {"position": 0}).status_code == 302
    assert client.post(urls(quiz_comparison)["_next"], {"position": 0}).status_code == 302
    assert current_round(client, quiz_comparison).position == 1


def test_retry_before_the_round_ends_is_refused(client, quiz_comparison):
    client.get(urls(quiz_comparison)[""])
    assert client.post(urls(quiz_comparison)["_retry"]).status_code == 409


def test_an_answer_after_the_round_ended_is_refused(client, quiz_comparison, ledger):
    play_round(client, quiz_comparison, ledger, right)
    scenario = Scenario.objects.get(pk=current_round(client, quiz_comparison).items[-1])
    response = client.post(
        urls(quiz_comparison)["_respond"], {"scenario": scenario.pk, "choice": scenario.correct_concept_id}
    )
    assert response.status_code == 409
    assert "This round is over" in response.text


def test_the_quiz_of_an_unknown_comparison_is_404(client, db):
    assert client.get("/compare/nothing-here/quiz/").status_code == 404
    assert client.post("/compare/nothing-here/quiz/answer/", {"scenario": 1, "choice": 1}).status_code == 404


def test_the_quiz_of_a_draft_is_404_for_the_public(client, db):
    draft = factories.make_quiz_comparison(published=False)
    assert client.get(urls(draft)[""]).status_code == 404
    assert client.post(urls(draft)["_respond"], {"scenario": 1, "choice": 1}).status_code == 404


def test_a_comparison_without_scenarios_says_so(client, comparison):
    response = client.get(urls(comparison)[""])
    assert response.status_code == 200
    assert "no questions for this comparison yet" in response.text


def test_an_unpublished_scenario_mid_round_is_skipped_and_the_round_goes_on(client, quiz_comparison, ledger):
    for position in range(3):
        scenario = current_scenario(client, quiz_comparison)
        answer(client, quiz_comparison, right(scenario).pk, ledger=ledger)
        client.post(urls(quiz_comparison)["_next"], {"position": position})
    before = current_round(client, quiz_comparison)
    withdrawn = before.current
    scenario = Scenario.objects.get(pk=withdrawn)
    scenario.is_published = False
    scenario.save()  # as the admin does: the save raises the comparison's version
    response = client.get(urls(quiz_comparison)[""])
    assert response.status_code == 200
    assert "was withdrawn for review, so the round skips it" in response.text
    assert "Question 4 of 9" in response.text
    after = current_round(client, quiz_comparison)
    assert (after.round_id, after.position, after.score) == (before.round_id, 3, 3)
    assert withdrawn not in after.items


def test_a_drafts_quiz_played_in_preview_records_nothing(editor_client, draft):
    quiz = factories.make_quiz_comparison(published=False)
    scenario = current_scenario(editor_client, quiz)
    response = editor_client.post(urls(quiz)["_respond"], {"scenario": scenario.pk, "choice": right(scenario).pk})
    assert response.status_code == 302
    assert "Right:" in editor_client.get(urls(quiz)[""]).text
    assert Response.objects.count() == 0


def test_feedback_follows_a_corrected_answer_and_says_so(client, quiz_comparison, ledger):
    scenario = current_scenario(client, quiz_comparison)
    answer(client, quiz_comparison, right(scenario).pk, ledger=ledger)
    corrected = Scenario.objects.get(pk=scenario.pk)
    corrected.correct_concept = wrong(scenario)
    corrected.save()  # an editor's correction, saved as the admin saves it
    page = client.get(urls(quiz_comparison)[""]).text
    assert "Not quite:" in page
    assert "This question was corrected after you answered it" in page


def test_answers_need_a_csrf_token(quiz_comparison):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    scenario_id = Scenario.objects.filter(comparison=quiz_comparison).first().pk
    response = client.post(urls(quiz_comparison)["_respond"], {"scenario": scenario_id, "choice": 1})
    assert response.status_code == 403
    assert Response.objects.count() == 0


# Fixed query counts


def step_query_counts(client, comparison, ledger):
    client.get(urls(comparison)[""])
    question = queries_for(client, urls(comparison)[""])
    scenario = Scenario.objects.get(pk=current_round(client, comparison).current)
    answer(client, comparison, right(scenario).pk, ledger=ledger)
    feedback = queries_for(client, urls(comparison)[""])
    play_round(client, comparison, ledger, wrong)
    summary = queries_for(client, urls(comparison)["_summary"])
    return question, feedback, summary


def test_each_quiz_step_needs_a_fixed_number_of_queries(client, ledger):
    small = factories.make_quiz_comparison(attributes=3)
    large = factories.make_quiz_comparison(attributes=30)
    for scenario in Scenario.objects.filter(comparison=large):
        scenario.cues.set(large.attributes.all()[:12])
    small_counts = step_query_counts(client, small, ledger)
    large_counts = step_query_counts(client, large, ledger)
    assert small_counts == large_counts
    assert max(small_counts) <= 8


def test_an_answer_reads_and_writes_in_five_statements_when_no_card_is_due(client, quiz_comparison, ledger):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scenario = current_scenario(client, quiz_comparison)
    client.get(urls(quiz_comparison)[""])  # the content is read; what is left is the answer's own work
    data = {"scenario": scenario.pk, "choice": right(scenario).pk}
    with CaptureQueriesContext(connection) as queries:
        assert client.post(urls(quiz_comparison)["_respond"], data).status_code == 302
    ledger.accepted += 1
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    work = [verb for verb in statements if verb not in {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}]
    # The version, the learner with their round; then in one transaction the response, the round, the case's card.
    assert work == ["SELECT", "SELECT", "INSERT", "UPDATE", "SELECT"]
    assert statements.count("COMMIT") <= 1


def test_an_answer_whose_round_cannot_be_written_records_no_response(client, quiz_comparison, monkeypatch):
    from explainer.quiz.views import LearnerOwner

    scenario = current_scenario(client, quiz_comparison)

    def broken(self, quiz_round):
        raise RuntimeError("the round could not be written")

    monkeypatch.setattr(LearnerOwner, "save", broken)
    with pytest.raises(RuntimeError):
        client.post(urls(quiz_comparison)["_respond"], {"scenario": scenario.pk, "choice": right(scenario).pk})
    assert Response.objects.count() == 0


# Statistics for editors


def test_scenario_statistics_show_answered_and_percent_correct(admin_client, client, quiz_comparison, ledger):
    play_round(client, quiz_comparison, ledger, right)
    client.post(urls(quiz_comparison)["_new"])
    play_round(client, quiz_comparison, ledger, wrong)
    stats = {s.pk: s for s in Scenario.objects.with_stats()}
    for scenario in stats.values():
        right_ones = Response.objects.filter(scenario=scenario, is_correct=True).count()
        total = Response.objects.filter(scenario=scenario).count()
        assert scenario.answered == total
        assert scenario.correct_rate == (100.0 * right_ones / total if total else None)
    page = admin_client.get(reverse("admin:explainer_scenario_changelist") + "?o=8").text
    rows = {
        int(pk): row
        for row in page.split("<tr")[1:]
        for pk in re.findall(r'href="/admin/explainer/scenario/(\d+)/change/', row)
    }
    for scenario in stats.values():
        shown = "—" if scenario.correct_rate is None else f"{scenario.correct_rate:.0f}%"
        assert f'<td class="field-percent_correct">{shown}</td>' in rows[scenario.pk], scenario.slug


def test_the_comparison_admin_shows_the_most_missed_cues(admin_client, client, quiz_comparison, ledger):
    play_round(client, quiz_comparison, ledger, wrong)
    page = admin_client.get(reverse("admin:explainer_comparison_change", args=[quiz_comparison.pk])).text
    worst = quiz_comparison.attributes.with_miss_stats().first()
    assert worst.missed > 0
    assert f"<td>{worst.name}</td><td>{worst.answered}</td><td>{worst.missed} (100%)</td>" in page


def test_shipped_quiz_is_complete_and_balanced(shipped_content):
    comparison = Comparison.objects.get(slug="alliance-vs-coalition")
    scenarios = Scenario.objects.published().filter(comparison=comparison)
    assert scenarios.count() >= 30
    counts = [scenarios.filter(correct_concept=c).count() for c in comparison.ordered_concepts]
    assert max(counts) - min(counts) <= 2
    assert scenarios.filter(is_real=True).exists() and scenarios.filter(is_real=False).exists()
    for scenario in scenarios.prefetch_related("cues"):
        cues = list(scenario.cues.all())
        assert cues, scenario.slug
        assert all(cue.comparison_id == comparison.pk for cue in cues)
        if scenario.is_real:
            assert scenario.year and scenario.source_url.startswith("https://")


def test_editors_see_when_strong_learners_miss_a_scenario_more_than_weak_ones(admin_client, quiz_comparison):
    import uuid

    scenarios = list(Scenario.objects.filter(comparison=quiz_comparison))
    suspect, others = scenarios[0], scenarios[1:11]
    wrong_concept = wrong(suspect)
    # Three strong rounds: everything right but the suspect. Three weak rounds: everything wrong but the suspect.
    for strong in (True, True, True, False, False, False):
        round_id = uuid.uuid4()
        Response.objects.create(
            round_id=round_id,
            scenario=suspect,
            chosen=wrong_concept if strong else suspect.correct_concept,
            is_correct=not strong,
        )
        for scenario in others:
            chosen = scenario.correct_concept if strong else wrong(scenario)
            Response.objects.create(round_id=round_id, scenario=scenario, chosen=chosen, is_correct=strong)
    stats = Scenario.objects.with_stats().get(pk=suspect.pk)
    assert (stats.strong_rate, stats.weak_rate, stats.correct_rate) == (0.0, 100.0, 50.0)
    page = admin_client.get(reverse("admin:explainer_scenario_changelist")).text
    assert "check: strong learners miss it more" in page, re.findall(r"field-strong_vs_weak[^<]*<[^<]*", page)[:3]
    assert page.count("check: strong learners miss it more") == 1


# Two tabs, one learner cookie


def test_a_second_tab_starting_another_round_does_not_undo_the_first_tabs_answer(client, quiz_comparison, ledger):
    from django.test import Client

    other = factories.make_quiz_comparison()
    scenario = current_scenario(client, quiz_comparison)
    tab2 = Client()
    tab2.cookies = client.cookies  # the same browser
    assert answer(client, quiz_comparison, right(scenario).pk, ledger=ledger).status_code == 302
    assert tab2.get(urls(other)[""]).status_code == 200  # a new round of the other quiz, in the other tab
    after = current_round(client, quiz_comparison)
    assert after.response(scenario.pk) == {"chosen": right(scenario).pk, "correct": True}
    assert current_round(client, other) is not None


def test_a_round_that_lost_its_record_of_an_answer_recovers_instead_of_refusing_forever(
    client, quiz_comparison, ledger
):
    scenario = current_scenario(client, quiz_comparison)
    stale = LearnerRound.objects.values("responses").get()
    assert answer(client, quiz_comparison, right(scenario).pk, ledger=ledger).status_code == 302
    LearnerRound.objects.update(**stale)  # the round forgot the answer (a lost write)
    response = answer(client, quiz_comparison, wrong(scenario).pk, ledger=ledger)
    assert response.status_code == 409
    assert "Right:" in response.text  # the feedback for the first answer, which stands
    assert client.post(urls(quiz_comparison)["_next"], {"position": 0}).status_code == 302
    assert current_round(client, quiz_comparison).position == 1
    assert Response.objects.filter(scenario=scenario).count() == 1


def test_the_question_page_repeats_no_id(client, quiz_comparison):
    page = client.get(urls(quiz_comparison)[""]).text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert [name for name in set(ids) if ids.count(name) > 1] == []
    assert ids.count("answer-form") == 1


def test_a_quiz_step_reads_only_the_round_and_the_version_once_its_content_is_in_memory(client, ledger):
    small = factories.make_quiz_comparison(attributes=3)
    large = factories.make_quiz_comparison(attributes=30)
    for comparison in (small, large):
        client.get(urls(comparison)[""])  # the first visit: a new round, and the content read into memory
    # The summary adds one: how many of the quiz's cases the learner has seen.
    assert step_query_counts(client, small, ledger) == step_query_counts(client, large, ledger) == (2, 2, 3)


def test_an_edited_scenario_shows_on_the_next_question(client, quiz_comparison):
    scenario = current_scenario(client, quiz_comparison)
    scenario.text = "A freshly edited case: two states sign for fifty years."
    scenario.save()
    assert "A freshly edited case: two states sign for fifty years." in client.get(urls(quiz_comparison)[""]).text


def test_a_renamed_concept_shows_in_the_answer_options_on_the_next_question(client, quiz_comparison):
    current_scenario(client, quiz_comparison)
    concept = quiz_comparison.ordered_concepts[0]
    concept.name = "Freshly renamed concept"
    concept.save()
    assert "Freshly renamed concept" in client.get(urls(quiz_comparison)[""]).text


def test_the_stored_answer_form_carries_each_learners_own_csrf_token(quiz_comparison):
    from django.test import Client

    tokens = []
    for _ in range(2):
        learner = Client(enforce_csrf_checks=True)
        learner.get(urls(quiz_comparison)[""])
        page = learner.get(urls(quiz_comparison)[""]).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        scenario = int(re.search(r'name="scenario" value="(\d+)"', page).group(1))
        choice = Scenario.objects.get(pk=scenario).correct_concept_id
        data = {"csrfmiddlewaretoken": token, "scenario": scenario, "choice": choice}
        assert learner.post(urls(quiz_comparison)["_respond"], data).status_code == 302
        tokens.append(token)
    assert tokens[0] != tokens[1]
    assert "placeholder" not in page


def test_the_stored_answer_form_is_the_form_crispy_renders(rf, quiz_comparison):
    from crispy_forms.utils import render_crispy_form

    from explainer.quiz.engine import choice_form, question_form
    from explainer.quiz.prerender import TOKEN_PLACEHOLDER

    action = reverse("quiz_respond", args=[quiz_comparison.slug])
    scenario = Scenario.objects.filter(comparison=quiz_comparison).first()
    fresh = choice_form(quiz_comparison, scenario_id=scenario.pk, action=action)
    expected = render_crispy_form(fresh, fresh.helper, {"csrf_token": TOKEN_PLACEHOLDER})
    for _ in range(2):  # made, then served from the memo
        stored = question_form(rf.get("/"), quiz_comparison, scenario.pk, action=action).prerendered_html
        unmasked = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", stored)
        assert unmasked == re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", expected)
