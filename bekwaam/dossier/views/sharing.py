"""Dossier views: sharing, the owner's privacy page, and what others shared with me.

Import selectors by function name here: a module name would shadow the views submodules.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bekwaam.audit.services import access_record
from bekwaam.dossier.forms.sharing import ShareForm
from bekwaam.dossier.models import Section, ShareAudience
from bekwaam.dossier.selectors.sharing import (
    ITEM_KINDS,
    DossierItem,
    access_items_for,
    access_list_for_subject,
    colleagues_for,
    item_url,
    managers_for,
    own_item_of_kind_get_for,
    share_get_for,
    shared_dossier_of,
    shared_with_me_for,
    shares_by_section_for,
)
from bekwaam.dossier.services.sharing import share_create as share_create_service
from bekwaam.dossier.services.sharing import share_withdraw as share_withdraw_service
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view

PAGE_SIZE = 50


def share_form_for(request: ActorRequest, data: Any = None, **kwargs: Any) -> ShareForm:
    """The share form with the actor's leidinggevende(n) and colleagues as choices (two queries)."""
    actor = request.actor
    return ShareForm(
        data,
        managers=list(managers_for(actor=actor)),
        colleagues=list(colleagues_for(actor=actor)),
        **kwargs,
    )


def _next_url(request: ActorRequest) -> str | None:
    """Where to go back to after a POST (the item page it came from), when it is a page of this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_safe
@actor_view("dossier.view_own")
def sharing(request: ActorRequest) -> HttpResponse:
    return _sharing_page(request)


def _sharing_page(request: ActorRequest, form: ShareForm | None = None, status: int = 200) -> HttpResponse:
    """My shares per section (active and withdrawn), each section with a form to share all of it."""
    actor = request.actor
    managers = list(managers_for(actor=actor))
    colleagues = list(colleagues_for(actor=actor))
    sections = shares_by_section_for(actor=actor)
    forms = {}
    placed = False
    for group in sections:
        if form is not None and form.data.get("section") == group.section and not form.data.get("item_kind"):
            forms[group.section], placed = form, True
        else:
            forms[group.section] = ShareForm(
                managers=managers,
                colleagues=colleagues,
                initial={"section": group.section},
                auto_id=f"id_{group.section}_%s",
            )
    context = {
        "sections": [(group, forms[group.section]) for group in sections],
        "managers": managers,
        # A form that belongs to no section (an item's, or a section that does not exist): its errors on top.
        "other_form_errors": form if form is not None and not placed else None,
    }
    return render(request, "dossier/sharing.html", context, status=status)


def _posted_item(request: ActorRequest) -> DossierItem | None:
    """The actor's own item a POST names (404 for anybody else's); None when it names none or names it badly
    (the form then says what is wrong)."""
    kind = request.POST.get("item_kind", "")
    try:
        item_id = UUID(request.POST.get("item_id", ""))
    except ValueError:
        return None
    if kind not in ITEM_KINDS:
        return None
    return own_item_of_kind_get_for(actor=request.actor, kind=kind, item_id=item_id)


@require_POST
@actor_view("dossier.view_own")
def share_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    section_value = request.POST.get("section", "")
    auto_id = f"id_{section_value}_%s" if section_value in Section.values else "id_%s"
    form = share_form_for(request, request.POST, auto_id=auto_id)
    next_url = _next_url(request)
    item = _posted_item(request)  # resolved first: someone else's item is not found, whatever else was sent
    if form.is_valid():
        data = form.cleaned_data
        try:
            share_create_service(
                actor=actor, section=data["section"], audience=data["audience"], grantee=data["grantee"], item=item
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if data["grantee"] is None:
                messages.success(request, _("Shared with your manager."))
            else:
                messages.success(request, _("Shared with %(name)s.") % {"name": data["grantee"].full_name})
            return redirect(next_url or "dossier:sharing")
    if next_url:
        # From an item's privacy panel: back to the item, with what went wrong.
        errors = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join([_("Not shared."), *errors]))
        return redirect(next_url)
    return _sharing_page(request, form=form, status=400)


@require_POST
@actor_view("dossier.view_own")
def share_withdraw(request: ActorRequest, share_id: UUID) -> HttpResponse:
    share = share_get_for(actor=request.actor, share_id=share_id)
    share_withdraw_service(actor=request.actor, share=share)
    messages.success(request, _("The share has been withdrawn: it no longer gives anyone access."))
    return redirect(_next_url(request) or "dossier:sharing")


@require_safe
@actor_view("dossier.view_own")
def privacy(request: ActorRequest) -> HttpResponse:
    """Who opened what of my dossier and personal data, when, and with which right."""
    actor = request.actor
    page = Paginator(access_list_for_subject(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    items = access_items_for(actor=actor, entries=entries)
    rows = []
    for entry in entries:
        item = items.get((entry.object_type, entry.object_id))
        rows.append({"entry": entry, "item": item, "url": item_url(item) if item is not None else None})
    return render(request, "dossier/privacy.html", {"page": page, "rows": rows})


@require_safe
@actor_view()
def person_dossier(request: ActorRequest, person_id: UUID) -> HttpResponse:
    """What this person shares with me, per section; 404 when they share nothing with me."""
    actor = request.actor
    dossier = shared_dossier_of(actor=actor, owner_id=person_id)
    access_record(
        actor=actor,
        subject=dossier.owner,
        what=_("shared dossier overview"),
        right=str(ShareAudience(dossier.right).label),
        path=request.path,
    )
    return render(request, "dossier/person_dossier.html", {"dossier": dossier})


@require_safe
@actor_view("dossier.view_own")
def shared_with_me(request: ActorRequest) -> HttpResponse:
    """The people who share something of their dossier with me."""
    page = Paginator(shared_with_me_for(actor=request.actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossier/shared_with_me.html", {"page": page})


urlpatterns: list[URLPattern] = [
    path("sharing/", sharing, name="sharing"),
    path("sharing/new/", share_create, name="share-create"),
    path("sharing/<uuid:share_id>/withdraw/", share_withdraw, name="share-withdraw"),
    path("privacy/", privacy, name="privacy"),
    path("shared-with-me/", shared_with_me, name="shared-with-me"),
    path("people/<uuid:person_id>/", person_dossier, name="person-dossier"),
]
