from django.urls import path

from bekwaam.audit import views

app_name = "audit"

urlpatterns = [
    path("changes/", views.change_list, name="change-list"),
    path("changes.csv", views.change_export, name="change-export"),
    path("access/", views.access_list, name="access-list"),
    path("access.csv", views.access_export, name="access-export"),
]
