"""Readers' "Report a problem": stored, limited, protected, and queued for editors."""

import pytest
from django.test import Client
from django.urls import reverse

from explainer.models import Report
from explainer.report_views import REPORT_LIMIT
from tests import factories

pytestmark = pytest.mark.django_db


def report_url(comparison):
    return reverse("report", args=[comparison.slug])


def test_the_comparison_page_links_to_its_report_form(client, comparison):
    assert f'href="{report_url(comparison)}"' in client.get(comparison.get_absolute_url()).text


def test_a_report_about_a_page_is_stored_as_new(client, comparison):
    response = client.post(report_url(comparison), {"message": "The NATO date is wrong."})
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    report = Report.objects.get()
    assert report.comparison == comparison and report.scenario is None
    assert report.status == Report.Status.NEW and report.message == "The NATO date is wrong."
    assert "Thank you" in client.get(response["Location"]).text


def test_a_report_about_a_quiz_question_names_the_scenario(client, comparison):
    scenario = factories.make_scenario(comparison)
    page = client.get(report_url(comparison), {"scenario": scenario.pk}).text
    assert scenario.text in page
    client.post(report_url(comparison), {"message": "This answer looks wrong.", "scenario": scenario.pk})
    report = Report.objects.get()
    assert report.scenario == scenario
    assert report.get_absolute_url() == reverse("quiz", args=[comparison.slug])


def test_a_scenario_of_another_comparison_is_ignored(client, comparison):
    other = factories.make_scenario(factories.make_comparison())
    client.post(report_url(comparison), {"message": "Something is off.", "scenario": other.pk})
    assert Report.objects.get().scenario is None


def test_reports_are_limited_per_visitor_per_hour(client, comparison):
    for i in range(REPORT_LIMIT):
        assert client.post(report_url(comparison), {"message": f"Report number {i}."}).status_code == 302
    response = client.post(report_url(comparison), {"message": "One too many."})
    assert response.status_code == 429
    assert "Please wait a while" in response.text
    assert "One too many." in response.text  # the reader's text is not lost
    assert Report.objects.count() == REPORT_LIMIT


def test_another_visitor_is_not_limited_by_the_first(comparison):
    for i in range(REPORT_LIMIT):
        Client(REMOTE_ADDR="10.0.0.1").post(report_url(comparison), {"message": f"Report number {i}."})
    response = Client(REMOTE_ADDR="10.0.0.2").post(report_url(comparison), {"message": "Mine is different."})
    assert response.status_code == 302


def test_the_honeypot_drops_a_bot_quietly(client, comparison):
    response = client.post(report_url(comparison), {"message": "Buy cheap pills!", "website": "http://spam.example"})
    assert response.status_code == 302
    assert Report.objects.count() == 0


@pytest.mark.parametrize("message", ["", "hey", "x" * 1001])
def test_a_report_too_short_or_too_long_is_refused(client, comparison, message):
    response = client.post(report_url(comparison), {"message": message})
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_html_in_a_report_is_shown_as_text(admin_client, client, comparison):
    client.post(report_url(comparison), {"message": "<script>alert('x')</script> broken"})
    page = admin_client.get(reverse("admin:explainer_report_changelist")).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_reports_need_a_csrf_token(comparison):
    client = Client(enforce_csrf_checks=True)
    response = client.post(report_url(comparison), {"message": "No token here."})
    assert response.status_code == 403
    assert Report.objects.count() == 0


def test_reporting_on_a_draft_or_unknown_comparison_is_404(client, draft):
    assert client.post(report_url(draft), {"message": "Hidden page."}).status_code == 404
    assert client.get("/compare/no-such-thing/report/").status_code == 404


def test_other_methods_are_refused(client, comparison):
    response = client.put(report_url(comparison))
    assert response.status_code == 405
    assert f'<a href="{report_url(comparison)}">Go to the report form</a>' in response.text


def test_the_queue_shows_new_reports_with_a_link_to_the_page(admin_client, client, comparison):
    client.post(report_url(comparison), {"message": "Broken source link."})
    page = admin_client.get(reverse("admin:explainer_report_changelist"), {"status__exact": "new"}).text
    assert "Broken source link." in page
    assert f'href="{comparison.get_absolute_url()}"' in page


def test_an_editor_marks_a_report_fixed(admin_client, comparison):
    report = Report.objects.create(comparison=comparison, message="Typo in the lede.", visitor="v")
    admin_client.post(
        reverse("admin:explainer_report_changelist"),
        {"action": "mark_fixed", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.status == Report.Status.FIXED


def test_behind_the_proxy_a_forged_forwarded_for_does_not_bypass_the_limit(comparison, settings):
    settings.BEHIND_TLS_PROXY = True
    for i in range(REPORT_LIMIT + 1):
        # The client writes its own X-Forwarded-For; the proxy appends the real address.
        forged = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 203.0.113.5")
        response = forged.post(report_url(comparison), {"message": f"Report number {i}."})
    assert response.status_code == 429
    assert Report.objects.count() == REPORT_LIMIT


@pytest.mark.parametrize("raw", ["²", "①", "١", "-1", "0", "9" * 40])
def test_a_strange_scenario_number_is_ignored_not_an_error(client, comparison, raw):
    response = client.get(report_url(comparison), {"scenario": raw})
    assert response.status_code == 200
