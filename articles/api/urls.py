"""The JSON API under /api/v1/ (its resources are built in the API issue)."""

urlpatterns = []
