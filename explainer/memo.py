"""A small bounded in-process map (least recently used goes first), safe for threaded workers.

For values that are pure functions of their key (the key names the content
version they were made from), so that no invalidation is ever needed: a new
version is a new key, and old entries simply age out.
"""

import os
import threading
from collections import OrderedDict

# MEMO_OFF names memos to switch off (comma-separated, or "all"): `make bench-layers` measures
# each layer's worth by running the benchmark without it (docs/decisions.md, "Caching layers").
_OFF = {name.strip() for name in os.environ.get("MEMO_OFF", "").split(",") if name.strip()}


def switched_off(name):
    """Whether MEMO_OFF names the in-process layer `name` (or says "all")."""
    return name in _OFF or "all" in _OFF


class Memo:
    def __init__(self, size, name):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()
        self.name = name
        self.off = switched_off(name)

    def get(self, key):
        if self.off:
            return None
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value):
        if self.off:
            return
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()
