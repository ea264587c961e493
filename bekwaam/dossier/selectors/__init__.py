"""Reads of dossier data. The core here decides who sees which item; feature modules sit beside it.

Visibility (ARCHITECTURE.md principle 1): the owner sees their own items at the active board; anyone
else only through an active `Share` of the owner that reaches them — named as the grantee, or as the
owner's leidinggevende (the same relation as "Mijn team": tenancy.selectors.team_members_for). Every
lookup is scoped to the actor's board and answers 404 for both missing and not shared.
"""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bekwaam.dossier.models import (
    DevelopmentPlan,
    Evidence,
    Goal,
    Reflection,
    SelfAssessment,
    Share,
    ShareAudience,
)
from bekwaam.frameworks.models import Audience, FrameworkKind, FrameworkVersion, VersionStatus
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Function
from bekwaam.tenancy.selectors import own_employments_for, team_members_for

LEADER_FUNCTIONS = (Function.SCHOOL_LEADER, Function.DIRECTOR)
OWNER = "owner"  # the right of the item's own person; a share's right is its audience ("manager", "person")

# Each shareable model: its dossier section and the Share field that names one item of it.
ITEM_FIELDS: dict[type[Model], tuple[str, str]] = {
    SelfAssessment: ("assessments", "assessment"),
    DevelopmentPlan: ("plans", "plan"),
    Evidence: ("portfolio", "evidence"),
    Reflection: ("portfolio", "reflection"),
}
SECTION_WIDE = Q(assessment__isnull=True, plan__isnull=True, evidence__isnull=True, reflection__isnull=True)

Item = TypeVar("Item", SelfAssessment, DevelopmentPlan, Evidence, Reflection)


def leads(*, actor: Actor, owner_id: UUID) -> bool:
    """True when the actor is the owner's leidinggevende at the active board, as shown on "Mijn team"."""
    # Only someone who has "Mijn team" here leads anybody here: a leidinggevende whose own employment at
    # the board has ended may still be named on old employments, but leads nobody (tenancy memberships_of).
    if actor.board_id is None or owner_id == actor.person.pk or not actor.has_permission(roles.VIEW_TEAM):
        return False
    return team_members_for(actor=actor).filter(person_id=owner_id).exists()


def share_grants_for(*, actor: Actor, owner_id: UUID) -> QuerySet[Share]:
    """The owner's active shares that reach the actor; none outside the actor's board."""
    if actor.board_id is None or owner_id == actor.person.pk:
        return Share.objects.none()
    reach = [Q(audience=ShareAudience.PERSON, grantee=actor.person)] if reached_by_name(actor) else []
    if leads(actor=actor, owner_id=owner_id):
        reach.append(Q(audience=ShareAudience.MANAGER))
    if not reach:
        return Share.objects.none()
    return Share.objects.filter(_any(reach), board_id=actor.board_id, owner_id=owner_id, withdrawn_at__isnull=True)


def shares_reaching(*, actor: Actor) -> QuerySet[Share]:
    """Every active share at the actor's board that reaches them, of any owner: the same rule as share_grants_for."""
    if actor.board_id is None:
        return Share.objects.none()
    reach = [Q(audience=ShareAudience.PERSON, grantee=actor.person)] if reached_by_name(actor) else []
    if actor.has_permission(roles.VIEW_TEAM):
        led = team_members_for(actor=actor).order_by().values("person_id")
        reach.append(Q(audience=ShareAudience.MANAGER, owner_id__in=led))
    if not reach:
        return Share.objects.none()
    return Share.objects.filter(_any(reach), board_id=actor.board_id, withdrawn_at__isnull=True).exclude(
        owner_id=actor.person.pk
    )


def reached_by_name(actor: Actor) -> bool:
    """A share with a named colleague reaches them only while they work at the board (docs/privacy.md):
    someone who left keeps no view of a former colleague's dossier, even with a board role that remains."""
    return actor.has_permission(roles.VIEW_DOSSIER)


def _any(conditions: list[Q]) -> Q:
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def access_right_for(*, actor: Actor, item: SelfAssessment | DevelopmentPlan | Evidence | Reflection) -> str | None:
    """ "owner", the audience of the share that lets the actor see the item, or None when nothing does."""
    if item.board_id != actor.board_id:
        return None
    if item.person_id == actor.person.pk:
        return OWNER
    section, field = ITEM_FIELDS[type(item)]
    grant = (
        share_grants_for(actor=actor, owner_id=item.person_id)
        .filter(SECTION_WIDE | Q(**{field: item.pk}), section=section)
        .order_by("audience")  # "manager" before "person": the wider right is the one reported
        .values_list("audience", flat=True)
        .first()
    )
    return grant


def visible_items_of(*, actor: Actor, model: type[Item], owner_id: UUID) -> QuerySet[Item]:
    """The owner's items of one kind that the actor may see: all for the owner, else what is shared."""
    items = model.objects.filter(board_id=actor.board_pk, person_id=owner_id)
    if owner_id == actor.person.pk:
        return items
    section, field = ITEM_FIELDS[model]
    grants = share_grants_for(actor=actor, owner_id=owner_id).filter(section=section)
    if grants.filter(SECTION_WIDE).exists():
        return items
    shared_ids = grants.exclude(**{f"{field}__isnull": True}).values(field)
    return items.filter(pk__in=shared_ids)


def item_get_for(*, actor: Actor, model: type[Item], item_id: UUID) -> tuple[Item, str]:
    """The item and the actor's right to it; 404 when it is missing, at another board, or not shared."""
    item = get_object_or_404(model.objects.select_related("person"), pk=item_id, board_id=actor.board_pk)
    right = access_right_for(actor=actor, item=item)
    if right is None:
        raise Http404
    return item, right


def own_item_get_for(*, actor: Actor, model: type[Item], item_id: UUID) -> Item:
    """One of the actor's own items (to change or share it); 404 for anybody else's."""
    return get_object_or_404(model, pk=item_id, board_id=actor.board_pk, person=actor.person)


def goal_get_for(*, actor: Actor, goal_id: UUID) -> tuple[Goal, str]:
    """A POP goal and the actor's right to it: the right to its plan (goals are shared with their plan)."""
    goal = get_object_or_404(Goal.objects.select_related("plan", "plan__person"), pk=goal_id, board_id=actor.board_pk)
    right = access_right_for(actor=actor, item=goal.plan)
    if right is None:
        raise Http404
    return goal, right


def framework_version_for(*, actor: Actor) -> FrameworkVersion | None:
    """The framework version the actor's dossier is measured against by default.

    The newest published version of the board's framework for the actor's audience (school leaders
    when any active employment is as schoolleider or directeur, else teachers), falling back to any
    published framework of the board; None when the board has adopted none yet. Never a kijkwijzer.
    """
    if actor.board_id is None:
        return None
    leader = own_employments_for(actor=actor).filter(function__in=LEADER_FUNCTIONS).exists()
    audience = Audience.SCHOOL_LEADERS if leader else Audience.TEACHERS
    published = FrameworkVersion.objects.filter(
        board_id=actor.board_id, status=VersionStatus.PUBLISHED, framework__kind=FrameworkKind.COMPETENCES
    )
    return (
        published.filter(framework__audience=audience)
        .select_related("framework")
        .order_by("framework__name", "-number")
        .first()
        or published.select_related("framework").order_by("framework__name", "-number").first()
    )
