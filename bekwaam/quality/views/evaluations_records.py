"""Kwaliteitszorg pages for records: inspection visits (with judgements and herstelopdrachten), the
kwaliteitsmedewerker's school visits, flags ("onder het vergrootglas") and the documents kept as evidence.

Resolve → validate → one service → page or redirect, as in views/evaluations.py.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.dossier.uploads import ALLOWED_TYPES
from bekwaam.lib.forms import apply_validation_error
from bekwaam.quality.forms.evaluations import (
    BOARD,
    FlagForm,
    InspectionForm,
    RepairOrderFormSet,
    SchoolVisitForm,
    StandardJudgementForm,
    standard_label,
    unknown_ids,
)
from bekwaam.quality.models import InspectionStandardJudgement, InspectionVisit, Level, RepairOrder, Standard
from bekwaam.quality.selectors import evaluations as selectors
from bekwaam.quality.selectors import school_get_for
from bekwaam.quality.services import inspections as services
from bekwaam.quality.services import school_visits as visit_services
from bekwaam.tenancy.models import School
from bekwaam.tenancy.policy import ActorRequest, actor_view

HOME = "quality.home"
MANAGE = "quality.manage"
FILE_BLOCK = 64 * 1024


def _home_crumb() -> tuple[str, str]:
    return (_("Quality"), reverse("quality:home"))


def _place_crumb(school: School | None) -> tuple[str, str]:
    if school is None:
        return (_("The board's own quality"), reverse("quality:board-evaluations"))
    return (school.name, reverse("quality:school-detail", kwargs={"school_id": school.pk}))


# --- inspections ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view(HOME)
def inspection_create(request: ActorRequest) -> HttpResponse:
    """Record an inspection (held or upcoming) of a school the actor records for, or of the board itself.

    ?school=<id> preselects a school, ?scope=board the board. A school of another board is not a choice:
    posting its id is a form error and nothing is written.
    """
    actor = request.actor
    schools = selectors.recordable_schools_for(actor=actor)
    board_choice = selectors.may_record(actor, None)
    if not schools and not board_choice:
        raise PermissionDenied
    initial: dict[str, Any] = {"date": timezone.localdate()}
    if request.GET.get("scope") == "board" and board_choice:
        initial["school"] = BOARD
    elif request.GET.get("school", "").isdigit():
        initial["school"] = request.GET["school"]
    form = InspectionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        schools=schools,
        board_choice=board_choice,
        frameworks=selectors.frameworks_for(),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            school = (
                None if data["school"] == BOARD else next((s for s in schools if str(s.pk) == data["school"]), None)
            )
            try:
                if data["school"] != BOARD and school is None:
                    raise ValidationError({"school": _("Choose a school of your board.")})
                visit = services.inspection_create(
                    actor=actor,
                    school=school,
                    date=data["date"],
                    kind=data["kind"],
                    framework=data["framework"],
                    overall_judgement=data["overall_judgement"],
                    summary=data["summary"],
                    report_url=data["report_url"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if visit.date > timezone.localdate():
                    messages.success(request, _("The upcoming inspection has been recorded."))
                    return redirect("quality:inspection-detail", visit_id=visit.pk)
                messages.success(
                    request, _("The inspection has been recorded: now record its judgements and herstelopdrachten.")
                )
                return redirect("quality:inspection-edit", visit_id=visit.pk)
        status = 400
    context = {
        "form": form,
        "title": _("Record an inspection"),
        "submit": _("Record the inspection"),
        "back": reverse("quality:home"),
        "crumbs": [_home_crumb()],
        "intro": _(
            "Record what the inspectie judged on its own scale (voldoende, onvoldoende, zeer zwak). "
            "An inspection still to come is recorded with its date only."
        ),
    }
    return render(request, "quality/item_form.html", context, status=status)


def _standards_for(visit: InspectionVisit) -> list[Standard]:
    return selectors.standards_of(
        framework=visit.framework, level=Level.SCHOOL if visit.school_id is not None else Level.BOARD
    )


@require_safe
@actor_view(HOME)
def inspection_detail(request: ActorRequest, visit_id: UUID) -> HttpResponse:
    actor = request.actor
    visit = selectors.inspection_get_for(actor=actor, visit_id=visit_id)
    judgements = {
        j.standard_id: j for j in InspectionStandardJudgement.objects.filter(visit=visit, board_id=visit.board_id)
    }
    rows = [(standard, judgements.get(standard.pk)) for standard in _standards_for(visit)]
    context = {
        "visit": visit,
        "rows": rows,
        "judged": len(judgements),
        "repair_orders": list(
            RepairOrder.objects.filter(visit=visit, board_id=visit.board_id).select_related("standard")
        ),
        "upcoming": visit.date > timezone.localdate(),
        "can_edit": selectors.may_record(actor, visit.school),
        "crumbs": [_home_crumb(), _place_crumb(visit.school)],
    }
    return render(request, "quality/inspection_detail.html", context)


@require_http_methods(["GET", "POST"])
@actor_view(HOME)
def inspection_edit(request: ActorRequest, visit_id: UUID) -> HttpResponse:
    """The facts, the judgement per standard and the herstelopdrachten of one inspection, on one page."""
    actor = request.actor
    visit = selectors.inspection_get_for(actor=actor, visit_id=visit_id)
    if not selectors.may_record(actor, visit.school):
        raise PermissionDenied
    standards = _standards_for(visit)
    existing = {j.standard_id: j for j in InspectionStandardJudgement.objects.filter(visit=visit)}
    orders = list(RepairOrder.objects.filter(visit=visit).order_by("deadline", "pk"))
    data = request.POST if request.method == "POST" else None
    head = InspectionForm(
        data,
        initial={
            "date": visit.date,
            "kind": visit.kind,
            "overall_judgement": visit.overall_judgement,
            "summary": visit.summary,
            "report_url": visit.report_url,
        },
    )
    judgement_forms = [
        StandardJudgementForm(
            data,
            prefix=f"j{standard.pk}",
            standard=standard,
            initial={
                "judgement": existing[standard.pk].judgement if standard.pk in existing else "",
                "note": existing[standard.pk].note if standard.pk in existing else "",
            },
        )
        for standard in standards
    ]
    formset = RepairOrderFormSet(
        data,
        prefix="repair",
        initial=[
            {"id": o.pk, "description": o.description, "standard": o.standard_id, "deadline": o.deadline}
            for o in orders
        ],
        form_kwargs={"standard_choices": [(s.pk, standard_label(s)) for s in standards]},
    )
    status = 200
    if request.method == "POST":
        if unknown_ids(request.POST, r"j(\d+)-(?:judgement|note)", [s.pk for s in standards]):
            head.add_error(None, _("This form names a standard that is not part of this evaluation; reload the page."))
        valid = head.is_valid() & all([f.is_valid() for f in judgement_forms]) & formset.is_valid()
        if valid:
            date = head.cleaned_data["date"]
            given = [f for f in formset.forms if not f.is_blank]
            for row in given:
                deadline = row.cleaned_data.get("deadline")
                if deadline is not None and deadline < date:
                    message = _("The deadline is before the visit (%(date)s).") % {"date": date_format(date)}
                    row.add_error("deadline", message)
                    valid = False
        if valid:
            try:
                services.inspection_update(
                    actor=actor,
                    visit=visit,
                    date=head.cleaned_data["date"],
                    kind=head.cleaned_data["kind"],
                    overall_judgement=head.cleaned_data["overall_judgement"],
                    summary=head.cleaned_data["summary"],
                    report_url=head.cleaned_data["report_url"],
                    judgements={
                        f.standard.pk: services.JudgementInput(f.cleaned_data["judgement"], f.cleaned_data["note"])
                        for f in judgement_forms
                    },
                    repair_orders=[
                        services.RepairOrderInput(
                            description=f.cleaned_data["description"],
                            standard_id=f.cleaned_data["standard"],
                            deadline=f.cleaned_data["deadline"],
                            id=f.cleaned_data.get("id"),
                        )
                        for f in given
                    ],
                )
            except ValidationError as error:
                apply_validation_error(head, error)
            else:
                messages.success(request, _("The inspection has been saved."))
                return redirect("quality:inspection-detail", visit_id=visit.pk)
        status = 400
    context = {
        "visit": visit,
        "head": head,
        "judgement_forms": judgement_forms,
        "formset": formset,
        "upcoming": visit.date > timezone.localdate(),
        "crumbs": [
            _home_crumb(),
            _place_crumb(visit.school),
            (str(visit), reverse("quality:inspection-detail", kwargs={"visit_id": visit.pk})),
        ],
    }
    return render(request, "quality/inspection_edit.html", context, status=status)


# --- school visits ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def school_visit_create(request: ActorRequest) -> HttpResponse:
    """The kwaliteitsmedewerker records a visit to a school of the board, with findings and standards."""
    actor = request.actor
    framework = selectors.framework_default()
    standards = Standard.objects.none()
    if framework is not None:
        standards = Standard.objects.filter(framework=framework, area__level=Level.SCHOOL).order_by(
            "area__position", "position", "code"
        )
    initial: dict[str, Any] = {"date": timezone.localdate()}
    if request.GET.get("school", "").isdigit():
        initial["school"] = int(request.GET["school"])
    form = SchoolVisitForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        schools=School.objects.filter(board_id=actor.board_pk).order_by("name"),
        standards=standards,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and framework is not None:
            data = form.cleaned_data
            try:
                visit = visit_services.school_visit_create(
                    actor=actor,
                    school=data["school"],
                    date=data["date"],
                    purpose=data["purpose"],
                    findings=data["findings"],
                    framework=framework,
                    standard_ids=[s.pk for s in data["standards"]],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The school visit has been recorded."))
                return redirect("quality:schoolvisit-detail", visit_id=visit.pk)
        status = 400
    context = {
        "form": form,
        "title": _("Record a school visit"),
        "submit": _("Record the visit"),
        "back": reverse("quality:home"),
        "crumbs": [_home_crumb()],
        "intro": _("What you saw and heard at the school, and which standards of the onderzoekskader it concerns."),
    }
    return render(request, "quality/item_form.html", context, status=status)


@require_safe
@actor_view(HOME)
def school_visit_detail(request: ActorRequest, visit_id: UUID) -> HttpResponse:
    actor = request.actor
    visit = selectors.school_visit_get_for(actor=actor, visit_id=visit_id)
    context = {
        "visit": visit,
        "standards": sorted(visit.standards.all(), key=lambda s: (s.framework.valid_from, s.position)),
        "can_plan": selectors.may_record(actor, visit.school),
        "crumbs": [_home_crumb(), _place_crumb(visit.school)],
    }
    return render(request, "quality/schoolvisit_detail.html", context)


# --- flags --------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def flag_create(request: ActorRequest, school_id: int) -> HttpResponse:
    """Put a school "onder het vergrootglas", with the reason the board looks closely now."""
    actor = request.actor
    school = school_get_for(actor=actor, school_id=school_id)
    form = FlagForm(request.POST if request.method == "POST" else None)
    back = reverse("quality:school-detail", kwargs={"school_id": school.pk})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                visit_services.flag_create(actor=actor, school=school, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("%(school)s is now under scrutiny.") % {"school": school.name})
                return redirect(back)
        status = 400
    context = {
        "form": form,
        "title": _("Put %(school)s under scrutiny") % {"school": school.name},
        "submit": _("Put under scrutiny"),
        "back": back,
        "crumbs": [_home_crumb(), _place_crumb(school)],
        "intro": _("The board's overview lists the school with this reason until the flag is cleared."),
    }
    return render(request, "quality/item_form.html", context, status=status)


@require_POST
@actor_view(MANAGE)
def flag_clear(request: ActorRequest, flag_id: int) -> HttpResponse:
    actor = request.actor
    flag = selectors.flag_get_for(actor=actor, flag_id=flag_id)
    try:
        visit_services.flag_clear(actor=actor, flag=flag)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(school)s is no longer under scrutiny.") % {"school": flag.school.name})
    return redirect("quality:school-detail", school_id=flag.school_id)


# --- documents ----------------------------------------------------------------------------------------------


def _file_chunks(storage: Storage, name: str) -> Any:
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(FILE_BLOCK):
            yield chunk


@require_safe
@actor_view(HOME)
def document_file(request: ActorRequest, document_id: UUID) -> FileResponse:
    """A quality document, always as a download, sent as the type detected from its content when uploaded."""
    document = selectors.document_get_for(actor=request.actor, document_id=document_id)
    if not document.file:
        raise Http404
    storage, name = document.file.storage, document.file.name or ""
    try:
        size = storage.size(name)
    except OSError as error:
        raise Http404 from error
    content_type = document.content_type if document.content_type in ALLOWED_TYPES else "application/octet-stream"
    extension = ALLOWED_TYPES.get(content_type, "bin")
    filename = get_valid_filename(f"{document.title}.{extension}") or f"document.{extension}"
    response = FileResponse(_file_chunks(storage, name), content_type=content_type)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    patch_cache_control(response, private=True, no_store=True)
    return response
