"""Every write of a lesson visit: planning (and a peer visit asked for), changing and cancelling the plan,
scoring, the nagesprek with its agreements, putting forward and taking back, the teacher's reaction and
acknowledgement, and an agreement turned into a POP goal.

Each service checks the rule itself (observations/rules.py, by name), runs in one transaction, locks the
observation row (select_for_update) before it reads the state it decides on, and moves the state only
through `_move` (OBSERVATION_MACHINE, with its ObservationEvent), so two tabs or two devices cannot both
pass a check against a state one of them has already left. E-mails go out through tasks on commit.

Scores: each change carries the time it was made (on the observer's device, never later than now); a
stored score keeps that time in `updated_at`, and a change older than the stored one is not applied, so
an offline device that reconnects late never overwrites a newer score made elsewhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bekwaam.dossier.models import Goal
from bekwaam.dossier.services import plans
from bekwaam.frameworks.models import Competence, FrameworkKind, FrameworkVersion, ScaleLevel
from bekwaam.lib.dates import school_year_label, school_year_of
from bekwaam.lib.states import TransitionRefusedError
from bekwaam.observations import tasks_visits as tasks
from bekwaam.observations.models import (
    OBSERVATION_MACHINE,
    PUT_FORWARD_STATES,
    Observation,
    ObservationAgreement,
    ObservationEvent,
    ObservationKind,
    ObservationScore,
    ObservationState,
)
from bekwaam.observations.selectors import MANAGER, QUALITY_OFFICER, role_in
from bekwaam.observations.selectors.calibration import calibration_compared
from bekwaam.observations.selectors.visits import (
    instrument_choices_for,
    own_employment_choices_for,
    peer_colleague_choices_for,
    plan_teacher_choices_for,
)
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment
from bekwaam.tenancy.policy import authorize

PLAN = "observations.plan"
REQUEST_PEER = "observations.request_peer"
AS_OBSERVER = "observations.score"
AS_TEACHER = "observations.act_as_teacher"

SUBJECT_MAX = 200
TEXT_MAX = 20_000
NOTE_MAX = 2_000
AGREEMENT_MAX = 500
CHANGES_MAX = 500  # score changes in one request: more than any kijkwijzer has items
# A visit is planned (or recorded afterwards) within a year either side of today: a wider date is a typo.
PLAN_WINDOW = datetime.timedelta(days=366)


@dataclass(frozen=True)
class VisitDetails:
    """What a plan says: the group, when, the subject, the kijkwijzer and the focus agreed beforehand."""

    group: int
    date: datetime.date
    subject: str
    instrument: FrameworkVersion
    start_time: datetime.time | None = None
    focus: str = ""
    focus_items: Sequence[Competence] = ()


@dataclass(frozen=True)
class ScoreChange:
    """One item as the observer left it: the scale value (None: not scored), the note, and when."""

    item_id: int
    value: int | None
    note: str
    edited_at: datetime.datetime


@dataclass(frozen=True)
class ScoreOutcome:
    """What is stored for an item after a change: `applied` is False when a newer change was kept."""

    item_id: int
    applied: bool
    value: int | None
    note: str
    edited_at: datetime.datetime


@dataclass(frozen=True)
class AgreementLine:
    """One line of the nagesprek's agreements: an existing one (its id) or a new one (id None)."""

    id: int | None
    text: str


# --- helpers ------------------------------------------------------------------------------------------


def _lock(observation: Observation) -> Observation:
    locked = Observation.objects.select_for_update().get(pk=observation.pk, board_id=observation.board_id)
    # The caller's copy has the people loaded; the lock only needs the row's own columns.
    locked.teacher = observation.teacher
    locked.observer = observation.observer
    return locked


_REFRESHED = (
    "state",
    "group",
    "date",
    "start_time",
    "subject",
    "focus",
    "instrument_id",
    "went_well",
    "work_on",
    "teacher_reaction",
    "submitted_at",
    "acknowledged_at",
)


def _refresh(target: Observation, source: Observation) -> None:
    """Copy the locked row's columns back to the caller's object, so its page shows what was written."""
    for name in _REFRESHED:
        setattr(target, name, getattr(source, name))


def _event(*, actor: Actor, observation: Observation, action: str) -> None:
    ObservationEvent.objects.create(
        board_id=observation.board_id, observation=observation, action=action, actor=actor.person
    )


def _move(*, actor: Actor, locked: Observation, action: str, update_fields: Sequence[str] = ()) -> str:
    """The only writer of `state`: the machine's move on the locked row, saved, with its history row."""
    locked.state = OBSERVATION_MACHINE.move(locked.state, action)
    locked.save(update_fields=["state", *update_fields])
    _event(actor=actor, observation=locked, action=action)
    return locked.state


def _notify(observation: Observation, notice: str, to: str) -> None:
    """An e-mail to the teacher or the observer, sent on commit (never about a calibration scoring)."""
    if observation.calibrates_id is not None:
        return
    observation_id = str(observation.pk)
    transaction.on_commit(lambda: tasks.visit_notice_send.enqueue(observation_id=observation_id, notice=notice, to=to))


def _other_side(*, actor: Actor, observation: Observation) -> str:
    return "teacher" if actor.person.pk != observation.teacher_id else "observer"


def refuse_unless_observer(actor: Actor, observation: Observation) -> None:
    """Refuse anyone but the observer, with a message for a second observer (who scores on their own)."""
    if rules.test_rule(AS_OBSERVER, actor, observation):
        return
    if role_in(actor=actor, observation=observation) in (QUALITY_OFFICER, MANAGER):
        raise PermissionDenied(
            _(
                "Only the observer of this visit scores it. To score the same lesson as a second observer, "
                "use your own calibration scoring."
            )
        )
    raise PermissionDenied(_("Only the observer of this visit can do this."))


def _may_change_plan(actor: Actor, observation: Observation) -> None:
    """The observer changes or cancels the plan; for a peer visit the teacher who asked for it as well."""
    if rules.test_rule(AS_OBSERVER, actor, observation):
        return
    if observation.kind == ObservationKind.PEER and rules.test_rule(AS_TEACHER, actor, observation):
        return
    raise PermissionDenied(_("Only the observer can change or cancel this visit."))


def _refuse_not_editable(observation: Observation) -> None:
    if not observation.is_editable:
        raise TransitionRefusedError(
            _(
                "This visit can no longer be scored or changed: the status is “%(state)s”. "
                "The observer can take a visit back to correct it until the teacher has seen it."
            )
            % {"state": ObservationState(observation.state).label}
        )


def _clean_details(*, actor: Actor, details: VisitDetails, keep: FrameworkVersion | None = None) -> VisitDetails:
    """Check the plan's fields; ValidationError by field name. `keep`: the version a planned visit uses."""
    errors: dict[str, str] = {}
    if not 1 <= details.group <= 8:
        errors["group"] = _("Choose a group from 1 to 8.")
    today = timezone.localdate()
    if not today - PLAN_WINDOW <= details.date <= today + PLAN_WINDOW:
        errors["date"] = _("Choose a date within a year from today.")
    subject = details.subject.strip()
    if not subject:
        errors["subject"] = _("Say which lesson or subject is visited.")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = _("Keep the subject under %(max)d characters.") % {"max": SUBJECT_MAX}
    focus = details.focus.strip()
    if len(focus) > TEXT_MAX:
        errors["focus"] = _("The focus points are too long.")
    instruments = {version.pk for version in instrument_choices_for(actor=actor, keep=keep)}
    instrument = details.instrument
    if (
        instrument.pk not in instruments
        or instrument.board_id != actor.board_id
        or instrument.framework.kind != FrameworkKind.OBSERVATION
    ):
        errors["instrument"] = _("Choose one of your board's kijkwijzers.")
    elif any(item.version_id != instrument.pk for item in details.focus_items):
        errors["focus_items"] = _("Choose focus items of the chosen kijkwijzer.")
    if errors:
        raise ValidationError(errors)
    return VisitDetails(
        group=details.group,
        date=details.date,
        subject=subject,
        instrument=instrument,
        start_time=details.start_time,
        focus=focus,
        focus_items=list(details.focus_items),
    )


def _create(
    *, actor: Actor, employment: Employment, observer_id: UUID, kind: str, details: VisitDetails
) -> Observation:
    observation = Observation(
        board_id=actor.board_pk,
        school_id=employment.school_id,
        employment=employment,
        teacher_id=employment.person_id,
        observer_id=observer_id,
        kind=kind,
        instrument=details.instrument,
        group=details.group,
        date=details.date,
        start_time=details.start_time,
        subject=details.subject,
        focus=details.focus,
        state=ObservationState.PLANNED,
        created_by=actor.person,
    )
    observation.full_clean()
    observation.save()
    observation.focus_items.set(details.focus_items)
    return observation


# --- planning -----------------------------------------------------------------------------------------


def visit_plan(*, actor: Actor, employment: Employment, details: VisitDetails) -> Observation:
    """A leidinggevende (for someone they lead) or kwaliteitsmedewerker (anyone at the board) plans a visit
    they observe themself; the teacher gets an e-mail with the calendar event. A date in the past records a
    visit afterwards (allowed; the page warns)."""
    authorize(actor, PLAN)
    if not plan_teacher_choices_for(actor=actor).filter(pk=employment.pk).exists():
        raise ValidationError({"employment": _("Choose a teacher whose lessons you may visit.")})
    details = _clean_details(actor=actor, details=details)
    with transaction.atomic():
        observation = _create(
            actor=actor, employment=employment, observer_id=actor.person.pk, kind=ObservationKind.VISIT, details=details
        )
        _event(actor=actor, observation=observation, action="plan")
        _notify(observation, "planned", "teacher")
    return observation


def peer_visit_request(
    *, actor: Actor, employment: Employment, colleague: Employment, details: VisitDetails
) -> Observation:
    """A medewerker asks a colleague at their board to observe one of their lessons (collegiale consultatie):
    the colleague is the observer; only the two of them ever see it. The colleague gets an e-mail."""
    authorize(actor, REQUEST_PEER)
    if not own_employment_choices_for(actor=actor).filter(pk=employment.pk).exists():
        raise ValidationError({"employment": _("Choose one of your own jobs at this board.")})
    if colleague.person_id == actor.person.pk:
        raise ValidationError({"colleague": _("Choose a colleague: you cannot visit your own lesson.")})
    if not peer_colleague_choices_for(actor=actor).filter(pk=colleague.pk).exists():
        raise ValidationError({"colleague": _("Choose a colleague who works at your board now.")})
    details = _clean_details(actor=actor, details=details)
    with transaction.atomic():
        observation = _create(
            actor=actor,
            employment=employment,
            observer_id=colleague.person_id,
            kind=ObservationKind.PEER,
            details=details,
        )
        _event(actor=actor, observation=observation, action="request_peer")
        _notify(observation, "peer_requested", "observer")
    return observation


def visit_update(*, actor: Actor, observation: Observation, details: VisitDetails) -> Observation:
    """Change the plan while the visit is planned (not yet scored); the other side gets the updated event."""
    _may_change_plan(actor, observation)
    with transaction.atomic():
        locked = _lock(observation)
        if locked.state != ObservationState.PLANNED:
            raise TransitionRefusedError(
                _("The plan can only be changed before scoring starts (the status is “%(state)s”).")
                % {"state": ObservationState(locked.state).label}
            )
        current = FrameworkVersion.objects.select_related("framework").get(pk=locked.instrument_id)
        details = _clean_details(actor=actor, details=details, keep=current)
        before = (locked.group, locked.date, locked.start_time, locked.subject, locked.focus, locked.instrument_id)
        before_items = set(locked.focus_items.values_list("pk", flat=True))
        locked.group, locked.date, locked.start_time = details.group, details.date, details.start_time
        locked.subject, locked.focus, locked.instrument = details.subject, details.focus, details.instrument
        locked.full_clean()
        after = (locked.group, locked.date, locked.start_time, locked.subject, locked.focus, locked.instrument_id)
        after_items = {item.pk for item in details.focus_items}
        if before == after and before_items == after_items:
            _refresh(observation, locked)
            return observation
        locked.save(update_fields=["group", "date", "start_time", "subject", "focus", "instrument"])
        locked.focus_items.set(details.focus_items)
        _event(actor=actor, observation=locked, action="edit")
        _notify(locked, "changed", _other_side(actor=actor, observation=locked))
    _refresh(observation, locked)
    return observation


def visit_cancel(*, actor: Actor, observation: Observation) -> Observation:
    """Call off a visit that is planned or being scored; the other side gets the calendar cancellation."""
    _may_change_plan(actor, observation)
    with transaction.atomic():
        locked = _lock(observation)
        _move(actor=actor, locked=locked, action="cancel")
        _notify(locked, "cancelled", _other_side(actor=actor, observation=locked))
    _refresh(observation, locked)
    return observation


# --- scoring ------------------------------------------------------------------------------------------


def _clean_changes(*, observation: Observation, changes: Sequence[ScoreChange]) -> None:
    """Every item must be one of the visit's kijkwijzer version and every value on its scale."""
    if len(changes) > CHANGES_MAX:
        raise ValidationError(_("Too many changes at once. Reload the page and try again."))
    ids = {change.item_id for change in changes}
    known = set(
        Competence.objects.filter(version_id=observation.instrument_id, pk__in=ids).values_list("pk", flat=True)
    )
    if ids - known:
        raise ValidationError(
            _("This item is not part of the kijkwijzer of this visit. Reload the page and try again.")
        )
    values = set(ScaleLevel.objects.filter(version_id=observation.instrument_id).values_list("value", flat=True))
    outside = sorted({change.value for change in changes if change.value is not None and change.value not in values})
    if outside:
        raise ValidationError(
            _("A score of %(value)s is not on the scale of this kijkwijzer (%(low)s to %(high)s).")
            % {"value": outside[0], "low": min(values, default="–"), "high": max(values, default="–")}
        )
    if any(len(change.note) > NOTE_MAX for change in changes):
        raise ValidationError(_("Keep each note under %(max)d characters.") % {"max": NOTE_MAX})


def scores_save(*, actor: Actor, observation: Observation, changes: Sequence[ScoreChange]) -> list[ScoreOutcome]:
    """Save the observer's scores and notes. The first change moves a planned visit to "being scored". A
    change older than the stored one for its item is not applied (its outcome carries what is kept)."""
    refuse_unless_observer(actor, observation)
    _clean_changes(observation=observation, changes=changes)
    now = timezone.now()
    outcomes: list[ScoreOutcome] = []
    with transaction.atomic():
        locked = _lock(observation)
        _refuse_not_editable(locked)
        stored = {
            score.item_id: score
            for score in ObservationScore.objects.filter(
                board_id=locked.board_id, observation=locked, item_id__in={c.item_id for c in changes}
            )
        }
        written = False
        # A later change of the same item in one request wins (in the order the device made them).
        for change in sorted(changes, key=lambda c: c.edited_at):
            edited_at = min(change.edited_at, now)  # a device clock ahead of ours would lock the value
            note = change.note.strip()
            score = stored.get(change.item_id)
            if score is None:
                if change.value is None and not note:
                    outcomes.append(ScoreOutcome(change.item_id, True, None, "", edited_at))
                    continue
                score = ObservationScore.objects.create(
                    board_id=locked.board_id, observation=locked, item_id=change.item_id, value=change.value, note=note
                )
                stored[change.item_id] = score
                written = True
            elif score.updated_at > edited_at:
                outcomes.append(ScoreOutcome(change.item_id, False, score.value, score.note, score.updated_at))
                continue
            else:
                written = written or (score.value, score.note) != (change.value, note)
                score.value, score.note = change.value, note
            # updated_at is auto_now; the edit time is written with update(), which leaves it as given.
            ObservationScore.objects.filter(pk=score.pk).update(
                value=score.value, note=score.note, updated_at=edited_at
            )
            score.updated_at = edited_at
            outcomes.append(ScoreOutcome(change.item_id, True, score.value, score.note, edited_at))
        if written and locked.state == ObservationState.PLANNED:
            _move(actor=actor, locked=locked, action="start")
    _refresh(observation, locked)
    return outcomes


# --- the nagesprek ------------------------------------------------------------------------------------


def _agreements_write(*, observation: Observation, agreements: Sequence[AgreementLine]) -> None:
    existing = {
        a.pk: a for a in ObservationAgreement.objects.filter(board_id=observation.board_id, observation=observation)
    }
    if any(line.id is not None and line.id not in existing for line in agreements):
        raise ValidationError(_("These agreements do not belong to this visit. Reload the page and try again."))
    if any(len(line.text.strip()) > AGREEMENT_MAX for line in agreements):
        raise ValidationError(
            {"agreements": _("Keep each agreement under %(max)d characters.") % {"max": AGREEMENT_MAX}}
        )
    position = 0
    for line in agreements:
        text = line.text.strip()
        agreement = existing.get(line.id) if line.id is not None else None
        if not text:
            if agreement is not None:
                agreement.delete()  # a goal made from it stays in the POP (the agreement only points at it)
            continue
        position += 1
        if agreement is None:
            ObservationAgreement.objects.create(
                board_id=observation.board_id, observation=observation, text=text, position=position
            )
        elif (agreement.text, agreement.position) != (text, position):
            agreement.text, agreement.position = text, position
            agreement.save(update_fields=["text", "position"])


def debrief_save(
    *,
    actor: Actor,
    observation: Observation,
    went_well: str,
    work_on: str,
    agreements: Sequence[AgreementLine],
) -> Observation:
    """The observer writes the nagesprek (what went well, points to work on, agreements) while the visit
    is open; the teacher reads it once the visit is put forward."""
    refuse_unless_observer(actor, observation)
    errors = {}
    if len(went_well) > TEXT_MAX:
        errors["went_well"] = _("This text is too long.")
    if len(work_on) > TEXT_MAX:
        errors["work_on"] = _("This text is too long.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(observation)
        _refuse_not_editable(locked)
        if locked.calibrates_id is not None:
            raise ValidationError(_("The nagesprek is written on the visit itself, not on a calibration scoring."))
        locked.went_well, locked.work_on = went_well.strip(), work_on.strip()
        locked.save(update_fields=["went_well", "work_on"])
        _agreements_write(observation=locked, agreements=agreements)
    _refresh(observation, locked)
    return observation


def visit_submit(*, actor: Actor, observation: Observation) -> Observation:
    """Put the visit forward: the teacher sees the scores and the nagesprek (and gets an e-mail). At least one
    item must have a score. A second submit (another tab) gets the state machine's refusal."""
    refuse_unless_observer(actor, observation)
    with transaction.atomic():
        locked = _lock(observation)
        OBSERVATION_MACHINE.move(locked.state, "submit")  # the state's refusal comes before anything else
        if not ObservationScore.objects.filter(
            board_id=locked.board_id, observation=locked, value__isnull=False
        ).exists():
            raise ValidationError(_("Score at least one item before you put the visit forward."))
        locked.submitted_at = timezone.now()
        _move(actor=actor, locked=locked, action="submit", update_fields=("submitted_at",))
        _notify(locked, "submitted", "teacher")
    _refresh(observation, locked)
    return observation


def visit_reopen(*, actor: Actor, observation: Observation) -> Observation:
    """Take a put-forward visit back to correct it, until the teacher has marked it as seen; the teacher no
    longer sees the scores until it is put forward again."""
    refuse_unless_observer(actor, observation)
    with transaction.atomic():
        locked = _lock(observation)
        if calibration_compared(observation=locked):
            # Both observers have seen each other's scores: a correction now would not be independent scoring.
            raise ValidationError(
                _("Both observers have seen each other's scores, so this visit can no longer be taken back.")
            )
        locked.submitted_at = None
        _move(actor=actor, locked=locked, action="reopen", update_fields=("submitted_at",))
        _notify(locked, "reopened", "teacher")
    _refresh(observation, locked)
    return observation


# --- the teacher --------------------------------------------------------------------------------------


def _clean_reaction(reaction: str) -> str:
    if len(reaction) > TEXT_MAX:
        raise ValidationError({"reaction": _("Your reaction is too long.")})
    return reaction.strip()


def reaction_save(*, actor: Actor, observation: Observation, reaction: str) -> Observation:
    """The teacher saves their reaction to a put-forward visit (the observer reads it once marked as seen)."""
    authorize(actor, AS_TEACHER, observation)
    reaction = _clean_reaction(reaction)
    with transaction.atomic():
        locked = _lock(observation)
        if locked.state != ObservationState.SUBMITTED:
            raise TransitionRefusedError(
                _("You can react while the visit waits for you to mark it as seen (the status is “%(state)s”).")
                % {"state": ObservationState(locked.state).label}
            )
        locked.teacher_reaction = reaction
        locked.save(update_fields=["teacher_reaction"])
    _refresh(observation, locked)
    return observation


def visit_acknowledge(*, actor: Actor, observation: Observation, reaction: str | None = None) -> Observation:
    """The teacher marks the visit as seen (with their reaction, when given); the observer gets an e-mail and
    can no longer take it back."""
    authorize(actor, AS_TEACHER, observation)
    if reaction is not None:
        reaction = _clean_reaction(reaction)
    with transaction.atomic():
        locked = _lock(observation)
        fields = ["acknowledged_at"]
        OBSERVATION_MACHINE.move(locked.state, "acknowledge")
        if reaction is not None:
            locked.teacher_reaction = reaction
            fields.append("teacher_reaction")
        locked.acknowledged_at = timezone.now()
        _move(actor=actor, locked=locked, action="acknowledge", update_fields=fields)
        _notify(locked, "acknowledged", "observer")
    _refresh(observation, locked)
    return observation


def agreement_goal_create(*, actor: Actor, agreement: ObservationAgreement) -> tuple[Goal, bool]:
    """The teacher turns an agreement of a put-forward visit into a goal in their POP, once: a second click
    (or tab) returns the goal made the first time. Returns the goal and whether it is new."""
    observation = agreement.observation
    authorize(actor, AS_TEACHER, observation)
    with transaction.atomic():
        locked = ObservationAgreement.objects.select_for_update().get(pk=agreement.pk, board_id=agreement.board_id)
        if locked.goal_id is not None:
            existing = Goal.objects.filter(pk=locked.goal_id).first()
            if existing is not None:
                agreement.goal = existing
                return existing, False
        state = Observation.objects.filter(pk=observation.pk).values_list("state", flat=True).get()
        if state not in PUT_FORWARD_STATES:
            raise TransitionRefusedError(_("An agreement becomes a goal once the visit has been put forward to you."))
        year = school_year_label(school_year_of(timezone.localdate()))
        plan, _created = plans.plan_current_or_create(
            actor=actor, title=_("Agreements from lesson visits %(year)s") % {"year": year}
        )
        goal = plans.goal_create(
            actor=actor,
            plan=plan,
            title=locked.text[:300],
            why=_(
                "Agreement from the lesson visit of %(date)s (groep %(group)s, %(subject)s) by %(observer)s: %(text)s"
            )
            % {
                "date": observation.date.strftime("%d-%m-%Y"),
                "group": observation.group,
                "subject": observation.subject,
                "observer": observation.observer.full_name,
                "text": locked.text,
            },
        )
        locked.goal = goal
        locked.save(update_fields=["goal"])
    agreement.goal = goal
    return goal, True


# --- reading: the access log --------------------------------------------------------------------------


def visit_access_record(*, actor: Actor, observation: Observation, role: str, path: str = "") -> None:
    """A leidinggevende's or kwaliteitsmedewerker's reading of a teacher's visit goes in the access log (an
    employer record about them); the teacher's and the observer's own reading do not."""
    if role not in (MANAGER, QUALITY_OFFICER):
        return
    from bekwaam.audit.services import access_record

    access_record(
        actor=actor,
        subject=observation.teacher,
        what=str(Observation._meta.verbose_name),
        right=str(_("manager") if role == MANAGER else _("quality officer")),
        path=path,
        object_type=Observation._meta.label_lower,
        object_id=str(observation.pk),
    )
