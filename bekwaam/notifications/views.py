"""The e-mail preference page (any signed-in person, for themselves) and the bounce webhook of the mail provider."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from bekwaam.notifications import selectors, services
from bekwaam.notifications.forms import PreferenceForm
from bekwaam.tenancy.policy import ActorRequest, actor_view


@require_http_methods(["GET", "POST"])
@actor_view()
def preferences(request: ActorRequest) -> HttpResponse:
    """Which e-mail I want: updates and reminders can be switched off; essential mail always goes."""
    preference = selectors.preference_for(actor=request.actor)
    initial = {"updates": preference.updates, "reminders": preference.reminders}
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.preference_save(actor=request.actor, **form.cleaned_data)
            messages.success(request, _("Your e-mail preferences have been saved."))
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form})


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt  # a machine posts here with a bearer token, not a browser with a session
def bounce_webhook(request: HttpRequest) -> HttpResponse:
    """POST {"email": …, "reason": …} with `Authorization: Bearer <BOUNCE_WEBHOOK_TOKEN>` records a Bounce.

    404 when no token is configured (the webhook is off), 405 for another method, 403 for a missing or
    wrong token (compared in constant time), 400 for a body that is not such a JSON object.
    """
    token = settings.BOUNCE_WEBHOOK_TOKEN
    if not token:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not constant_time_compare(given.strip(), token):
        return _error("forbidden", 403)
    try:
        data: Any = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _error("the body is not JSON", 400)
    if not isinstance(data, dict) or not isinstance(data.get("email"), str):
        return _error('expected {"email": "...", "reason": "..."}', 400)
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        return _error("reason must be a string", 400)
    try:
        bounce = services.bounce_record(email=data["email"], reason=reason)
    except ValidationError:
        return _error("email is not a valid address", 400)
    return JsonResponse({"recorded": bounce.email})
