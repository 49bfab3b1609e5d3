"""A teacher's class in a real Chromium: a teacher makes a class, three pupils join and answer, results and CSV agree.

Screenshots (test-artifacts/screenshots/): class-teacher.png (the results page),
class-pupil-round.png (a pupil's question), class-worksheet-print.png (the class's
worksheet as printed); the printed worksheet and answer key as PDFs, on A4 and Letter,
under test-artifacts/.
"""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from explainer.models import Scenario
from explainer.models.classes import SchoolClass
from tests.browser.conftest import ROOT, run_axe, screenshot

pytestmark = pytest.mark.browser

SLUG = "alliance-vs-coalition"
QUESTIONS = 6
# Each pupil's answers, right (True) or wrong (False); Cy stops after three.
PLAN = {"Ada": [True] * 6, "Bo": [True, False] * 3, "Cy": [True, False, False]}


def log_in_as_teacher(page, live_server):
    page.goto(f"{live_server.url}/admin/login/?next=/teach/")
    page.get_by_label("Username").fill("teacher")
    page.get_by_label("Password").fill("a-teacher-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your classes", level=1)).to_be_visible()


def create_class(page):
    page.get_by_role("link", name="New class").click()
    page.get_by_label("Name").fill("9B history")
    page.get_by_label("Comparison").select_option(label="Alliance vs. Coalition")
    page.get_by_label("Number of questions").fill(str(QUESTIONS))
    page.get_by_role("button", name="Create the class").click()
    expect(page.get_by_role("heading", name="9B history", level=1)).to_be_visible()
    return page.locator("a.join-link").get_attribute("href")


def answer_round(page, rights, screenshot_name=None):
    """Answer the questions on the page one after the other, right or wrong as `rights` says."""
    for number, right in enumerate(rights, start=1):
        expect(page.get_by_role("heading", name=f"Question {number} of {QUESTIONS}")).to_be_visible()
        if screenshot_name and number == 2:
            assert run_axe(page) == []
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
            screenshot(page, screenshot_name)
        text = page.locator("blockquote.scenario p").inner_text().strip()
        scenario = Scenario.objects.select_related("correct_concept").get(comparison__slug=SLUG, text=text)
        if right:
            name = scenario.correct_concept.name
        else:
            name = next(c.name for c in scenario.comparison.ordered_concepts if c.pk != scenario.correct_concept_id)
        page.get_by_role("radio", name=name, exact=True).check()
        page.get_by_role("button", name="Check my answer").click()
        expect(page.get_by_role("heading", name=re.compile("^. (Right|Not quite):"))).to_be_visible()
        page.get_by_role("button", name=re.compile("Next question|See my result")).click()


def cells(row):
    return [cell.inner_text().strip() for cell in row.locator("th, td").all()]


def test_a_teacher_sees_three_pupils_results_live_and_the_csv_agrees(
    page, browser, hygiene, live_server, content, teacher_account, monkeypatch
):
    monkeypatch.setattr("explainer.classes.views.POLL_SECONDS", 1)  # the page polls every second here
    log_in_as_teacher(page, live_server)
    link = create_class(page)
    assert re.fullmatch(rf"{re.escape(live_server.url)}/join/[2-9A-Z]{{8}}/", link)
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.get_by_role("heading", name="0 pupils")).to_be_visible()

    # Three pupils, each in their own browser context (own cookies), join by the link and answer.
    contexts = []
    for nickname, rights in PLAN.items():
        # Bo is on a phone.
        context = browser.new_context(
            viewport={"width": 390, "height": 844} if nickname == "Bo" else {"width": 1280, "height": 720}
        )
        contexts.append(context)
        pupil = context.new_page()
        hygiene.watch(pupil)
        pupil.goto(link)
        if nickname == "Ada":
            assert run_axe(pupil) == []  # the join page
        pupil.get_by_label("Your nickname").fill(nickname)
        pupil.get_by_role("button", name="Start").click()
        answer_round(pupil, rights, screenshot_name="class-pupil-round" if nickname == "Bo" else None)
        if len(rights) == QUESTIONS:
            expect(pupil.get_by_role("heading", name=f"You got {sum(rights)} of {QUESTIONS} right")).to_be_visible()
        else:
            # Cy closes the tab mid-round; opening the link again resumes at question 4.
            pupil.close()
            pupil = context.new_page()
            hygiene.watch(pupil)
            pupil.goto(link)
            expect(pupil.get_by_role("heading", name=f"Question 4 of {QUESTIONS}")).to_be_visible()

    # The teacher's page updated itself, without a reload.
    expect(page.get_by_role("heading", name="3 pupils")).to_be_visible(timeout=10_000)
    pupils = page.locator(".pupils-table tbody tr")
    expect(pupils).to_have_count(3)
    scores = {cells(row)[0]: cells(row) for row in pupils.all()}
    assert scores["Ada"] == ["Ada", "6 of 6 done", "6"]
    assert scores["Bo"] == ["Bo", "6 of 6 done", "3"]
    assert scores["Cy"] == ["Cy", "3 of 6", "1"]
    items = [cells(row) for row in page.locator(".items-table tbody tr").all()]
    assert [row[0] for row in items] == [str(n) for n in range(1, QUESTIONS + 1)]
    assert sum(int(row[3]) for row in items) == 15  # answers given: 6 + 6 + 3
    expect(page.locator(".miss-chart .chart-bar")).not_to_have_count(0)  # one linked bar per row
    assert run_axe(page) == []
    screenshot(page, "class-teacher")
    page.emulate_media(color_scheme="dark")
    assert run_axe(page) == []
    page.emulate_media(color_scheme="light")

    # The CSV holds the same figures.
    school_class = SchoolClass.objects.get()
    response = page.request.get(f"{live_server.url}/teach/{school_class.pk}/results.csv")
    assert response.ok
    rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig"))))
    assert [row[:4] for row in rows[1:4]] == [["Ada", "6", "6", "6"], ["Bo", "6", "3", "6"], ["Cy", "3", "1", "6"]]
    for row, shown in zip(rows[6:], items, strict=True):
        number, _text, correct, answered, _right, share, wrong, times, confidently_wrong = row
        assert [number, correct, answered, confidently_wrong] == [shown[0], shown[2], shown[3], shown[6]]
        assert (f"{share}%" if share else "–") == shown[4]
        assert (f"{wrong} ({times})" if wrong else "–") == shown[5]

    # Closing the class stops new answers: Cy's next answer is refused.
    page.get_by_role("button", name="Close the class now").click()
    expect(page.get_by_text("The class is closed: no new pupils and no new answers.")).to_be_visible()
    hygiene.expect_console_error("status of 403")
    pupil.reload()
    expect(pupil.get_by_text("Your teacher has closed the class. Your answers so far count.")).to_be_visible()
    for context in contexts:
        context.close()


def test_the_class_worksheet_prints_on_a4_and_letter_without_buttons(page, live_server, content, teacher_account):
    log_in_as_teacher(page, live_server)
    create_class(page)
    page.get_by_role("link", name="Print the class's worksheet").click()
    expect(page.locator(".sheet-item")).to_have_count(QUESTIONS)
    assert run_axe(page) == []
    page.emulate_media(media="print")
    expect(page.get_by_text("Print this page with your browser's Print command")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".tick-box").first).to_be_visible()
    screenshot(page, "class-worksheet-print")
    out = ROOT / "test-artifacts"
    for paper in ("A4", "Letter"):
        path = out / f"class-worksheet-{paper.lower()}.pdf"
        page.pdf(path=str(path), format=paper)
        assert path.read_bytes().startswith(b"%PDF")
    page.emulate_media(media="screen")
    page.get_by_role("link", name="The answer key for this worksheet").click()
    expect(page.get_by_role("heading", name=re.compile("^Answer key:"))).to_be_visible()
    expect(page.locator(".sheet-item")).to_have_count(QUESTIONS)
    page.pdf(path=str(out / "class-answer-key-a4.pdf"), format="A4")
