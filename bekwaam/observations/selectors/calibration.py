"""Calibration: two observers of one lesson compared, and the blind rule that keeps them independent.

A calibration set is a visit (the primary observation: kind visit, `calibrates` empty) and the second
observer's observation of the same lesson (`calibrates` = the visit; at most one that is not cancelled,
services.calibration). Who sees what:

- the two observers (the participants): each other's name and state at once; the comparison (both
  scores per item, agreement per domain and overall) only once *both* have put their scores forward —
  until then neither sees a single score of the other (the blind rule);
- the kwaliteitsmedewerker and the teacher's leidinggevende (role_in on the visit): the same as the
  participants, by the same rule;
- the teacher: only that a second observer (by name: they were in the classroom) also scored the
  lesson, to compare how observers score; never the second observer's scores nor the comparison;
- anyone else: nothing (the visit page itself is already 404 for them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import rules
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.frameworks.models import Competence, Domain, ScaleLevel
from bekwaam.observations.calibration import Agreement, agreement_of_pairs
from bekwaam.observations.forms.calibration import CalibrationAddForm
from bekwaam.observations.models import (
    PUT_FORWARD_STATES,
    Observation,
    ObservationKind,
    ObservationScore,
    ObservationState,
)
from bekwaam.observations.selectors import MANAGER, QUALITY_OFFICER, TEACHER, role_in
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Employment, Role, RoleGrant

ADD_RULE = "observations.add_calibration"
# A second observer scores what they saw in the lesson: they can be added before it, or up to this many
# days after it (a colleague who sat in but was not planned), never weeks later from memory.
CALIBRATION_ADD_DAYS = 7

PARTICIPANT = "participant"
VIEWER = "viewer"


@dataclass(frozen=True)
class Side:
    """One observer's observation in a calibration set, as the panel names it."""

    observation: Observation
    is_primary: bool
    is_mine: bool

    @property
    def observer_name(self) -> str:
        return self.observation.observer.full_name

    @property
    def is_put_forward(self) -> bool:
        return self.observation.is_put_forward


@dataclass(frozen=True)
class ItemComparison:
    item: Competence
    first: int | None  # the visit's observer
    second: int | None  # the second observer

    @property
    def both_scored(self) -> bool:
        return self.first is not None and self.second is not None

    @property
    def equal(self) -> bool | None:
        return None if not self.both_scored else self.first == self.second

    @property
    def difference(self) -> int | None:
        if self.first is None or self.second is None:
            return None
        return abs(self.first - self.second)


@dataclass(frozen=True)
class DomainComparison:
    domain: Domain
    items: list[ItemComparison]
    agreement: Agreement


@dataclass(frozen=True)
class Comparison:
    """Both observers' scores of one lesson, per item, with agreement per domain and overall."""

    primary: Observation
    partner: Observation
    scale: list[tuple[int, str]]
    domains: list[DomainComparison]
    overall: Agreement

    @property
    def items(self) -> list[ItemComparison]:
        return [item for domain in self.domains for item in domain.items]


@dataclass
class CalibrationSet:
    """A visit, its (active) second observation, and the actor's relation to the pair."""

    primary: Observation
    partner: Observation | None
    relation: str  # PARTICIPANT, VIEWER or TEACHER
    sides: list[Side] = field(default_factory=list)

    @property
    def comparable(self) -> bool:
        """The blind rule: only when both observers have put their scores forward."""
        return (
            self.partner is not None
            and self.primary.state in PUT_FORWARD_STATES
            and self.partner.state in PUT_FORWARD_STATES
        )

    @property
    def waiting_for(self) -> list[Side]:
        return [side for side in self.sides if not side.is_put_forward]


def _primary_of(observation: Observation) -> Observation | None:
    """The visit a calibration set hangs on; None for a peer visit (never calibrated)."""
    if observation.kind != ObservationKind.VISIT:
        return None
    if observation.calibrates_id is None:
        return observation
    return (
        Observation.objects.filter(pk=observation.calibrates_id, board_id=observation.board_id)
        .select_related("observer", "teacher", "school", "instrument__framework")
        .first()
    )


def calibration_partner_of(primary: Observation) -> Observation | None:
    """The second observer's observation of the visit that is not cancelled (at most one: the service says so)."""
    return (
        Observation.objects.filter(board_id=primary.board_id, calibrates=primary)
        .exclude(state=ObservationState.CANCELLED)
        .select_related("observer")
        .order_by("created_at")
        .first()
    )


def _relation(actor: Actor, primary: Observation, partner: Observation | None) -> str | None:
    me = actor.person.pk
    if primary.observer_id == me or (partner is not None and partner.observer_id == me):
        return PARTICIPANT
    role = role_in(actor=actor, observation=primary)
    if role == TEACHER:
        return TEACHER
    if role in (QUALITY_OFFICER, MANAGER):
        return VIEWER
    return None


def _set_for(actor: Actor, observation: Observation) -> CalibrationSet | None:
    if actor.board_id is None or observation.board_id != actor.board_id:
        return None
    primary = _primary_of(observation)
    if primary is None:
        return None
    partner = calibration_partner_of(primary)
    relation = _relation(actor, primary, partner)
    if relation is None:
        return None
    sides = [Side(observation=primary, is_primary=True, is_mine=primary.observer_id == actor.person.pk)]
    if partner is not None:
        sides.append(Side(observation=partner, is_primary=False, is_mine=partner.observer_id == actor.person.pk))
    return CalibrationSet(primary=primary, partner=partner, relation=relation, sides=sides)


def calibration_blinds(*, actor: Actor, observation: Observation) -> bool:
    """True when the blind rule hides this observation's scores from the actor right now.

    That is: the actor observes the *other* side of the observation's calibration set and has not put
    their own scores forward yet. The visit page (may_see_scores) should ask this too, since a second
    observer who is also a leidinggevende or kwaliteitsmedewerker could otherwise open the visit itself.
    """
    if observation.kind != ObservationKind.VISIT or observation.observer_id == actor.person.pk:
        return False
    me = actor.person.pk
    if observation.calibrates_id is None:
        mine = Observation.objects.filter(calibrates=observation, observer_id=me)
    else:
        mine = Observation.objects.filter(
            Q(pk=observation.calibrates_id) | Q(calibrates_id=observation.calibrates_id), observer_id=me
        ).exclude(pk=observation.pk)
    mine = mine.filter(board_id=observation.board_id).exclude(state=ObservationState.CANCELLED)
    return mine.exclude(state__in=PUT_FORWARD_STATES).exists()


def calibration_compared(*, observation: Observation) -> bool:
    """True when both sides of the observation's calibration set are put forward: each has seen the other's
    scores, so taking one back to correct it would no longer be independent scoring."""
    primary = _primary_of(observation)
    if primary is None or primary.state not in PUT_FORWARD_STATES:
        return False
    partner = calibration_partner_of(primary)
    return partner is not None and partner.state in PUT_FORWARD_STATES


def calibration_comparison(*, primary: Observation, partner: Observation) -> Comparison:
    """Both sets of scores side by side, per domain of the kijkwijzer version both used (three queries)."""
    items = list(
        Competence.objects.filter(version_id=primary.instrument_id)
        .select_related("domain")
        .order_by("domain__position", "domain__code", "position", "code")
    )
    values: dict[tuple[UUID, int], int | None] = {
        (observation_id, item_id): value
        for observation_id, item_id, value in ObservationScore.objects.filter(
            board_id=primary.board_id, observation_id__in=[primary.pk, partner.pk]
        ).values_list("observation_id", "item_id", "value")
    }
    scale = list(
        ScaleLevel.objects.filter(version_id=primary.instrument_id).order_by("value").values_list("value", "label")
    )
    scale_values = [value for value, _label in scale]
    domains: list[DomainComparison] = []
    by_domain: dict[int, list[ItemComparison]] = {}
    domain_of: dict[int, Domain] = {}
    for item in items:
        comparison = ItemComparison(
            item=item, first=values.get((primary.pk, item.pk)), second=values.get((partner.pk, item.pk))
        )
        by_domain.setdefault(item.domain_id, []).append(comparison)
        domain_of[item.domain_id] = item.domain
    for domain_id, rows in by_domain.items():
        pairs = [(row.first, row.second) for row in rows]
        domains.append(
            DomainComparison(domain=domain_of[domain_id], items=rows, agreement=agreement_of_pairs(pairs, scale_values))
        )
    overall = agreement_of_pairs([(row.first, row.second) for rows in by_domain.values() for row in rows], scale_values)
    return Comparison(primary=primary, partner=partner, scale=scale, domains=domains, overall=overall)


def calibration_may_add(*, actor: Actor, primary: Observation, partner: Observation | None) -> bool:
    """Whether the add-a-second-observer form belongs on the page (services.calibration decides for real)."""
    return (
        partner is None
        and primary.state != ObservationState.CANCELLED
        and primary.date >= calibration_add_deadline()
        and bool(rules.test_rule(ADD_RULE, actor, primary))
    )


def calibration_add_deadline() -> datetime.date:
    """The earliest lesson date a second observer can still be added to."""
    return timezone.localdate() - datetime.timedelta(days=CALIBRATION_ADD_DAYS)


def calibration_observer_choices(*, primary: Observation) -> QuerySet[Person]:
    """People of the visit's board who observe lessons (kwaliteitsmedewerkers and leidinggevenden), except the
    visit's observer and teacher. A hint for the form; the service checks the person's roles afresh."""
    today = timezone.localdate()
    active = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    board_id = primary.board_id
    employed = Employment.objects.filter(active, board_id=board_id).values("person_id")
    quality = RoleGrant.objects.filter(board_id=board_id, role=Role.QUALITY_OFFICER).values("person_id")
    managers = RoleGrant.objects.filter(board_id=board_id, role=Role.MANAGER).values("person_id")
    leading = Employment.objects.filter(active, board_id=board_id, manager__isnull=False).values("manager_id")
    return (
        Person.objects.filter(is_active=True)
        .filter(Q(pk__in=quality) | ((Q(pk__in=managers) | Q(pk__in=leading)) & Q(pk__in=employed)))
        .exclude(pk__in=[primary.observer_id, primary.teacher_id])
        .order_by("family_name", "given_name")
    )


def calibration_panel_for(*, actor: Actor, observation: Observation) -> dict[str, Any] | None:
    """Context for templates/observations/_calibration_panel.html on a visit page, or None to show nothing.

    Keys: "relation" (participant / viewer / teacher), "primary", "partner", "sides" (names and states),
    "comparable" (the blind rule), "comparison" (only when comparable and not for the teacher),
    "waiting_for", "is_calibration" (the page is the second observer's), "may_add" and "form" (adding a
    second observer), "second_observers" (for the teacher: names only).
    """
    found = _set_for(actor, observation)
    if found is None:
        return None
    if found.relation == TEACHER:
        if found.partner is None or observation.calibrates_id is not None:
            return None
        return {"relation": TEACHER, "second_observers": [found.partner.observer.full_name]}
    may_add = observation.calibrates_id is None and calibration_may_add(
        actor=actor, primary=found.primary, partner=found.partner
    )
    if found.partner is None and not may_add:
        return None
    comparison = (
        calibration_comparison(primary=found.primary, partner=found.partner)
        if found.comparable and found.partner is not None
        else None
    )
    return {
        "relation": found.relation,
        "primary": found.primary,
        "partner": found.partner,
        "sides": found.sides,
        "comparable": found.comparable,
        "comparison": comparison,
        "waiting_for": found.waiting_for,
        "is_calibration": observation.calibrates_id is not None,
        "may_add": may_add,
        "form": CalibrationAddForm(choices=calibration_observer_choices(primary=found.primary)) if may_add else None,
        "add_deadline": calibration_add_deadline(),
    }


def calibration_get_for(*, actor: Actor, observation_id: UUID) -> CalibrationSet:
    """The calibration set of a visit (its id) for the comparison page; 404 for anyone outside it and for the
    teacher, and for a visit that has no second observer."""
    observation = (
        Observation.objects.filter(board_id=actor.board_pk, pk=observation_id, calibrates__isnull=True)
        .select_related("observer", "teacher", "school", "instrument__framework")
        .first()
    )
    if observation is None:
        raise Http404
    found = _set_for(actor, observation)
    if found is None or found.relation == TEACHER or found.partner is None:
        raise Http404
    return found
