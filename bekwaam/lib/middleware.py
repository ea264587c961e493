"""Language: Dutch unless the person chose otherwise (the browser's Accept-Language is ignored)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_for(request: HttpRequest) -> str:
    """The language chosen with the switch (cookie), else the person's preference, else Dutch.

    Many Dutch teachers use a browser set to English; a school platform should still speak
    Dutch to them until they choose English themselves.
    """
    available = {code for code, _name in settings.LANGUAGES}
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in available:
        return str(chosen)
    user = getattr(request, "user", None)
    preferred = getattr(user, "language", None) if user is not None and user.is_authenticated else None
    if preferred in available:
        return str(preferred)
    return str(settings.LANGUAGE_CODE)


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
