"""Hot reads in plain SQL: rows read as complete model instances, without building an ORM query.

Why: the quiz reads the same few rows on every question and answer (a
learner's round, a review card, the earliest due date), and building each
ORM query (clone, filter, compile) cost more than running it: the round's
read alone was a third of a feedback request (`make bench-profile`;
docs/decisions.md, "Hot reads"). A `Select` is written once, compiled once
per database, and converts what it reads with the fields' own converters,
so what it returns equals what the ORM would (tests/test_learners.py pins it).

Contract: a `Select` names its models, each with a table alias, the FROM
clause and the WHERE clause (with %s placeholders); `one(params)` returns a
tuple with an instance of each model, or None when no row matches. The SQL
holds table and column names only; every value is a query parameter.
"""

from django.db import connections, router


def _converters(field, col, connection):
    """What the ORM runs on a value of `field` read through `col`: the backend's converters, then the field's."""
    return connection.ops.get_db_converters(col) + field.get_db_converters(connection)


def _convert(value, funcs, col, connection):
    for func in funcs:
        value = func(value, col, connection)
    return value


class Select:
    def __init__(self, models, source, where):
        """`models`: [(alias, Model)]; `source`: FROM clause, with {alias} for each model's table name."""
        self.models = models
        self.source = source
        self.where = where
        self.attnames = [[field.attname for field in model._meta.concrete_fields] for _alias, model in models]
        self._compiled = {}

    def _compile(self, connection):
        key = connection.alias, connection.vendor
        if key not in self._compiled:
            quote = connection.ops.quote_name
            columns, converters = [], []
            for alias, model in self.models:
                for field in model._meta.concrete_fields:
                    col = field.get_col(alias)
                    funcs = _converters(field, col, connection)
                    if funcs:
                        converters.append((len(columns), funcs, col))
                    columns.append(f"{alias}.{quote(field.column)}")
            tables = {alias: quote(model._meta.db_table) for alias, model in self.models}
            sql = f"SELECT {', '.join(columns)} FROM {self.source.format(**tables)} WHERE {self.where}"  # noqa: S608
            self._compiled[key] = sql, converters
        return self._compiled[key]

    def one(self, params, using=None):
        using = using or router.db_for_read(self.models[0][1])
        connection = connections[using]
        sql, converters = self._compile(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for index, funcs, col in converters:
            values[index] = _convert(values[index], funcs, col, connection)
        instances, start = [], 0
        for (_alias, model), names in zip(self.models, self.attnames, strict=True):
            instances.append(model.from_db(using, names, values[start : start + len(names)]))
            start += len(names)
        return tuple(instances)


def earliest(field, where, params, using=None):
    """MIN(`field`) over the rows of its model that match `where` (column names of the model's table), converted
    as the ORM converts the field's values; None when no row matches."""
    model = field.model
    using = using or router.db_for_read(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    col = field.get_col(model._meta.db_table)
    sql = f"SELECT MIN({quote(field.column)}) FROM {quote(model._meta.db_table)} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (value,) = cursor.fetchone()
    return None if value is None else _convert(value, _converters(field, col, connection), col, connection)
