"""The cache the worker processes of one machine share when no Redis is configured.

Django's FileBasedCache is shared by every process that points at the same
folder, but its `add` and `incr` read and then write, so two processes can
both count request 600 as their own. Here they hold an exclusive lock on a
file in the cache folder (fcntl), which makes the API throttle's counters
(articles/api/throttling.py) exact across processes, as Redis's are.
"""

import fcntl
import os
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class SharedFileCache(FileBasedCache):
    @contextmanager
    def _lock(self):
        os.makedirs(self._dir, exist_ok=True)
        with open(os.path.join(self._dir, "counters.lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._lock():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._lock():
            return super().incr(key, delta, version)
