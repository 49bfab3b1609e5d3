"""Load a snapshot written by `backup` into an empty database (or replace what is there)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from explainer import snapshots
from explainer.models import CONTENT_MODELS, RECORD_MODELS


class Command(BaseCommand):
    help = "Restore a snapshot written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--replace", action="store_true", help="Delete the current content and records first.")

    def handle(self, *args, path, replace=False, **options):
        snapshots.load(path, CONTENT_MODELS + RECORD_MODELS, replace=replace)
        self.stdout.write(self.style.SUCCESS(f"Restored {path}."))
