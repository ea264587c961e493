"""Kwaliteitszorg pages: the quality home, a school's quality page, the board's own (BKA) page, the board's
judgement scale, and self-evaluations and nu-metingen.

Resolve → validate → one service → page or redirect. Seeing a record is checked by the selectors (404
outside reach), changing it by the services (the quality rules); the pages only show the buttons the
same rules allow. Inspections, school visits, flags and documents are in views/evaluations_records.py.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.dialogue.selectors import shared_view_summary_for
from bekwaam.lib.dates import school_year_label, school_year_of
from bekwaam.lib.forms import apply_validation_error
from bekwaam.quality.forms.evaluations import (
    AssessmentForm,
    EvaluationForm,
    JudgementLevelForm,
    unknown_ids,
    visit_label,
)
from bekwaam.quality.models import (
    EVALUATION_MACHINE,
    EvaluationKind,
    EvaluationState,
    InspectionFramework,
    JudgementLevel,
    Level,
    SelfEvaluation,
)
from bekwaam.quality.selectors import evaluations as selectors
from bekwaam.quality.selectors import school_get_for
from bekwaam.quality.services import evaluations as services
from bekwaam.quality.services import scale as scale_services
from bekwaam.tenancy.models import School
from bekwaam.tenancy.policy import ActorRequest, actor_view, authorize

HOME = "quality.home"
MANAGE = "quality.manage"
ASSESSMENT_FIELD = r"s(\d+)-(?:level|substantiation|documents|upload|upload_title|observations)"


def _home_crumb() -> tuple[str, str]:
    return (_("Quality"), reverse("quality:home"))


def _place_crumb(school: School | None) -> tuple[str, str]:
    if school is None:
        return (_("The board's own quality"), reverse("quality:board-evaluations"))
    return (school.name, reverse("quality:school-detail", kwargs={"school_id": school.pk}))


def _page_context(request: ActorRequest, school: School | None) -> dict[str, Any]:
    actor = request.actor
    page = selectors.quality_page_for(actor=actor, school=school)
    return {
        "page": page,
        "school": school,
        "can_record": selectors.may_record(actor, school),
        "can_manage": bool(rules.test_rule(MANAGE, actor)),
        "can_view_board": bool(rules.test_rule("quality.view_board", actor)),
        "team_report": school is not None and bool(rules.test_rule("observations.view_team_report", actor, school)),
        "flags_history": selectors.flags_history_for(actor=actor, school=school) if school is not None else [],
        "today": timezone.localdate(),
        "shared_view": shared_view_summary_for(actor=actor, school=school) if school is not None else None,
    }


# --- home and the quality pages ---------------------------------------------------------------------------


@require_safe
@actor_view(HOME)
def quality_home(request: ActorRequest) -> HttpResponse:
    """Board viewers go to the board's overview; a schoolleider to their school (or a list of their schools)."""
    actor = request.actor
    if rules.test_rule("quality.view_board", actor):
        return redirect("quality:board-overview")
    schools = selectors.led_schools_for(actor=actor)
    if len(schools) == 1:
        return redirect("quality:school-detail", school_id=schools[0].pk)
    return render(request, "quality/home.html", {"schools": schools})


@require_safe
@actor_view(HOME)
def school_detail(request: ActorRequest, school_id: int) -> HttpResponse:
    school = school_get_for(actor=request.actor, school_id=school_id)
    return render(request, "quality/quality_page.html", _page_context(request, school))


@require_safe
@actor_view("quality.view_board")
def board_evaluations(request: ActorRequest) -> HttpResponse:
    """The board's own quality care against BKA1-BKA3: its evaluations, inspections and plans."""
    return render(request, "quality/quality_page.html", _page_context(request, None))


# --- the board's scale ------------------------------------------------------------------------------------


def _scale_url() -> str:
    return reverse("quality:scale-settings")


def _item_form(
    request: ActorRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    back: str,
    crumbs: list[tuple[str, str]],
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "back": back, "crumbs": crumbs, "intro": intro}
    return render(request, "quality/item_form.html", context, status=status)


def _scale_crumbs() -> list[tuple[str, str]]:
    return [_home_crumb(), (_("Judgement scale"), _scale_url())]


@require_safe
@actor_view(MANAGE)
def scale_settings(request: ActorRequest) -> HttpResponse:
    scale_services.judgement_scale_ensure(board_id=request.actor.board_pk)
    levels = list(selectors.judgement_levels_for(actor=request.actor))
    return render(request, "quality/scale_settings.html", {"levels": levels, "crumbs": [_home_crumb()]})


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def scale_level_create(request: ActorRequest) -> HttpResponse:
    form = JudgementLevelForm(request.POST if request.method == "POST" else None)
    title = _("New level")
    if request.method == "POST":
        if form.is_valid():
            try:
                scale_services.judgement_level_create(actor=request.actor, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The level has been added at the top of the scale."))
                return redirect(_scale_url())
        return _item_form(
            request, form, title=title, submit=_("Add level"), back=_scale_url(), crumbs=_scale_crumbs(), status=400
        )
    return _item_form(request, form, title=title, submit=_("Add level"), back=_scale_url(), crumbs=_scale_crumbs())


@require_http_methods(["GET", "POST"])
@actor_view(MANAGE)
def scale_level_edit(request: ActorRequest, level_id: int) -> HttpResponse:
    level = selectors.judgement_level_get_for(actor=request.actor, level_id=level_id)
    initial = {"label": level.label, "description": level.description}
    form = JudgementLevelForm(request.POST if request.method == "POST" else None, initial=initial)
    title = _("Edit level “%(label)s”") % {"label": level.label}
    if request.method == "POST":
        if form.is_valid():
            try:
                scale_services.judgement_level_update(actor=request.actor, level=level, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The level has been saved."))
                return redirect(_scale_url())
        return _item_form(
            request, form, title=title, submit=_("Save"), back=_scale_url(), crumbs=_scale_crumbs(), status=400
        )
    return _item_form(request, form, title=title, submit=_("Save"), back=_scale_url(), crumbs=_scale_crumbs())


def _scale_step(request: ActorRequest, step: Any, success: str, **kwargs: Any) -> HttpResponse:
    try:
        step(actor=request.actor, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(_scale_url())


@require_POST
@actor_view(MANAGE)
def scale_level_archive(request: ActorRequest, level_id: int) -> HttpResponse:
    level = selectors.judgement_level_get_for(actor=request.actor, level_id=level_id)
    return _scale_step(request, scale_services.judgement_level_archive, _("The level has been archived."), level=level)


@require_POST
@actor_view(MANAGE)
def scale_level_restore(request: ActorRequest, level_id: int) -> HttpResponse:
    level = selectors.judgement_level_get_for(actor=request.actor, level_id=level_id)
    return _scale_step(request, scale_services.judgement_level_restore, _("The level is in use again."), level=level)


@require_POST
@actor_view(MANAGE)
def scale_level_delete(request: ActorRequest, level_id: int) -> HttpResponse:
    level = selectors.judgement_level_get_for(actor=request.actor, level_id=level_id)
    return _scale_step(request, scale_services.judgement_level_delete, _("The level has been deleted."), level=level)


@require_POST
@actor_view(MANAGE)
def scale_level_move(request: ActorRequest, level_id: int) -> HttpResponse:
    level = selectors.judgement_level_get_for(actor=request.actor, level_id=level_id)
    direction = request.POST.get("direction", "")
    return _scale_step(
        request, scale_services.judgement_level_move, _("The order has been changed."), level=level, direction=direction
    )


# --- self-evaluations and nu-metingen --------------------------------------------------------------------


def _level_choices(board_id: int, keep: set[int] | None = None) -> list[tuple[Any, str]]:
    """The board's active levels (plus archived ones still chosen in `keep`), lowest first, as choices."""
    keep = keep or set()
    levels = JudgementLevel.objects.filter(Q(archived=False) | Q(pk__in=keep), board_id=board_id).order_by("value")
    return [(level.pk, level.label) for level in levels]


def _evaluation_title(kind: str, day: datetime.date) -> str:
    if kind == EvaluationKind.SNAPSHOT:
        return _("Nu-meting %(date)s") % {"date": date_format(day)}
    return _("Self-evaluation %(year)s") % {"year": school_year_label(school_year_of(day))}


def _framework_from_query(request: ActorRequest) -> InspectionFramework:
    code = request.GET.get("framework", "")
    framework = (
        InspectionFramework.objects.filter(code=code).first() if code else None
    ) or selectors.framework_default()
    if framework is None:
        raise Http404
    return framework


@require_http_methods(["GET", "POST"])
@actor_view(HOME)
def evaluation_create(request: ActorRequest) -> HttpResponse:
    """Start a self-evaluation (then fill it in) or fill in a nu-meting on one page.

    ?scope=board is the board's own evaluation against the BKA standards; otherwise a school the actor
    records for is chosen (?school=<id> preselects it). ?kind=snapshot is a nu-meting.
    """
    actor = request.actor
    board_scope = request.GET.get("scope") == "board"
    snapshot = request.GET.get("kind") == EvaluationKind.SNAPSHOT
    kind = EvaluationKind.SNAPSHOT if snapshot else EvaluationKind.SELF_EVALUATION
    schools: list[School] | None = None
    if board_scope:
        authorize(actor, "quality.edit_board_level")
    else:
        schools = selectors.recordable_schools_for(actor=actor)
        if not schools:
            raise PermissionDenied
    framework = _framework_from_query(request)
    today = timezone.localdate()
    initial: dict[str, Any] = {"title": _evaluation_title(kind, today), "date": today, "framework": framework.pk}
    if schools is not None and request.GET.get("school", "").isdigit():
        initial["school"] = request.GET["school"]
    data = request.POST if request.method == "POST" else None
    form = EvaluationForm(
        data,
        initial=initial,
        schools=schools,
        frameworks=selectors.frameworks_for(),
        with_framework=not snapshot,
        with_summary=not snapshot,
    )
    standards = selectors.standards_of(framework=framework, level=Level.BOARD if board_scope else Level.SCHOOL)
    level_forms: list[AssessmentForm] = []
    if snapshot:
        # The board's scale is made on first use (idempotent): a nu-meting may be the first.
        scale_services.judgement_scale_ensure(board_id=actor.board_pk)
        choices = _level_choices(actor.board_pk)
        level_forms = [
            AssessmentForm(data, prefix=f"s{standard.pk}", standard=standard, level_choices=choices, snapshot=True)
            for standard in standards
        ]
    status = 200
    if request.method == "POST":
        if unknown_ids(request.POST, ASSESSMENT_FIELD, [s.pk for s in standards]):
            form.add_error(
                None, _("This form names a standard that is not part of this onderzoekskader; reload the page.")
            )
        valid = form.is_valid() & all([f.is_valid() for f in level_forms])
        if valid:
            school = None
            if schools is not None:
                school = next((s for s in schools if str(s.pk) == form.cleaned_data["school"]), None)
            try:
                if schools is not None and school is None:
                    raise ValidationError({"school": _("Choose a school of your board.")})
                evaluation = services.evaluation_create(
                    actor=actor,
                    school=school,
                    framework=form.cleaned_data.get("framework") or framework,
                    kind=kind,
                    title=form.cleaned_data["title"],
                    date=form.cleaned_data["date"],
                    summary=form.cleaned_data.get("summary", ""),
                    levels={f.standard.pk: f.cleaned_data["level"] for f in level_forms},
                )
                if snapshot and request.POST.get("then") == "final":
                    services.evaluation_move(actor=actor, evaluation=evaluation, action="finalise")
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if snapshot:
                    messages.success(request, _("The nu-meting has been saved."))
                    return redirect("quality:evaluation-detail", evaluation_id=evaluation.pk)
                messages.success(request, _("The self-evaluation has been started: judge each standard."))
                return redirect("quality:evaluation-edit", evaluation_id=evaluation.pk)
        status = 400
    if snapshot:
        title = _("New nu-meting of the board") if board_scope else _("New nu-meting")
    else:
        title = _("New self-evaluation of the board") if board_scope else _("New self-evaluation")
    context = {
        "form": form,
        "level_forms": level_forms,
        "snapshot": snapshot,
        "board_scope": board_scope,
        "framework": framework,
        "frameworks": selectors.frameworks_for(),
        "title": title,
        "crumbs": [_home_crumb(), *([_place_crumb(None)] if board_scope else [])],
        "level_choices": level_forms[0].fields["level"].choices if level_forms else [],  # type: ignore[attr-defined]
        "level_errors": status == 400 and any(f.errors for f in level_forms),
    }
    return render(request, "quality/evaluation_create.html", context, status=status)


def _evaluation_crumbs(evaluation: SelfEvaluation) -> list[tuple[str, str]]:
    return [_home_crumb(), _place_crumb(evaluation.school)]


@require_safe
@actor_view(HOME)
def evaluation_detail(request: ActorRequest, evaluation_id: UUID) -> HttpResponse:
    actor = request.actor
    evaluation = selectors.evaluation_get_for(actor=actor, evaluation_id=evaluation_id)
    can_edit = selectors.may_record(actor, evaluation.school)
    areas = selectors.assessment_rows_for(actor=actor, evaluation=evaluation)
    context = {
        "evaluation": evaluation,
        "areas": areas,
        "judged": sum(1 for area in areas for row in area.rows if row.assessment.level_id is not None),
        "total": sum(len(area.rows) for area in areas),
        "can_edit": can_edit,
        "actions": [
            (action, EVALUATION_MACHINE.action_labels[action])
            for action in EVALUATION_MACHINE.actions_from(evaluation.state)
        ]
        if can_edit
        else [],
        "is_draft": evaluation.state == EvaluationState.DRAFT,
        "crumbs": _evaluation_crumbs(evaluation),
    }
    return render(request, "quality/evaluation_detail.html", context)


@require_http_methods(["GET", "POST"])
@actor_view(HOME)
def evaluation_edit(request: ActorRequest, evaluation_id: UUID) -> HttpResponse:
    """Fill in a draft: the heading, and per standard the level, substantiation and evidence, all on one page."""
    actor = request.actor
    evaluation = selectors.evaluation_get_for(actor=actor, evaluation_id=evaluation_id)
    if not selectors.may_record(actor, evaluation.school):
        raise PermissionDenied
    if evaluation.state != EvaluationState.DRAFT:
        messages.warning(request, _("This evaluation is final: reopen it first to change it."))
        return redirect("quality:evaluation-detail", evaluation_id=evaluation.pk)
    snapshot = evaluation.kind == EvaluationKind.SNAPSHOT
    areas = selectors.assessment_rows_for(actor=actor, evaluation=evaluation)
    rows = [row for area in areas for row in area.rows]
    choices = _level_choices(evaluation.board_id, keep={r.assessment.level_id for r in rows if r.assessment.level_id})
    visit_choices: list[tuple[Any, str]] | None = None
    if evaluation.school is not None and not snapshot:
        visits = {v.pk: v for v in selectors.evidence_visits_for(actor=actor, school=evaluation.school)}
        for row in rows:
            for visit in row.visits:
                visits.setdefault(visit.pk, visit)
        ordered = sorted(visits.values(), key=lambda v: (v.date, v.group), reverse=True)
        visit_choices = [(str(v.pk), visit_label(v)) for v in ordered]
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    head = EvaluationForm(
        data,
        initial={"title": evaluation.title, "date": evaluation.date, "summary": evaluation.summary},
        with_framework=False,
        with_summary=not snapshot,
    )
    pairs: list[tuple[Any, AssessmentForm]] = []
    for row in rows:
        assessment = row.assessment
        pairs.append(
            (
                row,
                AssessmentForm(
                    data,
                    files,
                    prefix=f"s{assessment.standard_id}",
                    standard=assessment.standard,
                    level_choices=choices,
                    snapshot=snapshot,
                    document_choices=[(str(d.pk), d.title) for d in row.documents],
                    visit_choices=visit_choices,
                    initial={
                        "level": assessment.level_id,
                        "substantiation": assessment.substantiation,
                        "documents": [str(d.pk) for d in row.documents],
                        "observations": [str(v.pk) for v in row.visits],
                    },
                ),
            )
        )
    status = 200
    if request.method == "POST":
        if unknown_ids(request.POST, ASSESSMENT_FIELD, [row.assessment.standard_id for row in rows]):
            head.add_error(None, _("This form names a standard that is not part of this evaluation; reload the page."))
        valid = head.is_valid() & all([form.is_valid() for _row, form in pairs])
        if valid:
            try:
                services.evaluation_save(
                    actor=actor,
                    evaluation=evaluation,
                    title=head.cleaned_data["title"],
                    date=head.cleaned_data["date"],
                    summary=head.cleaned_data.get("summary", ""),
                    assessments={form.standard.pk: _assessment_input(form, snapshot) for _row, form in pairs},
                )
                if request.POST.get("then") == "final":
                    services.evaluation_move(actor=actor, evaluation=evaluation, action="finalise")
            except ValidationError as error:
                apply_validation_error(head, error)
            else:
                if request.POST.get("then") == "final":
                    messages.success(request, _("The evaluation has been saved and made final."))
                else:
                    messages.success(request, _("The evaluation has been saved."))
                return redirect("quality:evaluation-detail", evaluation_id=evaluation.pk)
        status = 400
    grouped = [(area, [(row, form) for row, form in pairs if row in area.rows]) for area in areas]
    context = {
        "evaluation": evaluation,
        "head": head,
        "grouped": grouped,
        "snapshot": snapshot,
        "has_errors": status == 400,
        "crumbs": [*_evaluation_crumbs(evaluation), (evaluation.title, _detail_url(evaluation))],
        "visits_possible": visit_choices is not None,
    }
    return render(request, "quality/evaluation_edit.html", context, status=status)


def _detail_url(evaluation: SelfEvaluation) -> str:
    return reverse("quality:evaluation-detail", kwargs={"evaluation_id": evaluation.pk})


def _assessment_input(form: AssessmentForm, snapshot: bool) -> services.AssessmentInput:
    data = form.cleaned_data
    if snapshot:
        return services.AssessmentInput(level_id=data["level"])
    upload = data.get("upload")
    return services.AssessmentInput(
        level_id=data["level"],
        substantiation=data.get("substantiation", ""),
        keep_document_ids=data.get("documents", []),
        uploads=[services.DocumentUpload(title=data.get("upload_title", ""), file=upload)] if upload else [],
        observation_ids=data["observations"] if "observations" in form.fields else None,
    )


@require_POST
@actor_view(HOME)
def evaluation_move(request: ActorRequest, evaluation_id: UUID) -> HttpResponse:
    """Make final or reopen (POST action=finalise|reopen)."""
    actor = request.actor
    evaluation = selectors.evaluation_get_for(actor=actor, evaluation_id=evaluation_id)
    if not selectors.may_record(actor, evaluation.school):
        raise PermissionDenied
    action = request.POST.get("action", "")
    try:
        services.evaluation_move(actor=actor, evaluation=evaluation, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if action == "finalise":
            messages.success(request, _("The evaluation is final."))
        else:
            messages.success(request, _("The evaluation has been reopened: it can be changed again."))
    return redirect("quality:evaluation-detail", evaluation_id=evaluation.pk)
