"""The lesson-visit pages: the list, planning (and asking a colleague for a peer visit), the visit page,
changing and cancelling the plan, the scoring page with its save endpoint, the nagesprek, putting forward
and taking back, and the teacher's reaction, acknowledgement and agreement-to-goal.

Every page resolves the visit through observation_get_for (404 for anyone role_in does not know); each step
checks its rule by name (403 for someone who sees the visit but may not take the step, with a message); the
services check again on the locked row. A refused step (a stale page, a second tab) comes back as a message
on the visit page.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bekwaam.lib.forms import apply_validation_error
from bekwaam.observations.forms.visits import (
    DebriefForm,
    PeerRequestForm,
    ReactionForm,
    VisitDetailsForm,
    VisitPlanForm,
    score_changes_from_json,
    score_changes_from_post,
    visit_initial,
)
from bekwaam.observations.models import Observation, ObservationScore, ObservationState
from bekwaam.observations.selectors import observation_get_for
from bekwaam.observations.selectors.calibration import calibration_panel_for
from bekwaam.observations.selectors.visits import (
    WHO_CHOICES,
    WHO_OBSERVING,
    WHO_OTHERS,
    WHO_OWN,
    ScoringSheet,
    agreement_get_for,
    agreements_for,
    instrument_choices_for,
    instrument_items_for,
    list_role,
    list_schools_for,
    own_employment_choices_for,
    peer_colleague_choices_for,
    plan_changer,
    plan_teacher_choices_for,
    plans_for_whole_board,
    scoring_sheet_for,
    visit_list_for,
    visit_page_for,
)
from bekwaam.observations.services import visits as services
from bekwaam.tenancy import roles
from bekwaam.tenancy.policy import ActorRequest, actor_view, authorize

PAGE_SIZE = 25
AS_OBSERVER = "observations.score"
AS_TEACHER = "observations.act_as_teacher"


# --- helpers ------------------------------------------------------------------------------------------


def _visit(request: ActorRequest, observation_id: UUID) -> tuple[Observation, str]:
    return observation_get_for(actor=request.actor, observation_id=observation_id)


def _detail(observation: Observation, anchor: str = "") -> HttpResponse:
    url = reverse("observations:visit-detail", args=[observation.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refused(request: HttpRequest, observation: Observation, error: ValidationError, anchor: str = "") -> HttpResponse:
    """A step that is not possible (any more): the message on the visit page, as it is now."""
    messages.error(request, " ".join(error.messages))
    return _detail(observation, anchor)


def _forbidden(request: HttpRequest, observation: Observation, error: PermissionDenied) -> HttpResponse:
    """Someone who sees the visit but may not take this step: 403 with the reason, and the way back."""
    message = str(error) or _("You cannot take this step on this visit.")
    context = {"observation": observation, "message": message}
    return render(request, "observations/refused.html", context, status=403)


def _as_observer(request: ActorRequest, observation: Observation) -> HttpResponse | None:
    try:
        services.refuse_unless_observer(request.actor, observation)
    except PermissionDenied as error:
        return _forbidden(request, observation, error)
    return None


def _typed_text_kept(request: HttpRequest, *, typed: str, stored: str = "") -> None:
    """When a step is refused (the other side moved first), hand back what was typed, so nothing is lost."""
    typed = typed.strip()
    if typed and typed != stored.strip():
        messages.warning(
            request, _("Your text has not been saved. This is what you typed, to copy: %(text)s") % {"text": typed}
        )


def _planned_messages(request: HttpRequest, observation: Observation, text: str) -> None:
    messages.success(request, text)
    if observation.date < timezone.localdate():
        messages.warning(
            request,
            _("The date of this visit is in the past: it is recorded afterwards. Check that the date is right."),
        )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- the list -----------------------------------------------------------------------------------------


@require_safe
@actor_view("observations.view_list")
def visit_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    who = request.GET.get("who", "")
    who = who if who in WHO_CHOICES else ""
    schools = list(list_schools_for(actor=actor))
    school_id = _int_or_none(request.GET.get("school"))
    school_id = school_id if any(s.pk == school_id for s in schools) else None
    state = request.GET.get("state", "")
    state = state if state in ObservationState.values else ""
    visits = visit_list_for(actor=actor, who=who, school_id=school_id, state=state)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(observation, list_role(actor=actor, observation=observation)) for observation in page.object_list]
    observes = actor.has_permission(roles.OBSERVE_LESSONS)
    sees_others = observes or actor.has_permission(roles.VIEW_TEAM)
    query = "&".join(
        f"{name}={value}" for name, value in (("who", who), ("school", school_id or ""), ("state", state)) if value
    )
    context = {
        "page": page,
        "rows": rows,
        "who": who,
        "tabs": [
            ("", _("All")),
            (WHO_OBSERVING, _("I observe")),
            (WHO_OWN, _("My lessons")),
            *(
                [(WHO_OTHERS, _("My team") if not plans_for_whole_board(actor) else _("The board"))]
                if sees_others
                else []
            ),
        ],
        "schools": schools,
        "school_id": school_id,
        "state": state,
        "states": ObservationState.choices,
        "query": query,
        "may_plan": observes,
        "may_ask_peer": actor.has_permission(roles.VIEW_DOSSIER),
        "whole_board": plans_for_whole_board(actor),
    }
    return render(request, "observations/list.html", context)


# --- planning -----------------------------------------------------------------------------------------


def _no_instruments_context() -> dict[str, Any]:
    return {
        "no_instruments": _(
            "Your board has no kijkwijzer yet. The beheerder adopts one (or makes the board's own) on the "
            "Frameworks page; then visits can be planned here."
        )
    }


@require_http_methods(["GET", "POST"])
@actor_view("observations.plan")
def visit_create(request: ActorRequest) -> HttpResponse:
    """Plan a visit the actor observes; ?employment=<id> preselects the teacher, ?school=<id> (for the
    kwaliteitsmedewerker) narrows the choice to one school."""
    actor = request.actor
    schools = list(list_schools_for(actor=actor))
    school_id = _int_or_none(request.GET.get("school"))
    school_id = school_id if any(s.pk == school_id for s in schools) else None
    employments = plan_teacher_choices_for(actor=actor, school_id=school_id)
    instruments = instrument_choices_for(actor=actor)
    items = instrument_items_for(version_ids=[version.pk for version in instruments])
    initial: dict[str, Any] = {}
    chosen = request.GET.get("employment", "")
    if _is_uuid(chosen) and employments.filter(pk=chosen).exists():
        initial["employment"] = chosen
    form = VisitPlanForm(
        request.POST or None, employments=employments, instruments=instruments, items=items, initial=initial
    )
    if request.method == "POST" and instruments and form.is_valid():
        try:
            observation = services.visit_plan(
                actor=actor, employment=form.cleaned_data["employment"], details=form.details()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            _planned_messages(
                request,
                observation,
                _("The visit has been planned. %(name)s gets an e-mail about it.")
                % {"name": observation.teacher.full_name},
            )
            return _detail(observation)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "observation": None,
        "kind": "visit",
        "has_teachers": employments.exists(),
        "schools": schools,
        "school_id": school_id,
        **({} if instruments else _no_instruments_context()),
    }
    return render(request, "observations/plan_form.html", context, status=status)


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


@require_http_methods(["GET", "POST"])
@actor_view("observations.request_peer")
def peer_create(request: ActorRequest) -> HttpResponse:
    """A medewerker asks a colleague to observe one of their lessons (collegiale consultatie)."""
    actor = request.actor
    colleagues = peer_colleague_choices_for(actor=actor)
    own = own_employment_choices_for(actor=actor)
    instruments = instrument_choices_for(actor=actor)
    items = instrument_items_for(version_ids=[version.pk for version in instruments])
    form = PeerRequestForm(request.POST or None, colleagues=colleagues, own=own, instruments=instruments, items=items)
    if request.method == "POST" and instruments and form.is_valid():
        try:
            observation = services.peer_visit_request(
                actor=actor,
                employment=form.cleaned_data["employment"],
                colleague=form.cleaned_data["colleague"],
                details=form.details(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            _planned_messages(
                request,
                observation,
                _("Your colleague %(name)s has been asked by e-mail to visit your lesson.")
                % {"name": observation.observer.full_name},
            )
            return _detail(observation)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "observation": None,
        "kind": "peer",
        "has_teachers": colleagues.exists(),
        **({} if instruments else _no_instruments_context()),
    }
    return render(request, "observations/plan_form.html", context, status=status)


# --- one visit ----------------------------------------------------------------------------------------


def _page(
    request: ActorRequest, observation: Observation, role: str, *, reaction_form: Any = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    page = visit_page_for(actor=actor, observation=observation, role=role)
    services.visit_access_record(actor=actor, observation=observation, role=role, path=request.path)
    if reaction_form is None and page.may["react"]:
        reaction_form = ReactionForm(initial={"reaction": observation.teacher_reaction})
    context = {
        "page": page,
        "observation": observation,
        "role": role,
        "reaction_form": reaction_form,
        "calibration": calibration_panel_for(actor=actor, observation=observation),
    }
    return render(request, "observations/detail.html", context, status=status)


@require_safe
@actor_view()
def visit_detail(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    observation, role = _visit(request, observation_id)
    return _page(request, observation, role)


@require_http_methods(["GET", "POST"])
@actor_view()
def visit_edit(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    """Change the plan (while planned): the observer; for a peer visit the teacher who asked as well."""
    observation, role = _visit(request, observation_id)
    if not plan_changer(role=role, observation=observation):
        return _forbidden(
            request, observation, PermissionDenied(_("Only the observer can change or cancel this visit."))
        )
    if observation.state != ObservationState.PLANNED:
        messages.error(request, _("The plan can only be changed before scoring starts."))
        return _detail(observation)
    instruments = instrument_choices_for(actor=request.actor, keep=observation.instrument)
    items = instrument_items_for(version_ids=[version.pk for version in instruments])
    form = VisitDetailsForm(
        request.POST or None, instruments=instruments, items=items, initial=visit_initial(observation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(actor=request.actor, observation=observation, details=form.details())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            _planned_messages(request, observation, _("The plan has been changed. The other side gets an e-mail."))
            return _detail(observation)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "observation": observation, "kind": observation.kind, "has_teachers": True}
    return render(request, "observations/plan_form.html", context, status=status)


@require_POST
@actor_view()
def visit_cancel(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    observation, role = _visit(request, observation_id)
    if not plan_changer(role=role, observation=observation):
        return _forbidden(
            request, observation, PermissionDenied(_("Only the observer can change or cancel this visit."))
        )
    try:
        services.visit_cancel(actor=request.actor, observation=observation)
    except ValidationError as error:
        return _refused(request, observation, error)
    messages.success(request, _("The visit has been cancelled. The other side gets an e-mail."))
    return _detail(observation)


# --- scoring ------------------------------------------------------------------------------------------


def _overlay_posted(sheet: ScoringSheet, data: Any) -> None:
    """Show what was sent (not saved) when the form comes back with an error: nothing typed is lost."""
    for domain in sheet.domains:
        for item in domain.items:
            key = f"item_{item.item.pk}"
            if key in data:
                raw = data.get(key)
                value = int(raw) if str(raw).isdigit() else None
                item.score = ObservationScore(value=value, note=str(data.get(f"note_{item.item.pk}", "")))


@require_http_methods(["GET", "POST"])
@actor_view()
def visit_score(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    """The scoring page (a tablet in the classroom). scoring.js saves each tap through score-save; without
    JavaScript the form's submit saves every item at once."""
    observation, role = _visit(request, observation_id)
    refused = _as_observer(request, observation)
    if refused is not None:
        return refused
    if not observation.is_editable:
        messages.error(
            request,
            _("This visit can no longer be scored: the status is “%(state)s”.")
            % {"state": observation.get_state_display()},
        )
        return _detail(observation)
    error: ValidationError | None = None
    if request.method == "POST":
        try:
            changes = score_changes_from_post(request.POST, now=timezone.now())
            services.scores_save(actor=request.actor, observation=observation, changes=changes)
        except ValidationError as refused_error:
            error = refused_error
        else:
            messages.success(request, _("Your scores have been saved."))
            if request.POST.get("next") == "debrief" and observation.calibrates_id is None:
                return redirect("observations:visit-debrief", observation_id=observation.pk)
            return redirect("observations:visit-score", observation_id=observation.pk)
    sheet = scoring_sheet_for(observation=observation)
    if error is not None:
        _overlay_posted(sheet, request.POST)
    context = {
        "observation": observation,
        "role": role,
        "sheet": sheet,
        "error": " ".join(error.messages) if error is not None else "",
        "note_max": services.NOTE_MAX,
        "is_today": observation.date == timezone.localdate(),
    }
    return render(request, "observations/score.html", context, status=400 if error is not None else 200)


def _outcome_json(outcome: services.ScoreOutcome) -> dict[str, Any]:
    return {
        "item": outcome.item_id,
        "applied": outcome.applied,
        "value": outcome.value,
        "note": outcome.note,
        "edited_at": int(outcome.edited_at.timestamp() * 1000),
    }


@require_POST
@actor_view()
def score_save(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    """Save score changes, answered in JSON: 200 with what is stored per item; 400 (bad input, a visit that is
    no longer open) or 403 (not the observer) with a message to show."""
    observation, _role = _visit(request, observation_id)
    try:
        if request.content_type == "application/json":
            try:
                payload: Any = json.loads(request.body or b"null")
            except ValueError:
                payload = None
        else:
            payload = request.POST.get("changes", "")
        changes = score_changes_from_json(payload, now=timezone.now())
        outcomes = services.scores_save(actor=request.actor, observation=observation, changes=changes)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error) or _("Only the observer of this visit can do this.")}, status=403)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"state": observation.state, "results": [_outcome_json(outcome) for outcome in outcomes]})


# --- the nagesprek and putting forward ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view()
def visit_debrief(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    """The observer writes the nagesprek; "save and put forward" does both in one go."""
    observation, role = _visit(request, observation_id)
    refused = _as_observer(request, observation)
    if refused is not None:
        return refused
    if not observation.is_editable or observation.calibrates_id is not None:
        messages.error(request, _("The nagesprek can only be written while the visit is open."))
        return _detail(observation)
    form = DebriefForm(
        request.POST or None,
        agreements=agreements_for(observation=observation),
        initial={"went_well": observation.went_well, "work_on": observation.work_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.debrief_save(
                actor=request.actor,
                observation=observation,
                went_well=form.cleaned_data["went_well"],
                work_on=form.cleaned_data["work_on"],
                agreements=form.agreements(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if request.POST.get("submit"):
                try:
                    services.visit_submit(actor=request.actor, observation=observation)
                except ValidationError as error:
                    messages.success(request, _("The nagesprek has been saved."))
                    return _refused(request, observation, error, "status")
                messages.success(
                    request,
                    _("The visit has been put forward. %(name)s gets an e-mail to read it.")
                    % {"name": observation.teacher.full_name},
                )
                return _detail(observation, "status")
            messages.success(
                request, _("The nagesprek has been saved. The teacher reads it once you put the visit forward.")
            )
            if request.POST.get("continue"):
                return redirect("observations:visit-debrief", observation_id=observation.pk)
            return _detail(observation, "debrief")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "observation": observation, "role": role}
    return render(request, "observations/debrief_form.html", context, status=status)


@require_POST
@actor_view()
def visit_submit(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    observation, _role = _visit(request, observation_id)
    refused = _as_observer(request, observation)
    if refused is not None:
        return refused
    try:
        services.visit_submit(actor=request.actor, observation=observation)
    except ValidationError as error:
        return _refused(request, observation, error, "status")
    if observation.calibrates_id is None:
        messages.success(
            request,
            _("The visit has been put forward. %(name)s gets an e-mail to read it.")
            % {"name": observation.teacher.full_name},
        )
    else:
        messages.success(request, _("Your scores have been put forward."))
    return _detail(observation, "status")


@require_POST
@actor_view()
def visit_reopen(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    observation, _role = _visit(request, observation_id)
    refused = _as_observer(request, observation)
    if refused is not None:
        return refused
    try:
        services.visit_reopen(actor=request.actor, observation=observation)
    except ValidationError as error:
        return _refused(request, observation, error, "status")
    messages.success(
        request, _("You have taken the visit back. The teacher no longer sees it until you put it forward again.")
    )
    return _detail(observation, "status")


# --- the teacher --------------------------------------------------------------------------------------


def _as_teacher(request: ActorRequest, observation: Observation) -> HttpResponse | None:
    try:
        authorize(request.actor, AS_TEACHER, observation)
    except PermissionDenied:
        return _forbidden(
            request, observation, PermissionDenied(_("Only the teacher whose lesson was visited can do this."))
        )
    return None


@require_POST
@actor_view()
def visit_reaction(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    """The teacher saves their reaction without marking the visit as seen yet."""
    observation, role = _visit(request, observation_id)
    refused = _as_teacher(request, observation)
    if refused is not None:
        return refused
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return _page(request, observation, role, reaction_form=form, status=400)
    try:
        services.reaction_save(actor=request.actor, observation=observation, reaction=form.cleaned_data["reaction"])
    except ValidationError as error:
        _typed_text_kept(request, typed=form.cleaned_data["reaction"], stored=observation.teacher_reaction)
        return _refused(request, observation, error, "reaction")
    messages.success(request, _("Your reaction has been saved. The observer reads it once you mark the visit as seen."))
    return _detail(observation, "reaction")


@require_POST
@actor_view()
def visit_acknowledge(request: ActorRequest, observation_id: UUID) -> HttpResponse:
    """The teacher marks the visit as seen, with the reaction in the form (when sent along)."""
    observation, role = _visit(request, observation_id)
    refused = _as_teacher(request, observation)
    if refused is not None:
        return refused
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return _page(request, observation, role, reaction_form=form, status=400)
    reaction = form.cleaned_data["reaction"] if "reaction" in request.POST else None
    try:
        services.visit_acknowledge(actor=request.actor, observation=observation, reaction=reaction)
    except ValidationError as error:
        _typed_text_kept(request, typed=reaction or "", stored=observation.teacher_reaction)
        return _refused(request, observation, error, "reaction")
    messages.success(request, _("You have marked the visit as seen. The observer gets an e-mail."))
    return _detail(observation, "status")


@require_POST
@actor_view()
def agreement_goal(request: ActorRequest, observation_id: UUID, agreement_id: int) -> HttpResponse:
    """One click: the agreement becomes a goal in the teacher's POP (a second click opens the same goal)."""
    observation, _role = _visit(request, observation_id)
    refused = _as_teacher(request, observation)
    if refused is not None:
        return refused
    agreement = agreement_get_for(observation=observation, agreement_id=agreement_id)
    agreement.observation = observation
    try:
        goal, created = services.agreement_goal_create(actor=request.actor, agreement=agreement)
    except ValidationError as error:
        return _refused(request, observation, error, "agreements")
    if created:
        messages.success(
            request, _("The agreement is now a goal in your development plan “%(plan)s”.") % {"plan": goal.plan.title}
        )
    else:
        messages.info(request, _("This agreement is a goal in your development plan already."))
    return redirect(f"{reverse('dossier:plan-detail', kwargs={'plan_id': goal.plan_id})}#goal-{goal.pk}")
