"""The learning app's URLs, one module per part (urls_<part>.py), all under app_name "learning"."""

from django.urls import URLPattern, URLResolver

from bekwaam.learning import urls_editor, urls_learner

app_name = "learning"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_learner.urlpatterns,
    *urls_editor.urlpatterns,
]
