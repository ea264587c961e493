"""Feedback URLs: one list per part, each kept beside its views."""

from django.urls import URLPattern, URLResolver

from bekwaam.feedback.views import answer, report, rounds

app_name = "feedback"

urlpatterns: list[URLPattern | URLResolver] = [
    *rounds.urlpatterns,
    *report.urlpatterns,
    *answer.urlpatterns,
]
