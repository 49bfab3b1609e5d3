"""Load a snapshot written by `backup` into an empty database.

Contract: refuses (and changes nothing) when the database already holds
content, unless --replace is given, which first deletes the explainer app's
data; the load runs in one transaction, so a broken file changes nothing.
"""

from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from explainer.caching import bump_generation
from explainer.models import ContentGeneration


class Command(BaseCommand):
    help = "Restore a snapshot written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--replace", action="store_true", help="Delete the current content first.")

    def handle(self, *args, path, replace=False, **options):
        if not path.is_file():
            raise CommandError(f"No snapshot at {path}.")
        models = [m for m in apps.get_app_config("explainer").get_models() if m is not ContentGeneration]
        with transaction.atomic():
            if any(model._default_manager.exists() for model in models):
                if not replace:
                    raise CommandError("The database is not empty; use --replace to overwrite it.")
                # Children before parents: delete answers and scenarios before comparisons and concepts.
                for model in reversed(models):
                    model._base_manager.all().delete()
            call_command("loaddata", str(path), verbosity=0)
            bump_generation()  # loaddata sends "raw" signals, which leave the page cache alone
        self.stdout.write(self.style.SUCCESS(f"Restored {path}."))
