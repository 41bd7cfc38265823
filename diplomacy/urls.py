import logging
import sys

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import loader
from django.urls import include, path
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.http import require_safe

from articles.api.exceptions import DatabaseUnavailable, error_body

logger = logging.getLogger("diplomacy")


@require_safe
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page says: send them the hashed static file."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("img/favicon.ico"))


def server_error(request):
    """What an unhandled failure answers, on every surface (Django calls it inside its `except`).

    The database being down or refusing connections is not a fault in the request or the code: it is
    503 with `Retry-After`, as the API's views already answer it, also when it happens before a view
    runs (reading a session, say), and on the HTML pages as a page of its own. Under /api/ every
    failure keeps the API's JSON error shape. Nothing here touches the database.
    """
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    if unavailable:
        logger.error("request for %s failed: database unavailable (%s)", request.path, sys.exc_info()[1])
    if request.path.startswith("/api/"):
        if unavailable:
            status, code, message = 503, DatabaseUnavailable.default_code, DatabaseUnavailable.default_detail
        else:
            status, code, message = 500, "error", gettext("The archive could not answer this request.")
        response = JsonResponse(
            error_body(status, code, message), status=status, json_dumps_params={"ensure_ascii": False}
        )
    elif unavailable:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    else:
        return defaults.server_error(request)
    if unavailable:
        response["Retry-After"] = "60"
    return response


handler500 = server_error

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon, name="favicon"),
]

# Public pages: Arabic at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("articles.public.urls")),
    path("", include("articles.charts.urls")),
    prefix_default_language=False,
)
