"""The REST API (read-only): the same selectors and rules as the pages. OpenAPI schema at api/schema/."""

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from bekwaam.api import views

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("insights/board/", views.BoardInsights.as_view(), name="insights-board"),
    path("insights/schools/<int:school_id>/", views.SchoolInsights.as_view(), name="insights-school"),
    path("insights/team/", views.TeamInsights.as_view(), name="insights-team"),
    # The schema, like the API, for signed-in people (drf-spectacular serves it to anyone by default).
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
]
