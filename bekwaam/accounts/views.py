"""Accepting an invitation, and the page that asks for a second factor."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.accounts.forms import AcceptInvitationForm
from bekwaam.accounts.services import invitation_accept, invitation_get_by_token, language_save


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_get_by_token(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, person=invitation.person)
    if request.method == "POST" and form.is_valid():
        try:
            person = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Welcome to Bekwaam, %(name)s.") % {"name": person.given_name})
            # Through allauth, and recorded as a password sign-in (the password was just set), so the
            # MFA setup that follows for some roles needs no re-authentication (see adapter.py).
            response: HttpResponse = perform_login(request, person, redirect_url=reverse("home"))
            record_authentication(request, person, method="password", email=person.email)
            return response
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
def mfa_required_view(request: HttpRequest) -> HttpResponse:
    """Explain why a second factor is needed, with the button to set it up."""
    # No main navigation here: every link would lead back to this page until the factor is set up.
    return render(request, "accounts/mfa_required.html", {"hide_navigation": True})


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and, when signed in, on the person."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    response = redirect(next_url)
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
        if request.user.is_authenticated:
            language_save(person=request.user, language=language)
    return response


@require_safe
@login_required
def email_managed_by_board(request: HttpRequest) -> HttpResponse:
    """allauth's own e-mail management is closed: boards and imports own the sign-in address.

    Letting people add an unverified address would let them collect invitations meant for that
    address (an employment and roles at another board).
    """
    return render(request, "accounts/email_managed.html")
