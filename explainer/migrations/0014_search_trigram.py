"""Enable PostgreSQL's pg_trgm extension, for typo-tolerant search (explainer.search.similar).

A no-op on SQLite, both ways: the operation checks schema_editor.connection.vendor
(Django's own CreateExtension checks it going forwards only, and reversing it on
SQLite would query PostgreSQL's catalogue). Reversed on PostgreSQL, it drops the
extension again.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class PostgresTrigramExtension(TrigramExtension):
    """TrigramExtension that does nothing, in either direction, on a database other than PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("explainer", "0013_cell_headlines"),
    ]

    operations = [PostgresTrigramExtension()]
