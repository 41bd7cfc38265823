"""Arabic in the admin unless the editor picked another language with the switch.

LocaleMiddleware would otherwise follow the browser's Accept-Language, and an
editor with an English browser would get a left-to-right admin they never
asked for. The switch (Django's `set_language`) sets the language cookie,
which this middleware respects.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


class AdminDefaultLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.path.startswith(reverse("admin:index")):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
