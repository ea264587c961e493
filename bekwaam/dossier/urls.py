from django.urls import path

from bekwaam.dossier import views

app_name = "dossier"

urlpatterns = [path("", views.overview, name="overview")]
