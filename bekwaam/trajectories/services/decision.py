"""The four-eyes decision: the interview recorded as held, each assessor's judgement, revisions in a consensus
round, and the decision that follows when two judgements agree.

Every service checks its rule by name (trajectories.assess, trajectories.judge), runs in one transaction and
locks the trajectory row (select_for_update) before it reads the state it decides on, so two assessors
recording at the same moment are serialised: the second one sees the first one's judgement, and when a
third assessor and a revision race to make the decision, the second finds it made ("the decision has
already been made"). The database backs this up: one judgement per assessor (UniqueConstraint) and one
decision per trajectory (OneToOne); their IntegrityErrors become the same messages.

The rule (selectors.decision.compare): two judgements agree when they name the same learning level and the
same set of themes. With two agreeing judgements of two different assessors — never the candidate's coach —
the decision is made: points by register.points.assessment_points; certified when there are points (a
certificate is issued, and it enters the candidate's register overview), development advice otherwise.
When judgements differ the trajectory is marked `disagreement`; a third assessor's judgement, or a revised
one, decides once it agrees with another. The candidate gets an e-mail when the decision is made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.lib.states import TransitionRefusedError
from bekwaam.register.models import LearningLevel, Theme
from bekwaam.register.points import assessment_points
from bekwaam.tenancy.context import Actor
from bekwaam.trajectories import tasks_decision as tasks
from bekwaam.trajectories.models import (
    TRAJECTORY_MACHINE,
    Decision,
    DecisionOutcome,
    Judgement,
    Trajectory,
    TrajectoryEvent,
    TrajectoryState,
)
from bekwaam.trajectories.selectors import role_in
from bekwaam.trajectories.selectors.decision import (
    ASSESS,
    DECIDED_STATES,
    JUDGE,
    criteria_of,
    interview_is_early,
    judgements_compare,
)

TEXT_MAX = 10_000


def criterion_field(code: str) -> str:
    """The form field (and error key) of one criterion's substantiation."""
    return f"criterion_{code}"


def coach_refused_message() -> str:
    return _("You are this candidate's coach: the four-eyes principle keeps you out of the decision.")


def already_decided_message() -> str:
    return _("The decision has already been made. Reload the page to see it.")


def already_recorded_message() -> str:
    return _(
        "You have already recorded your judgement (perhaps in another tab). "
        "When the judgements differ, you can revise yours in a consensus round."
    )


@dataclass(frozen=True)
class Recorded:
    """What a recorded or revised judgement led to: nothing yet, a disagreement, or the decision."""

    judgement: Judgement
    decision: Decision | None
    disagreement: bool


# --- checks -------------------------------------------------------------------------------------------


def refuse_unless_judge(actor: Actor, trajectory: Trajectory) -> None:
    """PermissionDenied (with the reason) unless the actor is an assessor of the aanbieder and not the coach."""
    if rules.test_rule(JUDGE, actor, trajectory):
        return
    role = role_in(actor=actor, trajectory=trajectory)
    if role is not None and trajectory.coach_id == actor.person.pk:
        raise PermissionDenied(coach_refused_message())
    raise PermissionDenied(_("Only an assessor of the aanbieder records a judgement on this trajectory."))


def refuse_unless_assessor(actor: Actor, trajectory: Trajectory) -> None:
    if not rules.test_rule(ASSESS, actor, trajectory):
        raise PermissionDenied(_("Only an assessor of the aanbieder records that the interview was held."))


def _lock(trajectory: Trajectory) -> Trajectory:
    locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk, provider_id=trajectory.provider_id)
    # The caller's copy has its relations loaded; the lock only needs the row's own columns.
    locked.template = trajectory.template
    locked.provider = trajectory.provider
    locked.candidate = trajectory.candidate
    return locked


def _refresh(target: Trajectory, source: Trajectory) -> None:
    for name in ("state", "disagreement", "closed_at"):
        setattr(target, name, getattr(source, name))


def _refuse_unless_deciding(locked: Trajectory) -> None:
    if locked.state in DECIDED_STATES:
        raise ValidationError(already_decided_message(), code="decided")
    if locked.state != TrajectoryState.DECIDING:
        raise TransitionRefusedError(
            _(
                "Judgements are recorded after the interview, while the decision is in progress: "
                "the status is “%(state)s”."
            )
            % {"state": TrajectoryState(locked.state).label}
        )


def _event(*, actor: Actor, trajectory: Trajectory, action: str, note: str = "", moved_from: str = "") -> None:
    TrajectoryEvent.objects.create(
        trajectory=trajectory,
        actor=actor.person,
        action=action,
        from_state=moved_from,
        to_state=trajectory.state if moved_from else "",
        note=note,
    )


@dataclass(frozen=True)
class _Input:
    themes: list[Theme]
    learning_level: int
    criteria: dict[str, str]
    advice: str


def _clean(
    *,
    locked: Trajectory,
    themes: Iterable[Theme | int],
    learning_level: Any,
    criteria: Mapping[str, str],
    advice: str,
) -> _Input:
    """Check a judgement's input against the trajectory: its themes, a level 1 to 6, every criterion
    substantiated, and advice when the outcome would be no points."""
    errors: dict[str, list[str]] = {}
    allowed = {theme.pk: theme for theme in locked.themes.all()}
    chosen: dict[int, Theme] = {}
    for theme in themes:
        pk = theme.pk if isinstance(theme, Theme) else theme
        if pk not in allowed:
            errors.setdefault("themes", []).append(_("Choose only themes of this trajectory."))
            break
        chosen[pk] = allowed[pk]
    try:
        level = int(learning_level)
    except (TypeError, ValueError):
        level = 0
    if level not in LearningLevel.values:
        errors.setdefault("learning_level", []).append(_("Choose a learning level from 1 to 6."))
    texts: dict[str, str] = {}
    for code, _text in criteria_of(locked):
        text = str(criteria.get(code) or "").strip()
        if not text:
            errors.setdefault(criterion_field(code), []).append(_("Substantiate this criterion."))
        elif len(text) > TEXT_MAX:
            errors.setdefault(criterion_field(code), []).append(_("Keep this under 10,000 characters."))
        texts[code] = text
    advice = (advice or "").strip()
    if len(advice) > TEXT_MAX:
        errors.setdefault("advice", []).append(_("Keep this under 10,000 characters."))
    no_points = level in LearningLevel.values and assessment_points(theme_count=len(chosen), learning_level=level) == 0
    if no_points and not advice:
        errors.setdefault("advice", []).append(
            _(
                "Write the development advice: with this judgement the outcome is no points "
                "(a learning level below %(level)s, or no theme shown)."
            )
            % {"level": _min_level()}
        )
    if errors:
        raise ValidationError(errors)
    return _Input(themes=list(chosen.values()), learning_level=level, criteria=texts, advice=advice)


def _min_level() -> int:
    return int(settings.REGISTER_MIN_LEARNING_LEVEL)


# --- the interview ------------------------------------------------------------------------------------


def trajectory_start_deciding(*, actor: Actor, trajectory: Trajectory, held_early: bool = False) -> Trajectory:
    """Record that the interview was held (interview planned → deciding). Before the planned day only when the
    assessor confirms it was held earlier (`held_early`); the history notes that."""
    refuse_unless_assessor(actor, trajectory)
    with transaction.atomic():
        locked = _lock(trajectory)
        target = TRAJECTORY_MACHINE.move(locked.state, "start_deciding")
        planned = timezone.localtime(locked.interview_at).strftime("%d-%m-%Y") if locked.interview_at else ""
        early = interview_is_early(locked)
        if early and not held_early:
            raise ValidationError(
                _(
                    "The interview is planned for %(date)s, which is still to come. If it was held earlier, "
                    "confirm that below."
                )
                % {"date": planned},
                code="early",
            )
        note = _("Held before the planned date (%(date)s).") % {"date": planned} if early else ""
        moved_from = locked.state
        locked.state = target
        locked.save(update_fields=["state"])
        _event(actor=actor, trajectory=locked, action="start_deciding", note=note, moved_from=moved_from)
    _refresh(trajectory, locked)
    return trajectory


# --- judgements ---------------------------------------------------------------------------------------


def judgement_record(
    *,
    actor: Actor,
    trajectory: Trajectory,
    themes: Iterable[Theme | int],
    learning_level: int,
    criteria: Mapping[str, str],
    advice: str = "",
) -> Recorded:
    """Record the actor's judgement (once per assessor), then decide when it agrees with another one."""
    refuse_unless_judge(actor, trajectory)
    with transaction.atomic():
        locked = _lock(trajectory)
        _refuse_unless_deciding(locked)
        if Judgement.objects.filter(trajectory=locked, assessor_id=actor.person.pk).exists():
            raise ValidationError(already_recorded_message(), code="recorded")
        cleaned = _clean(locked=locked, themes=themes, learning_level=learning_level, criteria=criteria, advice=advice)
        try:
            with transaction.atomic():
                judgement = Judgement.objects.create(
                    trajectory=locked,
                    assessor=actor.person,
                    learning_level=cleaned.learning_level,
                    criteria=cleaned.criteria,
                    advice=cleaned.advice,
                )
        except IntegrityError as error:
            raise ValidationError(already_recorded_message(), code="recorded") from error
        judgement.themes.set(cleaned.themes)
        # No content in the note: the history is shown to people who may not see the judgement yet.
        _event(actor=actor, trajectory=locked, action="record_judgement")
        outcome = _evaluate(actor=actor, locked=locked, changed=judgement)
    _refresh(trajectory, locked)
    return outcome


def _described(judgement: Judgement) -> str:
    """A judgement's values in words, for the history note of a revision."""
    lines = [
        _("Learning level: %(level)s") % {"level": judgement.learning_level},
        _("Themes shown: %(themes)s") % {"themes": ", ".join(t.name for t in judgement.themes.all()) or "–"},
    ]
    lines.extend(f"{code}: {text}" for code, text in sorted(judgement.criteria.items()))
    if judgement.advice:
        lines.append(_("Development advice: %(advice)s") % {"advice": judgement.advice})
    return "\n".join(lines)


def judgement_revise(
    *,
    actor: Actor,
    trajectory: Trajectory,
    themes: Iterable[Theme | int],
    learning_level: int,
    criteria: Mapping[str, str],
    advice: str = "",
) -> Recorded:
    """Revise the actor's own judgement while the decision is open (the consensus round), keeping the previous
    values in the history; then decide when it now agrees with another one."""
    refuse_unless_judge(actor, trajectory)
    with transaction.atomic():
        locked = _lock(trajectory)
        _refuse_unless_deciding(locked)
        judgement = (
            Judgement.objects.select_for_update()
            .filter(trajectory=locked, assessor_id=actor.person.pk)
            .prefetch_related("themes")
            .first()
        )
        if judgement is None:
            raise ValidationError(
                _("You have not recorded a judgement on this trajectory yet: record yours first."), code="none"
            )
        cleaned = _clean(locked=locked, themes=themes, learning_level=learning_level, criteria=criteria, advice=advice)
        previous = _described(judgement)
        judgement.learning_level = cleaned.learning_level
        judgement.criteria = cleaned.criteria
        judgement.advice = cleaned.advice
        judgement.revised_at = timezone.now()
        judgement.save(update_fields=["learning_level", "criteria", "advice", "revised_at"])
        judgement.themes.set(cleaned.themes)
        _event(
            actor=actor,
            trajectory=locked,
            action="revise_judgement",
            note=_("Previous judgement:") + "\n" + previous,
        )
        outcome = _evaluate(actor=actor, locked=locked, changed=judgement)
    _refresh(trajectory, locked)
    return outcome


# --- the decision -------------------------------------------------------------------------------------


def _evaluate(*, actor: Actor, locked: Trajectory, changed: Judgement) -> Recorded:
    """On the locked row: the decision when the changed judgement agrees with another, else the disagreement.

    Before this change no two judgements agreed (else the decision would exist), so an agreeing pair always
    includes the changed one. A judgement of the candidate's coach never counts (four eyes), even when
    someone became the coach after judging.
    """
    judgements = list(
        Judgement.objects.filter(trajectory=locked)
        .exclude(assessor_id=locked.coach_id)
        .select_related("assessor")
        .prefetch_related("themes")
        .order_by("recorded_at", "id")
    )
    mine = next((j for j in judgements if j.pk == changed.pk), None)
    partner = None
    if mine is not None:
        partner = next((j for j in judgements if j.pk != mine.pk and judgements_compare(j, mine).agree), None)
    if mine is None or partner is None:
        differ = len(judgements) >= 2
        if differ and not locked.disagreement:
            locked.disagreement = True
            locked.save(update_fields=["disagreement"])
            _event(actor=actor, trajectory=locked, action="disagreement")
        return Recorded(judgement=changed, decision=None, disagreement=differ)
    first, second = sorted((partner, mine), key=lambda j: (j.recorded_at, j.pk))
    decision = _decide(actor=actor, locked=locked, first=first, second=second)
    return Recorded(judgement=changed, decision=decision, disagreement=False)


def _combined_advice(*texts: str) -> str:
    unique: list[str] = []
    for text in texts:
        text = text.strip()
        if text and text not in unique:
            unique.append(text)
    return "\n\n".join(unique)


def _decide(*, actor: Actor, locked: Trajectory, first: Judgement, second: Judgement) -> Decision:
    """Make the decision of two agreeing judgements; certify (certificate and register activity) or advise."""
    themes = list(second.themes.all())
    level = second.learning_level
    points = assessment_points(theme_count=len(themes), learning_level=level)
    certified = points > 0
    action = "certify" if certified else "advise"
    target = TRAJECTORY_MACHINE.move(locked.state, action)
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                trajectory=locked,
                outcome=DecisionOutcome.CERTIFIED if certified else DecisionOutcome.DEVELOPMENT_ADVICE,
                learning_level=level,
                points=points,
                first_assessor=first.assessor,
                second_assessor=second.assessor,
                advice=_combined_advice(first.advice, second.advice),
            )
    except IntegrityError as error:
        raise ValidationError(already_decided_message(), code="decided") from error
    decision.themes.set(themes)
    moved_from = locked.state
    locked.state = target
    locked.disagreement = False
    locked.closed_at = decision.decided_at
    locked.save(update_fields=["state", "disagreement", "closed_at"])
    _event(
        actor=actor,
        trajectory=locked,
        action=action,
        moved_from=moved_from,
        note=_("Decided by %(first)s and %(second)s.")
        % {"first": first.assessor.full_name, "second": second.assessor.full_name},
    )
    if certified:
        # Imported here: credentials and register import trajectories' models, not the other way round.
        from bekwaam.credentials.services import certificate_issue
        from bekwaam.register.services import activity_record_from_certificate

        certificate = certificate_issue(trajectory=locked, decision=decision)
        activity_record_from_certificate(certificate=certificate)
    trajectory_id = str(locked.pk)
    transaction.on_commit(lambda: tasks.decision_notice_send.enqueue(trajectory_id=trajectory_id))
    return decision
