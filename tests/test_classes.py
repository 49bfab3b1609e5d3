"""Teachers' classes: joining by link, resuming, nicknames, closing, deleting, results and CSV."""

import csv
import io
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from explainer import class_codes as codes
from explainer.classes.qr import qr_svg
from explainer.classes.results import class_results
from explainer.models import Response, Scenario
from explainer.models.classes import NICKNAME_MAX, Pupil, SchoolClass
from tests import factories
from tests.classes_helpers import answer, join, pupil_named
from tests.html import main_text
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


def join_url(school_class):
    return reverse("class_join", args=[school_class.code])


def play_url(school_class):
    return reverse("class_play", args=[school_class.code])


# Codes


def test_a_new_code_has_eight_characters_from_the_alphabet():
    code = codes.new_code()
    assert len(code) == codes.LENGTH == 8
    assert set(code) <= set(codes.ALPHABET)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ABCD2345", "ABCD2345"),
        ("abcd-2345", "ABCD2345"),
        (" abcd 2345 ", "ABCD2345"),
        ("ABCD234", None),
        ("ABCD23450", None),
        ("ABCD2O45", None),
        ("ABCD<345", None),
        ("ÄBCD2345", None),
        ("A" * 500, None),
        ("", None),
    ],
)
def test_a_typed_code_is_normalised_or_refused(typed, code):
    assert codes.normalise(typed) == code


def test_guessing_one_of_100000_codes_at_the_join_limit_takes_more_than_a_year():
    guesses_a_year = (codes.JOIN_MISSES_PER_HOUR + codes.CODES_WHEN_LIMITED) * 24 * 365
    years = len(codes.ALPHABET) ** codes.LENGTH / 100_000 / guesses_a_year
    assert years > 10  # docs/decisions.md: about 10.7 years


def test_codes_are_unique_per_class(teacher):
    first, second = factories.make_class(teacher=teacher), factories.make_class(teacher=teacher)
    assert first.code != second.code


# Joining and resuming


def test_a_pupil_joins_with_a_nickname_and_gets_the_first_of_the_class_questions(school_class):
    client = join(school_class, "Sam")
    pupil = pupil_named(school_class, "Sam")
    page = client.get(play_url(school_class))
    assert page.status_code == 200
    assert "Question 1 of 4" in page.text
    assert Scenario.objects.get(pk=pupil.items[0]).text in page.text
    assert sorted(pupil.items) == school_class.item_ids()


def test_every_pupil_answers_the_same_questions_in_their_own_interleaved_order(db):
    school_class = factories.make_class(question_count=12, comparison=factories.make_quiz_comparison(per_concept=6))
    orders = []
    for n in range(6):
        join(school_class, f"Pupil {n}")
        orders.append(pupil_named(school_class, f"Pupil {n}").items)
    assert all(sorted(order) == school_class.item_ids() for order in orders)
    assert len({tuple(order) for order in orders}) > 1
    answers = dict(Scenario.objects.values_list("pk", "correct_concept_id"))
    for order in orders:
        runs = [answers[pk] for pk in order]
        assert not any(runs[i] == runs[i + 1] == runs[i + 2] for i in range(len(runs) - 2))


def test_the_join_page_shows_the_nickname_form(client, school_class):
    page = client.get(join_url(school_class))
    assert page.status_code == 200
    assert 'name="nickname"' in page.text and school_class.name in page.text


def test_a_code_typed_in_lower_case_with_a_hyphen_leads_to_the_class(client, school_class):
    typed = codes.display(school_class.code).lower()
    assert client.get(reverse("class_join", args=[typed])).url == join_url(school_class)
    assert client.get(reverse("class_join_code"), {"code": typed}).url == join_url(school_class)


def test_a_pupil_who_reloads_resumes_their_own_round(school_class):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    answer(client, pupil)
    answer(client, pupil, next_question=False)
    pupil.refresh_from_db()
    # Reloading, or opening the link again in a new tab, comes back to the same step.
    assert "Question 2 of 4" in client.get(play_url(school_class)).text
    assert client.get(join_url(school_class)).url == play_url(school_class)
    assert "Right:" in client.get(play_url(school_class)).text
    assert Pupil.objects.filter(school_class=school_class).count() == 1


def test_a_pupil_who_comes_back_after_answering_sees_the_next_question(school_class):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    answer(client, pupil)
    pupil.refresh_from_db()
    page = client.get(play_url(school_class))
    assert "Question 2 of 4" in page.text
    assert Scenario.objects.get(pk=pupil.items[1]).text in page.text


def test_a_finished_round_shows_the_pupils_score(school_class):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    for right in (True, False, True, True):
        answer(client, pupil, right=right)
    assert "You got 3 of 4 right" in client.get(play_url(school_class)).text


def test_a_second_pupil_with_the_same_nickname_is_asked_to_pick_another(school_class):
    join(school_class, "Noor")
    response = Client().post(join_url(school_class), {"nickname": "  NOOR "})
    assert response.status_code == 409
    assert "already uses “NOOR”. Pick another nickname." in response.text
    assert school_class.pupils.count() == 1


def test_the_same_nickname_may_be_used_in_another_class(school_class):
    join(school_class, "Noor")
    other = factories.make_class(comparison=school_class.comparison)
    join(other, "Noor")
    assert Pupil.objects.filter(nickname="Noor").count() == 2


@pytest.mark.parametrize(
    ("nickname", "message"),
    [
        ("", "This field is required."),
        ("   ", "Type a nickname."),
        ("x" * (NICKNAME_MAX + 1), "Keep your nickname to 24 characters or fewer."),
        ("x" * 5000, "Keep your nickname to 24 characters or fewer."),
        ("bad\x00name", "Null characters are not allowed."),
        ("tab\tname\x07", "Use letters, numbers and ordinary punctuation only."),
        ("evil\u202etxt", "Use letters, numbers and ordinary punctuation only."),
    ],
)
def test_a_tampered_nickname_is_refused_with_400_and_nothing_stored(client, school_class, nickname, message):
    response = client.post(join_url(school_class), {"nickname": nickname})
    assert response.status_code == 400
    assert message in response.text
    assert not Pupil.objects.exists()


def test_a_nickname_with_markup_is_stored_as_text_and_escaped_on_every_page(teacher_client, school_class):
    nickname = "<b>x</b><script>"
    client = join(school_class, nickname)
    answer(client, pupil_named(school_class, nickname))
    for page in (client.get(play_url(school_class)), teacher_client.get(school_class.get_absolute_url())):
        assert "<script>" not in page.text and "<b>x</b>" not in page.text
        assert "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;" in page.text


def test_a_class_stops_taking_pupils_at_its_size_limit(school_class, monkeypatch):
    monkeypatch.setattr("explainer.classes.join_views.MAX_PUPILS", 2)
    join(school_class, "One")
    join(school_class, "Two")
    response = Client().post(join_url(school_class), {"nickname": "Three"})
    assert response.status_code == 403
    assert "This class is full" in response.text


# Wrong and tampered codes


@pytest.mark.parametrize(
    "code", ["ZZZZ2222", "zzzz-2222", "ABC", "A" * 300, "ÄÖÜ12345", "%00%00", "..", "AB%3Cscript%3E", "1;DROP"]
)
@pytest.mark.parametrize("step", ["class_join", "class_play", "class_answer", "class_next"])
def test_a_wrong_or_tampered_code_is_404_on_every_step(client, db, code, step):
    method = client.get if step in ("class_join", "class_play") else client.post
    response = method(f"/join/{code}/" + {"class_join": "", "class_play": "play/"}.get(step, step[6:] + "/"))
    assert response.status_code == 404
    assert "No class has this code" in response.text


def test_wrong_codes_past_the_limit_answer_429_for_that_address(client, db):
    for _ in range(codes.JOIN_MISSES_PER_HOUR):
        assert client.get("/join/ZZZZ2222/").status_code == 404
    assert client.get("/join/ZZZZ2222/").status_code == 429
    # Another address is not affected.
    assert Client(REMOTE_ADDR="192.0.2.9").get("/join/ZZZZ2222/").status_code == 404


def test_a_whole_class_joining_from_one_address_is_never_throttled(school_class):
    for n in range(codes.JOIN_MISSES_PER_HOUR + 5):
        join(school_class, f"Pupil {n}")
    assert school_class.pupils.count() == codes.JOIN_MISSES_PER_HOUR + 5


def test_a_typed_code_that_cannot_be_one_is_400_with_a_message(client, db):
    response = client.get(reverse("class_join_code"), {"code": "<script>"})
    assert response.status_code == 400
    assert "eight letters and numbers" in response.text


# Answering


def test_an_answer_is_a_response_with_the_pupil_counted_in_the_site_statistics(school_class):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    scenario, _ = answer(client, pupil, right=False)
    response = Response.objects.get(scenario=scenario)
    assert response.pupil == pupil and response.round_id == pupil.round_id and not response.is_correct
    stats = Scenario.objects.with_stats().get(pk=scenario.pk)
    assert stats.answered == 1 and stats.correct_rate == 0


def test_a_replayed_answer_is_409_and_counted_once(school_class):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    scenario, chosen = answer(client, pupil, next_question=False)
    replay = client.post(
        reverse("class_answer", args=[school_class.code]), {"scenario": scenario.pk, "choice": chosen.pk}
    )
    assert replay.status_code == 409
    assert Response.objects.filter(pupil=pupil).count() == 1


def test_an_answer_for_another_question_is_409(school_class):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    other = pupil.items[1]
    choice = school_class.comparison.ordered_concepts[0].pk
    response = client.post(reverse("class_answer", args=[school_class.code]), {"scenario": other, "choice": choice})
    assert response.status_code == 409
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"scenario": "x", "choice": "1"},
        {"choice": "1"},
        {"scenario": "1", "choice": "999999"},
        {"scenario": "1", "choice": "<b>"},
    ],
)
def test_a_tampered_answer_is_400_and_records_nothing(school_class, data):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    if data.get("scenario") == "1":
        data = {**data, "scenario": pupil.current}
    response = client.post(reverse("class_answer", args=[school_class.code]), data)
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_next_before_answering_is_409(school_class):
    client = join(school_class, "Ada")
    response = client.post(reverse("class_next", args=[school_class.code]), {"position": "0"})
    assert response.status_code == 409
    assert pupil_named(school_class, "Ada").position == 0


def test_answering_without_having_joined_leads_to_the_join_page_and_records_nothing(client, school_class):
    scenario = school_class.scenarios.first()
    data = {"scenario": scenario.pk, "choice": scenario.correct_concept_id}
    response = client.post(reverse("class_answer", args=[school_class.code]), data)
    assert response.status_code == 302 and response.url == join_url(school_class)
    assert not Response.objects.exists()


def test_a_pupil_of_one_class_is_not_a_pupil_of_another(school_class):
    client = join(school_class, "Ada")
    other = factories.make_class(comparison=school_class.comparison)
    assert client.get(reverse("class_play", args=[other.code])).url == join_url(other)


def test_a_question_unpublished_after_joining_is_skipped(school_class):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    Scenario.objects.filter(pk=pupil.items[0]).update(is_published=False)
    page = client.get(play_url(school_class))
    assert "Question 1 of 3" in page.text


def test_the_wrong_method_gets_405_with_allow(client, school_class):
    response = client.get(reverse("class_answer", args=[school_class.code]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


# Closing


def test_a_closed_class_refuses_new_pupils_with_403(client, school_class):
    school_class.closes_at = timezone.now()
    school_class.save()
    assert client.get(join_url(school_class)).status_code == 403
    response = client.post(join_url(school_class), {"nickname": "Late"})
    assert response.status_code == 403
    assert "This class is closed" in response.text
    assert not Pupil.objects.exists()


def test_a_closed_class_refuses_answers_and_keeps_those_given(school_class):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    answer(client, pupil)
    SchoolClass.objects.filter(pk=school_class.pk).update(closes_at=timezone.now())
    pupil.refresh_from_db()
    scenario = Scenario.objects.get(pk=pupil.current)
    data = {"scenario": scenario.pk, "choice": scenario.correct_concept_id}
    response = client.post(reverse("class_answer", args=[school_class.code]), data)
    assert response.status_code == 403
    assert "Your teacher has closed the class" in response.text and "You got 1 of 4 right" in response.text
    assert Response.objects.filter(pupil=pupil).count() == 1


def test_a_class_past_its_closing_time_is_closed(school_class):
    school_class.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    assert not school_class.is_open
    school_class.closes_at = timezone.now() + timezone.timedelta(minutes=1)
    assert school_class.is_open


def test_the_teacher_closes_and_reopens_the_class(teacher_client, school_class):
    url = reverse("class_close", args=[school_class.pk])
    assert teacher_client.post(url, {"action": "close"}).status_code == 302
    school_class.refresh_from_db()
    assert not school_class.is_open
    assert "Reopen the class" in teacher_client.get(school_class.get_absolute_url()).text
    teacher_client.post(url, {"action": "reopen"})
    school_class.refresh_from_db()
    assert school_class.is_open and school_class.closes_at is None


def test_a_tampered_close_action_changes_nothing(teacher_client, school_class):
    response = teacher_client.post(reverse("class_close", args=[school_class.pk]), {"action": "explode"}, follow=True)
    assert "nothing changed" in response.text
    school_class.refresh_from_db()
    assert school_class.closes_at is None


# Deleting


def test_deleting_a_class_leaves_nothing_of_its_pupils(teacher_client, school_class):
    outsider = Response.objects.create(
        round_id=uuid.uuid4(),
        scenario=school_class.scenarios.first(),
        chosen=school_class.comparison.ordered_concepts[0],
        is_correct=True,
    )
    rounds = []
    for nickname in ("Ada", "Bo"):
        client = join(school_class, nickname)
        answer(client, pupil_named(school_class, nickname))
        rounds.append(pupil_named(school_class, nickname).round_id)
    confirm = teacher_client.get(reverse("class_delete", args=[school_class.pk]))
    assert "2 pupils' nicknames" in confirm.text
    response = teacher_client.post(reverse("class_delete", args=[school_class.pk]))
    assert response.status_code == 302 and response.url == reverse("class_list")
    assert not SchoolClass.objects.exists()
    assert not Pupil.objects.exists()
    assert not Response.objects.filter(round_id__in=rounds).exists()
    assert list(Response.objects.all()) == [outsider]  # everybody else's answers stay
    assert client.get(play_url(school_class)).status_code == 404


def test_after_deletion_no_table_holds_a_nickname(teacher_client, school_class):
    from django.db import connection

    join(school_class, "Zanzibar-Quokka")
    teacher_client.post(reverse("class_delete", args=[school_class.pk]))
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith("django_session"):
                continue  # sessions hold only the pupil's id, never the nickname
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the database itself
            assert "Zanzibar-Quokka" not in repr(cursor.fetchall()), table


# The teacher's pages


def test_a_teacher_creates_a_class_and_gets_code_link_and_qr(teacher_client, db):
    comparison = factories.make_quiz_comparison(per_concept=4)
    response = teacher_client.post(
        reverse("class_create"), {"name": "9B history", "comparison": comparison.pk, "question_count": 6}
    )
    school_class = SchoolClass.objects.get()
    assert response.status_code == 302 and response.url == school_class.get_absolute_url()
    assert school_class.scenarios.count() == 6
    assert set(school_class.scenarios.values_list("comparison", flat=True)) == {comparison.pk}
    page = teacher_client.get(response.url)
    assert codes.display(school_class.code) in page.text
    assert f"http://testserver/join/{school_class.code}/" in page.text
    assert '<svg viewBox="' in page.text and "qr-code" in page.text


def test_the_class_link_uses_site_url_when_set(teacher_client, school_class, settings):
    settings.SITE_URL = "https://explainer.example.org"
    page = teacher_client.get(school_class.get_absolute_url()).text
    assert f"https://explainer.example.org/join/{school_class.code}/" in page
    assert '<strong class="join-link">https://explainer.example.org/join/</strong>' in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"question_count": 99}, "question_count", "less than or equal to 20"),
        ({"question_count": 2}, "question_count", "greater than or equal to 3"),
        ({"question_count": 7}, "question_count", "has 6 questions; choose at most that many"),
        ({"name": ""}, "name", "This field is required."),
        ({"closes_at": "2001-01-01T10:00"}, "closes_at", "Choose a time in the future"),
        ({"comparison": "999999"}, "comparison", "Select a valid choice"),
    ],
)
def test_a_bad_class_form_is_400_with_the_reason(teacher_client, db, change, field, message):
    comparison = factories.make_quiz_comparison(per_concept=3)
    data = {"name": "9B", "comparison": comparison.pk, "question_count": 4, **change}
    response = teacher_client.post(reverse("class_create"), data)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert not SchoolClass.objects.exists()


def test_a_draft_comparison_cannot_get_a_class(teacher_client, db):
    draft = factories.make_quiz_comparison(per_concept=3, published=False)
    response = teacher_client.post(reverse("class_create"), {"name": "9B", "comparison": draft.pk, "question_count": 4})
    assert response.status_code == 400
    assert draft.title not in teacher_client.get(reverse("class_create")).text


def test_the_qr_code_is_svg_without_inline_style_and_with_an_escaped_title():
    svg = str(qr_svg("https://example.org/join/ABCD2345/"))
    assert svg.startswith("<svg") and "style=" not in svg and "<script" not in svg
    assert "<title>QR code of the link</title>" in svg


def play_three_pupils(school_class):
    """Ada gets all four right, Bo two, Cy answers one wrongly and stops."""
    plan = {"Ada": [True] * 4, "Bo": [True, False, True, False], "Cy": [False]}
    for nickname, rights in plan.items():
        client = join(school_class, nickname)
        for right in rights:
            answer(client, pupil_named(school_class, nickname), right=right)


def test_results_count_right_answers_per_pupil_and_per_question(school_class):
    play_three_pupils(school_class)
    results = class_results(SchoolClass.objects.with_results().get(pk=school_class.pk))
    assert [(r.pupil.nickname, r.answered, r.right, r.finished) for r in results.pupils] == [
        ("Ada", 4, 4, True),
        ("Bo", 4, 2, True),
        ("Cy", 1, 0, False),
    ]
    assert sum(item.answered for item in results.items) == 9
    assert sum(item.right for item in results.items) == 6
    for item in results.items:
        wrong = Response.objects.filter(scenario=item.scenario, pupil__isnull=False, is_correct=False)
        assert item.answered - item.right == wrong.count()
        if wrong:
            assert item.top_wrong[0] == wrong.first().chosen and item.top_wrong[1] == wrong.count()
    assert [item.number for item in results.items] == [1, 2, 3, 4]
    assert results.has_confidence is True


def test_results_count_the_answers_a_pupil_was_sure_of_and_got_wrong(school_class):
    client = join(school_class, "Ada")
    answer(client, pupil_named(school_class, "Ada"), right=False, confidence="sure")
    answer(client, pupil_named(school_class, "Ada"), right=False, confidence="guess")
    answer(client, pupil_named(school_class, "Ada"), right=True, confidence="sure")
    results = class_results(SchoolClass.objects.with_results().get(pk=school_class.pk))
    assert sum(item.confidently_wrong for item in results.items) == 1


def test_results_leave_out_answers_given_outside_the_class(school_class):
    scenario = school_class.scenarios.first()
    Response.objects.create(round_id=uuid.uuid4(), scenario=scenario, chosen=scenario.correct_concept, is_correct=True)
    results = class_results(SchoolClass.objects.with_results().get(pk=school_class.pk))
    assert sum(item.answered for item in results.items) == 0


def test_the_results_page_shows_scores_the_item_table_and_the_chart(teacher_client, school_class):
    play_three_pupils(school_class)
    text = main_text(teacher_client.get(school_class.get_absolute_url()))
    assert "3 pupils" in text
    assert re.search(r"Ada\s+4 of 4\s+done\s+4", text)
    assert re.search(r"Cy\s+1 of 4\s+0", text)
    assert "Question by question" in text and "The rows of the table the class misses most" in text
    assert "Each bar is a row of the table" in text


def test_the_csv_holds_the_same_figures_as_the_page(teacher_client, school_class):
    play_three_pupils(school_class)
    response = teacher_client.get(reverse("class_csv", args=[school_class.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"{school_class.code}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Pupil", "Answered", "Right", "Questions"]
    assert [row[:4] for row in rows[1:4]] == [["Ada", "4", "4", "4"], ["Bo", "4", "2", "4"], ["Cy", "1", "0", "4"]]
    assert rows[4] == []
    results = class_results(SchoolClass.objects.with_results().get(pk=school_class.pk))
    for row, item in zip(rows[6:], results.items, strict=True):
        assert row[0] == str(item.number) and row[2] == item.scenario.correct_concept.name
        assert row[3] == str(item.answered) and row[4] == str(item.right)
        assert row[5] == ("" if item.share_right is None else str(item.share_right))


def test_a_nickname_that_looks_like_a_formula_is_defused_in_the_csv(teacher_client, school_class):
    join(school_class, "=HYPERLINK(1)")
    body = teacher_client.get(reverse("class_csv", args=[school_class.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_the_results_page_reads_a_fixed_number_of_queries(teacher_client, school_class):
    join(school_class, "Zed")
    few = queries_for(teacher_client, school_class.get_absolute_url())
    # Session, user, its two permission reads, the teacher's time zone, the class, concepts, questions,
    # cues, pupils, answers.
    assert few == 11
    play_three_pupils(school_class)
    assert queries_for(teacher_client, school_class.get_absolute_url()) == few


def test_the_class_list_shows_the_teachers_classes_with_their_pupil_counts(teacher_client, school_class):
    join(school_class, "Ada")
    text = main_text(teacher_client.get(reverse("class_list")))
    assert school_class.name in text and codes.display(school_class.code) in text
    assert re.search(rf"{re.escape(codes.display(school_class.code))}\s+1\s+Open", text)


def test_teachers_group_is_made_by_the_migration_with_the_class_permissions(db):
    from django.contrib.auth.models import Group

    teachers = set(Group.objects.get(name="Teachers").permissions.values_list("codename", flat=True))
    assert teachers == set(factories.TEACHER_PERMISSIONS)
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert "view_any_class" in editors and "delete_schoolclass" not in editors


def test_the_admin_shows_a_pupils_response_without_the_nickname(admin_client, school_class):
    client = join(school_class, "Quokka-Nickname")
    answer(client, pupil_named(school_class, "Quokka-Nickname"))
    response = Response.objects.get()
    page = admin_client.get(reverse("admin:explainer_response_change", args=[response.pk]))
    assert page.status_code == 200
    assert "Quokka-Nickname" not in page.text
    assert "Quokka-Nickname" not in admin_client.get(reverse("admin:explainer_response_changelist")).text


def test_a_backup_restores_classes_pupils_and_their_answers(school_class, tmp_path):
    from django.core.management import call_command

    client = join(school_class, "Ada")
    answer(client, pupil_named(school_class, "Ada"), right=False)
    before = (
        list(SchoolClass.objects.values_list("code", "name", "teacher__username")),
        sorted(school_class.item_ids()),
        list(Pupil.objects.values_list("nickname", "round_id", "items", "position")),
        list(Response.objects.values_list("pupil__nickname", "scenario_id", "is_correct")),
    )
    path = tmp_path / "backup.json"
    call_command("backup", str(path), verbosity=0)
    call_command("restore", str(path), "--replace", verbosity=0)
    after = (
        list(SchoolClass.objects.values_list("code", "name", "teacher__username")),
        sorted(SchoolClass.objects.get().item_ids()),
        list(Pupil.objects.values_list("nickname", "round_id", "items", "position")),
        list(Response.objects.values_list("pupil__nickname", "scenario_id", "is_correct")),
    )
    assert after == before


def test_a_pupils_question_page_reads_a_fixed_number_of_queries(school_class):
    client = join(school_class, "Ada")
    client.get(play_url(school_class))  # the first step reads the comparison's quiz content, kept per version
    first = queries_for(client, play_url(school_class))
    answer(client, pupil_named(school_class, "Ada"))
    answer(client, pupil_named(school_class, "Ada"), next_question=False)
    feedback = queries_for(client, play_url(school_class))
    # Session, class (with its comparison), pupil, answers, the comparison's version: the question,
    # its cues and the concepts come from the quiz content, as a visitor's do (explainer/quiz/content.py).
    assert feedback == first == 5


def test_the_class_list_reads_one_query_for_the_classes(teacher_client, teacher):
    factories.make_class(teacher=teacher)
    few = queries_for(teacher_client, reverse("class_list"))
    for _ in range(3):
        factories.make_class(teacher=teacher)
    assert queries_for(teacher_client, reverse("class_list")) == few
