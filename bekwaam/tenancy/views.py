"""Thin views for organisations and people: resolve → validate → one service → page or redirect."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.accounts.models import Person
from bekwaam.audit.services import access_record
from bekwaam.conversations.models import ConversationKind
from bekwaam.conversations.selectors.cycle import DUE, OVERDUE, StepStatus, team_cycle_status_for
from bekwaam.dossier.selectors.sharing import team_members_with_shares_for
from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy import forms, imports, roles, selectors, services
from bekwaam.tenancy.middleware import SESSION_KEY
from bekwaam.tenancy.models import Role, StaffImport
from bekwaam.tenancy.policy import ActorRequest, actor_view, authorize

PAGE_SIZE = 50


@require_safe
@actor_view()
def home(request: ActorRequest) -> HttpResponse:
    """Send each person to the home page of their highest level."""
    actor = request.actor
    if actor.has_permission(roles.VIEW_BOARD):
        return redirect("tenancy:board-home")
    if actor.has_permission(roles.VIEW_PROVIDER):
        return redirect("tenancy:provider-home")
    if actor.has_permission(roles.VIEW_TEAM):
        return redirect("tenancy:team")
    if actor.has_permission(roles.VIEW_DOSSIER):
        return redirect("dossier:overview")
    if actor.is_operator:
        return redirect("tenancy:operator-home")
    return render(request, "tenancy/no_organisation.html")


@require_POST
@actor_view()
def organisation_switch(request: ActorRequest) -> HttpResponse:
    key = request.POST.get("organisation", "")
    if selectors.organisation_is_among_actors(actor=request.actor, key=key):
        request.session[SESSION_KEY] = key
    else:
        messages.error(request, _("You do not work at that organisation."))
    # The page you were on may not exist in the other organisation: start at its home.
    return redirect("home")


@require_safe
@actor_view("tenancy.view_board")
def board_home(request: ActorRequest) -> HttpResponse:
    board = selectors.board_get_for(actor=request.actor)
    schools = list(selectors.school_list_for(actor=request.actor))
    total_staff = sum(s.staff_count for s in schools)  # type: ignore[attr-defined]
    return render(request, "tenancy/board_home.html", {"board": board, "schools": schools, "total_staff": total_staff})


@require_safe
@actor_view("tenancy.view_people")
def school_detail(request: ActorRequest, school_id: int) -> HttpResponse:
    school = selectors.school_get_for(actor=request.actor, school_id=school_id)
    page = Paginator(selectors.employment_list_for_school(actor=request.actor, school=school), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "tenancy/school_detail.html", {"school": school, "page": page})


@require_safe
@actor_view("tenancy.view_people")
def person_list(request: ActorRequest) -> HttpResponse:
    form = forms.PersonSearchForm(request.GET or None, actor=request.actor)
    search, school_id = "", None
    if form.is_valid():
        search = form.cleaned_data["q"] or ""
        school_id = form.cleaned_data["school"].pk if form.cleaned_data["school"] else None
    people = selectors.person_list_for(actor=request.actor, search=search, school_id=school_id)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "tenancy/_person_rows.html" if request.htmx else "tenancy/person_list.html"  # type: ignore[attr-defined]
    response = render(request, template, {"form": form, "page": page})
    # The same URL answers a fragment to HTMX and a page otherwise: caches and "back" must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
@actor_view("tenancy.view_people")
def person_detail(request: ActorRequest, person_id: UUID) -> HttpResponse:
    actor = request.actor
    person = selectors.person_get_for(actor=actor, person_id=person_id)
    access_record(
        actor=actor, subject=person, what=_("personal details"), right=_("functional administrator"), path=request.path
    )
    return _person_page(request, person, forms.RoleGrantForm(actor=actor))


def _person_page(
    request: ActorRequest, person: Person, grant_form: forms.RoleGrantForm, status: int = 200
) -> HttpResponse:
    """The person's page: employments and roles at the actor's board, and the form to grant a role."""
    context = {
        "person": person,
        "employments": selectors.employment_list_for_person(actor=request.actor, person=person),
        "grants": selectors.role_grant_list_for_person(actor=request.actor, person=person),
        "grant_form": grant_form,
    }
    return render(request, "tenancy/person_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view("tenancy.invite_person")
def person_invite(request: ActorRequest) -> HttpResponse:
    form = forms.InviteForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.person_invite(actor=request.actor, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if result.invitation is None:
                messages.success(
                    request,
                    _("%(email)s already had an account; it has been added to your board.")
                    % {"email": result.person.email},
                )
            else:
                messages.success(
                    request, _("An invitation has been sent to %(email)s.") % {"email": result.person.email}
                )
            return redirect("tenancy:person-detail", person_id=result.person.pk)
    return render(request, "tenancy/person_invite.html", {"form": form})


@require_POST
@actor_view("tenancy.grant_role")
def role_grant(request: ActorRequest, person_id: UUID) -> HttpResponse:
    actor = request.actor
    person = selectors.person_get_for(actor=actor, person_id=person_id)
    form = forms.RoleGrantForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            services.role_grant(
                actor=actor, person=person, role=form.cleaned_data["role"], school=form.cleaned_data["school"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The role has been granted."))
            return redirect("tenancy:person-detail", person_id=person.pk)
    return _person_page(request, person, form, status=400)


@require_POST
@actor_view("tenancy.grant_role")
def role_revoke(request: ActorRequest, grant_id: UUID) -> HttpResponse:
    grant = selectors.role_grant_get_for(actor=request.actor, grant_id=grant_id)
    try:
        services.role_revoke(actor=request.actor, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role has been removed."))
    try:
        selectors.person_get_for(actor=request.actor, person_id=grant.person_id)
    except Http404:
        # That role was their only link to this board: their page no longer exists for you.
        return redirect("tenancy:person-list")
    return redirect("tenancy:person-detail", person_id=grant.person_id)


@require_http_methods(["GET", "POST"])
@actor_view("tenancy.manage_people")
def employment_end(request: ActorRequest, employment_id: UUID) -> HttpResponse:
    employment = selectors.employment_get_for(actor=request.actor, employment_id=employment_id)
    authorize(request.actor, "tenancy.end_employment", employment)
    form = forms.EmploymentEndForm(
        request.POST or None, employment=employment, initial={"end_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_end(actor=request.actor, employment=employment, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The employment has been ended."))
            return redirect("tenancy:person-detail", person_id=employment.person_id)
    return render(request, "tenancy/employment_end.html", {"form": form, "employment": employment})


@dataclass(frozen=True)
class CycleCell:
    """One step of a person's gesprekscyclus on "Mijn team": its status, and where to go from it."""

    status: StepStatus
    url: str | None  # the conversation
    plan_url: str | None  # plan one (when it is due and nothing is planned)


@require_safe
@actor_view("tenancy.view_team")
def team(request: ActorRequest) -> HttpResponse:
    """The people I lead, each with what they share with me from their dossier (counted in SQL) and where
    they stand in the gesprekscyclus this school year (a fixed number of queries for the whole page)."""
    actor = request.actor
    members = team_members_with_shares_for(actor=actor)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    employments = list(page.object_list)
    statuses = team_cycle_status_for(actor=actor, employments=employments, today=timezone.localdate())
    plan_url = reverse("conversations:plan")
    # One reverse for the page, not one per conversation: the id is put into the pattern's place.
    placeholder = UUID(int=0)
    detail_url = reverse("conversations:detail", kwargs={"conversation_id": placeholder})
    # One column per kind of conversation that occurs in the cycles on this page, in the kinds' order.
    present = {status.kind for steps in statuses.values() for status in steps}
    kinds = [(kind, label) for kind, label in ConversationKind.choices if kind in present]
    rows = []
    for employment in employments:
        cells: dict[str, CycleCell] = {}
        for status in statuses.get(employment.pk, []):
            url = plan = None
            if status.conversation_id is not None:
                url = detail_url.replace(str(placeholder), str(status.conversation_id))
            elif status.status in (DUE, OVERDUE):
                plan = f"{plan_url}?{urlencode({'employment': employment.pk, 'kind': status.kind})}"
            cells[status.kind] = CycleCell(status, url, plan)
        rows.append((employment, [cells.get(kind) for kind, _label in kinds]))
    context = {"page": page, "rows": rows, "kinds": kinds, "has_cycle": bool(kinds)}
    return render(request, "tenancy/team.html", context)


@require_safe
@actor_view("tenancy.view_provider")
def provider_home(request: ActorRequest) -> HttpResponse:
    provider = selectors.provider_get_for(actor=request.actor)
    staff = selectors.provider_staff_for(actor=request.actor)
    return render(request, "tenancy/provider_home.html", {"provider": provider, "staff": staff})


@require_http_methods(["GET", "POST"])
@actor_view("tenancy.operate_platform")
def board_create(request: ActorRequest) -> HttpResponse:
    form = forms.BoardCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_create(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(board)s has been added; %(email)s has been invited as functional administrator.")
                % {"board": board.name, "email": form.cleaned_data["admin_email"]},
            )
            return redirect("tenancy:operator-home")
    return render(request, "tenancy/board_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@actor_view("tenancy.operate_platform")
def provider_create(request: ActorRequest) -> HttpResponse:
    form = forms.ProviderCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(provider)s has been added.") % {"provider": provider.name})
            return redirect("tenancy:provider-staff", provider_id=provider.pk)
    return render(request, "tenancy/provider_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@actor_view("tenancy.operate_platform")
def provider_staff(request: ActorRequest, provider_id: int) -> HttpResponse:
    provider = selectors.provider_get_for_operator(provider_id=provider_id)
    form = forms.ProviderStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.provider_staff_invite(actor=request.actor, provider=provider, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s at %(provider)s.")
                % {"name": grant.person.full_name, "role": grant.get_role_display(), "provider": provider.name},
            )
            return redirect("tenancy:provider-staff", provider_id=provider.pk)
    staff = selectors.provider_staff_for_operator(provider=provider)
    return render(request, "tenancy/provider_staff.html", {"provider": provider, "staff": staff, "form": form})


@require_safe
@actor_view("tenancy.operate_platform")
def operator_home(request: ActorRequest) -> HttpResponse:
    return render(
        request,
        "tenancy/operator_home.html",
        {
            "boards": selectors.board_list_for_operator(),
            "providers": selectors.provider_list_for_operator(),
            "administrator_role": Role.ADMINISTRATOR,
        },
    )


# --- Staff and school import (docs/import.md) -------------------------------------------------

IMPORT_PAGE_SIZE = 100


@require_http_methods(["GET", "POST"])
@actor_view("tenancy.import_staff")
def import_upload(request: ActorRequest) -> HttpResponse:
    """Upload a staff or school file; a valid file is checked and shown as a dry run."""
    if request.method == "POST":
        form = forms.ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                staff_import = services.staff_import_check(
                    actor=request.actor,
                    kind=form.cleaned_data["kind"],
                    filename=upload.name or "",
                    content=upload.read(),
                    end_missing=form.cleaned_data["end_missing"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect("tenancy:import-detail", import_id=staff_import.pk)
        status = 400
    else:
        form, status = forms.ImportUploadForm(), 200
    recent = selectors.staff_import_list_for(actor=request.actor)[:10]
    return render(request, "tenancy/import_upload.html", {"form": form, "recent": recent}, status=status)


def _import_context(request: ActorRequest, staff_import: StaffImport) -> dict[str, object]:
    summary = staff_import.summary or {}
    rows = summary.get("rows", [])
    action = request.GET.get("action", "")
    if action in imports.ACTIONS:
        rows = [row for row in rows if row.get("action") == action]
    else:
        action = ""
    page = Paginator(rows, IMPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = summary.get("counts", {})
    return {
        "staff_import": staff_import,
        "page": page,
        "rows": imports.rows_for_display(page.object_list),
        "counts": [(key, imports.ACTION_TOTAL_LABELS[key], counts.get(key, 0)) for key in imports.ACTIONS],
        "action": action,
        "error_count": summary.get("error_count", 0),
        "new_teams": summary.get("new_teams", []),
        "new_people": summary.get("new_people", 0),
        "applied": summary.get("applied"),
    }


@require_safe
@actor_view("tenancy.import_staff")
def import_detail(request: ActorRequest, import_id: UUID) -> HttpResponse:
    """The dry run: what each row would do, rows with errors first."""
    staff_import = selectors.staff_import_get_for(actor=request.actor, import_id=import_id)
    if staff_import.status == StaffImport.Status.APPLIED:
        return redirect("tenancy:import-result", import_id=staff_import.pk)
    context = _import_context(request, staff_import)
    context["apply_form"] = forms.ImportApplyForm()
    return render(request, "tenancy/import_detail.html", context)


@require_POST
@actor_view("tenancy.import_staff")
def import_apply(request: ActorRequest, import_id: UUID) -> HttpResponse:
    staff_import = selectors.staff_import_get_for(actor=request.actor, import_id=import_id)
    form = forms.ImportApplyForm(request.POST)
    send_invitations = bool(form.is_valid() and form.cleaned_data["send_invitations"])
    try:
        services.staff_import_apply(actor=request.actor, staff_import=staff_import, send_invitations=send_invitations)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tenancy:import-detail", import_id=staff_import.pk)
    messages.success(request, _("The import has been applied."))
    return redirect("tenancy:import-result", import_id=staff_import.pk)


@require_safe
@actor_view("tenancy.import_staff")
def import_result(request: ActorRequest, import_id: UUID) -> HttpResponse:
    staff_import = selectors.staff_import_get_for(actor=request.actor, import_id=import_id)
    if staff_import.status != StaffImport.Status.APPLIED:
        return redirect("tenancy:import-detail", import_id=staff_import.pk)
    return render(request, "tenancy/import_result.html", _import_context(request, staff_import))


@require_safe
@actor_view("tenancy.import_staff")
def import_template(request: ActorRequest, fmt: str) -> HttpResponse:
    """The template to fill in: the column names and one example row (?kind=staff or ?kind=schools)."""
    kind = request.GET.get("kind", imports.KIND_STAFF)
    if kind not in (imports.KIND_STAFF, imports.KIND_SCHOOLS):
        kind = imports.KIND_STAFF
    name = "bekwaam-personeel" if kind == imports.KIND_STAFF else "bekwaam-scholen"
    if fmt == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        fmt = "csv"
        response = HttpResponse(imports.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
