"""The shipped content, loaded by `load_content` once per test session and put back in any test that asks for it.

Tests that need the shipped content far outnumber the loader's own tests, and
running the loader (or `loaddata` of its dump) took about 2.6 s a time. So
the loader runs once, in a transaction that is rolled back, and what it wrote
is kept two ways:
- as a `dumpdata` file (natural keys for content types), which `loaddata`
  restores on any database: the way on PostgreSQL;
- on SQLite, as the rows of each table it fills, put back with one INSERT per
  table: about 0.1 s. Content type ids are mapped by natural key, because a
  transactional test's flush renumbers them.
Both are exact copies of what the loader wrote; tests/test_content.py runs
the loader itself.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from explainer import snapshots
from explainer.caching import bump_generation


def _tables(models):
    """The tables of `models` and of their own many-to-many links, in the order given."""
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                tables.append(through._meta.db_table)
    return tables


class ContentSnapshot:
    def __init__(self, path, models):
        self.path = path
        self.models = models
        self.rows = None  # {table: (columns, rows)}, SQLite only
        self.content_types = {}  # id when taken -> (app label, model)

    def take(self):
        """Keep what the database holds of `models` now: call it right after load_content, in its transaction."""
        call_command(
            "dumpdata",
            *snapshots.labels(self.models),
            format="json-exact",
            output=str(self.path),
            natural_foreign=True,
            verbosity=0,
        )
        if connection.vendor != "sqlite":
            return
        self.content_types = {ct.pk: ct.natural_key() for ct in ContentType.objects.all()}
        self.rows = {}
        with connection.cursor() as cursor:
            for table in _tables(self.models):
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (a table name of ours)
                columns = [column[0] for column in cursor.description]
                self.rows[table] = columns, cursor.fetchall()

    def load(self):
        """Put the content back into an empty database."""
        if self.rows is None:
            call_command("loaddata", str(self.path), format="json-exact", verbosity=0)
        else:
            self._insert()
        bump_generation()  # raw writes leave the page cache alone

    def _insert(self):
        ids = {old: ContentType.objects.get_by_natural_key(*key).pk for old, key in self.content_types.items()}
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, rows) in self.rows.items():
                if not rows:
                    continue
                if "content_type_id" in columns:
                    at = columns.index("content_type_id")
                    rows = [(*row[:at], ids[row[at]], *row[at + 1 :]) for row in rows]
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608
