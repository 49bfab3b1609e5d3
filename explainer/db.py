"""Database helpers that Django does not ship for every backend."""

from django.db.models import Aggregate, JSONField


class JSONArrayAgg(Aggregate):
    """Aggregate the grouped rows into a JSON array, on SQLite and PostgreSQL alike.

    Django only ships a PostgreSQL version (contrib.postgres JSONBAgg); this
    one lets the comparison table come back in one query on either database.
    """

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # JSONB, not JSON: Django's psycopg setup hands jsonb back as text,
        # which JSONField decodes the same way as SQLite's text result.
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)
