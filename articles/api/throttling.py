"""Throttling for anonymous clients; editors' tools (authenticated) are not throttled.

The rate is read from settings at each request (`API_ANON_THROTTLE_RATE`, from
the environment variable of the same name), not frozen at import as DRF's
class attribute is, so a deployment or a test can change it.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousClientThrottle(AnonRateThrottle):
    scope = "anon"

    def __init__(self):
        # DRF parses the rate in __init__; read it fresh so override_settings and env changes apply.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self):
        return getattr(settings, "API_ANON_THROTTLE_RATE", None)
