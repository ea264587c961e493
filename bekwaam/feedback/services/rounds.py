"""Every write of the round's owner: start and change a round, invite, open, extend, close, rate themselves.

Each service checks the policy itself, runs in one transaction and raises ValidationError (with the form
field where there is one) for bad input. State changes lock the round and go through round_state_move
alone; e-mails are tasks queued on commit, so a rolled-back change sends nothing.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from bekwaam.accounts.models import Person
from bekwaam.dossier.selectors import framework_version_for
from bekwaam.dossier.selectors.sharing import managers_for
from bekwaam.feedback.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackRound,
    QuestionKind,
    Relation,
    RoundState,
    token_hash,
)
from bekwaam.feedback.selectors import board_people_for
from bekwaam.feedback.services import invitation_expiry, round_state_move
from bekwaam.feedback.tasks import invitation_send, round_closed_notify
from bekwaam.frameworks.models import Competence, ScaleLevel
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.policy import authorize

MAX_OPEN_QUESTIONS = 10
QUESTION_MAX_LENGTH = 500
# The relations an invitee without an account can be invited as (colleagues and the leidinggevende are
# picked from the board's people instead).
EXTERNAL_RELATIONS = (Relation.PARENT, Relation.INTERN, Relation.OTHER)


def _date_text(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def _check_closes_on(closes_on: datetime.date | None) -> datetime.date:
    if closes_on is None:
        raise ValidationError({"closes_on": _("Choose the last day on which people can answer.")})
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("Choose a date from today onwards: this date is in the past.")})
    return closes_on


def _clean_open_questions(open_questions: Sequence[str]) -> list[str]:
    questions = [" ".join(text.split()) for text in open_questions]
    questions = [text for text in questions if text]
    if len(questions) > MAX_OPEN_QUESTIONS:
        raise ValidationError(
            {"open_questions": _("Ask at most %(count)s open questions.") % {"count": MAX_OPEN_QUESTIONS}}
        )
    if any(len(text) > QUESTION_MAX_LENGTH for text in questions):
        raise ValidationError(
            {"open_questions": _("Keep each question under %(count)s characters.") % {"count": QUESTION_MAX_LENGTH}}
        )
    return list(dict.fromkeys(questions))  # the same question twice is asked once


def _check_questions(
    *, round_version_id: object, board_id: int, competences: Sequence[Competence], open_questions: list[str]
) -> None:
    if any(c.board_id != board_id or c.version_id != round_version_id for c in competences):
        raise ValidationError({"competences": _("Choose competences of your own framework.")})
    if not competences and not open_questions:
        raise ValidationError({"competences": _("Choose at least one competence or add an open question.")})


def _lock(round_: FeedbackRound) -> FeedbackRound:
    return FeedbackRound.objects.select_for_update().get(pk=round_.pk, board_id=round_.board_id)


def _write_questions(*, round_: FeedbackRound, competences: Sequence[Competence], open_questions: list[str]) -> None:
    """The round's questions become exactly these: competences in framework order, then the open questions.

    Questions that stay keep their rows (and the owner's self-rating on them).
    """
    ordered = sorted(competences, key=lambda c: (c.domain.position, c.position, c.code))
    existing = list(FeedbackQuestion.objects.filter(round=round_))
    by_competence = {q.competence_id: q for q in existing if q.kind == QuestionKind.COMPETENCE}
    by_text = {q.text: q for q in existing if q.kind == QuestionKind.OPEN}
    wanted_competences = {c.pk for c in ordered}
    FeedbackQuestion.objects.filter(
        pk__in=[q.pk for c_id, q in by_competence.items() if c_id not in wanted_competences]
        + [q.pk for text, q in by_text.items() if text not in open_questions]
    ).delete()
    position = 0
    for competence in ordered:
        question = by_competence.get(competence.pk)
        if question is None:
            FeedbackQuestion.objects.create(
                board_id=round_.board_id,
                round=round_,
                kind=QuestionKind.COMPETENCE,
                competence=competence,
                position=position,
            )
        elif question.position != position:
            FeedbackQuestion.objects.filter(pk=question.pk).update(position=position)
        position += 1
    for text in open_questions:
        question = by_text.get(text)
        if question is None:
            FeedbackQuestion.objects.create(
                board_id=round_.board_id, round=round_, kind=QuestionKind.OPEN, text=text, position=position
            )
        elif question.position != position:
            FeedbackQuestion.objects.filter(pk=question.pk).update(position=position)
        position += 1


def round_create(
    *,
    actor: Actor,
    title: str,
    message: str,
    closes_on: datetime.date | None,
    competences: Sequence[Competence],
    open_questions: Sequence[str],
) -> FeedbackRound:
    """A new round of the actor's own, being prepared, on the framework their dossier is measured against."""
    authorize(actor, "feedback.start")
    version = framework_version_for(actor=actor)
    if version is None:
        raise ValidationError(
            _("Your board has not adopted a competence framework yet, so there is nothing to ask feedback on.")
        )
    closes_on = _check_closes_on(closes_on)
    questions = _clean_open_questions(open_questions)
    _check_questions(
        round_version_id=version.pk, board_id=actor.board_pk, competences=competences, open_questions=questions
    )
    with transaction.atomic():
        round_ = FeedbackRound(
            board_id=actor.board_pk,
            owner=actor.person,
            title=title.strip(),
            message=message.strip(),
            framework_version=version,
            closes_on=closes_on,
        )
        round_.full_clean()
        round_.save()
        _write_questions(round_=round_, competences=competences, open_questions=questions)
    return round_


def round_update(
    *,
    actor: Actor,
    round_: FeedbackRound,
    title: str,
    message: str,
    closes_on: datetime.date | None,
    competences: Sequence[Competence],
    open_questions: Sequence[str],
) -> FeedbackRound:
    """Change a round that is still being prepared; once the invitations are out, its questions are fixed."""
    authorize(actor, "feedback.manage_round", round_)
    closes_on = _check_closes_on(closes_on)
    questions = _clean_open_questions(open_questions)
    _check_questions(
        round_version_id=round_.framework_version_id,
        board_id=actor.board_pk,
        competences=competences,
        open_questions=questions,
    )
    with transaction.atomic():
        locked = _lock(round_)
        if locked.state != RoundState.DRAFT:
            raise ValidationError(
                _("The invitations have been sent: the questions of this round can no longer change.")
            )
        locked.title, locked.message, locked.closes_on = title.strip(), message.strip(), closes_on
        locked.full_clean()
        locked.save(update_fields=["title", "message", "closes_on"])
        _write_questions(round_=locked, competences=competences, open_questions=questions)
    return locked


# --- invitations -----------------------------------------------------------------------------------


def _placeholder_hash() -> str:
    """The hash of a token nobody is ever sent: the invitation's link exists only once a task sends one."""
    return token_hash(secrets.token_urlsafe(32))


def _send_on_commit(invitation: FeedbackInvitation) -> None:
    invitation_id, board_id = str(invitation.pk), invitation.board_id
    transaction.on_commit(lambda: invitation_send.enqueue(invitation_id=invitation_id, board_id=board_id))


def _check_may_invite(locked: FeedbackRound) -> None:
    if locked.state == RoundState.CLOSED:
        raise ValidationError(_("This round is closed: nobody can be invited any more."))


def invitations_add(*, actor: Actor, round_: FeedbackRound, people: Sequence[Person]) -> list[FeedbackInvitation]:
    """Invite people of the actor's board: their leidinggevende as "manager", anyone else as "colleague".

    Someone already invited is skipped. While the round is open, each new invitee gets their link at once.
    """
    authorize(actor, "feedback.manage_round", round_)
    if not people:
        raise ValidationError({"people": _("Choose whom to invite.")})
    allowed = set(board_people_for(actor=actor).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    outside = [p for p in people if p.pk not in allowed]
    if outside:
        raise ValidationError({"people": _("%(name)s does not work at this board.") % {"name": outside[0].full_name}})
    managers = set(managers_for(actor=actor).values_list("pk", flat=True))
    created: list[FeedbackInvitation] = []
    with transaction.atomic():
        locked = _lock(round_)
        _check_may_invite(locked)
        taken_people = set(FeedbackInvitation.objects.filter(round=locked).values_list("person_id", flat=True))
        taken_emails = set(FeedbackInvitation.objects.filter(round=locked).values_list("email", flat=True))
        for person in people:
            email = person.email.lower()
            if person.pk in taken_people or email in taken_emails:
                continue
            invitation = FeedbackInvitation(
                board_id=locked.board_id,
                round=locked,
                name=person.full_name,
                email=email,
                person=person,
                relation=Relation.MANAGER if person.pk in managers else Relation.COLLEAGUE,
                token_hash=_placeholder_hash(),
                expires_at=invitation_expiry(locked.closes_on),
            )
            invitation.full_clean()
            invitation.save()
            created.append(invitation)
            taken_emails.add(email)
            if locked.state == RoundState.OPEN:
                _send_on_commit(invitation)
    return created


def invitation_add_external(
    *, actor: Actor, round_: FeedbackRound, name: str, email: str, relation: str
) -> FeedbackInvitation:
    """Invite someone without an account (a parent, an intern, …) by name and e-mail address."""
    authorize(actor, "feedback.manage_round", round_)
    name, email = " ".join(name.split()), email.strip().lower()
    if not name:
        raise ValidationError({"name": _("Write the name of the person you invite.")})
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    if relation not in EXTERNAL_RELATIONS:
        raise ValidationError({"relation": _("Choose how this person knows you.")})
    if email == actor.person.email.lower():
        raise ValidationError({"email": _("This is your own address: your own rating is the self-rating.")})
    with transaction.atomic():
        locked = _lock(round_)
        _check_may_invite(locked)
        if FeedbackInvitation.objects.filter(round=locked, email=email).exists():
            raise ValidationError({"email": _("%(email)s has been invited already.") % {"email": email}})
        invitation = FeedbackInvitation(
            board_id=locked.board_id,
            round=locked,
            name=name,
            email=email,
            relation=relation,
            token_hash=_placeholder_hash(),
            expires_at=invitation_expiry(locked.closes_on),
        )
        invitation.full_clean()
        invitation.save()
        if locked.state == RoundState.OPEN:
            _send_on_commit(invitation)
    return invitation


def invitation_resend(*, actor: Actor, invitation: FeedbackInvitation, email: str) -> FeedbackInvitation:
    """Send a new link, to a corrected address when given; the link sent before stops working at once."""
    round_ = invitation.round
    authorize(actor, "feedback.manage_round", round_)
    email = email.strip().lower() or invitation.email
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    with transaction.atomic():
        locked_round = _lock(round_)
        if locked_round.state != RoundState.OPEN:
            raise ValidationError(_("Links can be sent only while the round is open."))
        locked = FeedbackInvitation.objects.select_for_update().get(pk=invitation.pk, round=locked_round)
        if FeedbackResponse.objects.filter(invitation=locked, submitted_at__isnull=False).exists():
            raise ValidationError(_("This person has answered already: there is nothing to send."))
        if email != locked.email and FeedbackInvitation.objects.filter(round=locked_round, email=email).exists():
            raise ValidationError({"email": _("%(email)s has been invited already.") % {"email": email}})
        locked.email = email
        locked.token_hash = _placeholder_hash()
        locked.delivery_failed_at, locked.delivery_problem = None, ""
        locked.full_clean()
        locked.save(update_fields=["email", "token_hash", "delivery_failed_at", "delivery_problem"])
        _send_on_commit(locked)
    return locked


def invitation_remove(*, actor: Actor, invitation: FeedbackInvitation) -> None:
    """Take someone off the list before the invitations are sent (afterwards they may have answered)."""
    authorize(actor, "feedback.manage_round", invitation.round)
    with transaction.atomic():
        locked = _lock(invitation.round)
        if locked.state != RoundState.DRAFT:
            raise ValidationError(_("The invitations have been sent: nobody can be taken off the list any more."))
        FeedbackInvitation.objects.filter(pk=invitation.pk, round=locked).delete()


# --- the round's moves (ROUND_MACHINE) ----------------------------------------------------------------


def round_open(*, actor: Actor, round_: FeedbackRound) -> FeedbackRound:
    """Send every invitation: each invitee gets their own link, valid until the end of the closing date."""
    authorize(actor, "feedback.manage_round", round_)
    with transaction.atomic():
        locked = _lock(round_)
        locked.opened_at = timezone.now()
        round_state_move(round_=locked, action="open", by=actor.person, update_fields=("opened_at",))
        if locked.closes_on < timezone.localdate():
            raise ValidationError(
                {"closes_on": _("The closing date has passed: choose a new one before sending the invitations.")}
            )
        invitations = list(FeedbackInvitation.objects.filter(round=locked))
        if not invitations:
            raise ValidationError(_("Invite at least one person before sending the invitations."))
        FeedbackInvitation.objects.filter(round=locked).update(expires_at=invitation_expiry(locked.closes_on))
        for invitation in invitations:
            _send_on_commit(invitation)
    return locked


def round_extend(*, actor: Actor, round_: FeedbackRound, closes_on: datetime.date | None) -> FeedbackRound:
    """Give people more time: a later closing date, and every link valid until then."""
    authorize(actor, "feedback.manage_round", round_)
    with transaction.atomic():
        locked = _lock(round_)
        current = locked.closes_on
        round_state_move(round_=locked, action="extend", by=actor.person)
        closes_on = _check_closes_on(closes_on)
        if closes_on <= current:
            raise ValidationError(
                {
                    "closes_on": _("Choose a date after the current closing date (%(date)s).")
                    % {"date": _date_text(current)}
                }
            )
        locked.closes_on = closes_on
        locked.save(update_fields=["closes_on"])
        FeedbackInvitation.objects.filter(round=locked).update(expires_at=invitation_expiry(closes_on))
    return locked


def _close(locked: FeedbackRound, by: Person | None) -> None:
    locked.closed_at = timezone.now()
    round_state_move(round_=locked, action="close", by=by, update_fields=("closed_at",))


def round_close(*, actor: Actor, round_: FeedbackRound) -> FeedbackRound:
    """Stop the answers now; the report appears (only a closed round has one, so no two states can be compared)."""
    authorize(actor, "feedback.manage_round", round_)
    with transaction.atomic():
        locked = _lock(round_)
        _close(locked, actor.person)
    return locked


def _notify_on_commit(round_id: str, board_id: int) -> None:
    transaction.on_commit(lambda: round_closed_notify.enqueue(round_id=round_id, board_id=board_id))


def rounds_close_due(*, today: datetime.date) -> int:
    """Close every open round whose closing date lies before `today` (the daily run; all boards); how many.

    Runs without a request, board by board in each round's own scope; the owner hears by e-mail.
    """
    with scopes_disabled():
        due = list(
            FeedbackRound.objects.filter(state=RoundState.OPEN, closes_on__lt=today).values_list("pk", "board_id")
        )
    closed = 0
    for round_id, board_id in due:
        with scope(board=[board_id]), transaction.atomic():
            locked = FeedbackRound.objects.select_for_update().filter(pk=round_id, board_id=board_id).first()
            # Closed by its owner or another run in the meantime: nothing to do.
            if locked is None or locked.state != RoundState.OPEN or locked.closes_on >= today:
                continue
            _close(locked, None)
            closed += 1
            _notify_on_commit(str(round_id), board_id)
    return closed


# --- the owner's own rating ---------------------------------------------------------------------------


def scale_values_of(round_: FeedbackRound) -> set[int]:
    return set(ScaleLevel.objects.filter(version_id=round_.framework_version_id).values_list("value", flat=True))


def self_rating_save(*, actor: Actor, round_: FeedbackRound, ratings: Mapping[int, int | None]) -> FeedbackResponse:
    """The owner's own level per competence (None: "cannot judge"), changeable until the round closes.

    `ratings` maps a competence question's id to a value; questions left out keep no rating.
    """
    authorize(actor, "feedback.manage_round", round_)
    values = scale_values_of(round_)
    with transaction.atomic():
        locked = _lock(round_)
        if locked.state == RoundState.CLOSED:
            raise ValidationError(_("This round is closed: your self-rating can no longer change."))
        questions = {q.pk: q for q in FeedbackQuestion.objects.filter(round=locked, kind=QuestionKind.COMPETENCE)}
        for question_id, value in ratings.items():
            if question_id not in questions:
                raise ValidationError(_("This question is not part of the round."))
            if value is not None and value not in values:
                raise ValidationError({f"q{question_id}": _("Choose a level of the scale.")})
        response, _created = FeedbackResponse.objects.get_or_create(
            round=locked, relation=Relation.SELF, defaults={"board_id": locked.board_id}
        )
        FeedbackAnswer.objects.filter(response=response).exclude(question_id__in=list(ratings)).delete()
        for question_id, value in ratings.items():
            FeedbackAnswer.objects.update_or_create(
                response=response,
                question_id=question_id,
                defaults={"board_id": locked.board_id, "value": value, "text": ""},
            )
        response.submitted_at = timezone.now()
        response.save(update_fields=["submitted_at", "updated_at"])
    return response
