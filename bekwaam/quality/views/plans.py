"""Placeholder: the helper who owns this part replaces it."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def board_overview(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def plan_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def plan_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
