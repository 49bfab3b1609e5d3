"""Backups: a snapshot restores into an empty database exactly."""

import datetime
import json
import uuid

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.management import CommandError, call_command
from django.urls import reverse
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from explainer.lti import keys
from explainer.models import Comparison, ComparisonVersion, ContentGeneration, LtiAttempt, Report, Response, Scenario
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

# The cache's version counters are bookkeeping, not content: a restore moves them forward instead.
CONTENT_AND_RECORDS = [
    m for m in apps.get_app_config("explainer").get_models() if m not in (ContentGeneration, ComparisonVersion)
]
# Every table a restore must bring back: the site's own, the revision history, the accounts and the admin log.
WHOLE_SITE = [
    *CONTENT_AND_RECORDS,
    *apps.get_app_config("reversion").get_models(),
    *apps.get_app_config("lti1p3_tool_config").get_models(),
    apps.get_model("auth", "User"),
    apps.get_model("auth", "Group"),
    apps.get_model("account", "EmailAddress"),
    apps.get_model("mfa", "Authenticator"),
    apps.get_model("admin", "LogEntry"),
]


def everything(models=CONTENT_AND_RECORDS):
    """All rows of `models`, serialised (natural keys for content types and permissions), in a stable order."""
    rows = []
    for model in models:
        rows.extend(
            json.loads(
                serializers.serialize("json-exact", model._base_manager.order_by("pk"), use_natural_foreign_keys=True)
            )
        )
    # Many-to-many lists come in the database's order, which PostgreSQL does not keep through a restore.
    for row in rows:
        for name, value in row["fields"].items():
            if name in M2M_FIELDS and isinstance(value, list):
                row["fields"][name] = sorted(value, key=repr)
    return rows


M2M_FIELDS = {"related", "cues", "permissions", "groups", "user_permissions"}


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
    for model in reversed(WHOLE_SITE):
        model._base_manager.all().delete()
    assert everything() == []
    call_command("restore", str(path), verbosity=0)
    assert everything() == before


def test_a_backup_restores_the_whole_site_history_and_accounts_included(admin_client, shipped_content, tmp_path):
    editor = User.objects.create_user("editor", password="an-editors-password")
    editor.groups.add(Group.objects.get(name="Editors"))
    learner = User.objects.create_user("learner", email="l@example.org", password="a-learners-password")
    learner.emailaddress_set.create(email="l@example.org", primary=True, verified=True)
    learner.authenticator_set.create(type="webauthn", data={"name": "Phone", "credential": {"id": "abc"}})
    comparison = Comparison.objects.get(slug="alliance-vs-coalition")
    admin_client.post(reverse("admin:explainer_comparison_draft_start", args=[comparison.pk]))
    draft = Comparison.objects.get(draft_of=comparison)  # a pending draft is part of the site too
    url = reverse("admin:explainer_comparison_change", args=[draft.pk])
    admin_client.post(
        url, change_form_data(admin_client, url, lede="Edited before the backup.")
    )  # a revision, a log entry
    platform = LtiTool.objects.create(
        title="Moodle",
        issuer="https://moodle.example",
        client_id="c1",
        auth_login_url="https://moodle.example/auth",
        auth_token_url="https://moodle.example/token",
        key_set_url="https://moodle.example/certs",
        tool_key=keys.current_key(),
        deployment_ids='["1"]',
    )
    LtiAttempt.objects.create(
        platform=platform, deployment_id="1", resource_link_id="r", subject="s", comparison=comparison
    )
    before = everything(WHOLE_SITE)
    counts = {model._meta.label: model._base_manager.count() for model in WHOLE_SITE}
    assert counts["reversion.Revision"] >= 2 and counts["admin.LogEntry"] >= 1
    assert counts["explainer.LtiAttempt"] == 1
    generation_before = ContentGeneration.objects.get().number
    path = tmp_path / "site.json"
    call_command("backup", str(path), verbosity=0)
    for model in reversed(WHOLE_SITE):
        model._base_manager.all().delete()
    Group.objects.create(name="Editors")  # what a freshly migrated database holds
    call_command("restore", str(path), verbosity=0)
    assert {model._meta.label: model._base_manager.count() for model in WHOLE_SITE} == counts
    assert everything(WHOLE_SITE) == before
    assert User.objects.get(username="editor").check_password("an-editors-password")
    assert ContentGeneration.objects.get().number > generation_before


@pytest.mark.parametrize(
    ("write", "read"), [("backup", "restore"), ("export_content", "import_content")], ids=["restore", "import"]
)
def test_loading_refuses_a_database_that_is_not_empty(shipped_content, tmp_path, write, read):
    path = tmp_path / "snapshot.json"
    call_command(write, str(path), verbosity=0)
    with pytest.raises(CommandError, match="not empty"):
        call_command(read, str(path), verbosity=0)


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
    # The review dates of time-bound claims travel with the content.
    assert Comparison.objects.get(slug="sanctions-vs-embargo").review_by == datetime.date(2027, 5, 1)


def test_export_leaves_out_answers_and_reports(shipped_content, tmp_path):
    scenario = Scenario.objects.first()
    Response.objects.create(round_id=uuid.uuid4(), scenario=scenario, chosen=scenario.correct_concept, is_correct=True)
    path = tmp_path / "content.json"
    call_command("export_content", str(path), verbosity=0)
    models = {row["model"] for row in json.loads(path.read_text())}
    assert "explainer.response" not in models and "explainer.report" not in models
    assert {"explainer.comparison", "explainer.cell", "explainer.scenario"} <= models


def test_a_restore_moves_every_comparisons_version_past_those_it_had(shipped_content, tmp_path):
    path = tmp_path / "site.json"
    call_command("backup", str(path), verbosity=0)
    highest = max(ComparisonVersion.objects.values_list("number", flat=True))
    call_command("restore", str(path), "--replace", verbosity=0)
    versions = dict(ComparisonVersion.objects.values_list("comparison_id", "number"))
    assert set(versions) == set(Comparison.objects.values_list("pk", flat=True))
    assert min(versions.values()) > highest
