"""A small bounded in-process map (least recently used goes first), safe for threaded workers.

For values that are pure functions of their key (the key names the content
version they were made from), so that no invalidation is ever needed: a new
version is a new key, and old entries simply age out.
"""

import threading
from collections import OrderedDict


class Memo:
    def __init__(self, size):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()
