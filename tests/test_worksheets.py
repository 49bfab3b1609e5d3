"""Printable worksheets and answer keys: for any comparison, and for a class's own questions."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from explainer.classes.results import class_results
from explainer.models import Scenario
from explainer.models.classes import SchoolClass
from tests import factories
from tests.classes_helpers import answer, join, pupil_named

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def sheet_texts(page):
    return re.findall(r'<li class="sheet-item">\s*<p>(.*?)</p>', page, re.S)


def key_texts(page):
    return re.findall(r'<p class="key-case small">(.*?)</p>', page, re.S)


def test_a_worksheet_without_a_number_gets_one_in_its_address(client, quiz_comparison):
    response = client.get(reverse("worksheet", args=[quiz_comparison.slug]))
    assert response.status_code == 302
    assert re.fullmatch(rf"/compare/{quiz_comparison.slug}/worksheet/\?sheet=\d+", response.url)


def test_a_worksheet_numbers_a_round_of_cases_with_a_tick_box_per_concept(client, quiz_comparison):
    page = client.get(reverse("worksheet", args=[quiz_comparison.slug]), {"sheet": 7}).text
    texts = sheet_texts(page)
    assert len(texts) == 10 and len(set(texts)) == 10
    assert page.count('class="tick-box"') == 10 * 2
    assert "Worksheet 7" in page and "Name" in page
    # No answers on the pupils' sheet.
    for scenario in Scenario.objects.filter(text__in=texts):
        assert scenario.explanation not in page


def test_the_answer_key_has_the_same_cases_in_the_same_order_with_answers_and_explanations(client, quiz_comparison):
    slug = quiz_comparison.slug
    sheet = client.get(reverse("worksheet", args=[slug]), {"sheet": 7}).text
    key = client.get(reverse("worksheet_key", args=[slug]), {"sheet": 7}).text
    assert sheet_texts(sheet) == key_texts(key)
    for text in key_texts(key):
        scenario = Scenario.objects.get(text=text)
        assert scenario.explanation.split(":")[0] in key
        assert f"<strong>{scenario.correct_concept.name}</strong>" in key
    assert f'href="/compare/{slug}/worksheet/key/?sheet=7"' in sheet


def test_another_number_gives_another_worksheet(client, quiz_comparison):
    url = reverse("worksheet", args=[quiz_comparison.slug])
    assert sheet_texts(client.get(url, {"sheet": 7}).text) != sheet_texts(client.get(url, {"sheet": 8}).text)


@pytest.mark.parametrize("sheet", ["0", "-1", "abc", "100000", "1" * 40, "²", "<script>"])
def test_a_tampered_worksheet_number_is_400(client, quiz_comparison, sheet):
    for name in ("worksheet", "worksheet_key"):
        response = client.get(reverse(name, args=[quiz_comparison.slug]), {"sheet": sheet})
        assert response.status_code == 400
        assert "No such worksheet" in response.text


def test_a_drafts_worksheet_is_404_for_readers(client, db):
    draft = factories.make_quiz_comparison(per_concept=2, published=False)
    assert client.get(reverse("worksheet", args=[draft.slug]), {"sheet": 1}).status_code == 404


def test_the_worksheet_has_no_form_and_no_script(client, quiz_comparison):
    page = client.get(reverse("worksheet", args=[quiz_comparison.slug]), {"sheet": 3}).text
    # The site's one head script (theme.js: the reader's light or dark choice) is the only one.
    assert page.count("<script") == 1 and '<script src="/static/js/theme.js"></script>' in page.split("<body")[0]
    assert "<form" not in page.split("<main")[1]


def test_a_class_worksheet_holds_the_class_questions_and_its_key_matches(teacher_client, school_class):
    sheet = teacher_client.get(reverse("class_worksheet", args=[school_class.pk])).text
    key = teacher_client.get(reverse("class_key", args=[school_class.pk])).text
    texts = sheet_texts(sheet)
    assert sorted(texts) == sorted(s.text for s in school_class.scenarios.all())
    assert key_texts(key) == texts
    assert school_class.display_code in sheet


def test_the_results_table_numbers_questions_as_the_class_worksheet_does(teacher_client, school_class):
    client = join(school_class, "Ada")
    answer(client, pupil_named(school_class, "Ada"))
    sheet = sheet_texts(teacher_client.get(reverse("class_worksheet", args=[school_class.pk])).text)
    results = class_results(SchoolClass.objects.with_results().get(pk=school_class.pk))
    assert [item.scenario.text for item in results.items] == sheet


def test_the_print_stylesheet_sets_the_page_for_a4_and_letter():
    scss = (ROOT / "static" / "scss" / "_classes.scss").read_text()
    page_rule = re.search(r"@page\s*{([^}]*)}", scss).group(1)
    assert "size: auto" in page_rule and "margin:" in page_rule
    assert "break-inside: avoid" in scss


def test_the_comparison_page_links_to_its_worksheet(client, quiz_comparison):
    page = client.get(quiz_comparison.get_absolute_url()).text
    assert f'href="/compare/{quiz_comparison.slug}/worksheet/">Print a worksheet</a>' in page
