"""Snapshots of the database as one JSON file: backups and content export/import share this.

`dump` reads in one transaction (REPEATABLE READ on PostgreSQL) so a snapshot
never mixes states; references to content types and permissions are written
as natural keys, so a snapshot loads into any freshly migrated database.
`load` writes in one transaction into tables that must be empty (or are
emptied first with replace=True), then moves the content generation forward,
past any number the old database can have used, so that no page cached from
it is ever served again.

A backup (`site_models()`) holds the whole site: content, learners' responses,
reader reports, revision history, users and groups (password hashes
included), LTI platforms with the tool's signing keys and learners' LTI
attempts, and the admin log.
"""

import os
import time
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import connection, transaction

from explainer import caching
from explainer.models import CONTENT_MODELS, RECORD_MODELS, Comparison, ComparisonVersion, ContentGeneration


def labels(models):
    return [model._meta.label_lower for model in models]


def site_models():
    """Every model a backup holds, parents before children."""
    accounts = [apps.get_model("auth", "Group"), apps.get_model("auth", "User")]
    # Learners' accounts: their proved addresses and passkeys (allauth). Links to another device live
    # 15 minutes and are left out.
    accounts += [apps.get_model("account", "EmailAddress"), apps.get_model("mfa", "Authenticator")]
    history = [apps.get_model("reversion", "Revision"), apps.get_model("reversion", "Version")]
    lti = [apps.get_model("lti1p3_tool_config", "LtiToolKey"), apps.get_model("lti1p3_tool_config", "LtiTool")]
    return [*accounts, *CONTENT_MODELS, *lti, *RECORD_MODELS, *history, apps.get_model("admin", "LogEntry")]


def move_generation_forward():
    """Set the content generation and every comparison's version past every number used before: a millisecond clock.

    Edits count up by one, so no database reaches the clock; after a restore the
    count goes on from there and never meets keys a shared cache may still hold.
    """
    current = ContentGeneration.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    highest = max(current, *ComparisonVersion.objects.values_list("number", flat=True), 0)
    number = max(highest + 1, int(time.time() * 1000))
    ContentGeneration.objects.update_or_create(pk=1, defaults={"number": number})
    ComparisonVersion.objects.all().delete()
    ComparisonVersion.objects.bulk_create(
        [ComparisonVersion(comparison_id=pk, number=number) for pk in Comparison.objects.values_list("pk", flat=True)]
    )


def dump(path, models, private=False):
    """Write `models` to `path` in one consistent read; `private`: owner-only (0600, in a new folder 0700)."""
    path.parent.mkdir(mode=0o700 if private else 0o777, parents=True, exist_ok=True)
    if private:
        # Made (or cut back) to 0600 before a byte is written: dumpdata then writes into it.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(path, 0o600)
    # Inside a caller's transaction (the tests) the snapshot shares it; on its
    # own it opens one at REPEATABLE READ.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command(
            "dumpdata",
            *labels(models),
            format="json-exact",
            output=str(path),
            indent=1,
            natural_foreign=True,
            verbosity=0,
        )


def load(path, models, replace=False):
    if not path.is_file():
        raise CommandError(f"No snapshot at {path}.")
    Group = apps.get_model("auth", "Group")
    # A fresh database already holds the groups its migrations made; the snapshot brings its own.
    must_be_empty = [model for model in models if model is not Group]
    # Every version moves forward at the end (move_generation_forward): the deletes need work out none.
    with transaction.atomic(), caching.batched(everything=True):
        if not replace and any(model._base_manager.exists() for model in must_be_empty):
            raise CommandError("The database is not empty; use --replace to overwrite it.")
        for model in reversed(models):
            model._base_manager.all().delete()
        try:
            call_command("loaddata", str(path), format="json-exact", verbosity=0)
        except DeserializationError as error:
            # Raised inside the transaction: whatever was deleted or loaded so far is rolled back.
            raise CommandError(f"The snapshot {path} cannot be read, so nothing was changed: {error}") from error
        move_generation_forward()  # loaddata sends "raw" signals, which leave the page cache alone


class DumpCommand(BaseCommand):
    """A command that writes `models` to the file it is given (backup, export_content)."""

    models = ()
    done = "Written to"
    private = False  # True: the file holds secrets (password hashes) and is written 0600

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="File to write (its folder is created).")

    def handle(self, *args, path, **options):
        dump(path, self.models, private=self.private)
        self.stdout.write(self.style.SUCCESS(f"{self.done} {path} ({path.stat().st_size} bytes)."))


class LoadCommand(BaseCommand):
    """A command that reads `models` from the file it is given (restore, import_content)."""

    models = ()
    done = "Loaded"
    can_replace = False

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        if self.can_replace:
            parser.add_argument("--replace", action="store_true", help="Delete the current content and records first.")

    def handle(self, *args, path, replace=False, **options):
        load(path, self.models, replace=replace)
        self.stdout.write(self.style.SUCCESS(f"{self.done} {path}."))
