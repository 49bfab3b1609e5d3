"""Snapshots of the database as one JSON file: backups and content export/import share this.

`dump` reads in one transaction (REPEATABLE READ on PostgreSQL) so a snapshot
never mixes states; `load` writes in one transaction into tables that must be
empty (or are emptied first with replace=True), then raises the content
generation so that cached pages show what was loaded.
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import connection, transaction

from explainer.caching import bump_generation


def labels(models):
    return [model._meta.label_lower for model in models]


def dump(path, models):
    path.parent.mkdir(parents=True, exist_ok=True)
    # Inside a caller's transaction (the tests) the snapshot shares it; on its
    # own it opens one at REPEATABLE READ.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command("dumpdata", *labels(models), format="json-exact", output=str(path), indent=1, verbosity=0)


def load(path, models, replace=False):
    if not path.is_file():
        raise CommandError(f"No snapshot at {path}.")
    with transaction.atomic():
        if any(model._base_manager.exists() for model in models):
            if not replace:
                raise CommandError("The database is not empty; use --replace to overwrite it.")
            for model in reversed(models):
                model._base_manager.all().delete()
        try:
            call_command("loaddata", str(path), format="json-exact", verbosity=0)
        except DeserializationError as error:
            # Raised inside the transaction: whatever was deleted or loaded so far is rolled back.
            raise CommandError(f"The snapshot {path} cannot be read, so nothing was changed: {error}") from error
        bump_generation()  # loaddata sends "raw" signals, which leave the page cache alone


class DumpCommand(BaseCommand):
    """A command that writes `models` to the file it is given (backup, export_content)."""

    models = ()
    done = "Written to"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="File to write (its folder is created).")

    def handle(self, *args, path, **options):
        dump(path, self.models)
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
