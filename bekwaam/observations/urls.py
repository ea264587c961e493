"""The observations app's URLs, one module per part (urls_<part>.py), all under app_name "observations"."""

from django.urls import URLPattern, URLResolver

from bekwaam.observations import urls_reports, urls_visits

app_name = "observations"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_visits.urlpatterns,
    *urls_reports.urlpatterns,
]
