"""An editor builds "Weather vs. Climate" from nothing to published, by following only the admin's screens.

`python -m bench.editor_walkthrough URL USER PASSWORD [--before] [--sheet FILE]`

Debian's Chromium (1280x800) is driven through Playwright as an editor would: only links, buttons and
form fields visible on the page are used, found by their text or label; no address is typed but the
admin's own. The content is the shipped weather-vs-climate folder (explainer/content), the quiz a
prepared spreadsheet of its 30 scenarios (written to --sheet first). The site must start empty of it:
run it against a fresh database (see docs/editors.md, "Timed").

Each page load is logged with the seconds since the start; the end prints a JSON summary. The steps:
category; two concepts with three examples each (on the concept form); the comparison with its texts,
concepts, seven rows and four similarities (one form); five key differences; the 14 cells (table
screen); the quiz; publishing. The quiz is imported from the spreadsheet on the quiz screen, or with
--before (the admin before issue 24, which had neither) typed from it into one scenario form each.

The times are a machine's (fields are filled at once); the page loads are what a person would wait
through, and what the screens cost.
"""

import argparse
import json
import re
import sys
import time
from pathlib import Path

from bench.firstload import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "explainer" / "content" / "weather-vs-climate"
EXAMPLES_PER_CONCEPT = 3


def load_content():
    comparison = json.loads((CONTENT / "comparison.json").read_text(encoding="utf-8"))
    scenarios = json.loads((CONTENT / "scenarios.json").read_text(encoding="utf-8"))
    return comparison, scenarios


def cues_of(item, rows):
    """The rows that decide a scenario: its cues, or (none listed) the rows its explanation names in brackets."""
    if item.get("cues"):
        return [rows[cue] for cue in item["cues"]]
    named = item["explanation"].lower()
    return [name for name in rows.values() if f"({name.lower()})" in named]


def write_sheet(path, comparison, scenarios):
    """The prepared spreadsheet: one row per scenario, concepts and rows by name, as the import reads it."""
    from openpyxl import Workbook

    concepts = {c["slug"]: c["name"] for c in comparison["concepts"]}
    rows = {a["slug"]: a["name"] for a in comparison["attributes"]}
    book = Workbook()
    sheet = book.active
    sheet.append(["text", "keyed concept", "against type", "difficulty", "cues", "explanation"])
    for item in scenarios:
        sheet.append(
            [
                item["text"],
                concepts[item["correct_concept"]],
                "yes" if item.get("against_type") else "no",
                item.get("difficulty", "medium"),
                "; ".join(cues_of(item, rows)),
                item["explanation"],
            ]
        )
    book.save(path)


class Log:
    def __init__(self):
        self.start = time.monotonic()
        self.loads = []
        self.step = "log in"

    def on_load(self, page):
        self.loads.append((round(time.monotonic() - self.start, 1), self.step, page.url))
        print(f"{self.loads[-1][0]:7.1f}s  #{len(self.loads):<3} {self.step:<28} {page.url}", flush=True)


def select2_choose(page, select_id, text):
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-container--open .select2-results__option", has_text=text).first.click()
    page.locator(".select2-container--open").wait_for(state="detached")


def add_inline(page, group, new_field):
    """Click the group's "Add another …" (below its rows; the "+" beside a choice opens another window)
    and wait for the row it adds (`new_field`, a selector)."""
    page.locator(f"{group} .add-row a").click()
    page.locator(new_field).wait_for()


def walk(page, log, base, user, password, sheet, before):
    data, scenarios = load_content()
    meta, concepts = data["comparison"], data["concepts"]
    page.goto(base + "/admin/")
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()

    log.step = "category"
    page.locator("tr.model-category").get_by_role("link", name="Add").click()
    page.get_by_label("Name").fill(data["category"]["name"])
    page.get_by_role("button", name="Save", exact=True).click()

    log.step = "concepts and examples"
    page.get_by_role("link", name="Home").first.click()
    page.locator("tr.model-concept").get_by_role("link", name="Add").click()
    for number, concept in enumerate(concepts):
        page.locator("#id_name").fill(concept["name"])
        page.locator("#id_definition").fill(concept["definition"])
        page.locator("#id_description").fill(concept["description"])
        examples = [e for e in data["examples"] if e["concept"] == concept["slug"]][:EXAMPLES_PER_CONCEPT]
        for index, example in enumerate(examples):
            prefix = f"#id_examples-{index}-"
            add_inline(page, "#examples-group", prefix + "name")
            page.locator(prefix + "name").fill(example["name"])
            page.locator(prefix + "kind").select_option(example["kind"])
            page.locator(prefix + "start_year").fill(str(example["start_year"]))
            page.locator(prefix + "summary").fill(example["summary"])
            page.locator(prefix + "source_url").fill(example["source_url"])
        last = number == len(concepts) - 1
        page.get_by_role("button", name="Save" if last else "Save and add another", exact=True).click()

    log.step = "comparison form"
    page.get_by_role("link", name="Home").first.click()
    page.locator("tr.model-comparison").get_by_role("link", name="Add").click()
    page.locator("#id_title").fill(meta["title"])
    page.locator("#id_category").select_option(label=data["category"]["name"])
    page.locator("#id_lede").fill(meta["lede"])
    page.locator("#id_one_line_test").fill(meta["one_line_test"])
    page.locator("#id_intro").fill(meta["intro"])
    page.locator("#id_blur_note").fill(meta["blur_note"])
    for index, concept in enumerate(concepts):
        add_inline(page, "#comparisonconcept_set-group", f"#id_comparisonconcept_set-{index}-concept")
        select2_choose(page, f"id_comparisonconcept_set-{index}-concept", concept["name"])
    for index, row in enumerate(data["attributes"]):
        add_inline(page, "#attributes-group", f"#id_attributes-{index}-name")
        page.locator(f"#id_attributes-{index}-name").fill(row["name"])
        page.locator(f"#id_attributes-{index}-question").fill(row["question"])
        if row.get("key"):
            page.locator(f"#id_attributes-{index}-is_key").check()
    for index, point in enumerate(data["similarities"]):
        add_inline(page, "#points-group", f"#id_points-{index}-title")
        page.locator(f"#id_points-{index}-title").fill(point["title"])
        page.locator(f"#id_points-{index}-text").fill(point["text"])
    page.get_by_role("button", name="Save and continue editing").click()

    log.step = "key differences"
    rows = {a["slug"]: a["name"] for a in data["attributes"]}
    for index, point in enumerate(data["differences"]):
        add_inline(page, "#points-2-group", f"#id_points-2-{index}-title")
        choice = page.locator(f"#id_points-2-{index}-attribute")
        choice.select_option(choice.locator("option", has_text=rows[point["attribute"]]).first.get_attribute("value"))
        page.locator(f"#id_points-2-{index}-title").fill(point["title"])
        page.locator(f"#id_points-2-{index}-text").fill(point["text"])
    page.get_by_role("button", name="Save and continue editing").click()
    comparison_url = page.url

    log.step = "table"
    page.get_by_role("link", name="Edit the whole table on one screen").first.click()
    for row in data["attributes"]:
        for concept in concepts:
            page.get_by_label(f"{row['name']} — {concept['name']}", exact=True).fill(row["cells"][concept["slug"]])
    page.get_by_role("button", name="Save the table").click()
    page.get_by_role("link", name="Back to the comparison").click()

    log.step = "quiz"
    if before:
        type_each_scenario(page, data, scenarios)
    else:
        page.get_by_role("link", name="Write the quiz on one screen").first.click()
        page.get_by_role("link", name="Import from a spreadsheet").click()
        page.get_by_label("Spreadsheet (.csv or .xlsx)").set_input_files(str(sheet))
        page.get_by_role("button", name="Preview the import").click()
        page.get_by_role("button", name="Import these rows").click()
        page.get_by_role("link", name=meta["title"]).first.click()

    log.step = "publish"
    if page.url.split("#")[0] != comparison_url.split("#")[0]:
        page.goto(comparison_url)  # the comparison's own page, as its breadcrumb leads back to it
    page.locator("#id_status").select_option(label="Published")
    confirm = page.locator("#id_confirm_quiz")
    if confirm.count():
        confirm.first.check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    return page.locator(".messagelist, .errornote").first.inner_text()


def type_each_scenario(page, data, scenarios):
    """The path before the quiz screen and the import: "Add a scenario" on the checklist, one form each."""
    concepts = {c["slug"]: c["name"] for c in data["concepts"]}
    rows = {a["slug"]: a["name"] for a in data["attributes"]}
    for item in scenarios:
        page.locator("#readiness, .checklist").get_by_role("link", name=re.compile("Add a scenario")).first.click()
        page.locator("#id_text").fill(item["text"])
        choice = page.locator("#id_correct_concept")
        choice.select_option(
            choice.locator("option", has_text=concepts[item["correct_concept"]]).first.get_attribute("value")
        )
        for cue in cues_of(item, rows):
            # The two-box chooser: pick the row under "Available cues", then the "Choose" arrow.
            available = page.locator("#id_cues_from")
            available.select_option(available.locator("option", has_text=cue).first.get_attribute("value"))
            page.locator(".selector-add").first.click()
        page.locator("#id_difficulty").select_option(item.get("difficulty", "medium"))
        if item.get("against_type"):
            page.locator("#id_against_type").check()
        page.locator("#id_explanation").fill(item["explanation"])
        page.get_by_role("button", name="Save", exact=True).click()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("user")
    parser.add_argument("password")
    parser.add_argument("--before", action="store_true", help="the admin before issue 24: one form per scenario")
    parser.add_argument("--sheet", default=str(ROOT / "test-artifacts" / "weather-vs-climate.xlsx"))
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    data, scenarios = load_content()
    Path(args.sheet).parent.mkdir(parents=True, exist_ok=True)
    write_sheet(args.sheet, data, scenarios)
    log = Log()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(30_000)
        page.on("load", lambda: log.on_load(page))
        try:
            outcome = walk(page, log, args.url.rstrip("/"), args.user, args.password, args.sheet, args.before)
        except Exception as error:  # report how far it got
            page.screenshot(path=str(ROOT / "test-artifacts" / "editor-walkthrough-failed.png"), full_page=True)
            outcome = f"stopped at {log.step}: {error}"
        browser.close()
    summary = {
        "mode": "before" if args.before else "after",
        "minutes": round((time.monotonic() - log.start) / 60, 1),
        "page_loads": len(log.loads),
        "by_step": {
            step: sum(1 for _, s, _ in log.loads if s == step) for step in dict.fromkeys(s for _, s, _ in log.loads)
        },
        "outcome": outcome.strip()[:300],
    }
    print(json.dumps(summary, indent=2))
    return 0 if "stopped at" not in outcome else 1


if __name__ == "__main__":
    sys.exit(main())
