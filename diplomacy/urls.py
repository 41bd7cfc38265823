from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page says: send them the hashed static file."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("img/favicon.ico"))


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
