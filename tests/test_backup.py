"""Backups: a snapshot restores into an empty database exactly."""

import datetime
import json
import uuid

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

from explainer.models import Comparison, ContentGeneration, Report, Response, Scenario

pytestmark = pytest.mark.django_db

CONTENT_AND_RECORDS = [m for m in apps.get_app_config("explainer").get_models() if m is not ContentGeneration]


def everything():
    """All rows of the explainer app, serialised, in a stable order."""
    rows = []
    for model in CONTENT_AND_RECORDS:
        rows.extend(json.loads(serializers.serialize("json-exact", model._base_manager.order_by("pk"))))
    return rows


def test_a_snapshot_restores_into_an_empty_database_exactly(shipped_content, tmp_path):
    scenario = Scenario.objects.first()
    # A time with fewer than 1,000 microseconds: Django's own JSON would round it away.
    answered_at = datetime.datetime(2026, 11, 25, 12, 0, 0, 512, tzinfo=datetime.UTC)
    Response.objects.create(
        round_id=uuid.uuid4(),
        scenario=scenario,
        chosen=scenario.correct_concept,
        is_correct=True,
        answered_at=answered_at,
    )
    Report.objects.create(comparison=scenario.comparison, scenario=scenario, message="Wrong year.", visitor="v1")
    before = everything()
    path = tmp_path / "snapshot.json"
    call_command("backup", str(path), verbosity=0)
    for model in reversed(CONTENT_AND_RECORDS):
        model._base_manager.all().delete()
    assert everything() == []
    call_command("restore", str(path), verbosity=0)
    assert everything() == before


def test_restore_refuses_a_database_that_is_not_empty(shipped_content, tmp_path):
    path = tmp_path / "snapshot.json"
    call_command("backup", str(path), verbosity=0)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), verbosity=0)


def test_a_broken_snapshot_changes_nothing(shipped_content, tmp_path):
    before = everything()
    path = tmp_path / "broken.json"
    path.write_text('[{"model": "explainer.concept", "pk": 1, "fields": {"name": 12')
    with pytest.raises(CommandError, match="cannot be read, so nothing was changed"):
        call_command("restore", str(path), replace=True, verbosity=0)
    assert everything() == before


def test_export_then_import_into_an_empty_database_round_trips_exactly(shipped_content, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    Comparison.objects.filter(pk=Comparison.objects.first().pk).update(
        updated_at=datetime.datetime(2026, 1, 1, 0, 0, 0, 7, tzinfo=datetime.UTC)
    )
    call_command("export_content", str(first), verbosity=0)
    for model in reversed(CONTENT_AND_RECORDS):
        model._base_manager.all().delete()
    call_command("import_content", str(first), verbosity=0)
    call_command("export_content", str(second), verbosity=0)
    assert first.read_bytes() == second.read_bytes()
    assert len(json.loads(first.read_text())) > 500


def test_export_leaves_out_answers_and_reports(shipped_content, tmp_path):
    scenario = Scenario.objects.first()
    Response.objects.create(round_id=uuid.uuid4(), scenario=scenario, chosen=scenario.correct_concept, is_correct=True)
    path = tmp_path / "content.json"
    call_command("export_content", str(path), verbosity=0)
    models = {row["model"] for row in json.loads(path.read_text())}
    assert "explainer.response" not in models and "explainer.report" not in models
    assert {"explainer.comparison", "explainer.cell", "explainer.scenario"} <= models


def test_import_refuses_a_database_with_content(shipped_content, tmp_path):
    path = tmp_path / "content.json"
    call_command("export_content", str(path), verbosity=0)
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_content", str(path), verbosity=0)
