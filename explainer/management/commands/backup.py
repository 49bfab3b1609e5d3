"""Write a consistent snapshot of all content, answers and reports to one JSON file.

Users and groups are not content and are left out; `restore` reads it back.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from explainer import snapshots
from explainer.models import CONTENT_MODELS, RECORD_MODELS


class Command(BaseCommand):
    help = "Write a consistent JSON snapshot of content, answers and reports."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="File to write (its folder is created).")

    def handle(self, *args, path, **options):
        snapshots.dump(path, CONTENT_MODELS + RECORD_MODELS)
        self.stdout.write(self.style.SUCCESS(f"Snapshot written to {path} ({path.stat().st_size} bytes)."))
