"""URLs of the person part of insights: Mijn ontwikkeling and its PDF (no person in the address: always one's own)."""

from django.urls import URLPattern, URLResolver, path

from bekwaam.insights.views import person

urlpatterns: list[URLPattern | URLResolver] = [
    path("mine/", person.mine, name="mine"),
    path("mine/pdf/", person.mine_pdf, name="mine_pdf"),
]
