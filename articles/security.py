"""Site-wide protections that are neither a page nor a model: the Permissions-Policy header, and
the brute-force guard on every password check (docs/security.md)."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (settings.PERMISSIONS_POLICY) on every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SignInGuardBackend(AxesStandaloneBackend):
    """django-axes' check before any password is tried: a locked-out account or address is refused.

    A password checked without a request (the shell, `Client.login` in tests) came from no
    address and is not a sign-in over the web, so there is nothing to count or refuse.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
