from django.urls import URLPattern, URLResolver, path

from bekwaam.notifications import views

app_name = "notifications"

urlpatterns: list[URLPattern | URLResolver] = [
    path("preferences/", views.preferences, name="preferences"),
    path("bounces/", views.bounce_webhook, name="bounces"),
]
