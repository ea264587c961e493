"""Reads of the lesson-visit pages: the list, the choices when planning, the scoring sheet and the visit page.

Access is decided in selectors/__init__.py (role_in, observations_visible_to, observation_get_for); these
selectors only shape what a page shows, each in a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bekwaam.frameworks.models import Competence, Domain, FrameworkVersion, Indicator, ScaleLevel
from bekwaam.frameworks.selectors import observation_instruments
from bekwaam.notifications.ics import Attendee, calendar_event
from bekwaam.observations.models import (
    PUT_FORWARD_STATES,
    Observation,
    ObservationAgreement,
    ObservationEvent,
    ObservationKind,
    ObservationScore,
    ObservationState,
)
from bekwaam.observations.selectors import (
    MANAGER,
    OBSERVER,
    QUALITY_OFFICER,
    TEACHER,
    may_see_scores,
    observations_visible_to,
)
from bekwaam.observations.selectors.calibration import calibration_blinds
from bekwaam.tenancy import roles
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment, School
from bekwaam.tenancy.selectors import team_members_for

WHO_OBSERVING = "observing"  # visits the actor observes (scores)
WHO_OWN = "own"  # the actor's own lessons
WHO_OTHERS = "others"  # visits the actor sees as leidinggevende or kwaliteitsmedewerker
WHO_CHOICES = (WHO_OBSERVING, WHO_OWN, WHO_OTHERS)
OPEN_STATES = (ObservationState.PLANNED, ObservationState.IN_PROGRESS)
LESSON_MINUTES = 60  # a lesson visit's calendar event: the lesson time is not asked for


def _active_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def plans_for_whole_board(actor: Actor) -> bool:
    """A kwaliteitsmedewerker plans visits at every school of the board; a leidinggevende for their team."""
    return actor.has_permission(roles.MANAGE_QUALITY) and actor.has_permission(roles.OBSERVE_LESSONS)


# --- the list -----------------------------------------------------------------------------------------


def visit_list_for(
    *, actor: Actor, who: str = "", school_id: int | None = None, state: str = ""
) -> QuerySet[Observation]:
    """The visits the actor may see (observations_visible_to), narrowed by the tabs and filters; open visits
    (planned, being scored) first, then the rest, newest first. One query per page."""
    me = actor.person.pk
    visits = observations_visible_to(actor=actor)
    if who == WHO_OBSERVING:
        visits = visits.filter(observer_id=me)
    elif who == WHO_OWN:
        visits = visits.filter(teacher_id=me, calibrates__isnull=True)
    elif who == WHO_OTHERS:
        visits = visits.exclude(observer_id=me).exclude(teacher_id=me)
    if school_id is not None:
        visits = visits.filter(school_id=school_id)
    if state in ObservationState.values:
        visits = visits.filter(state=state)
    return (
        visits.select_related("school", "teacher", "observer", "instrument__framework")
        .annotate(
            open_rank=Case(When(state__in=OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("open_rank", "-date", "-created_at")
    )


def list_schools_for(*, actor: Actor) -> QuerySet[School]:
    """The schools a kwaliteitsmedewerker can filter the list by (none for anyone else)."""
    if not plans_for_whole_board(actor):
        return School.objects.none()
    return School.objects.filter(board_id=actor.board_pk).order_by("name")


def list_role(*, actor: Actor, observation: Observation) -> str:
    """The actor's relation to a row of the list (the list only holds rows they may see)."""
    if observation.observer_id == actor.person.pk:
        return OBSERVER
    if observation.teacher_id == actor.person.pk:
        return TEACHER
    return QUALITY_OFFICER if plans_for_whole_board(actor) else MANAGER


# --- planning -----------------------------------------------------------------------------------------


def plan_teacher_choices_for(*, actor: Actor, school_id: int | None = None) -> QuerySet[Employment]:
    """Whose lesson the actor may plan a visit to: a kwaliteitsmedewerker anyone working at the board now,
    a leidinggevende the people they lead now (tenancy.selectors.team_members_for); never themself."""
    if plans_for_whole_board(actor):
        employments = (
            Employment.objects.filter(board_id=actor.board_pk)
            .filter(_active_q())
            .exclude(person=actor.person)
            .select_related("person", "school")
            .order_by("school__name", "person__family_name", "person__given_name")
        )
    elif actor.has_permission(roles.OBSERVE_LESSONS):
        employments = team_members_for(actor=actor)
    else:
        return Employment.objects.none()
    if school_id is not None:
        employments = employments.filter(school_id=school_id)
    return employments


def peer_colleague_choices_for(*, actor: Actor) -> QuerySet[Employment]:
    """Colleagues the actor may invite to observe a lesson: anyone working at the board now but themself,
    the actor's own schools first."""
    own_schools = list(
        Employment.objects.filter(board_id=actor.board_pk, person=actor.person)
        .filter(_active_q())
        .values_list("school_id", flat=True)
    )
    return (
        Employment.objects.filter(board_id=actor.board_pk)
        .filter(_active_q())
        .exclude(person=actor.person)
        .select_related("person", "school")
        .annotate(
            own_school=Case(
                When(school_id__in=own_schools, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("own_school", "school__name", "person__family_name", "person__given_name")
    )


def own_employment_choices_for(*, actor: Actor) -> QuerySet[Employment]:
    """The actor's own active employments at the board (a peer visit is to a lesson at one of them)."""
    return (
        Employment.objects.filter(board_id=actor.board_pk, person=actor.person)
        .filter(_active_q())
        .select_related("school")
        .order_by("start_date")
    )


def instrument_choices_for(*, actor: Actor, keep: FrameworkVersion | None = None) -> list[FrameworkVersion]:
    """The kijkwijzers a visit can be planned with (the latest published version of each), plus `keep`:
    the version a planned visit already uses, also when a newer one has been published since."""
    instruments = list(observation_instruments(board_id=actor.board_pk))
    if keep is not None and all(version.pk != keep.pk for version in instruments):
        instruments.insert(0, keep)
    return instruments


def instrument_items_for(*, version_ids: Sequence[Any]) -> QuerySet[Competence]:
    """The items of the given kijkwijzer versions, in their order (for choosing focus items)."""
    return (
        Competence.objects.filter(version_id__in=list(version_ids))
        .select_related("domain")
        .order_by("version_id", "domain__position", "position", "pk")
    )


# --- the scoring sheet --------------------------------------------------------------------------------


@dataclass
class ItemSheet:
    item: Competence
    look_fors: list[Indicator]
    score: ObservationScore | None
    is_focus: bool

    @property
    def value(self) -> int | None:
        return self.score.value if self.score is not None else None

    @property
    def note(self) -> str:
        return self.score.note if self.score is not None else ""


@dataclass
class DomainSheet:
    domain: Domain
    items: list[ItemSheet]

    @property
    def scored(self) -> int:
        return sum(1 for item in self.items if item.value is not None)


@dataclass
class ScoringSheet:
    domains: list[DomainSheet]
    levels: list[ScaleLevel]

    @property
    def item_count(self) -> int:
        return sum(len(domain.items) for domain in self.domains)

    @property
    def scored(self) -> int:
        return sum(domain.scored for domain in self.domains)


def scale_of(*, instrument_id: Any) -> list[ScaleLevel]:
    return list(ScaleLevel.objects.filter(version_id=instrument_id).order_by("value"))


def scoring_sheet_for(*, observation: Observation, with_look_fors: bool = True) -> ScoringSheet:
    """The kijkwijzer version of the visit by domain and item, with the observer's scores and notes, the
    look-fors and which items are the agreed focus. Five queries whatever the size of the kijkwijzer."""
    items = Competence.objects.order_by("position", "pk")
    if with_look_fors:
        items = items.prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk")))
    domains = list(
        Domain.objects.filter(version_id=observation.instrument_id)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("competences", queryset=items))
    )
    scores = {
        score.item_id: score
        for score in ObservationScore.objects.filter(board_id=observation.board_id, observation=observation)
    }
    focus = set(observation.focus_items.values_list("pk", flat=True))
    return ScoringSheet(
        domains=[
            DomainSheet(
                domain=domain,
                items=[
                    ItemSheet(
                        item=item,
                        look_fors=list(item.indicators.all()) if with_look_fors else [],
                        score=scores.get(item.pk),
                        is_focus=item.pk in focus,
                    )
                    for item in domain.competences.all()
                ],
            )
            for domain in domains
        ],
        levels=scale_of(instrument_id=observation.instrument_id),
    )


# --- the visit page -----------------------------------------------------------------------------------


@dataclass
class Step:
    state: str
    label: str
    status: str  # passed | current | todo


@dataclass
class VisitPage:
    observation: Observation
    role: str
    may: dict[str, bool]
    show_scores: bool
    steps: list[Step]
    next_step: str
    focus_items: list[Competence]
    sheet: ScoringSheet | None
    level_labels: dict[int, str]
    agreements: list[ObservationAgreement]
    events: list[tuple[ObservationEvent, str]]
    reaction_visible: bool
    is_calibration: bool
    extra: dict[str, Any] = field(default_factory=dict)


EVENT_LABELS = {
    "plan": gettext_lazy("The visit was planned"),
    "request_peer": gettext_lazy("The peer visit was asked for"),
    "edit": gettext_lazy("The plan was changed"),
    "start": gettext_lazy("Scoring started"),
    "submit": gettext_lazy("Put forward to the teacher"),
    "reopen": gettext_lazy("Taken back to correct"),
    "acknowledge": gettext_lazy("Seen by the teacher"),
    "cancel": gettext_lazy("Cancelled"),
    "calibration_added": gettext_lazy("A second observer was asked to score this lesson too"),
}


def event_label(event: ObservationEvent) -> str:
    text = EVENT_LABELS.get(event.action)
    return str(text) if text is not None else event.action


def plan_changer(*, role: str, observation: Observation) -> bool:
    """Who changes or cancels the plan: the observer; for a peer visit the teacher who asked as well."""
    return role == OBSERVER or (role == TEACHER and observation.kind == ObservationKind.PEER)


def may_for(*, role: str, observation: Observation) -> dict[str, bool]:
    """What the page offers the actor now (the services check the same again on the locked row)."""
    state = observation.state
    is_calibration = observation.calibrates_id is not None
    changer = plan_changer(role=role, observation=observation)
    return {
        "edit": changer and state == ObservationState.PLANNED,
        "cancel": changer and state in OPEN_STATES,
        "score": role == OBSERVER and state in OPEN_STATES,
        "debrief": role == OBSERVER and state in OPEN_STATES and not is_calibration,
        "submit": role == OBSERVER and state == ObservationState.IN_PROGRESS,
        "reopen": role == OBSERVER and state == ObservationState.SUBMITTED,
        "react": role == TEACHER and state == ObservationState.SUBMITTED,
        "acknowledge": role == TEACHER and state == ObservationState.SUBMITTED,
        "goal": role == TEACHER and state in PUT_FORWARD_STATES,
    }


def _steps(observation: Observation) -> list[Step]:
    order = [
        ObservationState.PLANNED,
        ObservationState.IN_PROGRESS,
        ObservationState.SUBMITTED,
        ObservationState.ACKNOWLEDGED,
    ]
    if observation.state not in order:
        return []
    current = order.index(ObservationState(observation.state))
    return [
        Step(
            state=str(state),
            label=str(state.label),
            status="passed" if i < current else "current" if i == current else "todo",
        )
        for i, state in enumerate(order)
    ]


def _next_step(*, role: str, observation: Observation) -> str:
    state = ObservationState(observation.state)
    if state == ObservationState.CANCELLED:
        return _("This visit has been cancelled.")
    if role == OBSERVER:
        if observation.calibrates_id is not None:
            calibration: dict[ObservationState, str] = {
                ObservationState.PLANNED: _(
                    "Score the lesson on your own; you see the comparison once both of you "
                    "have put your scores forward."
                ),
                ObservationState.IN_PROGRESS: _("Finish scoring and put your scores forward."),
            }
            return calibration.get(state, _("Your scores are put forward."))
        return {
            ObservationState.PLANNED: _("Score the lesson in the classroom: every tap is saved at once."),
            ObservationState.IN_PROGRESS: _("Finish scoring, write the nagesprek and put the visit forward."),
            ObservationState.SUBMITTED: _(
                "The teacher reads the visit and marks it as seen. Until then you can take it back to correct."
            ),
            ObservationState.ACKNOWLEDGED: _("The teacher has seen the visit. Nothing more to do."),
        }[state]
    if role == TEACHER:
        return {
            ObservationState.PLANNED: _(
                "The visit is planned. You see the scores and the nagesprek once they are put forward."
            ),
            ObservationState.IN_PROGRESS: _(
                "The observer is scoring the lesson. You see the scores and the nagesprek once they are put forward."
            ),
            ObservationState.SUBMITTED: _(
                "Read the scores and the nagesprek, add your reaction if you like, and mark the visit as seen."
            ),
            ObservationState.ACKNOWLEDGED: _("You have marked this visit as seen."),
        }[state]
    if observation.is_put_forward:
        return _("Put forward to the teacher.")
    return _("The scores are shown here once the observer has put the visit forward.")


def visit_page_for(*, actor: Actor, observation: Observation, role: str) -> VisitPage:
    """Everything on one visit's page for the actor in `role`: scores and nagesprek only when may_see_scores
    allows them (the teacher and the others once put forward). A fixed number of queries."""
    # The blind rule of calibration: a second observer who may also see the visit itself (as leidinggevende or
    # kwaliteitsmedewerker) does not see the other side's scores before putting their own forward.
    show_scores = may_see_scores(role=role, observation=observation) and not calibration_blinds(
        actor=actor, observation=observation
    )
    sheet = scoring_sheet_for(observation=observation, with_look_fors=False) if show_scores else None
    levels = sheet.levels if sheet is not None else []
    agreements = (
        list(
            ObservationAgreement.objects.filter(board_id=observation.board_id, observation=observation).select_related(
                "goal"
            )
        )
        if show_scores
        else []
    )
    events = [
        (event, event_label(event))
        for event in ObservationEvent.objects.filter(board_id=observation.board_id, observation=observation)
        .select_related("actor")
        .order_by("at", "pk")
    ]
    reaction_visible = role == TEACHER or (
        show_scores and observation.state == ObservationState.ACKNOWLEDGED and bool(observation.teacher_reaction)
    )
    return VisitPage(
        observation=observation,
        role=role,
        may=may_for(role=role, observation=observation),
        show_scores=show_scores,
        steps=_steps(observation),
        next_step=_next_step(role=role, observation=observation),
        focus_items=list(observation.focus_items.select_related("domain").order_by("domain__position", "position")),
        sheet=sheet,
        level_labels={level.value: level.label for level in levels},
        agreements=agreements,
        events=events,
        reaction_visible=reaction_visible,
        is_calibration=observation.calibrates_id is not None,
    )


def agreements_for(*, observation: Observation) -> list[ObservationAgreement]:
    return list(ObservationAgreement.objects.filter(board_id=observation.board_id, observation=observation))


def agreement_get_for(*, observation: Observation, agreement_id: int) -> ObservationAgreement:
    """One agreement of this visit; 404 for an agreement of another visit."""
    agreement = (
        ObservationAgreement.objects.filter(board_id=observation.board_id, observation=observation, pk=agreement_id)
        .select_related("goal")
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


# --- background work ----------------------------------------------------------------------------------


def observation_for_task(*, observation_id: Any) -> Observation | None:
    """A visit with its people, by id, for background work (the caller disables the scope)."""
    return (
        Observation.objects.select_related("teacher", "observer", "school", "instrument__framework")
        .filter(pk=observation_id)
        .first()
    )


def calendar_sequence_of(*, observation: Observation) -> int:
    """The calendar event's SEQUENCE: one up for every change of the plan and the cancellation."""
    return ObservationEvent.objects.filter(observation=observation, action__in=("edit", "cancel")).count()


def observation_calendar(*, observation: Observation, site_url: str) -> bytes | None:
    """The visit's calendar event (one UID for its whole life); None when it has no time or lies in the past
    (nothing to put in a calendar then). Texts in the active language."""
    if observation.start_time is None or observation.date < timezone.localdate():
        return None
    start = timezone.make_aware(datetime.datetime.combine(observation.date, observation.start_time))
    summary = _("%(kind)s: groep %(group)s, %(subject)s") % {
        "kind": observation.get_kind_display(),
        "group": observation.group,
        "subject": observation.subject,
    }
    link = site_url.rstrip("/") + reverse("observations:visit-detail", args=[observation.pk])
    lines = [
        _("Teacher: %(name)s") % {"name": observation.teacher.full_name},
        _("Observer: %(name)s") % {"name": observation.observer.full_name},
    ]
    if observation.focus:
        lines.append(_("Focus: %(focus)s") % {"focus": observation.focus})
    lines.append(_("In Bekwaam: %(link)s") % {"link": link})
    organizer = observation.teacher if observation.kind == ObservationKind.PEER else observation.observer
    return calendar_event(
        uid=f"observation-{observation.pk}",
        sequence=calendar_sequence_of(observation=observation),
        start=start,
        end=start + datetime.timedelta(minutes=LESSON_MINUTES),
        summary=summary,
        description="\n".join(lines),
        location=observation.school.name,
        url=link,
        organizer=Attendee(organizer.full_name, organizer.email),
        attendees=[
            Attendee(observation.teacher.full_name, observation.teacher.email),
            Attendee(observation.observer.full_name, observation.observer.email),
        ],
        cancel=observation.state == ObservationState.CANCELLED,
    )
