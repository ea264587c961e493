"""The conversations' own URLs (kept beside their views in views/conversations.py)."""

from django.urls import URLPattern, URLResolver

from bekwaam.conversations.views import conversations

urlpatterns: list[URLPattern | URLResolver] = [*conversations.urlpatterns]
