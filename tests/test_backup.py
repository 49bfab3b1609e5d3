"""Backups: a snapshot restores into an empty database exactly."""

import json
import uuid

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

from explainer.models import Answer, ContentGeneration, Scenario

pytestmark = pytest.mark.django_db

CONTENT_AND_RECORDS = [m for m in apps.get_app_config("explainer").get_models() if m is not ContentGeneration]


def everything():
    """All rows of the explainer app, serialised, in a stable order."""
    rows = []
    for model in CONTENT_AND_RECORDS:
        rows.extend(json.loads(serializers.serialize("json", model._base_manager.order_by("pk"))))
    return rows


def test_a_snapshot_restores_into_an_empty_database_exactly(shipped_content, tmp_path):
    scenario = Scenario.objects.first()
    Answer.objects.create(round_id=uuid.uuid4(), scenario=scenario, chosen=scenario.answer, is_correct=True)
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
    with pytest.raises(Exception):  # noqa: B017 - any load error will do; the point is what follows
        call_command("restore", str(path), replace=True, verbosity=0)
    assert everything() == before
