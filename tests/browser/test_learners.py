"""Issue 25 in a real Chromium: progress kept without the session, one review across comparisons after the
clock moves, a pupil's misses met again in their review, download and delete, and the new pages under axe."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from explainer import due_hint
from explainer.models import Learner, Pupil, ReviewCard
from explainer.quiz import review
from tests import factories
from tests.browser.conftest import assert_accessible_in_both_schemes, screenshot
from tests.browser.test_quiz_learning import choose, go_next, shown_scenario

pytestmark = pytest.mark.browser

TWO_WAY = "/compare/alliance-vs-coalition/"
THREE_WAY = "/compare/alliance-coalition-partnership/"


def later(monkeypatch, **kwargs):
    """Move the review clock (and the page cache's due hint) on: the live server runs in this process."""
    moment = timezone.now() + timedelta(**kwargs)
    monkeypatch.setattr(review, "now", lambda: moment)
    monkeypatch.setattr(due_hint, "now", lambda: moment)


def play(page, url, correct_every=2):
    """Play a round of the quiz at `url`: every `correct_every`-th answer right, the rest wrong and sure."""
    page.goto(url)
    missed = set()
    for number in range(10):
        correct = number % correct_every == 0
        scenario = choose(page, correct, "Sure")
        if not correct:
            missed.add(scenario.pk)
        go_next(page)
    return missed


def test_progress_and_due_cases_outlive_the_session(page, live_server, content, monkeypatch):
    missed = play(page, live_server.url + TWO_WAY + "quiz/")
    Session.objects.all().delete()  # the session row is gone: nothing of the learning was in it
    later(monkeypatch, days=1, minutes=5)
    page.goto(live_server.url + "/progress/")
    section = page.locator(".progress-comparison", has_text="Alliance vs. Coalition")
    expect(section).to_contain_text(re.compile(r"10 of \d+ cases"))
    expect(section.locator("dd").nth(3)).to_have_text(str(len(missed)))
    screenshot(page, "learners-progress")
    assert_accessible_in_both_schemes(page)
    page.goto(live_server.url + TWO_WAY)
    expect(page.locator(".review-due")).to_contain_text(f"{len(missed)} cases to review")


def test_one_review_across_two_comparisons_after_the_clock_moves(page, live_server, content, monkeypatch):
    missed = play(page, live_server.url + TWO_WAY + "quiz/") | play(page, live_server.url + THREE_WAY + "quiz/", 3)
    page.goto(live_server.url + "/review/")
    expect(page.locator(".review-outlook")).to_contain_text("0 cases due now")
    expect(page.locator(".review-outlook")).to_contain_text(f"{len(missed)} more by the end of tomorrow")
    later(monkeypatch, days=1, minutes=5)
    page.goto(live_server.url + "/")
    page.locator(".review-due").get_by_role("link", name="Review them now").click()
    expect(page.locator(".review-outlook")).to_contain_text(f"{len(missed)} cases due now")
    assert_accessible_in_both_schemes(page)
    page.get_by_role("button", name=re.compile("Review")).click()
    met = []
    for number in range(min(len(missed), 10)):
        expect(page.locator("#question-heading")).to_be_visible()
        if number == 0:
            assert_accessible_in_both_schemes(page)
        met.append(choose(page, correct=True, confidence="Sure"))
        go_next(page)
    expect(page.get_by_role("heading", name=f"You got {len(met)} of {len(met)} right")).to_be_visible()
    assert {s.pk for s in met} <= missed
    assert {s.comparison.slug for s in met} == {"alliance-vs-coalition", "alliance-coalition-partnership"}
    page.locator(".results details").first.locator("summary").click()
    screenshot(page, "learners-review-summary")
    assert_accessible_in_both_schemes(page)


def test_a_pupils_misses_come_back_in_their_review(page, live_server, teacher_account, monkeypatch):
    school_class = factories.make_class(teacher=teacher_account, question_count=3)
    page.goto(live_server.url + school_class.join_path)
    page.get_by_label("Nickname").fill("Ada")
    page.get_by_role("button", name=re.compile("Join|Start")).click()
    missed = set()
    for _ in range(3):
        missed.add(choose(page, correct=False, confidence="Sure").pk)
        go_next(page)
    expect(page.locator(".result-explanation")).to_have_count(3)  # the last page: each case's explanation
    learner = Pupil.objects.get().learner
    assert set(ReviewCard.objects.filter(learner=learner).values_list("scenario_id", flat=True)) == missed
    later(monkeypatch, days=1, minutes=5)
    page.goto(live_server.url + "/review/")
    expect(page.locator(".review-outlook")).to_contain_text("3 cases due now")
    page.get_by_role("button", name="Review them now").click()
    expect(page.locator("#question-heading")).to_be_visible()
    assert shown_scenario(page).pk in missed


def test_download_and_delete_my_data(page, live_server, content, hygiene):
    hygiene.expect_console_error("400")  # the delete form sent without its tick: the 400 page
    play(page, live_server.url + TWO_WAY + "quiz/")
    page.goto(live_server.url + "/my-data/")
    assert_accessible_in_both_schemes(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(data["answers"]) == 10 and data["review_cards"]
    public_id = data["learner"]["id"]
    page.get_by_role("button", name="Delete my data").click()
    expect(page.locator(".alert-danger")).to_contain_text("Tick the box")
    page.get_by_label(re.compile("Yes, delete")).check()
    page.get_by_role("button", name="Delete my data").click()
    expect(page.get_by_text("Nothing is kept about this browser")).to_be_visible()
    assert not Learner.objects.filter(public_id=public_id).exists()
    page.goto(live_server.url + "/privacy/")
    assert_accessible_in_both_schemes(page)
