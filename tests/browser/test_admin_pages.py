"""Every admin page an editor uses, in Chromium at 1280x800: axe finds no WCAG 2.2 AA violation, the console
shows no error and the Content-Security-Policy reports nothing (issue 24, acceptance 3).

The pages are those of a draft comparison with everything a comparison holds (inlines filled: concepts, rows,
similarities, key differences; a quiz with notes on wrong choices; examples), so that every widget the editor
meets (autocompletes, inline order and delete boxes, the rows' cells link) is on the page that is checked.
"""

import pytest
import reversion
from playwright.sync_api import expect
from reversion.models import Version

from explainer.models import WrongChoiceNote
from tests import factories
from tests.browser.conftest import run_axe, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# Each CSP violation the page meets is kept where the test can read it (Chromium also logs it to the console,
# which Hygiene fails on; this names the directive and what was blocked).
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", event => window.__cspViolations.push(
  `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
  + ` at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} in ${location.pathname}`
  + ` (${(event.sample || "").slice(0, 80)})`));
"""


def _objects():
    """A draft comparison with all its parts, in revisions (so that history and compare have two versions)."""
    with reversion.create_revision():
        comparison = factories.complete(factories.make_comparison(published=False), quiz=True)
        related = factories.make_comparison(title="A related page")
        comparison.related.add(related)
    scenario = comparison.scenarios.first()
    wrong = next(c for c in comparison.ordered_concepts if c != scenario.correct_concept)
    WrongChoiceNote.objects.create(scenario=scenario, concept=wrong, text="Not this one: it lasts.")
    for lede in ("A first lede.", "A second lede."):
        with reversion.create_revision():
            comparison.lede = lede
            comparison.save()
    concept = comparison.ordered_concepts[0]
    return comparison, concept, concept.examples.first(), scenario, related


def _urls(comparison, concept, example, scenario, live):
    admin = "/admin/explainer/"
    base = f"{admin}comparison/{comparison.pk}/"
    newer, older = list(Version.objects.get_for_object(comparison))[:2]
    return {
        "index": "/admin/",
        "comparison-list": f"{admin}comparison/",
        "comparison-change": base + "change/",
        "comparison-add": f"{admin}comparison/add/",
        "comparison-live": f"{admin}comparison/{live.pk}/change/",
        "concept-change": f"{admin}concept/{concept.pk}/change/",
        "concept-add": f"{admin}concept/add/",
        "scenario-change": f"{admin}scenario/{scenario.pk}/change/",
        "scenario-add": f"{admin}scenario/add/?comparison={comparison.pk}",
        "example-change": f"{admin}example/{example.pk}/change/",
        "example-add": f"{admin}example/add/",
        "table": base + "table/",
        "quiz": base + "quiz/",
        "history": base + "history/",
        "compare": base + f"history/compare/?version_id1={older.pk}&version_id2={newer.pk}",
        "restore": base + f"history/{older.pk}/restore/",
        "recover-deleted": f"{admin}scenario/recover/",
        "preview": comparison.get_absolute_url(),
    }


PAGES = [
    "index",
    "comparison-list",
    "comparison-change",
    "comparison-add",
    "comparison-live",
    "concept-change",
    "concept-add",
    "scenario-change",
    "scenario-add",
    "example-change",
    "example-add",
    "table",
    "quiz",
    "history",
    "compare",
    "restore",
    "recover-deleted",
    "preview",
]


def _use_the_widgets(page, name):
    """What an editor does on a form before saving, where the admin's scripts build new controls: a row added
    to an inline, an autocomplete opened (its search box and list of choices)."""
    if name == "comparison-change":
        page.locator("#comparisonconcept_set-group").get_by_role("button", name="Add another").click()
        page.locator("#attributes-group").get_by_role("button", name="Add another").click()
    if name in {"comparison-change", "comparison-add"}:
        page.locator(".field-related .select2-search__field").click()
        expect(page.locator(".select2-results__option").first).to_be_visible()
    if name == "example-add":
        page.locator(".field-concept .select2-selection").click()
        expect(page.locator(".select2-dropdown .select2-search__field")).to_be_visible()


@pytest.mark.parametrize("name", PAGES)
def test_an_editors_admin_page_has_no_axe_violation_console_error_or_csp_report(
    page, hygiene, live_server, editor, name
):
    urls = _urls(*_objects())
    page.set_viewport_size({"width": 1280, "height": 800})
    page.add_init_script(RECORD_CSP)
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("an-editor-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()

    response = page.goto(live_server.url + urls[name])
    assert response.status == 200
    page.wait_for_load_state("networkidle")  # the admin's scripts (Select2, inlines, filters) have run
    _use_the_widgets(page, name)
    assert page.evaluate("window.__cspViolations") == []
    assert hygiene.problems == []  # no console error (a blocked inline style or script logs one too)
    # axe reads a stylesheet that @imports another (Django's forms.css imports widgets.css) by copying its
    # rules into <style> elements, which this CSP blocks: that report is axe's, after the page was checked.
    hygiene.expect_console_error("Applying inline style violates the following Content Security Policy")
    violations = run_axe(page)
    screenshot(page, f"admin-page-{name}")
    assert violations == [], repr(violations)[:3000]
