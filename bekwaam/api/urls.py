"""The REST API (read-only): the same selectors and rules as the pages. OpenAPI schema at api/schema/."""

from django.urls import URLPattern, URLResolver

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = []
