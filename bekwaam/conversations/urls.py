"""The conversations app's URLs, one module per part (urls_<part>.py), all under app_name "conversations"."""

from django.urls import URLPattern, URLResolver

from bekwaam.conversations import urls_appraisals, urls_conversations, urls_setup

app_name = "conversations"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_setup.urlpatterns,
    *urls_conversations.urlpatterns,
    *urls_appraisals.urlpatterns,
]
