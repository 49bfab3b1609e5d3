"""Write all content (not answers or reports) to one JSON file, for `import_content`."""

from pathlib import Path

from django.core.management.base import BaseCommand

from explainer import snapshots
from explainer.models import CONTENT_MODELS


class Command(BaseCommand):
    help = "Export every comparison, concept, table, example and scenario to one JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        snapshots.dump(path, CONTENT_MODELS)
        self.stdout.write(self.style.SUCCESS(f"Content exported to {path} ({path.stat().st_size} bytes)."))
