from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Public pages: Arabic at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("articles.public.urls")),
    path("", include("articles.charts.urls")),
    prefix_default_language=False,
)
