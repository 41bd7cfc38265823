"""Editors preview unpublished reports wherever the public reads published ones.

A user who may read unpublished reports (`sees_unpublished`, the test inside
`Article.objects.visible_to`) gets a draft's page, citations, PDF and API
detail where everyone else gets 404, and sees the whole record. What they are
shown depends on who they are, so no shared cache may keep it: every answer to
such a user is marked `Cache-Control: private, no-store` and varies on the
cookie that says who asks. Answers to the public are left as their views made
them (the charts' images stay cacheable by anyone).
"""

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

from articles.models import sees_unpublished


def _may_be_signed_in(request):
    # Without a session cookie or credentials nobody is signed in: the session is left unread, so
    # the public's answers do not gain a `Vary: Cookie` they do not need.
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


class PreviewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # after the view: the API authenticates inside it and sets `request.user` then
        if _may_be_signed_in(request) and sees_unpublished(getattr(request, "user", None)):
            patch_cache_control(response, private=True, no_store=True, max_age=0)
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response


def mark_unpublished(response, article):
    """An unpublished report's page, citation or PDF (an editor's preview) is never indexed."""
    if not article.is_published:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response
