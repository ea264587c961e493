"""The loop closes (docs/insights-loop.md): a low score becomes a POP goal with one click, and the person may
ask for a follow-up lesson visit on a kijkwijzer item they made a goal of.

Nothing a form posts about the score is trusted: the service gets the kind, the source's id and the code,
and reads the score afresh from the source, scoped to the actor (insights.selectors.loop.score_read_for;
404 for anything that is not their own), with the source row locked, so two clicks (or tabs) on the same
score make one goal. The goal goes into the actor's current POP through the dossier's own services
(plan_current_or_create, goal_create), which check the POP's rules again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.dossier.models import Goal
from bekwaam.dossier.selectors.plans import goal_version_ids_for
from bekwaam.dossier.services.plans import goal_create, plan_current_or_create
from bekwaam.insights.models import GoalOrigin, OriginKind
from bekwaam.insights.selectors.loop import LABEL_MAX, score_read_for
from bekwaam.lib.dates import school_year_label, school_year_of
from bekwaam.observations.models import Observation, ObservationState
from bekwaam.observations.services.follow_up import follow_up_visit_request
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize

LOOP = "insights.loop"
TITLE_MAX = 300  # dossier.Goal.title


@dataclass(frozen=True)
class GoalFromScore:
    goal: Goal
    created: bool  # False: the score was a goal already; `goal` is that one
    plan_created: bool  # a new plan was started for the goal
    linked: bool  # the goal is linked to the score's competence (see goal_from_score)


def goal_from_score(*, actor: Actor, kind: str, source_id: object, code: str) -> GoalFromScore:
    """A POP goal "Work on: <label>" from one of the actor's own low scores, with its GoalOrigin, once.

    The score is read from its source by id, scoped to the actor (404 when it is not theirs) and must lie in
    the lower half of its scale. The goal is linked to the score's competence (the indicator's competence,
    the item, the 360° competence) when the POP allows that competence (dossier goal_version_ids_for: the
    actor's own framework version or the plan's source): a kijkwijzer item never is (decision 0007), nor a
    competence of a framework version the board has replaced since; the origin keeps its slug and code.
    """
    authorize(actor, LOOP)
    if kind not in OriginKind.values:
        raise ValidationError(_("This kind of score cannot become a goal."))
    with transaction.atomic():
        read = score_read_for(actor=actor, kind=kind, source_id=source_id, code=code, lock=True)
        score = read.score
        existing = (
            GoalOrigin.objects.filter(
                board_id=actor.board_pk,
                goal__plan__person=actor.person,
                kind=kind,
                source_id=score.source_id,
                code=score.code,
            )
            .select_related("goal__plan")
            .first()
        )
        if existing is not None:
            return GoalFromScore(goal=existing.goal, created=False, plan_created=False, linked=False)
        if not score.is_low:
            raise ValidationError(
                _("This score is not in the lower half of the scale, so it is not offered as a goal to work on.")
            )
        year = school_year_label(school_year_of(timezone.localdate()))
        plan, plan_created = plan_current_or_create(actor=actor, title=_("Development plan %(year)s") % {"year": year})
        competence = read.competence
        linked = competence.version_id in goal_version_ids_for(actor=actor, source=plan.source_assessment)
        goal = goal_create(
            actor=actor,
            plan=plan,
            title=(_("Work on: %(label)s") % {"label": score.label})[:TITLE_MAX],
            why=_("%(source)s: %(label)s (%(code)s) scored %(value)s of %(max)s.")
            % {
                "source": score.source_label,
                "label": score.label,
                "code": score.code,
                "value": f"{score.value.normalize():f}",
                "max": score.scale_max,
            },
            competences=[competence] if linked else [],
        )
        origin = GoalOrigin(
            board_id=actor.board_pk,
            goal=goal,
            kind=kind,
            framework_slug=score.framework_slug,
            code=score.code,
            label=score.label[:LABEL_MAX],
            source_id=score.source_id,
            before_value=score.value,
            before_on=score.source_on or timezone.localdate(),
            scale_max=score.scale_max,
        )
        origin.full_clean()
        origin.save()
    return GoalFromScore(goal=goal, created=True, plan_created=plan_created, linked=linked)


def goal_follow_up_request(*, actor: Actor, goal: Goal) -> tuple[Observation, bool]:
    """With the person's consent, a follow-up lesson visit on the kijkwijzer item their goal was made from
    (observations.services.follow_up), once: asking again returns the visit asked for before, unless that one
    was cancelled. Returns the visit and whether it is new."""
    authorize(actor, LOOP)
    with transaction.atomic():
        # The lock makes "asked already?" and the asking one step: two tabs ask for one visit.
        origin = (
            GoalOrigin.objects.select_for_update(of=("self",))
            .filter(board_id=actor.board_pk, goal=goal, goal__plan__person=actor.person)
            .first()
        )
        if origin is None:
            raise ValidationError(_("This goal was not made from a score."))
        if origin.kind != OriginKind.OBSERVATION_ITEM:
            raise ValidationError(_("A follow-up lesson visit can only be asked for a kijkwijzer item."))
        if origin.follow_up_visit_id is not None:
            earlier = (
                Observation.objects.filter(board_id=actor.board_pk, pk=origin.follow_up_visit_id)
                .exclude(state=ObservationState.CANCELLED)
                .first()
            )
            if earlier is not None:
                return earlier, False
        visit = (
            Observation.objects.filter(board_id=actor.board_pk, pk=origin.source_id, teacher=actor.person)
            .select_related("instrument__framework", "observer")
            .first()
        )
        if visit is None:
            raise ValidationError(_("The lesson visit this goal was made from is no longer there."))
        follow_up = follow_up_visit_request(
            actor=actor,
            observation=visit,
            code=origin.code,
            focus=_("Follow-up on my goal “%(goal)s”.") % {"goal": goal.title},
        )
        origin.follow_up_visit = follow_up
        origin.save(update_fields=["follow_up_visit"])
    return follow_up, True
