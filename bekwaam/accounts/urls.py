from django.urls import path

from bekwaam.accounts import views

app_name = "accounts"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
    path("accounts/mfa-required/", views.mfa_required_view, name="mfa-required"),
]
