"""Load a file written by `export_content` into a database that has no content yet."""

from pathlib import Path

from django.core.management.base import BaseCommand

from explainer import snapshots
from explainer.models import CONTENT_MODELS


class Command(BaseCommand):
    help = "Import content exported by `manage.py export_content` (into an empty database)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        snapshots.load(path, CONTENT_MODELS)
        self.stdout.write(self.style.SUCCESS(f"Content imported from {path}."))
