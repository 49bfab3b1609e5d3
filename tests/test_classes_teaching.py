"""A teacher's view of a class (issue 26): the pupil x question grid and its CSV, the projector view,
the class list's order, and closing times in the teacher's own time zone."""

import csv
import datetime
import io
import json
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from explainer.classes.results import class_results
from explainer.models import Response, Scenario
from explainer.models.classes import SchoolClass, TeacherPreferences
from tests import factories
from tests.classes_helpers import answer, join, pupil_named
from tests.html import main_text
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


class TableReader(HTMLParser):
    """The cells' text (visually hidden words included) of the first <table> with `css_class`, row by row.

    A cell's pieces are joined as they stand: "✓" (hidden from screen readers) then "right" reads "✓right".
    """

    def __init__(self, css_class):
        super().__init__()
        self.css_class, self.inside, self.rows, self.cell = css_class, False, [], None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and self.css_class in classes and not self.rows:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response, css_class):
    reader = TableReader(css_class)
    reader.feed(response.content.decode())
    return reader.rows


def play(school_class, plan):
    """Each nickname answers in turn, right or wrong as its list says, each answer marked as sure."""
    for nickname, rights in plan.items():
        client = join(school_class, nickname)
        for right in rights:
            answer(client, pupil_named(school_class, nickname), right=right, confidence="sure")


def results_of(school_class):
    return class_results(SchoolClass.objects.with_results().get(pk=school_class.pk))


# The grid


def test_the_grid_has_a_row_per_pupil_and_a_column_per_question_headed_by_its_correct_concept(
    teacher_client, school_class
):
    play(school_class, {"Ada": [True, False], "Bo": []})
    items = results_of(school_class).items
    rows = table_rows(teacher_client.get(school_class.get_absolute_url()), "answer-grid")
    assert rows[0] == ["Nickname", *(f"Q{item.number} {item.scenario.correct_concept.name}" for item in items)]
    assert [row[0] for row in rows[1:]] == ["Ada", "Bo"]
    assert all(len(row) == len(items) + 1 for row in rows)


def test_a_grid_cell_says_right_wrong_or_not_answered_in_words_and_marks_sure(teacher_client, school_class):
    play(school_class, {"Ada": [True, False]})
    pupil = pupil_named(school_class, "Ada")
    chosen = {r.scenario_id: r.chosen.name for r in Response.objects.filter(pupil=pupil).select_related("chosen")}
    items = results_of(school_class).items
    row = table_rows(teacher_client.get(school_class.get_absolute_url()), "answer-grid")[1]
    cells = dict(zip((item.scenario.pk for item in items), row[1:], strict=True))
    first, second = pupil.items[:2]
    assert cells[first] == "✓right sure"
    assert cells[second] == f"✗wrong: {chosen[second]} sure"
    assert [cells[pk] for pk in pupil.items[2:]] == ["–not answered yet"] * 2


def test_an_answer_not_marked_sure_shows_no_sure_and_names_the_confidence_for_screen_readers(
    teacher_client, school_class
):
    client = join(school_class, "Ada")
    answer(client, pupil_named(school_class, "Ada"), right=True, confidence="guess")
    page = teacher_client.get(school_class.get_absolute_url())
    row = table_rows(page, "answer-grid")[1]
    assert "✓right, guessed" in row
    assert '<span class="grid-sure">' not in page.text


def test_the_grid_shows_no_colour_without_a_shape_and_a_legend_explains_the_marks(teacher_client, school_class):
    play(school_class, {"Ada": [True, False]})
    page = teacher_client.get(school_class.get_absolute_url()).text
    for cell in re.findall(r'<td class="grid-mark ([^"]+)">(.*?)</td>', page, re.S):
        kind, content = cell
        shape = {"grid-right": "✓", "grid-wrong": "✗", "grid-none": "–"}[kind]
        assert f'<span aria-hidden="true">{shape}</span>' in content
    assert "✓ right · ✗ wrong · – not answered yet" in page


def test_before_anyone_joins_the_grid_says_it_will_appear(teacher_client, school_class):
    assert "The grid appears when pupils join." in main_text(teacher_client.get(school_class.get_absolute_url()))


def test_the_results_page_reads_as_many_queries_with_the_grid_for_many_pupils(teacher_client, school_class):
    join(school_class, "Zed")
    few = queries_for(teacher_client, school_class.get_absolute_url())
    play(school_class, {f"Pupil {n}": [True, False, True, n % 2 == 0] for n in range(6)})
    assert queries_for(teacher_client, school_class.get_absolute_url()) == few


# The CSV


def csv_rows(client, school_class):
    response = client.get(reverse("class_csv", args=[school_class.pk]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_grid_holds_each_pupils_own_answer_under_each_questions_correct_concept(teacher_client, school_class):
    play(school_class, {"Ada": [True, False]})
    pupil = pupil_named(school_class, "Ada")
    items = results_of(school_class).items
    rows = csv_rows(teacher_client, school_class)
    assert rows[0] == ["Pupil", "Answered", "Right", "Questions"] + [
        f"{item.number}: {item.scenario.correct_concept.name}" for item in items
    ]
    grid = dict(zip((item.scenario.pk for item in items), rows[1][4:], strict=True))
    first, second = (Scenario.objects.get(pk=pk) for pk in pupil.items[:2])
    wrong = Response.objects.get(pupil=pupil, scenario=second).chosen.name
    assert grid[first.pk] == f"{first.correct_concept.name} (right, sure)"
    assert grid[second.pk] == f"{wrong} (wrong, sure)"
    assert [grid[pk] for pk in pupil.items[2:]] == ["", ""]


def test_the_csv_question_table_gains_the_correct_answer(teacher_client, school_class):
    rows = csv_rows(teacher_client, school_class)
    header = rows[rows.index([]) + 1]
    assert header[:3] == ["Question", "Scenario", "Correct answer"]
    for row, item in zip(rows[rows.index([]) + 2 :], results_of(school_class).items, strict=True):
        assert row[2] == item.scenario.correct_concept.name


@pytest.mark.parametrize("nickname", ['=HYPERLINK("x.io","y")', "+1", "-2", "@SUM(A1)"])
def test_a_formula_nickname_stays_text_in_the_csv(teacher_client, school_class, nickname):
    play(school_class, {nickname: [True]})
    rows = csv_rows(teacher_client, school_class)
    assert rows[1][0] == f"'{nickname}"


def test_a_concept_named_like_a_formula_is_defused_in_the_grid_and_question_table(teacher_client, school_class):
    concept = school_class.scenarios.first().correct_concept
    concept.name = "=1+1"
    concept.save()
    play(school_class, {"Ada": [True] * 4})
    body = "\n".join(",".join(row) for row in csv_rows(teacher_client, school_class))
    assert "'=1+1 (right, sure)" in body and ",'=1+1," in body
    assert not re.search(r"(^|,)=1\+1", body, re.M)


# The projector view


def projector(client, school_class):
    return client.get(reverse("class_projector", args=[school_class.pk]))


def test_the_projector_shows_the_code_link_and_qr_and_how_many_joined(teacher_client, school_class):
    play(school_class, {"Ada": [], "Bo": []})
    page = projector(teacher_client, school_class)
    assert page.status_code == 200
    text = main_text(page)
    assert school_class.display_code in text and f"http://testserver/join/{school_class.code}/" in text
    assert "qr-code" in page.text and "2 pupils have joined" in text


def test_the_projector_shows_no_nicknames_results_or_answers(teacher_client, school_class):
    play(school_class, {"Quokka-Nick": [True, False]})
    text = main_text(projector(teacher_client, school_class))
    assert "Quokka-Nick" not in text
    for scenario in school_class.scenarios.select_related("correct_concept"):
        assert scenario.text[:40] not in text
    assert "right" not in text.lower() and "%" not in text


def test_the_projector_without_javascript_has_a_refresh_link_and_no_meta_refresh_or_inline_script(
    teacher_client, school_class
):
    page = projector(teacher_client, school_class).text
    url = reverse("class_projector", args=[school_class.pk])
    assert f'<a href="{url}">Refresh the count</a>' in page
    assert 'http-equiv="refresh"' not in page
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page)  # every script is a file (strict CSP)


def test_the_projector_count_is_a_live_region_that_reads_the_joined_endpoint(teacher_client, school_class):
    page = projector(teacher_client, school_class).text
    joined = reverse("class_joined", args=[school_class.pk])
    assert re.search(rf'id="joined" aria-live="polite" data-poll="\d+" data-url="{re.escape(joined)}"', page)


def test_the_joined_endpoint_counts_pupils_in_json(teacher_client, school_class):
    url = reverse("class_joined", args=[school_class.pk])
    assert json.loads(teacher_client.get(url).content) == {"pupils": 0, "label": "0 pupils have joined", "open": True}
    play(school_class, {"Ada": []})
    response = teacher_client.get(url)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert json.loads(response.content) == {"pupils": 1, "label": "1 pupil has joined", "open": True}


def test_a_closed_class_projector_says_closed_and_shows_no_qr(teacher_client, school_class):
    school_class.closes_at = timezone.now()
    school_class.save()
    page = projector(teacher_client, school_class)
    assert "This class is closed: no new pupils." in main_text(page) and "qr-code" not in page.text
    assert json.loads(teacher_client.get(reverse("class_joined", args=[school_class.pk])).content)["open"] is False


def test_the_class_page_opens_the_projector_in_a_new_tab_and_says_so(teacher_client, school_class):
    page = teacher_client.get(school_class.get_absolute_url()).text
    url = reverse("class_projector", args=[school_class.pk])
    link = re.search(rf'<a href="{re.escape(url)}"([^>]*)>(.*?)</a>', page, re.S)
    assert 'target="_blank"' in link[1] and 'rel="noopener"' in link[1]
    assert "opens in a new tab" in link[2]


# The class list's order


def test_the_class_list_shows_the_newest_class_first(teacher_client, teacher):
    now = timezone.now()
    for days, name in [(3, "Oldest"), (1, "Newest"), (2, "Middle")]:
        factories.make_class(teacher=teacher, name=name, created_at=now - datetime.timedelta(days=days))
    text = main_text(teacher_client.get(reverse("class_list")))
    assert text.index("Newest") < text.index("Middle") < text.index("Oldest")


def test_with_counts_keeps_the_models_order_and_an_order_given_before_it(teacher):
    now = timezone.now()
    for days, name in [(2, "A"), (1, "B"), (3, "C")]:
        factories.make_class(teacher=teacher, name=name, created_at=now - datetime.timedelta(days=days))
    assert [c.name for c in SchoolClass.objects.with_counts()] == ["B", "A", "C"]
    assert [c.name for c in SchoolClass.objects.order_by("name").with_counts()] == ["A", "B", "C"]
    assert [c.name for c in SchoolClass.objects.order_by("-name").with_counts()] == ["C", "B", "A"]


# Time zones


def create_class(client, comparison, **data):
    fields = {"name": "9B", "comparison": comparison.pk, "question_count": 4, **data}
    return client.post(reverse("class_create"), fields)


def future_local(zone, days=3):
    """A time a few days ahead, as the datetime-local field types it, and the instant it names in `zone`."""
    moment = (timezone.now() + datetime.timedelta(days=days)).astimezone(zone).replace(second=0, microsecond=0)
    moment = moment.replace(hour=14, minute=30)
    return moment.strftime("%Y-%m-%dT%H:%M"), moment


def test_a_closing_time_typed_in_berlin_is_stored_as_its_utc_instant_and_shown_in_berlin(teacher_client, teacher):
    TeacherPreferences.objects.create(user=teacher, time_zone="Europe/Berlin")
    comparison = factories.make_quiz_comparison(per_concept=3)
    typed, moment = future_local(BERLIN)
    response = create_class(teacher_client, comparison, closes_at=typed)
    assert response.status_code == 302
    stored = SchoolClass.objects.get().closes_at
    assert stored == moment  # the same instant
    assert stored.astimezone(datetime.UTC).hour == moment.astimezone(datetime.UTC).hour != 14
    shown = moment.strftime("%-d %b %Y, 14:30")
    assert f"Open until {shown} (Europe/Berlin)." in main_text(teacher_client.get(response.url))
    assert f"Open until {shown}" in main_text(teacher_client.get(reverse("class_list")))


def test_a_first_class_adopts_the_browsers_time_zone_and_reads_the_closing_time_in_it(teacher_client, teacher):
    comparison = factories.make_quiz_comparison(per_concept=3)
    typed, moment = future_local(BERLIN)
    create_class(teacher_client, comparison, closes_at=typed, browser_time_zone="Europe/Berlin")
    assert TeacherPreferences.objects.get(user=teacher).time_zone == "Europe/Berlin"
    assert SchoolClass.objects.get().closes_at == moment


def test_the_browsers_zone_does_not_replace_a_zone_already_chosen(teacher_client, teacher):
    TeacherPreferences.objects.create(user=teacher, time_zone="America/New_York")
    typed, moment = future_local(zoneinfo.ZoneInfo("America/New_York"))
    create_class(
        teacher_client,
        factories.make_quiz_comparison(per_concept=3),
        closes_at=typed,
        browser_time_zone="Europe/Berlin",
    )
    assert TeacherPreferences.objects.get(user=teacher).time_zone == "America/New_York"
    assert SchoolClass.objects.get().closes_at == moment


@pytest.mark.parametrize("browser", ["", "Mars/Olympus_Mons", "<script>", "x" * 500])
def test_without_a_usable_browser_zone_the_site_zone_holds_and_nothing_is_stored(teacher_client, browser, settings):
    typed, moment = future_local(datetime.UTC)
    response = create_class(
        teacher_client, factories.make_quiz_comparison(per_concept=3), closes_at=typed, browser_time_zone=browser
    )
    assert response.status_code in (302, 400)
    assert not TeacherPreferences.objects.exists()
    if response.status_code == 302:
        assert SchoolClass.objects.get().closes_at == moment


def test_the_class_form_carries_the_hidden_browser_field_and_its_script(teacher_client):
    page = teacher_client.get(reverse("class_create")).text
    assert re.search(r'<input type="hidden" name="browser_time_zone"[^>]*>', page)
    assert "js/time-zone" in page and "data-browser-zone" in page


def test_a_teacher_chooses_their_time_zone_once_and_every_page_uses_it(teacher_client, teacher, school_class):
    url = reverse("teacher_time_zone")
    assert "UTC" in teacher_client.get(url).text
    response = teacher_client.post(f"{url}?next={school_class.get_absolute_url()}", {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302 and response.url == school_class.get_absolute_url()
    assert TeacherPreferences.objects.get(user=teacher).time_zone == "Asia/Tokyo"
    assert "(Asia/Tokyo)." in main_text(teacher_client.get(school_class.get_absolute_url()))
    assert "Times are shown in Asia/Tokyo." in main_text(teacher_client.get(reverse("class_list")))
    assert '<option value="Asia/Tokyo" selected>' in teacher_client.get(url).text


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "Europe/Berlin\x00"])
def test_an_unknown_time_zone_is_400_and_nothing_stored(teacher_client, zone):
    response = teacher_client.post(reverse("teacher_time_zone"), {"time_zone": zone})
    assert response.status_code == 400
    assert not TeacherPreferences.objects.exists()


def test_the_time_zone_page_never_sends_a_teacher_to_another_site(teacher_client):
    response = teacher_client.post(f"{reverse('teacher_time_zone')}?next=https://evil.example/", {"time_zone": "UTC"})
    assert response.status_code == 302 and response.url == reverse("class_list")


def test_a_closing_time_that_does_not_exist_in_the_teachers_zone_is_400_with_the_reason(teacher_client, teacher):
    TeacherPreferences.objects.create(user=teacher, time_zone="Europe/Berlin")
    # 30 March 2031, 02:30: Berlin's clocks jump from 02:00 to 03:00 that night.
    response = create_class(teacher_client, factories.make_quiz_comparison(per_concept=3), closes_at="2031-03-30T02:30")
    assert response.status_code == 400
    assert "couldn’t be interpreted in time zone Europe/Berlin" in response.context["form"].errors["closes_at"][0]
    assert not SchoolClass.objects.exists()
