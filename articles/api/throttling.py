"""Throttling for anonymous clients; editors' tools (authenticated) are not throttled.

The rate is read from settings at each request (`API_ANON_THROTTLE_RATE`, from
the environment variable of the same name), not frozen at import as DRF's
class attribute is, so a deployment or a test can change it.

The count lives in the cache every worker process shares (Redis, or files;
see CACHES in settings) and is kept with the cache's atomic `add` and `incr`,
not DRF's read-modify-write of a list of timestamps: under concurrent
requests DRF's list loses updates (measured with Redis and three processes:
900 of 900 requests answered against a limit of 600), a counter does not.
A client's window opens at its first request and lasts the rate's duration.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousClientThrottle(AnonRateThrottle):
    scope = "anon"

    def __init__(self):
        # DRF parses the rate in __init__; read it fresh so override_settings and env changes apply.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.remaining = 0

    def get_rate(self):
        return getattr(settings, "API_ANON_THROTTLE_RATE", None)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        opened_key = f"{self.key}:opened"
        opened = now if self.cache.add(opened_key, now, self.duration) else self.cache.get(opened_key, now)
        # One counter a window, named by when it opened: a closed window's counter is never read again.
        counter = f"{self.key}:{opened!r}"
        self.cache.add(counter, 0, self.duration + 1)
        try:
            count = self.cache.incr(counter)
        except ValueError:  # the counter expired between add and incr
            self.cache.set(counter, 1, self.duration + 1)
            count = 1
        self.remaining = max(0.0, opened + self.duration - now)
        return count <= self.num_requests

    def wait(self):
        return self.remaining
