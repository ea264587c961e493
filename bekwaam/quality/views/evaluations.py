"""Placeholder: the helper who owns this part replaces it."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def quality_home(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def school_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
