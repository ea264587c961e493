"""The beoordeling's URLs (kept beside their views in views/appraisals.py)."""

from django.urls import URLPattern, URLResolver

from bekwaam.conversations.views import appraisals

urlpatterns: list[URLPattern | URLResolver] = [*appraisals.urlpatterns]
