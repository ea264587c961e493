"""The insights app's URLs, one module per part (urls_<part>.py), all under app_name "insights"."""

from django.urls import URLPattern, URLResolver

from bekwaam.insights import urls_groups, urls_loop, urls_person

app_name = "insights"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_person.urlpatterns,
    *urls_loop.urlpatterns,
    *urls_groups.urlpatterns,
]
