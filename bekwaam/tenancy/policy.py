"""The one door every view goes through: a typed request with its actor, and `authorize`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from bekwaam.tenancy.context import Actor

if TYPE_CHECKING:
    from bekwaam.accounts.models import Person


class ActorRequest(HttpRequest):
    """A request from a signed-in person (STACK-NOTES trap 12: narrow once, not everywhere)."""

    user: Person
    actor: Actor


def authorize(actor: Actor, rule: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless the rule allows the actor (on the object, when given)."""
    if not rules.test_rule(rule, actor, obj):
        raise PermissionDenied


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def actor_view(rule: str | None = None) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Require a signed-in actor and, when given, a page-level rule (no object)."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor: Actor = request.actor  # type: ignore[attr-defined]
            if rule is not None:
                authorize(actor, rule)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
