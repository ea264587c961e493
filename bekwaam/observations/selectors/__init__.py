"""Who sees which lesson visit, decided in one place (rules.py and every list defer to these).

- the observer: always their own observation, scores included;
- the teacher: their visits and peer visits, not a second observer's calibration scoring; scores and the
  nagesprek only once put forward;
- the kwaliteitsmedewerker (observations.observe + quality.view): every visit (not peer visits) at the board;
- the leidinggevende: visits (not peer visits) of the people they lead, as on "Mijn team";
- a bestuurder never sees one teacher's visit: only the team report's aggregates (selectors.reports).
A peer visit (collegiale consultatie) is seen by its teacher and its observer, nobody else.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from bekwaam.observations.models import Observation, ObservationKind
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.selectors import team_members_for

OBSERVER = "observer"
TEACHER = "teacher"
QUALITY_OFFICER = "quality_officer"
MANAGER = "manager"


def _is_quality_officer(actor: Actor) -> bool:
    return actor.has_permission(roles.MANAGE_QUALITY) and actor.has_permission(roles.OBSERVE_LESSONS)


def role_in(*, actor: Actor, observation: Observation) -> str | None:
    """The actor's strongest relation to the observation, or None when they may not see it."""
    if actor.board_id is None or observation.board_id != actor.board_id:
        return None
    if observation.observer_id == actor.person.pk:
        return OBSERVER
    if observation.teacher_id == actor.person.pk:
        return TEACHER if observation.calibrates_id is None else None
    if observation.kind == ObservationKind.PEER:
        return None
    if _is_quality_officer(actor):
        return QUALITY_OFFICER
    if (
        actor.has_permission(roles.VIEW_TEAM)
        and team_members_for(actor=actor).filter(person_id=observation.teacher_id).exists()
    ):
        return MANAGER
    return None


def may_see_scores(*, role: str | None, observation: Observation) -> bool:
    """Scores and nagesprek: the observer always, everyone else who may see the visit once it is put forward."""
    if role is None:
        return False
    return role == OBSERVER or observation.is_put_forward


def observations_visible_to(*, actor: Actor) -> QuerySet[Observation]:
    """Every observation at the actor's board that role_in lets them see: the same rule as a queryset."""
    if actor.board_id is None:
        return Observation.objects.none()
    me = actor.person.pk
    reach = Q(observer_id=me) | Q(teacher_id=me, calibrates__isnull=True)
    if _is_quality_officer(actor):
        reach |= Q(kind=ObservationKind.VISIT)
    elif actor.has_permission(roles.VIEW_TEAM):
        led = team_members_for(actor=actor).values("person_id")
        reach |= Q(kind=ObservationKind.VISIT, teacher_id__in=led)
    return Observation.objects.filter(reach, board_id=actor.board_id)


def observation_get_for(*, actor: Actor, observation_id: UUID) -> tuple[Observation, str]:
    """The observation with the actor's role in it; 404 when they may not see it (no existence leak)."""
    observation = (
        Observation.objects.filter(board_id=actor.board_pk, pk=observation_id)
        .select_related("school", "teacher", "observer", "instrument__framework")
        .first()
    )
    if observation is None:
        raise Http404
    role = role_in(actor=actor, observation=observation)
    if role is None:
        raise Http404
    return observation, role
