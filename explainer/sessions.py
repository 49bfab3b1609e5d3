"""Database sessions that merge on save, so that two tabs cannot lose each other's quiz rounds.

Django's session store writes the whole session back at the end of a request:
with one cookie and two tabs, the request that saves last overwrites what the
other wrote in the meantime (a recorded answer, a new round). Each quiz round
lives under its own key (`quiz:<comparison id>`), so this store writes back
only the keys the request changed, merged into the row as it is now, read
under a row lock (SELECT ... FOR UPDATE on PostgreSQL).

Contract: the same table and data format as django.contrib.sessions.backends.db;
creating, cycling (log-in) and flushing (log-out) a session work as before.
"""

from django.contrib.sessions.backends import db
from django.db import router, transaction
from django.utils import timezone


class SessionStore(db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._changed, self._removed, self._cleared = set(), set(), False

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
        if must_create or self.session_key is None or self._cleared:
            return super().save(must_create=must_create)
        using = router.db_for_write(self.model, instance=None)
        with transaction.atomic(using=using):
            row = (
                self.model.objects.using(using)
                .select_for_update()
                .filter(session_key=self.session_key, expire_date__gt=timezone.now())
                .first()
            )
            if row is not None:
                merged = self.decode(row.session_data)
                merged.update({key: self._session[key] for key in self._changed if key in self._session})
                for key in self._removed:
                    merged.pop(key, None)
                self._session_cache = merged
            super().save(must_create=False)
        self._changed, self._removed = set(), set()
