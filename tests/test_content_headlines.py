"""Headlines, key rows and the one-line test: shipped for every comparison, loaded, and kept consistent."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from explainer import content_rules
from explainer.content_files import content_folders, read_folder
from explainer.models import KEY_ROWS, Attribute, Cell, Comparison

CONTENT = Path(__file__).resolve().parent.parent / "explainer" / "content"

pytestmark = pytest.mark.django_db


def test_every_shipped_cell_has_a_short_headline(shipped_content):
    cells = Cell.objects.all()
    assert cells.count() > 100
    missing = [str(cell) for cell in cells if not cell.headline.strip()]
    assert missing == []
    assert max(len(cell.headline.split()) for cell in cells) <= 6  # a few words, not a sentence


def test_every_shipped_comparison_has_a_one_line_test_and_two_or_three_key_rows(shipped_content):
    # Key rows are the ones that decide; a row whose own cells call it a poor guide is never key,
    # so some comparisons have two (issue 27).
    for comparison in Comparison.objects.all():
        assert comparison.one_line_test.strip(), comparison
        assert 2 <= comparison.attributes.filter(is_key=True).count() <= KEY_ROWS, comparison


def test_every_one_line_test_names_each_of_its_concepts(shipped_content):
    for comparison in Comparison.objects.with_table():
        for concept in comparison.ordered_concepts:
            # "an executive agreement", "sanctions" / "sanction": the concept's first word, any case.
            assert concept.name.split()[0].lower().rstrip("s") in comparison.one_line_test.lower(), (
                comparison,
                concept,
            )


def test_a_site_loaded_before_headlines_gains_them_without_losing_an_editors_text(shipped_content, capsys):
    Cell.objects.update(headline="")
    Attribute.objects.update(is_key=False)
    Comparison.objects.update(one_line_test="")
    edited = Cell.objects.filter(attribute__comparison__slug="alliance-vs-coalition").first()
    edited.headline = "An editor's headline"
    edited.text = "An editor's sentence."
    edited.save()
    call_command("load_content")
    assert "given new fields they lacked" in capsys.readouterr().out
    edited.refresh_from_db()
    assert (edited.headline, edited.text) == ("An editor's headline", "An editor's sentence.")
    assert not Cell.objects.filter(headline="").exists()
    shipped_keys = sum(
        sum(1 for row in read_folder(folder).comparison["attributes"] if row.get("key")) for folder in content_folders()
    )
    assert Attribute.objects.filter(is_key=True).count() == shipped_keys
    assert not Comparison.objects.filter(one_line_test="").exists()


def test_overwrite_puts_the_shipped_headline_back(shipped_content):
    cell = Cell.objects.filter(attribute__comparison__slug="coup-vs-revolution").first()
    shipped = cell.headline
    cell.headline = "Changed"
    cell.save()
    call_command("load_content", overwrite=True, verbosity=0)
    cell.refresh_from_db()
    assert cell.headline == shipped


def write_folder(tmp_path, row):
    folder = tmp_path / "one"
    folder.mkdir()
    doc = {
        "category": {"slug": "cat", "name": "Cat"},
        "concepts": [
            {"slug": "a", "name": "A", "definition": "The first."},
            {"slug": "b", "name": "B", "definition": "The second."},
        ],
        "comparison": {"slug": "one", "title": "A vs. B", "lede": "A lede.", "concepts": ["a", "b"]},
        "attributes": [{"slug": "row", "name": "Row", "cells": {"a": "A's cell.", "b": "B's cell."}, **row}],
    }
    (folder / "comparison.json").write_text(json.dumps(doc))


def test_a_headline_longer_than_sixty_characters_is_refused_by_row_and_field(tmp_path):
    write_folder(tmp_path, {"headlines": {"a": "x" * 61}})
    with pytest.raises(CommandError, match=re.escape("item 'row': field 'headlines': field 'a': ")):
        call_command("load_content", dir=tmp_path, verbosity=0)
    assert Comparison.objects.count() == 0


def test_a_headline_for_a_concept_without_a_cell_is_refused(tmp_path):
    write_folder(tmp_path, {"headlines": {"a": "Fine", "c": "Orphan"}})
    with pytest.raises(CommandError, match="item 'row': field 'headlines': 'c' has no cell"):
        call_command("load_content", dir=tmp_path, verbosity=0)
    assert Comparison.objects.count() == 0


def test_headlines_and_key_rows_load_from_a_file(tmp_path):
    write_folder(tmp_path, {"headlines": {"a": "Bold A", "b": "Bold B"}, "key": True})
    call_command("load_content", dir=tmp_path, verbosity=0)
    attribute = Attribute.objects.get(slug="row")
    assert attribute.is_key
    assert sorted(attribute.cells.values_list("headline", flat=True)) == ["Bold A", "Bold B"]


def test_two_pages_that_share_a_row_must_give_a_concept_the_same_headline():
    folders = [CONTENT / "alliance-vs-coalition", CONTENT / "alliance-coalition-partnership"]
    comparisons = content_rules.from_folders(folders)
    assert content_rules.check_across(comparisons) == []
    comparisons[1].headlines[("purpose", "alliance")] = "Something else"
    findings = content_rules.check_across(comparisons)
    assert [(f.item, f.rule) for f in findings] == [("row purpose", "one-account")]
    assert "alliance headline differs" in findings[0].message
