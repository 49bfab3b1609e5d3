"""Write a consistent snapshot of all content, answers and reports to one JSON file.

Contract: the snapshot is read in a single transaction (REPEATABLE READ on
PostgreSQL, one read transaction on SQLite), so it never mixes data from
before and after a concurrent write. It holds the explainer app's tables
(users and groups are not content and are left out). `restore` reads it back.
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction


class Command(BaseCommand):
    help = "Write a consistent JSON snapshot of content, answers and reports."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="File to write (its folder is created).")

    def handle(self, *args, path, **options):
        path.parent.mkdir(parents=True, exist_ok=True)
        # Inside a caller's transaction (the tests) the snapshot shares it;
        # on its own it opens one at REPEATABLE READ.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command(
                "dumpdata",
                "explainer",
                exclude=["explainer.contentgeneration"],  # cache bookkeeping, not content
                output=str(path),
                indent=1,
                verbosity=0,
            )
        self.stdout.write(self.style.SUCCESS(f"Snapshot written to {path} ({path.stat().st_size} bytes)."))
