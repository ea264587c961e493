"""Placeholder: the helper who owns this part replaces it."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def visit_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def visit_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
