"""The four-eyes decision pages: the interview recorded as held, the judgement page (record, or revise in a
consensus round), with the portfolio as assessed beside it.

Every page resolves the trajectory through trajectory_get_for (404 for anyone role_in does not know); the
judgement pages then need trajectories.judge (403 with the reason: the candidate, the coach — four eyes — and
anyone who is not an assessor of the aanbieder); the services check again on the locked row. A refused step
(a stale page, a second tab, the decision made meanwhile) comes back on the form with what was typed.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bekwaam.lib.forms import apply_validation_error
from bekwaam.tenancy.policy import ActorRequest, actor_view
from bekwaam.trajectories.forms.decision import InterviewHeldForm, JudgementForm
from bekwaam.trajectories.models import Trajectory
from bekwaam.trajectories.selectors import trajectory_get_for
from bekwaam.trajectories.selectors.decision import (
    JUDGE,
    DecisionPanel,
    criteria_of,
    decision_panel_for,
    portfolio_for,
)
from bekwaam.trajectories.services import decision as services


def hub_url(trajectory: Trajectory) -> str | None:
    """The aanbieder's page of the trajectory (the hub), when that part is there."""
    try:
        return reverse("trajectories:work", kwargs={"trajectory_id": trajectory.pk})
    except NoReverseMatch:
        return None


def _judgement_url(trajectory: Trajectory, anchor: str = "") -> str:
    url = reverse("trajectories:judgement", kwargs={"trajectory_id": trajectory.pk})
    return f"{url}#{anchor}" if anchor else url


def _forbidden(request: HttpRequest, trajectory: Trajectory, error: PermissionDenied) -> HttpResponse:
    """Someone who sees the trajectory but may not take this step: 403 with the reason, and the way back."""
    message = str(error) or _("You cannot take this step on this trajectory.")
    context = {"trajectory": trajectory, "message": message, "hub_url": hub_url(trajectory)}
    return render(request, "trajectories/decision/refused.html", context, status=403)


def _as_judge(request: ActorRequest, trajectory: Trajectory) -> HttpResponse | None:
    try:
        services.refuse_unless_judge(request.actor, trajectory)
    except PermissionDenied as error:
        return _forbidden(request, trajectory, error)
    return None


def _form(trajectory: Trajectory, data: Any = None, judgement: Any = None) -> JudgementForm:
    return JudgementForm(data, themes=trajectory.themes.all(), criteria=criteria_of(trajectory), judgement=judgement)


def _page(
    request: ActorRequest,
    trajectory: Trajectory,
    *,
    form: JudgementForm | None,
    revise: bool,
    status: int = 200,
    panel: DecisionPanel | None = None,
) -> HttpResponse:
    panel = panel or decision_panel_for(actor=request.actor, trajectory=trajectory)
    if form is None and not revise and panel.may_judge:
        form = _form(trajectory)
    portfolio = portfolio_for(actor=request.actor, trajectory=trajectory)
    context = {
        "trajectory": trajectory,
        "panel": panel,
        "form": form,
        "revise": revise,
        "held_form": InterviewHeldForm() if panel.may_mark_held else None,
        "hub_url": hub_url(trajectory),
        "portfolio": portfolio,
        "assignments": portfolio.assignments if portfolio is not None else [],
        "show_comments": True,
    }
    return render(request, "trajectories/decision/judgement.html", context, status=status)


def _recorded_message(request: HttpRequest, outcome: services.Recorded) -> None:
    if outcome.decision is not None:
        if outcome.decision.outcome == "certified":
            messages.success(
                request,
                _("The judgements agree: the trajectory is certified (%(points)s points). The candidate is told.")
                % {"points": outcome.decision.points},
            )
        else:
            messages.success(
                request, _("The judgements agree: the outcome is development advice. The candidate is told.")
            )
    elif outcome.disagreement:
        messages.warning(
            request,
            _(
                "Your judgement has been recorded. The judgements differ: a third assessor or a consensus round "
                "decides."
            ),
        )
    else:
        messages.success(
            request,
            _("Your judgement has been recorded. You see the other assessor's judgement once it is recorded too."),
        )


# --- the interview ------------------------------------------------------------------------------------


@require_POST
@actor_view()
def interview_held(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    """An assessor records that the interview was held: the assessors may now record their judgements."""
    trajectory = trajectory_get_for(actor=request.actor, trajectory_id=trajectory_id)
    try:
        services.refuse_unless_assessor(request.actor, trajectory)
    except PermissionDenied as error:
        return _forbidden(request, trajectory, error)
    form = InterviewHeldForm(request.POST)
    held_early = form.is_valid() and bool(form.cleaned_data["held_early"])
    # Back to the judgement page (the interview and its form); an assessor who may not judge to the hub.
    hub = hub_url(trajectory)
    judges = rules.test_rule(JUDGE, request.actor, trajectory)
    try:
        services.trajectory_start_deciding(actor=request.actor, trajectory=trajectory, held_early=held_early)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(hub if hub is not None and not judges else _judgement_url(trajectory, "decision"))
    messages.success(request, _("The interview is recorded as held. Each assessor now records their judgement."))
    return redirect(hub if hub is not None and not judges else _judgement_url(trajectory))


# --- the judgement ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view()
def judgement(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    """The assessor's judgement: the form while they have not recorded; afterwards the judgements as far as
    the blind rule lets them see, the agreement, and the decision."""
    trajectory = trajectory_get_for(actor=request.actor, trajectory_id=trajectory_id)
    if (refused := _as_judge(request, trajectory)) is not None:
        return refused
    if request.method != "POST":
        return _page(request, trajectory, form=None, revise=False)
    form = _form(trajectory, request.POST)
    if form.is_valid():
        try:
            outcome = services.judgement_record(actor=request.actor, trajectory=trajectory, **form.values())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            _recorded_message(request, outcome)
            return redirect(_judgement_url(trajectory, "decision"))
    return _page(request, trajectory, form=form, revise=False, status=400)


@require_http_methods(["GET", "POST"])
@actor_view()
def judgement_revise(request: ActorRequest, trajectory_id: UUID) -> HttpResponse:
    """An assessor revises their own judgement (the consensus round), with its current values filled in."""
    trajectory = trajectory_get_for(actor=request.actor, trajectory_id=trajectory_id)
    if (refused := _as_judge(request, trajectory)) is not None:
        return refused
    panel = decision_panel_for(actor=request.actor, trajectory=trajectory)
    if not panel.may_revise and request.method != "POST":
        messages.info(
            request,
            _("You can revise your judgement once you have recorded it, while the decision is not yet made."),
        )
        return redirect(_judgement_url(trajectory))
    if request.method != "POST":
        return _page(request, trajectory, form=_form(trajectory, judgement=panel.own), revise=True, panel=panel)
    form = _form(trajectory, request.POST)
    if form.is_valid():
        try:
            outcome = services.judgement_revise(actor=request.actor, trajectory=trajectory, **form.values())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if outcome.decision is None:
                messages.warning(request, _("Your judgement has been revised. The judgements still differ."))
            else:
                _recorded_message(request, outcome)
            return redirect(_judgement_url(trajectory, "decision"))
    return _page(request, trajectory, form=form, revise=True, status=400)
