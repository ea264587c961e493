"""The owner's report: share it (with their leidinggevende or a named colleague), withdraw, make a POP goal.

Sharing works as in the dossier (dossier.services.sharing): "my leidinggevende" follows whoever leads the
owner at each request, a named colleague is reached only while they work at the board, and a withdrawal
takes effect at the next request (nothing is cached). Only a closed round's report can be shared.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.accounts.models import Person
from bekwaam.dossier.models import Goal
from bekwaam.dossier.selectors.plans import goal_version_ids_for
from bekwaam.dossier.selectors.sharing import managers_for, works_at_board
from bekwaam.dossier.services.plans import goal_create, plan_current_or_create
from bekwaam.feedback.models import (
    FeedbackQuestion,
    FeedbackRound,
    FeedbackShare,
    QuestionKind,
    RoundState,
    ShareAudience,
)
from bekwaam.frameworks.models import Competence
from bekwaam.lib.dates import school_year_label, school_year_of
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize


def share_create(*, actor: Actor, round_: FeedbackRound, audience: str, grantee: Person | None = None) -> FeedbackShare:
    """Share a closed round's report; an identical active share is returned, never doubled."""
    authorize(actor, "feedback.manage_round", round_)
    if round_.state != RoundState.CLOSED:
        raise ValidationError(_("The report can be shared once the round is closed."))
    if audience == ShareAudience.MANAGER:
        grantee = None
        if not managers_for(actor=actor).exists():
            raise ValidationError(
                _("You have no manager at this board, so there is nobody to share with as your manager.")
            )
    elif audience == ShareAudience.PERSON:
        if grantee is None:
            raise ValidationError({"with_whom": _("Choose the colleague to share with.")})
        if grantee.pk == actor.person.pk:
            raise ValidationError({"with_whom": _("You cannot share with yourself.")})
        if not works_at_board(actor=actor, person=grantee):
            raise ValidationError(
                {"with_whom": _("%(name)s does not work at this board.") % {"name": grantee.full_name}}
            )
    else:
        raise ValidationError({"with_whom": _("Choose whom to share with.")})
    with transaction.atomic():
        # Serialise the owner's sharing (on PostgreSQL), so two tabs sharing the same thing make one share.
        get_user_model().objects.select_for_update().filter(pk=actor.person.pk).values_list("pk", flat=True).first()
        existing = FeedbackShare.objects.filter(
            board_id=round_.board_id, round=round_, audience=audience, grantee=grantee, withdrawn_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        share = FeedbackShare(board_id=round_.board_id, round=round_, audience=audience, grantee=grantee)
        share.full_clean()
        share.save()
    return share


def share_withdraw(*, actor: Actor, share: FeedbackShare) -> FeedbackShare:
    """End a share now; whoever it reached no longer opens the report from the next request on."""
    authorize(actor, "feedback.manage_round", share.round)
    with transaction.atomic():
        locked = FeedbackShare.objects.select_for_update().get(pk=share.pk, round=share.round)
        if locked.withdrawn_at is None:
            locked.withdrawn_at = timezone.now()
            locked.save(update_fields=["withdrawn_at"])
    return locked


@dataclass(frozen=True)
class GoalFromReport:
    goal: Goal
    linked: bool  # the goal names the competence (False: the POP does not allow its framework version)
    plan_created: bool


def goal_from_report(*, actor: Actor, round_: FeedbackRound, competence: Competence) -> GoalFromReport:
    """A POP goal "Grow in: <competence>" in the owner's current plan, or in a new plan for this school year.

    The goal names the competence when the plan allows its framework version (the POP's own rule,
    dossier.services.plans._check_competences); when the board has published a newer version since the
    round, the goal is made without it, and `linked` says so.
    """
    authorize(actor, "feedback.manage_round", round_)
    if round_.state != RoundState.CLOSED:
        raise ValidationError(_("A goal can be made from the report once the round is closed."))
    if not FeedbackQuestion.objects.filter(
        round=round_, board_id=round_.board_id, kind=QuestionKind.COMPETENCE, competence=competence
    ).exists():
        raise ValidationError(_("This competence is not part of the round."))
    with transaction.atomic():
        year = school_year_label(school_year_of(timezone.localdate()))
        plan, plan_created = plan_current_or_create(actor=actor, title=_("Development plan %(year)s") % {"year": year})
        linked = competence.version_id in goal_version_ids_for(actor=actor, source=plan.source_assessment)
        goal = goal_create(
            actor=actor,
            plan=plan,
            title=(_("Grow in: %(competence)s") % {"competence": competence.name})[:300],
            why=_("From the 360° feedback “%(title)s”.") % {"title": round_.title},
            competences=[competence] if linked else [],
        )
    return GoalFromReport(goal=goal, linked=linked, plan_created=plan_created)
