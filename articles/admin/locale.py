"""The admin's language: Arabic, unless the editor picked another with the header's switch.

The public pages use `i18n_patterns(prefix_default_language=False)`, under
which LocaleMiddleware gives every unprefixed path, `/admin/` included, the
default language (Arabic) and ignores the language cookie. The admin has no
language prefix, so this middleware (after LocaleMiddleware) reads the cookie
that Django's `set_language` view sets, for admin paths only: the admin stays
Arabic and right to left whatever the browser asks for, until the editor
switches. API requests (also unprefixed) follow their Accept-Language header.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


class AdminLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            # API clients say what they read with Accept-Language (Arabic when they say nothing).
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        elif request.path.startswith(reverse("admin:index")):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
