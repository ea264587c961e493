"""The candidate's trajectory from enrolment to its outcome: enrolling with an aanbieder, withdrawing,
turning development advice into POP goals and adding the certificate to the dossier.

Each service checks its rule, runs in one transaction with the trajectory row locked (select_for_update)
before it reads the state it decides on, moves the state only through TRAJECTORY_MACHINE (with its
TrajectoryEvent), and sends e-mails on commit. The candidate's board sees nothing of any of this: the
advice goals and the certificate land in the candidate's own dossier, private until they share them there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bekwaam.dossier.models import Evidence, EvidenceKind, Goal
from bekwaam.dossier.services import plans
from bekwaam.dossier.services.portfolio import evidence_create
from bekwaam.lib.dates import school_year_label, school_year_of
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.register.models import Theme
from bekwaam.register.selectors import theme_list_current
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Board
from bekwaam.tenancy.policy import authorize
from bekwaam.trajectories.models import (
    OPEN_STATES,
    Assignment,
    DecisionOutcome,
    TemplateAssignment,
    Trajectory,
    TrajectoryState,
    TrajectoryTemplate,
)
from bekwaam.trajectories.services.portfolio import AS_CANDIDATE, event_write, lock, move, notify_staff, refresh

ENROL = "trajectories.enrol"
GOAL_TITLE_MAX = 300
NOTE_MAX = 2_000
BULLETS = "-*•·–—"


# --- enrolling ----------------------------------------------------------------------------------------


def _lock_candidate(person_id: UUID) -> None:
    """Serialise one candidate's enrolments (on PostgreSQL): two tabs cannot both pass the "no second open
    trajectory" check."""
    get_user_model().objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True).first()


def open_trajectory_of(*, actor: Actor, template: TrajectoryTemplate) -> Trajectory | None:
    """The actor's open trajectory of this template, if any (a second one is refused)."""
    with scopes_disabled():
        return (
            Trajectory.objects.filter(candidate_id=actor.person.pk, template_id=template.pk, state__in=OPEN_STATES)
            .order_by("-enrolled_at")
            .first()
        )


def _clean_enrolment(
    *, template: TrajectoryTemplate, themes: Iterable[Theme], with_coaching: bool
) -> tuple[list[Theme], list[TemplateAssignment]]:
    if template.published_at is None or template.archived_at is not None:
        raise ValidationError(_("This trajectory is no longer offered. Choose another one from the catalogue."))
    chosen = list({theme.pk: theme for theme in themes}.values())
    if not chosen:
        raise ValidationError({"themes": _("Choose at least one theme.")})
    current = set(theme_list_current().filter(pk__in=[t.pk for t in chosen]).values_list("pk", flat=True))
    if any(theme.pk not in current for theme in chosen):
        raise ValidationError({"themes": _("Choose themes of the register that are valid this year.")})
    if with_coaching and not template.coaching_offered:
        raise ValidationError({"with_coaching": _("This trajectory is offered without coaching.")})
    with scopes_disabled():
        sources = list(
            template.assignments.filter(Q(theme__isnull=True) | Q(theme__in=chosen)).order_by("position", "pk")
        )
    if not sources:
        raise ValidationError(
            {"themes": _("The aanbieder has no assignments for the themes you chose. Choose other themes.")}
        )
    return chosen, sources


def trajectory_enrol(
    *, actor: Actor, template: TrajectoryTemplate, themes: Iterable[Theme], with_coaching: bool
) -> Trajectory:
    """A school leader enrols with an aanbieder for a published template and one or more themes: the
    trajectory starts "enrolled" at the actor's board, with the template's assignments for those themes
    (and those for every theme) copied; the aanbieder's assessors get an e-mail. A second open trajectory
    of the same template is refused."""
    authorize(actor, ENROL)
    board_id = actor.board_pk
    chosen, sources = _clean_enrolment(template=template, themes=themes, with_coaching=with_coaching)
    with transaction.atomic(), scopes_disabled():
        _lock_candidate(actor.person.pk)
        existing = open_trajectory_of(actor=actor, template=template)
        if existing is not None:
            raise ValidationError(
                _(
                    "You are already enrolled in “%(template)s” (status: %(state)s). Finish or withdraw from "
                    "that trajectory before you enrol again."
                )
                % {"template": template.name, "state": TrajectoryState(existing.state).label},
                code="already_enrolled",
            )
        trajectory = Trajectory(
            provider_id=template.provider_id,
            template=template,
            candidate=actor.person,
            candidate_board_id=board_id,
            with_coaching=with_coaching,
            state=TrajectoryState.ENROLLED,
            enrolled_at=timezone.now(),
        )
        trajectory.full_clean()
        trajectory.save()
        trajectory.themes.set(chosen)
        Assignment.objects.bulk_create(
            Assignment(
                trajectory=trajectory,
                position=source.position,
                theme_id=source.theme_id,
                title=source.title,
                instructions=source.instructions,
                min_evidence=source.min_evidence,
                min_reflections=source.min_reflections,
            )
            for source in sources
        )
        event_write(actor=actor, trajectory=trajectory, action="enrol", to_state=TrajectoryState.ENROLLED)
        notify_staff(trajectory, "enrolled")
    return trajectory


# --- withdrawing --------------------------------------------------------------------------------------


def trajectory_withdraw(*, actor: Actor, trajectory: Trajectory, reason: str = "") -> Trajectory:
    """The candidate stops the trajectory, in any open state before the assessors decide; the aanbieder's
    assessors get an e-mail. The portfolio stays as it is (read-only)."""
    authorize(actor, AS_CANDIDATE, trajectory)
    reason = reason.strip()
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(max)d characters.") % {"max": NOTE_MAX}})
    with transaction.atomic():
        locked = lock(trajectory)
        if locked.state == TrajectoryState.DECIDING:
            raise TransitionRefusedError(
                _("The assessors are deciding now: the trajectory can no longer be withdrawn.")
            )
        locked.closed_at = timezone.now()
        move(actor=actor, locked=locked, action="withdraw", update_fields=("closed_at",), note=reason)
        notify_staff(locked, "withdrawn")
    refresh(trajectory, locked)
    return trajectory


# --- development advice → POP goals -------------------------------------------------------------------


def advice_lines(advice: str) -> list[str]:
    """The advice's non-empty lines (each paragraph or list item), without list bullets or numbers."""
    lines: list[str] = []
    for raw in advice.splitlines():
        line = raw.strip().lstrip(BULLETS).strip()
        head, dot, rest = line.partition(".")
        if dot and head.isdigit() and rest.strip():
            line = rest.strip()
        if line:
            lines.append(line)
    return lines


def _at_candidate_board(actor: Actor, trajectory: Trajectory, what: str) -> None:
    if actor.board_id != trajectory.candidate_board_id:
        board = Board.objects.filter(pk=trajectory.candidate_board_id).values_list("name", flat=True).first()
        raise ValidationError(
            _("Your dossier is kept at %(board)s, where you enrolled from. Switch to it first to %(what)s.")
            % {"board": board or "–", "what": what}
        )


@dataclass(frozen=True)
class AdviceGoals:
    goals: list[Goal]
    plan_id: object
    plan_title: str


def advice_goals_create(*, actor: Actor, trajectory: Trajectory, line_numbers: Sequence[int]) -> AdviceGoals:
    """After a development-advice decision, the chosen lines of the advice (by number, from advice_lines)
    become goals in the candidate's current POP (or a new one), once: a second time is refused."""
    authorize(actor, AS_CANDIDATE, trajectory)
    _at_candidate_board(actor, trajectory, _("add goals to your development plan"))
    with transaction.atomic():
        locked = lock(trajectory)
        with scopes_disabled():
            decision = getattr(locked, "decision", None) if locked.state == TrajectoryState.ADVISED else None
        if decision is None or decision.outcome != DecisionOutcome.DEVELOPMENT_ADVICE:
            raise TransitionRefusedError(_("Goals can be made from the development advice once it has been given."))
        if locked.advice_goals_created:
            raise TransitionRefusedError(_("The goals from this advice are in your development plan already."))
        lines = advice_lines(decision.advice)
        chosen = sorted({n for n in line_numbers if 0 <= n < len(lines)})
        if not chosen:
            raise ValidationError({"lines": _("Choose at least one part of the advice.")})
        year = school_year_label(school_year_of(timezone.localdate()))
        plan, _created = plans.plan_current_or_create(
            actor=actor, title=_("Development plan %(year)s") % {"year": year}
        )
        why = _("Development advice from the waarderingstraject “%(template)s” of %(provider)s (%(date)s).") % {
            "template": locked.template.name,
            "provider": locked.provider.name,
            "date": timezone.localtime(decision.decided_at).strftime("%d-%m-%Y"),
        }
        goals = []
        for number in chosen:
            line = lines[number]
            title = line if len(line) <= GOAL_TITLE_MAX else line[: GOAL_TITLE_MAX - 1].rstrip() + "…"
            detail = why if title == line else f"{why}\n\n{line}"
            goals.append(plans.goal_create(actor=actor, plan=plan, title=title, why=detail))
        locked.advice_goals_created = True
        locked.save(update_fields=["advice_goals_created"])
    refresh(trajectory, locked)
    return AdviceGoals(goals=goals, plan_id=plan.pk, plan_title=plan.title)


# --- the certificate into the dossier ------------------------------------------------------------------


def verification_url(certificate_id: object) -> str:
    """The public page where anyone checks the certificate (credentials), as an absolute address."""
    path = reverse("credentials:verify-certificate", kwargs={"certificate_id": certificate_id})
    return settings.SITE_URL.rstrip("/") + path


def result_share(*, actor: Actor, trajectory: Trajectory) -> tuple[Evidence, bool]:
    """After certification, the certificate becomes evidence (kind certificate) in the candidate's own
    dossier, with the public verification address, so they can share it there (with their leidinggevende,
    say). Idempotent: while that evidence exists, a second call returns it. Returns it and whether it is new."""
    authorize(actor, AS_CANDIDATE, trajectory)
    _at_candidate_board(actor, trajectory, _("add the certificate to your dossier"))
    with transaction.atomic():
        locked = lock(trajectory)
        with scopes_disabled():
            certificate = getattr(locked, "certificate", None) if locked.state == TrajectoryState.CERTIFIED else None
            decision = getattr(locked, "decision", None)
            themes = list(decision.themes.all()) if decision is not None else []
        if certificate is None:
            raise TransitionRefusedError(_("The certificate can be added to your dossier once it has been issued."))
        url = verification_url(certificate.pk)
        existing = Evidence.objects.filter(
            board_id=locked.candidate_board_id, person=actor.person, kind=EvidenceKind.CERTIFICATE, url=url
        ).first()
        if existing is not None:
            return existing, False
        issued = timezone.localtime(certificate.issued_at)
        description = _(
            "Certificate of the waarderingstraject “%(template)s” by %(issuer)s: learning level %(level)s, "
            "%(points)s points, themes: %(themes)s.\n\nAnyone can check it at %(url)s"
        ) % {
            "template": locked.template.name,
            "issuer": certificate.issuer_name,
            "level": certificate.learning_level,
            "points": certificate.points,
            "themes": ", ".join(certificate.theme_names) or "–",
            "url": url,
        }
        evidence = evidence_create(
            actor=actor,
            kind=EvidenceKind.CERTIFICATE,
            title=certificate.title[:200],
            description=description,
            issuer=certificate.issuer_name,
            issued_on=issued.date(),
            themes=themes,
        )
        # The dossier keeps a web address for links only; the verification address is the certificate's
        # own link, shown on the evidence page (and the key that makes a second call find this evidence).
        Evidence.objects.filter(pk=evidence.pk).update(url=url)
        evidence.url = url
    return evidence, True
