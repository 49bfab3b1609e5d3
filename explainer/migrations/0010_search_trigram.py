"""Enable PostgreSQL's pg_trgm extension, for typo-tolerant search (explainer.search.similar).

A no-op on SQLite: Django's CreateExtension (TrigramExtension) checks
schema_editor.connection.vendor and does nothing unless it is "postgresql".
Reversed, it drops the extension again.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("explainer", "0009_cell_headlines"),
    ]

    operations = [TrigramExtension()]
