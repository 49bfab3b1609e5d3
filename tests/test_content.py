"""The content that ships with the project: complete, loadable twice, and our own words."""

import json
import re
import shutil
import uuid
from pathlib import Path

import pytest
import reversion
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from explainer.models import Cell, Comparison, Example, Point, Response, Scenario, WrongChoiceNote
from tests import factories
from tests.originality import borrowed_runs, fingerprint, load_fingerprint

CONTENT = Path(__file__).resolve().parent.parent / "explainer" / "content"

pytestmark = pytest.mark.django_db


def strings(value):
    """Every string inside a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_alliance_vs_coalition_ships_complete(shipped_content):
    comparison = Comparison.objects.with_table().get(slug="alliance-vs-coalition")
    concepts = comparison.ordered_concepts
    assert [c.slug for c in concepts] == ["alliance", "coalition"]
    assert all(c.definition for c in concepts)
    rows = comparison.table_rows()
    assert len(rows) >= 8
    assert all(text.strip() for row in rows for text in row.cells)
    assert len(comparison.similarities) >= 6
    assert len(comparison.key_differences) >= 8
    assert comparison.blur_note.strip()
    assert comparison.is_published
    assert comparison.missing_for_publication() == []


def test_shipped_examples_are_dated_and_sourced(shipped_content):
    examples = Example.objects.filter(concept__comparisons__slug="alliance-vs-coalition")
    assert examples.count() >= 8
    for example in examples:
        assert example.start_year > 1000
        assert example.source_url.startswith("https://")
    names = " ".join(examples.values_list("name", flat=True))
    for expected in ["NATO", "Warsaw Pact", "ANZUS"]:
        assert expected in names


def test_the_eu_and_nafta_are_explained_where_the_line_blurs_not_listed_as_alliances(shipped_content):
    comparison = Comparison.objects.get(slug="alliance-vs-coalition")
    alliance_examples = " ".join(Example.objects.filter(concept__slug="alliance").values_list("name", flat=True))
    assert "European Union" not in alliance_examples and "NAFTA" not in alliance_examples
    assert "Article 42(7)" in comparison.blur_note and "NAFTA" in comparison.blur_note


# One account per concept: the two pages that share "alliance" and "coalition".

PAIR = ["alliance-vs-coalition", "alliance-coalition-partnership"]


def test_rows_shared_by_the_two_alliance_pages_say_the_same_of_each_shared_concept(shipped_content):
    two_way, three_way = (Comparison.objects.with_table().get(slug=slug) for slug in PAIR)
    cells = {}
    for comparison in (two_way, three_way):
        for row in comparison.table_rows():
            for concept, text in zip(comparison.ordered_concepts, row.cells, strict=True):
                cells.setdefault((row.attribute.slug, concept.slug), set()).add(text)
    shared_rows = {a.slug for a in two_way.attributes.all()} & {a.slug for a in three_way.attributes.all()}
    assert {"purpose", "commitment", "basis", "duration"} <= shared_rows
    for row in shared_rows:
        for concept in ("alliance", "coalition"):
            assert len(cells[(row, concept)]) == 1, (row, concept, cells[(row, concept)])


def test_every_alliance_case_on_either_page_is_decided_by_a_promise_of_mutual_support(shipped_content):
    # The shared definition: a standing promise of support makes an alliance, so
    # every case keyed "alliance" must name the commitment row as a cue.
    for scenario in Scenario.objects.filter(comparison__slug__in=PAIR, correct_concept__slug="alliance"):
        assert "commitment" in {cue.slug for cue in scenario.cues.all()}, scenario


def test_the_two_alliance_pages_key_every_shared_case_and_example_the_same_way(shipped_content):
    keyed = {}
    for scenario in Scenario.objects.filter(comparison__slug__in=PAIR).exclude(source_url=""):
        keyed.setdefault(scenario.source_url, set()).add(scenario.correct_concept.slug)
    assert all(len(keys) == 1 for keys in keyed.values()), keyed
    examples = {}
    for example in Example.objects.filter(concept__comparisons__slug__in=PAIR).distinct():
        examples.setdefault(example.name.lower(), set()).add(example.concept.slug)
    assert all(len(concepts) == 1 for concepts in examples.values()), examples


def test_no_business_partnership_is_keyed_alliance_on_the_two_way_page(shipped_content):
    # Cases without a promise of support (airline networks, research pacts) are
    # partnerships on the three-way page, so they cannot be alliances elsewhere.
    partnership_sources = set(
        Scenario.objects.filter(comparison__slug=PAIR[1], correct_concept__slug="partnership").values_list(
            "source_url", flat=True
        )
    ) - {""}
    two_way_sources = set(Scenario.objects.filter(comparison__slug=PAIR[0]).values_list("source_url", flat=True))
    assert not partnership_sources & two_way_sources


def test_loading_twice_changes_nothing(shipped_content, capsys):
    counts = (Cell.objects.count(), Point.objects.count(), Example.objects.count())
    call_command("load_content")
    assert (Cell.objects.count(), Point.objects.count(), Example.objects.count()) == counts
    assert " 0 created, 0 updated" in capsys.readouterr().out


def test_loading_keeps_an_editors_change(shipped_content):
    cell = Cell.objects.filter(attribute__comparison__slug="alliance-vs-coalition").first()
    cell.text = "Edited by an editor."
    cell.save()
    call_command("load_content", verbosity=0)
    cell.refresh_from_db()
    assert cell.text == "Edited by an editor."


def test_overwrite_puts_the_shipped_text_back(shipped_content):
    cell = Cell.objects.filter(attribute__comparison__slug="alliance-vs-coalition").first()
    cell.text = "Edited by an editor."
    cell.save()
    call_command("load_content", overwrite=True, verbosity=0)
    cell.refresh_from_db()
    assert cell.text != "Edited by an editor."


@pytest.mark.parametrize("path", sorted(CONTENT.glob("*/*.json")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_sentence_of_the_source_article_is_shipped(path):
    known = load_fingerprint()
    text = "\n".join(strings(json.loads(path.read_text(encoding="utf-8"))))
    assert borrowed_runs(text, known) == []


def test_the_originality_check_catches_a_copied_sentence():
    # Without this, the test above could pass by checking nothing.
    source = "Both groups pool their money and their votes, then go their separate ways afterwards."
    known = set(fingerprint(source))
    reworded = "Members pool their money and their votes, then go their separate ways afterwards, said the note."
    assert borrowed_runs(reworded, known) == [
        "and their votes then go their separate ways",
        "money and their votes then go their separate",
        "pool their money and their votes then go",
        "their money and their votes then go their",
        "their votes then go their separate ways afterwards",
    ]
    assert borrowed_runs("An ordinary sentence we wrote ourselves about two kinds of groups.", known) == []


def test_the_fingerprint_of_the_source_article_is_there():
    assert len(load_fingerprint()) > 1000


def test_overwrite_unpublishes_shipped_scenarios_the_files_no_longer_list(shipped_content, capsys):
    comparison = Comparison.objects.get(slug="alliance-vs-coalition")
    withdrawn = factories.make_scenario(comparison, slug="airline-network-1997")
    call_command("load_content", overwrite=True)
    withdrawn.refresh_from_db()
    assert withdrawn.is_published is False
    assert "1 scenario(s) no longer shipped unpublished." in capsys.readouterr().out
    assert Scenario.objects.filter(comparison=comparison, is_published=True).count() >= 30


def copied_content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def edit_in_the_admin(obj, **changes):
    """Change `obj` as an editor's save does: in a revision of its own."""
    with reversion.create_revision():
        reversion.set_comment("Changed in the admin.")
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()


def test_a_plain_load_corrects_what_nobody_changed_and_keeps_an_editors_change(shipped_content, tmp_path):
    content = copied_content(tmp_path)
    path = content / "alliance-vs-coalition" / "comparison.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    rows = doc["attributes"][2:4]
    for row in rows:
        row["cells"] = {concept: f"{text} Corrected." for concept, text in row["cells"].items()}
    path.write_text(json.dumps(doc), encoding="utf-8")
    cells = Cell.objects.filter(attribute__comparison__slug="alliance-vs-coalition", concept__slug="alliance")
    untouched = cells.get(attribute__slug=rows[0]["slug"])
    edited = cells.get(attribute__slug=rows[1]["slug"])
    edit_in_the_admin(edited, text="An editor's text.")
    call_command("load_content", dir=content, verbosity=0)
    untouched.refresh_from_db()
    edited.refresh_from_db()
    assert untouched.text == rows[0]["cells"]["alliance"]
    assert edited.text == "An editor's text."
    # Loading again changes nothing more, and the editor's text still stands.
    call_command("load_content", dir=content, verbosity=0)
    edited.refresh_from_db()
    assert edited.text == "An editor's text."


def test_a_plain_load_unpublishes_a_dropped_scenario_nobody_changed_and_keeps_its_answers(shipped_content, tmp_path):
    content = copied_content(tmp_path)
    path = content / "alliance-vs-coalition" / "scenarios.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(items[2:]), encoding="utf-8")
    quiz = Scenario.objects.filter(comparison__slug="alliance-vs-coalition")
    dropped, rewritten_by_editor = quiz.get(slug=items[0]["slug"]), quiz.get(slug=items[1]["slug"])
    Response.objects.create(round_id=uuid.uuid4(), scenario=dropped, chosen=dropped.correct_concept, is_correct=True)
    edit_in_the_admin(rewritten_by_editor, text="An editor's own rewrite of the case.")
    call_command("load_content", dir=content, verbosity=0)
    dropped.refresh_from_db()
    rewritten_by_editor.refresh_from_db()
    assert dropped.is_published is False
    assert dropped.responses.count() == 1
    assert rewritten_by_editor.is_published is True


def test_a_plain_load_leaves_an_editors_own_scenarios_alone(shipped_content):
    comparison = Comparison.objects.get(slug="alliance-vs-coalition")
    own = factories.make_scenario(comparison, slug="editors-own-case")
    call_command("load_content", verbosity=0)
    own.refresh_from_db()
    assert own.is_published is True


def test_a_category_described_two_ways_is_refused(tmp_path):
    for name, description in [("one", "First text."), ("two", "Second text.")]:
        folder = tmp_path / name
        folder.mkdir()
        doc = {
            "category": {"slug": "same", "name": "Same", "description": description},
            "concepts": [],
            "comparison": {"slug": name, "title": name, "lede": "A lede.", "concepts": ["a", "b"]},
            "attributes": [{"slug": "row", "name": "Row", "cells": {}}],
        }
        (folder / "comparison.json").write_text(json.dumps(doc))
    with pytest.raises(CommandError, match="'same' differs between one and two"):
        call_command("load_content", dir=tmp_path, verbosity=0)


def test_a_file_that_breaks_the_schema_is_refused_naming_file_item_and_field(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    doc = {
        "category": {"slug": "cat", "name": "Cat"},
        "comparison": {"slug": "broken", "title": "Broken", "lede": "x" * 301, "concepts": ["a", "b"]},
        "attributes": [{"slug": "row", "name": "Row", "cells": {}}],
    }
    (folder / "comparison.json").write_text(json.dumps(doc))
    scenario = {"slug": "case-one", "correct_concept": "a", "difficulty": "easy", "text": "T", "explanation": "E"}
    (folder / "scenarios.json").write_text(json.dumps([{**scenario, "cues": [], "real": False}]))
    with pytest.raises(CommandError) as refused:
        call_command("load_content", dir=tmp_path, verbosity=0)
    assert "broken/comparison.json: field 'comparison': field 'lede':" in str(refused.value)
    assert Comparison.objects.count() == 0


def test_a_scenario_that_breaks_the_schema_is_refused_by_slug_and_field(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    doc = {
        "category": {"slug": "cat", "name": "Cat"},
        "comparison": {"slug": "broken", "title": "Broken", "lede": "A lede.", "concepts": ["a", "b"]},
        "attributes": [{"slug": "row", "name": "Row", "cells": {}}],
    }
    (folder / "comparison.json").write_text(json.dumps(doc))
    scenario = {"slug": "case-one", "correct_concept": "a", "difficulty": "easy", "text": "T", "explanation": "E"}
    (folder / "scenarios.json").write_text(json.dumps([{**scenario, "cues": [], "real": False}]))
    with pytest.raises(CommandError, match=re.escape("broken/scenarios.json: item 'case-one': field 'cues': ")):
        call_command("load_content", dir=tmp_path, verbosity=0)


def test_every_shipped_comparison_is_complete(shipped_content):
    comparisons = Comparison.objects.with_table()
    assert comparisons.count() >= 7
    for comparison in comparisons:
        assert comparison.is_published, comparison
        assert comparison.missing_for_publication() == [], comparison
        assert len(comparison.table_rows()) >= 6, comparison
        assert comparison.blur_note.strip(), comparison
        for concept in comparison.ordered_concepts:
            assert concept.examples.count() >= 2, (comparison, concept)
        assert Example.objects.filter(concept__in=comparison.ordered_concepts).count() >= 4, comparison
        scenarios = comparison.scenarios.published()
        assert scenarios.count() >= 15, comparison
        assert {s.correct_concept_id for s in scenarios} == {c.pk for c in comparison.ordered_concepts}, comparison


def test_a_three_concept_comparison_ships(shipped_content):
    comparison = Comparison.objects.with_table().get(slug="alliance-coalition-partnership")
    assert [c.slug for c in comparison.ordered_concepts] == ["alliance", "coalition", "partnership"]
    assert all(len(row.cells) == 3 and all(row.cells) for row in comparison.table_rows())


def test_shipped_examples_show_ongoing_ones_to_the_present_and_events_as_one_year(shipped_content):
    assert Example.objects.get(slug="nato").period == "1949–present"
    # The North Atlantic Treaty is still in force (issue 27 corrected "1949" to this).
    assert Example.objects.get(slug="north-atlantic-treaty-senate-1949").period == "1949–present"
    assert Example.objects.get(slug="destroyers-for-bases-1940").period == "1940"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["cell", "scenario", "note"])
def test_a_cell_a_scenario_and_a_note_must_name_one_of_the_comparisons_concepts(kind):
    comparison = factories.make_quiz_comparison(per_concept=1)
    scenario = comparison.scenarios.order_by("pk").first()
    own = comparison.ordered_concepts[-1]
    made = {
        "cell": lambda concept: Cell(attribute=comparison.attributes.first(), concept=concept, text="A cell."),
        "scenario": lambda concept: Scenario(comparison=comparison, correct_concept=concept, text="A case."),
        "note": lambda concept: WrongChoiceNote(scenario=scenario, concept=concept, text="Why not."),
    }[kind]
    field = "correct_concept" if kind == "scenario" else "concept"
    made(own if kind != "note" else comparison.ordered_concepts[1]).clean()  # one of its own: accepted
    with pytest.raises(ValidationError) as refused:
        made(factories.make_concept()).clean()
    assert field in refused.value.message_dict
