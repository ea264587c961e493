"""The dialogue app's URLs, one module per part (urls_<part>.py), all under app_name "dialogue"."""

from django.urls import URLPattern, URLResolver

from bekwaam.dialogue import urls_sessions

app_name = "dialogue"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_sessions.urlpatterns,
]
