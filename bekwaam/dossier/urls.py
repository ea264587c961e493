"""Dossier URLs: one list per part of the dossier, each owned by its views module."""

from django.urls import path

from bekwaam.dossier import views

app_name = "dossier"

urlpatterns = [path("", views.overview, name="overview")]
