"""Dossier URLs: one list per part of the dossier, each kept beside its views."""

from django.urls import path

from bekwaam.dossier import views
from bekwaam.dossier.views import assessments, plans, portfolio, sharing, transfer

app_name = "dossier"

urlpatterns = [
    path("", views.overview, name="overview"),
    *assessments.urlpatterns,
    *plans.urlpatterns,
    *portfolio.urlpatterns,
    *sharing.urlpatterns,
    *transfer.urlpatterns,
]
