"""The JSON API under /api/v1/: its resources, the OpenAPI schema and the browsable docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from articles.api import views
from articles.api.exceptions import not_found

app_name = "api"


class ArchiveRouter(DefaultRouter):
    """DRF's router, whose root view at /api/v1/ lists every resource with its link, plus the schema and docs."""

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        links = {prefix: list_name.format(basename=basename) for prefix, _viewset, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**links, "schema": "schema", "docs": "docs"})


router = ArchiveRouter(trailing_slash=True)
router.register("articles", views.ArticleViewSet, basename="article")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("mentions", views.MentionViewSet, basename="mention")
router.register("notes", views.NoteViewSet, basename="note")
router.register("participants", views.ParticipantViewSet, basename="participant")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("sources", views.SourceViewSet, basename="source")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("places", views.PlaceViewSet, basename="place")
router.register("changes", views.ChangeViewSet, basename="change")
router.register("evidence", views.EvidenceViewSet, basename="evidence")

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    # Anything else under /api/v1/ answers 404 in the API's error shape, not an HTML page.
    re_path(r"^[\s\S]*$", not_found),
]
