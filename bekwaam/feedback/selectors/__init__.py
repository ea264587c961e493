"""Who reaches which feedback round: the one place that decides (rules.py and every view use it).

A round and its report belong to the medewerker who started it (ARCHITECTURE.md principle 1). Nobody
else sees the round itself: not the colleagues who answer, not the leidinggevende, not the beheerder.
The owner may share the report of a closed round (FeedbackShare) as in the dossier: "my leidinggevende"
reaches whoever leads the owner at the moment of the request (dossier.selectors.leads), a named
colleague only while they work at the board (dossier.selectors.reached_by_name). A withdrawn share
reaches nobody from the next request on: nothing is cached.

The one lookup without a board is `invitation_by_token`: the personal link of someone without an
account. It runs unscoped on purpose, by the token's hash only, and everything after it is filtered by
that invitation's own round and board.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_scopes import scopes_disabled

from bekwaam.accounts.models import Person
from bekwaam.dossier.selectors import leads, reached_by_name
from bekwaam.dossier.selectors.sharing import colleagues_for, managers_for
from bekwaam.feedback.models import (
    FeedbackEvent,
    FeedbackInvitation,
    FeedbackResponse,
    FeedbackRound,
    FeedbackShare,
    Relation,
    RoundState,
    ShareAudience,
    token_hash,
)
from bekwaam.notifications.models import Bounce
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.selectors import _active_q, team_members_for

OWNER = "owner"


def _any(conditions: list[Q]) -> Q:
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def share_grants_for(*, actor: Actor, round_: FeedbackRound) -> QuerySet[FeedbackShare]:
    """The round's active shares that reach the actor now (mirrors dossier.selectors.share_grants_for)."""
    if actor.board_id is None or round_.board_id != actor.board_id or round_.owner_id == actor.person.pk:
        return FeedbackShare.objects.none()
    reach = [Q(audience=ShareAudience.PERSON, grantee=actor.person)] if reached_by_name(actor) else []
    if leads(actor=actor, owner_id=round_.owner_id):
        reach.append(Q(audience=ShareAudience.MANAGER))
    if not reach:
        return FeedbackShare.objects.none()
    return FeedbackShare.objects.filter(_any(reach), board_id=actor.board_id, round=round_, withdrawn_at__isnull=True)


def report_right_for(*, actor: Actor, round_: FeedbackRound) -> str | None:
    """ "owner", the audience of the share that lets the actor read the report, or None when nothing does."""
    if actor.board_id is None or round_.board_id != actor.board_id:
        return None
    if round_.owner_id == actor.person.pk:
        return OWNER
    if round_.state != RoundState.CLOSED:
        return None
    grant: str | None = (
        share_grants_for(actor=actor, round_=round_)
        .order_by("audience")  # "manager" before "person": the wider right is the one reported
        .values_list("audience", flat=True)
        .first()
    )
    return grant


def round_list_for(*, actor: Actor) -> QuerySet[FeedbackRound]:
    """The actor's own rounds at the active board, newest first, with how many were invited and answered."""
    return (
        FeedbackRound.objects.filter(board_id=actor.board_pk, owner=actor.person)
        .annotate(
            invited_count=Count("invitations", distinct=True),
            answered_count=Count(
                "responses",
                filter=Q(responses__submitted_at__isnull=False) & ~Q(responses__relation=Relation.SELF),
                distinct=True,
            ),
        )
        .order_by("-created_at")
    )


def reports_shared_with_for(*, actor: Actor) -> QuerySet[FeedbackRound]:
    """Closed rounds of others whose report an active share lets the actor read (the rule of report_right_for)."""
    if actor.board_id is None:
        return FeedbackRound.objects.none()
    reach = [Q(audience=ShareAudience.PERSON, grantee=actor.person)] if reached_by_name(actor) else []
    if actor.has_permission(roles.VIEW_TEAM):
        led = team_members_for(actor=actor).order_by().values("person_id")
        reach.append(Q(audience=ShareAudience.MANAGER, round__owner_id__in=led))
    if not reach:
        return FeedbackRound.objects.none()
    shared = FeedbackShare.objects.filter(_any(reach), board_id=actor.board_id, withdrawn_at__isnull=True).values(
        "round_id"
    )
    return (
        FeedbackRound.objects.filter(board_id=actor.board_id, state=RoundState.CLOSED, pk__in=shared)
        .exclude(owner=actor.person)
        .select_related("owner")
        .order_by("-closed_at")
    )


def own_round_get_for(*, actor: Actor, round_id: UUID) -> FeedbackRound:
    """One of the actor's own rounds (to manage it); 404 for anybody else's, shared or not."""
    return get_object_or_404(
        FeedbackRound.objects.select_related("framework_version", "framework_version__framework"),
        pk=round_id,
        board_id=actor.board_pk,
        owner=actor.person,
    )


def report_round_get_for(*, actor: Actor, round_id: UUID) -> tuple[FeedbackRound, str]:
    """A round whose report the actor may read, with their right; 404 when missing, elsewhere, or not shared."""
    round_ = get_object_or_404(
        FeedbackRound.objects.select_related("owner", "framework_version", "framework_version__framework"),
        pk=round_id,
        board_id=actor.board_pk,
    )
    right = report_right_for(actor=actor, round_=round_)
    if right is None:
        raise Http404
    return round_, right


def invitation_list_for(*, actor: Actor, round_: FeedbackRound) -> QuerySet[FeedbackInvitation]:
    """The invitations of one of the actor's own rounds, each with `bounced`: the mail server reported the
    address after the link was sent (notifications.mail.bounced_since, for all rows in this one query).

    Whether someone answered is not shown per person (docs/feedback.md): only how many did.
    """
    bounced_after_sending = Bounce.objects.filter(email=OuterRef("email"), reported_at__gte=OuterRef("sent_at"))
    return (
        FeedbackInvitation.objects.filter(board_id=actor.board_pk, round=round_, round__owner=actor.person)
        .annotate(bounced=Exists(bounced_after_sending))
        .order_by("created_at", "name")
    )


def answered_count_for(*, round_: FeedbackRound) -> int:
    """How many invitees have submitted their answer (not who)."""
    return FeedbackResponse.objects.filter(
        board_id=round_.board_id, round=round_, submitted_at__isnull=False, invitation__isnull=False
    ).count()


def event_list_for(*, actor: Actor, round_: FeedbackRound) -> QuerySet[FeedbackEvent]:
    """The history of one of the actor's own rounds, oldest first."""
    return FeedbackEvent.objects.filter(
        board_id=actor.board_pk, round=round_, round__owner=actor.person
    ).select_related("actor")


def own_invitation_get_for(*, actor: Actor, invitation_id: UUID) -> FeedbackInvitation:
    """An invitation of one of the actor's own rounds; 404 for anybody else's."""
    return get_object_or_404(
        FeedbackInvitation.objects.select_related("round"),
        pk=invitation_id,
        board_id=actor.board_pk,
        round__owner=actor.person,
    )


def own_share_get_for(*, actor: Actor, round_: FeedbackRound, share_id: int) -> FeedbackShare:
    """A share of one of the actor's own rounds; 404 for anybody else's."""
    return get_object_or_404(
        FeedbackShare, pk=share_id, board_id=actor.board_pk, round=round_, round__owner=actor.person
    )


def share_list_for(*, actor: Actor, round_: FeedbackRound) -> QuerySet[FeedbackShare]:
    """The shares of one of the actor's own rounds, active ones first, with their grantee."""
    return (
        FeedbackShare.objects.filter(board_id=actor.board_pk, round=round_, round__owner=actor.person)
        .select_related("grantee")
        .order_by("-withdrawn_at", "-created_at")
    )


def invitation_by_token(token: str) -> FeedbackInvitation | None:
    """The invitation a personal link names, or None; for visitors who need no account.

    Deliberately unscoped (the visitor has no board: TenantMiddleware gives anonymous requests an empty
    scope): the ONE lookup is by the SHA-256 of the token, which is unique and 256 bits strong, so no
    other row can be reached by guessing. The caller filters everything else by the returned
    invitation's round and board, inside `scope(board=[invitation.board_id])`.
    """
    if not token or len(token) > 200:
        return None
    with scopes_disabled():
        return (
            FeedbackInvitation.objects.select_related(
                "round", "round__owner", "round__framework_version", "round__framework_version__framework"
            )
            .filter(token_hash=token_hash(token))
            .first()
        )


def invitee_choices_for(*, actor: Actor, round_: FeedbackRound, search: str = "", limit: int = 50) -> list[Person]:
    """People to offer on the invitation form: working now at the actor's board, not invited yet.

    Without a search: the actor's leidinggevende(n) and the people of the actor's own school(s). With
    one: anyone at the board whose name or address matches. Never anybody of another board; at most
    `limit` (the form accepts anyone at the board, see board_people_for).
    """
    invited = FeedbackInvitation.objects.filter(round=round_, person__isnull=False).values("person_id")
    if not search.strip():
        near = Q(pk__in=colleagues_for(actor=actor).order_by().values("pk"))
        near |= Q(pk__in=managers_for(actor=actor).order_by().values("pk"))
        people = board_people_for(actor=actor).filter(near)
    else:
        people = board_people_for(actor=actor)
        for term in search.split()[:5]:
            people = people.filter(
                Q(given_name__icontains=term) | Q(family_name__icontains=term) | Q(email__icontains=term)
            )
    return list(people.exclude(pk__in=invited).order_by("family_name", "given_name")[:limit])


def board_people_for(*, actor: Actor) -> QuerySet[Person]:
    """Everyone with an active employment at the actor's board, except the actor: whom they may invite."""
    employed = Employment.objects.filter(_active_q(), board_id=actor.board_pk).values("person_id")
    return Person.objects.filter(pk__in=employed).exclude(pk=actor.person.pk)
