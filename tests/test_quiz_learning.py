"""Issue 17 on the quiz side: notes on wrong choices, confidence and calibration, a summary that teaches,
and review that comes back (FSRS), played through the Django test client."""

import random
from datetime import timedelta
from itertools import groupby

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from fsrs import Rating

from explainer import content_rules, due_hint
from explainer.content_files import SCENARIOS_FILE, ContentError, validate
from explainer.models import Comparison, Confidence, Response, ReviewCard, Scenario, WrongChoiceNote
from explainer.quiz import review
from explainer.quiz.rounds import MAX_DUE_PER_ROUND, ROUND_SIZE, QuizRound, new_round
from tests import factories
from tests.admin_forms import change_form_data
from tests.test_quiz import answer, current_round, right, urls, wrong

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def known_learner(learner):
    """These tests play as a browser already known as a learner: its rounds are kept from the first page."""
    return learner


@pytest.fixture
def three_way(db):
    return factories.make_quiz_comparison(concepts=3, per_concept=4)


def answer_with(client, comparison, pick, confidence=""):
    """Answer the current question with pick(scenario) and `confidence`, and go on to the next one."""
    client.get(urls(comparison)[""])
    quiz_round = current_round(client, comparison)
    scenario = Scenario.objects.get(pk=quiz_round.current)
    data = {"scenario": scenario.pk, "choice": pick(scenario).pk}
    if confidence:
        data["confidence"] = confidence
    response = client.post(urls(comparison)["_respond"], data)
    assert response.status_code == 302
    client.post(urls(comparison)["_next"], {"position": quiz_round.position})
    return scenario


def play(client, comparison, picks):
    """Play a whole round: picks is a list of (pick, confidence), cycled; returns the scenarios in order."""
    played = []
    index = 0
    client.get(urls(comparison)[""])
    while not current_round(client, comparison).finished:
        pick, confidence = picks[index % len(picks)]
        played.append(answer_with(client, comparison, pick, confidence))
        index += 1
    return played


# Notes on wrong choices


@pytest.mark.parametrize(("chosen", "shown"), [(wrong, True), (right, False)], ids=["a wrong answer", "a right answer"])
def test_the_note_on_a_wrong_choice_shows_after_that_choice_only(client, quiz_comparison, chosen, shown):
    client.get(urls(quiz_comparison)[""])
    scenario = Scenario.objects.get(pk=current_round(client, quiz_comparison).current)
    WrongChoiceNote.objects.create(scenario=scenario, concept=wrong(scenario), text="It had no end date at all.")
    answer(client, quiz_comparison, chosen(scenario).pk)
    page = client.get(urls(quiz_comparison)[""]).text
    assert ("It had no end date at all." in page) is shown
    assert (f"<strong>You answered {wrong(scenario).name}.</strong>" in page) is shown


def test_a_note_is_only_shown_for_the_concept_it_is_about(client, three_way):
    client.get(urls(three_way)[""])
    scenario = Scenario.objects.get(pk=current_round(client, three_way).current)
    first, second = three_way.concepts.exclude(pk=scenario.correct_concept_id).order_by("pk")
    WrongChoiceNote.objects.create(scenario=scenario, concept=first, text="Note on the first wrong one.")
    WrongChoiceNote.objects.create(scenario=scenario, concept=second, text="Note on the second wrong one.")
    answer(client, three_way, second.pk)
    page = client.get(urls(three_way)[""]).text
    assert "Note on the second wrong one." in page
    assert "Note on the first wrong one." not in page


def test_a_scenario_has_one_note_per_wrong_concept(quiz_comparison):
    scenario = quiz_comparison.scenarios.first()
    WrongChoiceNote.objects.create(scenario=scenario, concept=wrong(scenario), text="One.")
    with pytest.raises(IntegrityError):
        WrongChoiceNote.objects.create(scenario=scenario, concept=wrong(scenario), text="Two.")


def test_a_note_on_the_correct_concept_is_refused(quiz_comparison):
    scenario = quiz_comparison.scenarios.first()
    note = WrongChoiceNote(scenario=scenario, concept=scenario.correct_concept, text="Why not the answer?")
    with pytest.raises(ValidationError, match="correct concept"):
        note.full_clean()


def test_a_note_on_a_concept_of_another_comparison_is_refused(quiz_comparison):
    scenario = quiz_comparison.scenarios.first()
    note = WrongChoiceNote(scenario=scenario, concept=factories.make_concept(), text="Why not this?")
    with pytest.raises(ValidationError, match="this comparison"):
        note.full_clean()


def test_the_rule_asks_for_a_note_on_every_wrong_concept_of_a_three_way_quiz():
    concepts = [content_rules.ConceptData(slug, slug.title()) for slug in ["a", "b", "c"]]
    scenario = content_rules.ScenarioData("s", "A case.", "a", cues=["r"], wrong_choices={"b": "Not b: ..."})
    comparison = content_rules.ComparisonData("x", concepts, {"r": "Row"}, scenarios=[scenario], has_quiz=False)
    findings = [f for f in content_rules.check_comparison(comparison) if f.rule == "wrong-choices"]
    assert [f.message for f in findings] == ["no note on why it is not C (every wrong option needs one)."]


def test_the_rule_asks_for_no_note_in_a_two_way_quiz():
    concepts = [content_rules.ConceptData(slug, slug.title()) for slug in ["a", "b"]]
    scenario = content_rules.ScenarioData("s", "A case.", "a", cues=["r"])
    comparison = content_rules.ComparisonData("x", concepts, {"r": "Row"}, scenarios=[scenario], has_quiz=False)
    assert not [f for f in content_rules.check_comparison(comparison) if f.rule == "wrong-choices"]


def test_the_rule_flags_a_note_on_the_correct_concept():
    concepts = [content_rules.ConceptData(slug, slug.title()) for slug in ["a", "b"]]
    scenario = content_rules.ScenarioData("s", "A case.", "a", cues=["r"], wrong_choices={"a": "Why not a?"})
    comparison = content_rules.ComparisonData("x", concepts, {"r": "Row"}, scenarios=[scenario], has_quiz=False)
    findings = [f for f in content_rules.check_comparison(comparison) if f.rule == "wrong-choices"]
    assert "names the correct concept" in findings[0].message


def test_the_shipped_three_way_quiz_has_a_note_on_every_wrong_option(shipped_content):
    comparison = Comparison.objects.get(slug="alliance-coalition-partnership")
    scenarios = comparison.scenarios.published().prefetch_related("wrong_notes")
    assert scenarios.count() >= 24
    for scenario in scenarios:
        noted = {note.concept_id for note in scenario.wrong_notes.all()}
        assert noted == set(comparison.concepts.exclude(pk=scenario.correct_concept_id).values_list("pk", flat=True))


def test_the_content_schema_refuses_an_overlong_note():
    item = {
        "slug": "s",
        "correct_concept": "a",
        "difficulty": "easy",
        "text": "A case.",
        "explanation": "Why.",
        "cues": ["r"],
        "real": False,
        "wrong_choices": {"b": "x" * 601},
    }
    with pytest.raises(ContentError, match="wrong_choices"):
        validate([item], SCENARIOS_FILE, "scenarios.json")


def test_the_admin_offers_the_notes_inline_on_a_scenario(admin_client, quiz_comparison):
    # A draft: a live comparison's scenarios are changed through its draft (explainer.drafts).
    Comparison.objects.filter(pk=quiz_comparison.pk).update(status=Comparison.Status.DRAFT)
    scenario = quiz_comparison.scenarios.first()
    page = admin_client.get(reverse("admin:explainer_scenario_change", args=[scenario.pk])).text
    assert 'name="wrong_notes-TOTAL_FORMS"' in page
    assert 'name="wrong_notes-0-text"' in page  # a blank note for the one wrong concept


# Confidence and calibration


def test_the_answer_records_the_confidence_given(client, quiz_comparison):
    answer_with(client, quiz_comparison, right, Confidence.SURE)
    assert Response.objects.get().confidence == Confidence.SURE


def test_the_answer_records_no_confidence_when_none_is_given(client, quiz_comparison):
    answer_with(client, quiz_comparison, right)
    assert Response.objects.get().confidence == ""


def test_a_tampered_confidence_gets_400_and_records_nothing(client, quiz_comparison):
    client.get(urls(quiz_comparison)[""])
    quiz_round = current_round(client, quiz_comparison)
    scenario = Scenario.objects.get(pk=quiz_round.current)
    data = {"scenario": scenario.pk, "choice": scenario.correct_concept_id, "confidence": "certainly"}
    response = client.post(urls(quiz_comparison)["_respond"], data)
    assert response.status_code == 400
    assert "Say how sure you are" in response.text
    assert not Response.objects.exists()


def test_the_question_offers_three_confidence_levels(client, quiz_comparison):
    page = client.get(urls(quiz_comparison)[""]).text
    assert "How sure are you? (optional)" in page
    for value in ["sure", "think", "guess"]:
        assert f'name="confidence" value="{value}"' in page


def test_the_summary_shows_how_often_the_learner_was_right_when_sure(client, quiz_comparison):
    # Sure: right, wrong, right, wrong... ; guessing: never used.
    play(client, quiz_comparison, [(right, Confidence.SURE), (wrong, Confidence.SURE)])
    page = client.get(urls(quiz_comparison)["_summary"]).text
    assert '<tr class="calibration-sure"><th scope="row">Sure</th><td>5 of 10 (50%)</td></tr>' in page
    assert "calibration-guess" not in page


def test_the_summary_lists_the_answers_that_were_sure_but_wrong(client, quiz_comparison):
    played = play(client, quiz_comparison, [(wrong, Confidence.SURE), (wrong, Confidence.GUESSING)])
    page = client.get(urls(quiz_comparison)["_summary"]).text
    assert "Sure, but wrong" in page
    listed = page.split("Sure, but wrong")[1].split("</ul>")[0]
    assert listed.count("<li>") == 5
    assert f'href="#result-{played[0].pk}"' in listed
    assert f'href="#result-{played[1].pk}"' not in listed


def test_the_cases_sure_but_wrong_come_open_so_their_links_show_the_explanation(client, quiz_comparison):
    played = play(client, quiz_comparison, [(wrong, Confidence.SURE), (wrong, Confidence.GUESSING)])
    page = client.get(urls(quiz_comparison)["_summary"]).text
    sure = page.split(f'id="result-{played[0].pk}"')[1].split("</li>")[0]
    guessed = page.split(f'id="result-{played[1].pk}"')[1].split("</li>")[0]
    assert "<details open>" in sure
    assert "<details>" in guessed


def test_the_summary_shows_no_calibration_when_no_confidence_was_given(client, quiz_comparison):
    play(client, quiz_comparison, [(wrong, "")])
    page = client.get(urls(quiz_comparison)["_summary"]).text
    assert "How sure you were" not in page


def test_editors_see_how_often_a_scenario_was_answered_confidently_wrong(admin_client, quiz_comparison):
    scenario = quiz_comparison.scenarios.first()
    for index, confidence in enumerate([Confidence.SURE, Confidence.SURE, Confidence.GUESSING, ""]):
        Response.objects.create(
            round_id=f"00000000-0000-0000-0000-00000000000{index}",
            scenario=scenario,
            chosen=wrong(scenario),
            is_correct=False,
            confidence=confidence,
        )
    page = admin_client.get(reverse("admin:explainer_scenario_changelist") + f"?q={scenario.slug}").text
    assert "Confidently wrong" in page
    assert "2 (50%)" in page


# A summary that teaches


def test_the_summary_says_which_way_the_learner_leans(client, quiz_comparison):
    play(client, quiz_comparison, [(wrong, "")])
    page = client.get(urls(quiz_comparison)["_summary"]).text
    first, second = quiz_comparison.ordered_concepts
    # Every case of each concept was called the other one: 5 each way.
    assert f"You called 5 {first.name.lower()} cases “{second.name.lower()}”." in page
    assert f"You called 5 {second.name.lower()} cases “{first.name.lower()}”." in page


def test_each_missed_case_unfolds_to_its_explanation_and_note(client, quiz_comparison):
    played = play(client, quiz_comparison, [(wrong, "")])
    WrongChoiceNote.objects.create(scenario=played[0], concept=wrong(played[0]), text="Not that: the end date.")
    page = client.get(urls(quiz_comparison)["_summary"]).text
    item = page.split(f'id="result-{played[0].pk}"')[1].split("</li>")[0]
    assert "<details>" in item
    assert played[0].explanation in item
    assert "Not that: the end date." in item


def test_a_perfect_round_suggests_the_next_comparison_in_the_same_category(client, quiz_comparison):
    sibling = factories.make_comparison(category=quiz_comparison.category, title="Zzz after")
    factories.make_comparison(title="Elsewhere")  # another category
    play(client, quiz_comparison, [(right, "")])
    page = client.get(urls(quiz_comparison)["_summary"]).text
    assert "A perfect round" in page
    assert f'<a href="{sibling.get_absolute_url()}">Zzz after</a>' in page


def test_a_perfect_round_alone_in_its_category_suggests_nothing_else(client, quiz_comparison):
    play(client, quiz_comparison, [(right, "")])
    page = client.get(urls(quiz_comparison)["_summary"]).text
    assert "A perfect round" in page
    assert "Ready for the next one" not in page


def test_the_feedback_marks_only_the_answer_and_the_chosen_cells_of_the_deciding_rows(client, three_way):
    client.get(urls(three_way)[""])
    scenario = Scenario.objects.get(pk=current_round(client, three_way).current)
    chosen = three_way.concepts.exclude(pk=scenario.correct_concept_id).first()
    answer(client, three_way, chosen.pk)
    page = client.get(urls(three_way)[""]).text
    deciding = page.split('class="deciding"')[1].split("</section>")[0]
    cues = scenario.cues.count()
    assert deciding.count("deciding-answer") == cues
    assert deciding.count("deciding-chosen") == cues
    assert deciding.count("<dt>") == 2 * cues  # not the third concept's cell


def test_the_feedback_puts_next_before_the_case(client, quiz_comparison):
    scenario = answer_first_wrongly(client, quiz_comparison)
    page = client.get(urls(quiz_comparison)[""]).text
    assert page.index("Next question") < page.index("<summary>The case</summary>") < page.index(scenario.text)


def answer_first_wrongly(client, comparison):
    client.get(urls(comparison)[""])
    scenario = Scenario.objects.get(pk=current_round(client, comparison).current)
    answer(client, comparison, wrong(scenario).pk)
    return scenario


def test_the_running_score_counts_the_answers_so_far(client, quiz_comparison):
    answer_with(client, quiz_comparison, right)
    answer_with(client, quiz_comparison, wrong)
    assert "Score so far: 1 of 2" in client.get(urls(quiz_comparison)[""]).text


def test_the_options_carry_their_concepts_colour_class(client, three_way):
    page = client.get(urls(three_way)[""]).text
    for tone in (1, 2, 3):
        assert f"form-check quiz-option tone-{tone}" in page


# Review that comes back (FSRS)


@pytest.mark.parametrize(
    ("correct", "confidence", "expected"),
    [
        (False, Confidence.SURE, Rating.Again),
        (False, "", Rating.Again),
        (True, Confidence.GUESSING, Rating.Hard),
        (True, Confidence.THINK_SO, Rating.Good),
        (True, "", Rating.Good),
        (True, Confidence.SURE, Rating.Easy),
    ],
)
def test_an_answer_rates_the_case_by_rightness_and_confidence(correct, confidence, expected):
    assert review.rating(correct, confidence) == expected


@pytest.fixture
def deck(quiz_comparison):
    """A learner, and two of the quiz's case ids to review."""
    first, second = Scenario.objects.filter(comparison=quiz_comparison).values_list("pk", flat=True)[:2]
    return factories.make_learner(), first, second


def test_a_missed_case_is_due_a_day_later_and_not_before(deck):
    learner, case, _other = deck
    start = timezone.now()
    review.record(learner, case, correct=False, at=start)
    assert review.due_ids(learner, at=start + timedelta(hours=23)) == []
    assert review.due_ids(learner, at=start + timedelta(days=1, minutes=1)) == [case]


def test_recording_an_answer_never_sleeps_in_the_request(monkeypatch, deck):
    # fsrs sleeps 1 ms whenever it has to invent a card id; a worker must not.
    def no_sleep(seconds):
        raise AssertionError(f"slept {seconds} s")

    monkeypatch.setattr("fsrs.card.time.sleep", no_sleep)
    learner, case, _other = deck
    start = timezone.now()
    review.record(learner, case, correct=False, at=start)
    review.record(learner, case, correct=False, at=start + timedelta(days=2))
    assert review.due_ids(learner, at=start + timedelta(days=4)) == [case]


def test_a_case_answered_right_the_first_time_gets_no_card(deck):
    learner, case, _other = deck
    assert review.record(learner, case, correct=True, confidence=Confidence.SURE) is None
    assert not ReviewCard.objects.exists()


def test_a_reviewed_case_answered_sure_and_right_goes_further_away_than_a_guess(deck):
    _learner, case, _other = deck
    start = timezone.now()
    later = start + timedelta(days=1, minutes=1)
    sure, guess = factories.make_learner(), factories.make_learner()
    for learner, confidence in [(sure, Confidence.SURE), (guess, Confidence.GUESSING)]:
        review.record(learner, case, correct=False, at=start)
        review.record(learner, case, correct=True, confidence=confidence, at=later)
    assert ReviewCard.objects.get(learner=sure).due > ReviewCard.objects.get(learner=guess).due


def test_confidently_wrong_cases_come_first_among_those_due(deck):
    learner, first, second = deck
    start = timezone.now()
    review.record(learner, first, correct=False, confidence=Confidence.GUESSING, at=start - timedelta(hours=1))
    review.record(learner, second, correct=False, confidence=Confidence.SURE, at=start)
    assert review.due_ids(learner, at=start + timedelta(days=2)) == [second, first]


def test_a_learners_cards_are_not_anothers(deck):
    learner, case, _other = deck
    review.record(learner, case, correct=False, at=timezone.now() - timedelta(days=2))
    assert review.due_ids(factories.make_learner()) == []
    assert review.due_counts(factories.make_learner()) == {}


@pytest.mark.parametrize("seed", range(10))
def test_a_new_round_brings_back_the_due_cases_mixed_with_new_ones(quiz_comparison, seed):
    scenarios = Scenario.objects.filter(comparison=quiz_comparison)
    due = list(scenarios.values_list("pk", flat=True)[:3])
    quiz_round = new_round(quiz_comparison, scenarios, rng=random.Random(seed), due=due)
    assert set(due) <= set(quiz_round.items)
    assert len(quiz_round.items) == ROUND_SIZE
    assert quiz_round.review == due
    answers = dict(scenarios.values_list("id", "correct_concept_id"))
    sequence = [answers[pk] for pk in quiz_round.items]
    assert max(len(list(run)) for _, run in groupby(sequence)) <= 2


def test_a_new_round_takes_at_most_half_a_round_of_reviews(quiz_comparison):
    scenarios = Scenario.objects.filter(comparison=quiz_comparison)
    due = list(scenarios.values_list("pk", flat=True))
    quiz_round = new_round(quiz_comparison, scenarios, due=due)
    assert len(quiz_round.review) == MAX_DUE_PER_ROUND
    assert len(set(quiz_round.items) - set(due[:MAX_DUE_PER_ROUND])) == ROUND_SIZE - MAX_DUE_PER_ROUND


def test_missed_cases_come_back_in_the_first_round_a_day_later(client, quiz_comparison, clock):
    played = play(client, quiz_comparison, [(right, ""), (wrong, "")])
    missed = {s.pk for s in played if s.pk in current_round(client, quiz_comparison).missed}
    assert len(missed) == 5
    client.post(urls(quiz_comparison)["_new"])
    assert current_round(client, quiz_comparison).review == []  # the same day: nothing is due yet
    clock.move(days=1, minutes=5)
    client.post(urls(quiz_comparison)["_new"])
    quiz_round = current_round(client, quiz_comparison)
    assert set(quiz_round.review) == missed
    assert missed <= set(quiz_round.items)


def test_a_withdrawn_case_does_not_come_back(client, quiz_comparison, clock):
    played = play(client, quiz_comparison, [(wrong, "")])
    Scenario.objects.filter(pk=played[0].pk).update(is_published=False)
    clock.move(days=2)
    client.post(urls(quiz_comparison)["_new"])
    quiz_round = current_round(client, quiz_comparison)
    assert played[0].pk not in quiz_round.items
    assert len(quiz_round.review) == MAX_DUE_PER_ROUND


def test_a_returning_case_is_marked_back_for_review(client, quiz_comparison, clock):
    answer_with(client, quiz_comparison, wrong)
    clock.move(days=1, minutes=5)
    client.post(urls(quiz_comparison)["_new"])
    quiz_round = current_round(client, quiz_comparison)
    while quiz_round.current not in quiz_round.review:
        answer_with(client, quiz_comparison, right)
        quiz_round = current_round(client, quiz_comparison)
    assert "Back for review" in client.get(urls(quiz_comparison)[""]).text


def test_the_pages_say_how_many_cases_are_due_a_day_later(client, quiz_comparison, clock):
    answer_with(client, quiz_comparison, wrong)
    assert "to review" not in client.get(quiz_comparison.get_absolute_url()).text
    clock.move(days=1, minutes=5)
    detail = client.get(quiz_comparison.get_absolute_url())
    assert "1 case to review" in detail.text
    assert detail["Cache-Control"] == "private, no-cache"
    assert "1 case to review" in client.get("/").text


def test_the_review_line_never_reaches_the_shared_page_cache(client, quiz_comparison, clock):
    answer_with(client, quiz_comparison, wrong)
    clock.move(days=1, minutes=5)
    assert "1 case to review" in client.get("/").text
    stranger = type(client)()
    assert "to review" not in stranger.get("/").text
    assert "to review" not in stranger.get(quiz_comparison.get_absolute_url()).text


def test_the_review_line_is_not_shown_for_a_forged_hint_without_cards(client, quiz_comparison):
    client.cookies[due_hint.DUE_COOKIE] = "0"
    page = client.get(quiz_comparison.get_absolute_url())
    assert page.status_code == 200
    assert "to review" not in page.text


def test_a_draft_preview_schedules_no_review(editor_client):
    draft = factories.make_quiz_comparison(published=False)
    factories.make_learner(editor_client)
    answer_with(editor_client, draft, wrong)
    assert not ReviewCard.objects.exists()
    assert not Response.objects.exists()


# Sessions


def test_a_round_kept_in_a_session_of_before_is_carried_over_and_plays_to_its_summary(client, quiz_comparison):
    items = list(Scenario.objects.filter(comparison=quiz_comparison).values_list("pk", flat=True)[:ROUND_SIZE])
    first = Scenario.objects.get(pk=items[0])
    # As sessions held it before learners were kept: no "review", responses without "confidence".
    session = client.session
    session[QuizRound.session_key(quiz_comparison.pk)] = {
        "round_id": "6f1c1c9e-4a59-4c38-9a1e-0d5c8b9f2a11",
        "items": items,
        "position": 1,
        "responses": {str(first.pk): {"chosen": first.correct_concept_id, "correct": True}},
        "retry": False,
    }
    session.save()
    client.cookies.pop("learner", None)
    assert client.get(urls(quiz_comparison)[""]).status_code == 200
    assert current_round(client, quiz_comparison).position == 1
    while not current_round(client, quiz_comparison).finished:
        answer_with(client, quiz_comparison, right)
    summary = client.get(urls(quiz_comparison)["_summary"])
    assert summary.status_code == 200
    assert "You got 10 of 10 right" in summary.text


def test_a_response_recorded_before_confidence_reads_as_not_given(quiz_comparison):
    scenario = quiz_comparison.scenarios.first()
    response = Response.objects.create(
        round_id="00000000-0000-0000-0000-000000000001",
        scenario=scenario,
        chosen=scenario.correct_concept,
        is_correct=True,
    )
    assert response.confidence == ""
    assert Scenario.objects.with_stats().get(pk=scenario.pk).confidently_wrong == 0


def test_a_full_round_keeps_no_learning_state_in_the_session(client, quiz_comparison):
    play(client, quiz_comparison, [(wrong, Confidence.SURE)])
    stored = [session.get_decoded() for session in Session.objects.all()]
    assert not any(key.startswith(("quiz:", "review:")) for data in stored for key in data)
    assert ReviewCard.objects.filter(learner=factories.learner_of(client)).count() == ROUND_SIZE


def test_coming_back_to_a_finished_round_with_cases_due_starts_a_round_with_them(client, quiz_comparison, clock):
    played = play(client, quiz_comparison, [(wrong, "")])
    assert client.get(urls(quiz_comparison)[""]).status_code == 302  # the same day: the summary
    clock.move(days=1, minutes=5)
    response = client.get(urls(quiz_comparison)[""])
    assert response.status_code == 200
    quiz_round = current_round(client, quiz_comparison)
    assert not quiz_round.finished
    assert len(quiz_round.review) == MAX_DUE_PER_ROUND
    assert set(quiz_round.review) <= {s.pk for s in played}


def with_one_note(client, url, concept_id, text):
    """The scenario's admin change form as the page sends it, with one new note on a wrong choice."""
    return change_form_data(
        client,
        url,
        **{
            "wrong_notes-TOTAL_FORMS": "1",
            "wrong_notes-INITIAL_FORMS": "0",
            "wrong_notes-0-concept": concept_id,
            "wrong_notes-0-text": text,
        },
    )


def test_an_editor_writes_a_note_on_a_wrong_choice_in_the_scenario_form(client, quiz_comparison):
    Comparison.objects.filter(pk=quiz_comparison.pk).update(status=Comparison.Status.DRAFT)  # not live
    client.force_login(factories.make_editor())
    scenario = quiz_comparison.scenarios.first()
    url = reverse("admin:explainer_scenario_change", args=[scenario.pk])
    response = client.post(
        url, with_one_note(client, url, wrong(scenario).pk, "Not this one: it has no standing promise.")
    )
    assert response.status_code == 302
    assert scenario.wrong_notes.get().text == "Not this one: it has no standing promise."


def test_the_admin_refuses_a_note_on_the_correct_concept(admin_client, quiz_comparison):
    Comparison.objects.filter(pk=quiz_comparison.pk).update(status=Comparison.Status.DRAFT)  # not live
    scenario = quiz_comparison.scenarios.first()
    url = reverse("admin:explainer_scenario_change", args=[scenario.pk])
    response = admin_client.post(
        url, with_one_note(admin_client, url, scenario.correct_concept_id, "Why not the answer?")
    )
    assert response.status_code == 200  # the form again, with the error
    assert not scenario.wrong_notes.exists()
