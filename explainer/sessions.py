"""Database sessions that merge on save, so that two tabs cannot lose each other's quiz rounds.

Django's session store writes the whole session back at the end of a request:
with one cookie and two tabs, the request that saves last overwrites what the
other wrote in the meantime (a recorded answer, a new round). Each quiz round
lives under its own key (`quiz:<comparison id>`), so this store writes back
only the keys the request changed, merged into the row as it is now, read
under a row lock (SELECT ... FOR UPDATE on PostgreSQL).

Every quiz step reads the session, and an answer writes it: those two paths
(load, and save of an existing session) are three plain SQL statements on
Django's own table, because building them with the ORM cost more than running
them (bench/README.md, "Profile").

Contract: the same table and data format as django.contrib.sessions.backends.db;
creating, cycling (log-in) and flushing (log-out) a session work as before.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone


class SessionStore(db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._changed, self._removed, self._cleared = set(), set(), False
        self._written = False  # saved during this request, with every change since then tracked

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._changed.add(key)
        self._removed.discard(key)

    def __delitem__(self, key):
        super().__delitem__(key)
        self._removed.add(key)
        self._changed.discard(key)

    def pop(self, key, *args):
        self._removed.add(key)
        self._changed.discard(key)
        return super().pop(key, *args)

    def setdefault(self, key, value):
        if key not in self._session:
            self._changed.add(key)
        return super().setdefault(key, value)

    def update(self, dict_):
        self._changed.update(dict_)
        self._removed.difference_update(dict_)
        super().update(dict_)

    def clear(self):
        super().clear()
        self._cleared = True

    def save(self, must_create=False):
        """Write the changed keys, merged into the row as it is now.

        A view may save inside its own transaction (the quiz's answer, with its
        response row); SessionMiddleware's save after it then writes nothing,
        unless a key changed since.
        """
        if must_create or self.session_key is None or self._cleared:
            super().save(must_create=must_create)
            self._changed, self._removed, self._cleared, self._written = set(), set(), False, True
            return
        if self._written and not (self._changed or self._removed):
            return
        using = router.db_for_write(self.model, instance=None)
        connection = connections[using]
        table = connection.ops.quote_name(self.model._meta.db_table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s{lock}",  # noqa: S608
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
            if row is not None:
                merged = self.decode(row[0])
                merged.update({key: self._session[key] for key in self._changed if key in self._session})
                for key in self._removed:
                    merged.pop(key, None)
                self._session_cache = merged
            try:
                cursor.execute(
                    f"UPDATE {table} SET session_data = %s, expire_date = %s WHERE session_key = %s",  # noqa: S608
                    [
                        self.encode(self._get_session()),
                        connection.ops.adapt_datetimefield_value(self.get_expiry_date()),
                        self.session_key,
                    ],
                )
            except DatabaseError as error:
                raise UpdateError from error
            if cursor.rowcount != 1:  # deleted meanwhile (a log-out in another tab): as Django's own store
                raise UpdateError
        self._changed, self._removed, self._written = set(), set(), True

    def load(self):
        """The session's data, or {} (and no key) when it is unknown or expired, as Django's store."""
        using = router.db_for_read(self.model)
        connection = connections[using]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
