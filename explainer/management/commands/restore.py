"""Load a snapshot written by `backup` into an empty database (or replace what is there)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from explainer import snapshots


class Command(BaseCommand):
    help = "Restore a snapshot written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--replace", action="store_true", help="Delete the current content and records first.")

    def handle(self, *args, path, replace=False, **options):
        snapshots.load(path, snapshots.CONTENT + snapshots.RECORDS, replace=replace)
        self.stdout.write(self.style.SUCCESS(f"Restored {path}."))
