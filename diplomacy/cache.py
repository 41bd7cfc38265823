"""The caches the worker processes share: Redis that may be away, and files when no Redis is configured.

`ForgivingRedisCache` keeps the site answering while Redis is down or restarting (see its docstring).

Django's FileBasedCache is shared by every process that points at the same
folder, but its `add` and `incr` read and then write, so two processes can
both count request 600 as their own. Here they hold an exclusive lock on a
file in the cache folder (fcntl), which makes the API throttle's counters
(articles/api/throttling.py) exact across processes, as Redis's are.
"""

import fcntl
import functools
import logging
import os
import time
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("diplomacy.cache")

# What the shared cache raises when it cannot be reached: Redis's errors (refused, reset, timed out,
# a server loading its data), or the file cache's.
CACHE_DOWN = (RedisError, OSError)
WARN_EVERY_SECONDS = 60
_last_warning = float("-inf")


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


def _forgiving(method, answer):
    """`method` of the Redis cache, answering `answer(*its arguments)` while Redis cannot be reached."""

    @functools.wraps(method)
    def forgiving(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except CACHE_DOWN as error:
            global _last_warning
            now = time.monotonic()
            if now - _last_warning > WARN_EVERY_SECONDS:
                _last_warning = now
                log.warning("The shared cache cannot be reached (%r): answering without it", error)
            return answer(*args, **kwargs)

    return forgiving


def _no_counter(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the shared cache cannot be reached)")


class ForgivingRedisCache(RedisCache):
    """Redis as a cache that may be away: while it cannot be reached, every operation answers as an
    empty cache would (a miss; a write kept nowhere; `add` succeeds, so whoever asks does the work
    itself; `incr` finds no counter) and the process logs it once a minute, instead of failing the
    request. Pages are then computed afresh, the API's throttle counts nothing (it lets requests
    through: refusing every reader because a cache is away would be worse) and an editor's save
    goes through. Code that must know the cache failed (a background job that retries) uses the
    `strict` cache, the same store without this forgiveness (settings.CACHES).
    """

    get = _forgiving(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _forgiving(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _forgiving(RedisCache.has_key, lambda *args, **kwargs: False)
    set = _forgiving(RedisCache.set, lambda *args, **kwargs: None)
    set_many = _forgiving(RedisCache.set_many, lambda data, *args, **kwargs: list(data))
    add = _forgiving(RedisCache.add, lambda *args, **kwargs: True)
    touch = _forgiving(RedisCache.touch, lambda *args, **kwargs: False)
    incr = _forgiving(RedisCache.incr, _no_counter)
    delete = _forgiving(RedisCache.delete, lambda *args, **kwargs: False)
    delete_many = _forgiving(RedisCache.delete_many, lambda *args, **kwargs: None)
    clear = _forgiving(RedisCache.clear, lambda: None)
