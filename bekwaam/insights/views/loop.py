"""The loop closes: the person's low scores (also shown on Mijn ontwikkeling), "make it a POP goal", the page
after it (e-learning proposals and, for a kijkwijzer item, a follow-up visit), and asking for that visit.

Every page has the rule "insights.loop" (a medewerker); the score and the goal are found only among the
actor's own (insights.selectors.loop: 404 for anybody else's). The services read the score again themselves.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bekwaam.dossier.models import Goal
from bekwaam.insights.forms.loop import FollowUpForm, GoalFromScoreForm
from bekwaam.insights.models import GoalOrigin, OriginKind
from bekwaam.insights.selectors.loop import (
    course_code_for,
    goal_before_after,
    low_scores_for,
    origin_goal_get_for,
    own_visits_q_for,
)
from bekwaam.insights.services import loop as services
from bekwaam.learning.selectors import courses_for_competence
from bekwaam.lib.forms import apply_validation_error
from bekwaam.observations.models import Observation, ObservationState
from bekwaam.observations.services.follow_up import follow_up_plan_for
from bekwaam.tenancy.policy import ActorRequest, actor_view

LOOP = "insights.loop"


def _back(request: ActorRequest, target: str) -> str:
    """Where to go after a refused click: the page it came from (same site only), else the low scores."""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("insights:low_scores")


@require_safe
@actor_view(LOOP)
def low_scores(request: ActorRequest) -> HttpResponse:
    """The actor's own low scores with a "make it a POP goal" button each (the same list as on Mijn ontwikkeling)."""
    return render(request, "insights/loop/low_scores.html", {"low_scores": low_scores_for(actor=request.actor)})


@require_POST
@actor_view(LOOP)
def goal_from_score(request: ActorRequest) -> HttpResponse:
    """One click: the score becomes a goal in the actor's POP (a second click opens the goal made the first time)."""
    actor = request.actor
    form = GoalFromScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This score could not be read. Reload the page and try again."))
        context = {"low_scores": low_scores_for(actor=actor)}
        return render(request, "insights/loop/low_scores.html", context, status=400)
    data = form.cleaned_data
    try:
        made = services.goal_from_score(actor=actor, kind=data["kind"], source_id=data["source"], code=data["code"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_back(request, data["next"]))
    if not made.created:
        messages.info(request, _("You have made this score a goal already: here it is."))
    elif made.plan_created:
        messages.success(request, _("A new development plan has been started with this goal."))
    else:
        messages.success(
            request, _("The goal has been added to your plan “%(plan)s”.") % {"plan": made.goal.plan.title}
        )
    return redirect("insights:goal_next", goal_id=made.goal.pk)


def _follow_up_context(request: ActorRequest, origin: GoalOrigin) -> dict[str, Any]:
    """For a kijkwijzer item: the follow-up visit asked for already, or whom it would be asked of (or why not)."""
    if origin.kind != OriginKind.OBSERVATION_ITEM:
        return {}
    visit = origin.follow_up_visit
    if visit is not None and visit.state != ObservationState.CANCELLED:
        return {"follow_up_visit": visit}
    earlier = (
        Observation.objects.filter(pk=origin.source_id, **own_visits_q_for(actor=request.actor))
        .select_related("instrument__framework", "observer", "employment")
        .first()
    )
    if earlier is None:
        return {"follow_up_refused": _("The lesson visit this goal was made from is no longer there.")}
    try:
        plan = follow_up_plan_for(actor=request.actor, observation=earlier, code=origin.code)
    except ValidationError as error:
        return {"follow_up_refused": " ".join(error.messages)}
    return {"follow_up_plan": plan, "follow_up_cancelled": visit is not None}


def _goal_next_page(
    request: ActorRequest, goal: Goal, *, form: FollowUpForm | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    origin: GoalOrigin = goal.origin
    courses = courses_for_competence(
        actor=actor, framework_slug=origin.framework_slug, code=course_code_for(actor=actor, origin=origin)
    )
    context: dict[str, Any] = {
        "goal": goal,
        "origin": origin,
        "courses": courses,
        "before_after": goal_before_after(goal=goal),
        "form": form or FollowUpForm(),
        "goal_url": f"{reverse('dossier:plan-detail', kwargs={'plan_id': goal.plan_id})}#goal-{goal.pk}",
        **_follow_up_context(request, origin),
    }
    return render(request, "insights/loop/goal_next.html", context, status=status)


@require_safe
@actor_view(LOOP)
def goal_next(request: ActorRequest, goal_id: UUID) -> HttpResponse:
    """After making the goal: modules linked to the competence, and (for a kijkwijzer item) a follow-up visit."""
    return _goal_next_page(request, origin_goal_get_for(actor=request.actor, goal_id=goal_id))


@require_POST
@actor_view(LOOP)
def follow_up(request: ActorRequest, goal_id: UUID) -> HttpResponse:
    """With the box ticked: a follow-up visit on the goal's kijkwijzer item (asking again changes nothing)."""
    actor = request.actor
    goal = origin_goal_get_for(actor=actor, goal_id=goal_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            visit, created = services.goal_follow_up_request(actor=actor, goal=goal)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("You have asked %(name)s for a follow-up lesson visit: they set the date and time.")
                    % {"name": visit.observer.full_name},
                )
            else:
                messages.info(request, _("You have asked for a follow-up lesson visit already."))
            return redirect("insights:goal_next", goal_id=goal.pk)
    goal = origin_goal_get_for(actor=actor, goal_id=goal_id)  # afresh: the page shows what is stored now
    if goal.origin.kind != OriginKind.OBSERVATION_ITEM:
        # This page has no follow-up form to show the message at (sent from an older or a forged page).
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("insights:goal_next", goal_id=goal.pk)
    return _goal_next_page(request, goal, form=form, status=400)
