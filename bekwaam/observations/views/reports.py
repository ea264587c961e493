"""Placeholder: the helper who owns this part replaces it."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def team_report(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def calibration_overview(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
