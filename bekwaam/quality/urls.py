"""The quality app's URLs, one module per part (urls_<part>.py), all under app_name "quality"."""

from django.urls import URLPattern, URLResolver

from bekwaam.quality import urls_evaluations, urls_plans

app_name = "quality"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_evaluations.urlpatterns,
    *urls_plans.urlpatterns,
]
