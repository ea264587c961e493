"""Reads of the four-eyes decision: which judgements an actor may see now (the blind rule), how they compare,
and the decision panel every trajectory page shows (the hub, the judgement page, the candidate's page).

The agreement rule, in one place: two judgements agree when they name the same learning level and the same
set of themes shown. The substantiation per criterion and the advice are the assessors' own words and may
differ; they do not decide.

The blind rule (`judgements_visible_to`): while the decision is open (up to and including "deciding"),
- an assessor of the aanbieder sees their own judgement, and the others' only once they have recorded their
  own *and* at least two judgements exist. An assessor who has not recorded sees none, so a third assessor
  judges as blind as the first two did;
- the candidate and the coach see no judgement (only how many are recorded and whether they differ).
Once decided, the aanbieder's assessors see every judgement (the full record); the candidate and the coach
see the decision and the judgements of the two deciding assessors (the substantiation it rests on).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import rules
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bekwaam.register.models import LearningLevel, Theme
from bekwaam.tenancy.context import Actor
from bekwaam.trajectories.models import Assignment, Decision, Judgement, Trajectory, TrajectoryState
from bekwaam.trajectories.selectors import ASSESSOR, CANDIDATE, COACH, may_see_portfolio, role_in
from bekwaam.trajectories.selectors.candidate import portfolio_assignments_for

JUDGE = "trajectories.judge"
ASSESS = "trajectories.assess"

DECIDED_STATES = (TrajectoryState.CERTIFIED, TrajectoryState.ADVISED)
# The panel shows from the interview on; before it there is nothing to decide yet.
PANEL_STATES = (TrajectoryState.INTERVIEW_PLANNED, TrajectoryState.DECIDING, *DECIDED_STATES)
# History rows whose note holds judgement content (a revision keeps the previous values): a page that lists
# the trajectory's events shows their notes only when `panel.shows_judgement_notes`.
JUDGEMENT_EVENT_ACTIONS = ("record_judgement", "revise_judgement")


def decision_event_label(action: str) -> str | None:
    """The words for a history row this part writes (the machine's own moves have their labels there)."""
    labels = {
        "record_judgement": _("Judgement recorded"),
        "revise_judgement": _("Judgement revised (consensus round)"),
        "disagreement": _("The judgements differ"),
    }
    found = labels.get(action)
    return str(found) if found is not None else None


def criterion_code(criterion: dict[str, Any], position: int) -> str:
    """A template criterion's key in Judgement.criteria: its code, or its position when it has none."""
    return str(criterion.get("code") or position)


def criteria_of(trajectory: Trajectory) -> list[tuple[str, str]]:
    """The template's criteria as (code, text), in the template's order."""
    found = trajectory.template.criteria or []
    return [(criterion_code(c, n), str(c.get("text", ""))) for n, c in enumerate(found, start=1) if isinstance(c, dict)]


@dataclass(frozen=True)
class Comparison:
    """How two judgements compare on what decides: the learning level and the set of themes shown."""

    same_level: bool
    same_themes: bool

    @property
    def agree(self) -> bool:
        return self.same_level and self.same_themes


def compare(
    first_level: int, first_themes: Iterable[int], second_level: int, second_themes: Iterable[int]
) -> Comparison:
    """The agreement rule: the same learning level and the same set of themes (order and repeats do not count)."""
    return Comparison(same_level=first_level == second_level, same_themes=set(first_themes) == set(second_themes))


def theme_ids(judgement: Judgement) -> frozenset[int]:
    """The judgement's themes (prefetched) as ids."""
    return frozenset(theme.pk for theme in judgement.themes.all())


def judgements_compare(first: Judgement, second: Judgement) -> Comparison:
    return compare(first.learning_level, theme_ids(first), second.learning_level, theme_ids(second))


def judgements_of(trajectory: Trajectory) -> list[Judgement]:
    """Every judgement of the trajectory, oldest first, with assessor and themes: two queries."""
    with scopes_disabled():
        return list(
            Judgement.objects.filter(trajectory_id=trajectory.pk)
            .select_related("assessor")
            .prefetch_related("themes")
            .order_by("recorded_at", "id")
        )


def decision_of(trajectory: Trajectory) -> Decision | None:
    """The trajectory's decision with both assessors and its themes, or None: two queries (none before it)."""
    if trajectory.state not in DECIDED_STATES:
        return None
    with scopes_disabled():
        return (
            Decision.objects.filter(trajectory_id=trajectory.pk)
            .select_related("first_assessor", "second_assessor")
            .prefetch_related("themes")
            .first()
        )


def judgements_visible_to(
    actor: Actor,
    trajectory: Trajectory,
    *,
    judgements: list[Judgement] | None = None,
    decision: Decision | None = None,
) -> list[Judgement]:
    """The judgements the actor may read now (the blind rule above); [] for someone who may not see the
    trajectory. `judgements` and `decision` may be passed when already read (the panel does)."""
    role = role_in(actor=actor, trajectory=trajectory)
    if role is None:
        return []
    every = judgements if judgements is not None else judgements_of(trajectory)
    decided = trajectory.state in DECIDED_STATES
    if role == ASSESSOR:
        own = [j for j in every if j.assessor_id == actor.person.pk]
        if decided or (own and len(every) >= 2):
            return every
        return own
    if decided:
        decision = decision if decision is not None else decision_of(trajectory)
        if decision is not None:
            deciding = (decision.first_assessor_id, decision.second_assessor_id)
            return [j for j in every if j.assessor_id in deciding]
    return []


@dataclass(frozen=True)
class CriterionRow:
    """One criterion with each visible judgement's substantiation, in the panel's column order."""

    code: str
    text: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    """One visible judgement as a column of the side-by-side table."""

    judgement: Judgement
    level_label: str
    is_own: bool


@dataclass(frozen=True)
class Pair:
    """Two visible judgements and how they compare."""

    first: Judgement
    second: Judgement
    comparison: Comparison


@dataclass(frozen=True)
class DecisionPanel:
    """What the decision part of a trajectory page shows to this actor."""

    trajectory: Trajectory
    role: str | None
    recorded: int  # how many judgements exist (everyone who sees the panel may know the number)
    visible: list[Judgement]
    own: Judgement | None
    blind: bool  # others' judgements exist that this actor may not read (yet)
    rows: list[CriterionRow]
    pairs: list[Pair]
    decision: Decision | None
    columns: list[Column] = field(default_factory=list)
    decision_themes: list[Theme] = field(default_factory=list)
    decision_level_label: str = ""
    certificate_url: str | None = None
    is_coach: bool = False  # the actor is this candidate's coach: four eyes keep them out
    may_judge: bool = False  # may record a judgement now
    may_revise: bool = False  # has a judgement and may revise it now (consensus round)
    may_mark_held: bool = False  # may record that the interview was held
    interview_early: bool = False  # the interview's planned day is still to come
    points_rules: dict[str, Any] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.trajectory.state in PANEL_STATES

    @property
    def deciding(self) -> bool:
        return self.trajectory.state == TrajectoryState.DECIDING

    @property
    def decided(self) -> bool:
        return self.trajectory.state in DECIDED_STATES

    @property
    def disagreement(self) -> bool:
        return self.deciding and self.trajectory.disagreement

    @property
    def shows_judgement_notes(self) -> bool:
        """Whether history notes of JUDGEMENT_EVENT_ACTIONS may be shown: to an assessor who sees every judgement."""
        return self.role == ASSESSOR and not self.blind

    @property
    def is_staff(self) -> bool:
        return self.role in (ASSESSOR, COACH)

    @property
    def is_candidate(self) -> bool:
        return self.role == CANDIDATE

    @property
    def waiting_for_second(self) -> bool:
        """The actor recorded and is waiting for a second judgement."""
        return self.deciding and self.own is not None and self.recorded < 2

    @property
    def agreeing_pair(self) -> Pair | None:
        return next((pair for pair in self.pairs if pair.comparison.agree), None)


def _certificate_url(trajectory: Trajectory) -> str | None:
    """The certificate's page, once issued (credentials; None while that part is not there)."""
    if trajectory.state != TrajectoryState.CERTIFIED:
        return None
    from bekwaam.credentials.models import Certificate

    with scopes_disabled():
        certificate_id = Certificate.objects.filter(trajectory_id=trajectory.pk).values_list("pk", flat=True).first()
    if certificate_id is None:
        return None
    try:
        return reverse("credentials:certificate", kwargs={"certificate_id": certificate_id})
    except NoReverseMatch:
        return None


def interview_is_early(trajectory: Trajectory) -> bool:
    """The interview's planned day (local) is still to come."""
    if trajectory.interview_at is None:
        return False
    return timezone.localdate(trajectory.interview_at) > timezone.localdate()


def decision_panel_for(*, actor: Actor, trajectory: Trajectory) -> DecisionPanel:
    """The decision panel for this actor, in at most five queries whatever the number of judgements; the
    trajectory must have been fetched for the actor (trajectory_get_for, with its template)."""
    role = role_in(actor=actor, trajectory=trajectory)
    shown = trajectory.state in PANEL_STATES
    every = judgements_of(trajectory) if shown and trajectory.state != TrajectoryState.INTERVIEW_PLANNED else []
    decision = decision_of(trajectory)
    visible = judgements_visible_to(actor, trajectory, judgements=every, decision=decision)
    me = actor.person.pk
    own = next((j for j in every if j.assessor_id == me), None) if role == ASSESSOR else None
    rows = [
        CriterionRow(code=code, text=text, answers=tuple(str(j.criteria.get(code, "")) for j in visible))
        for code, text in criteria_of(trajectory)
    ]
    pairs = [
        Pair(first=first, second=second, comparison=judgements_compare(first, second))
        for index, first in enumerate(visible)
        for second in visible[index + 1 :]
    ]
    deciding = trajectory.state == TrajectoryState.DECIDING
    may_judge_rule = role == ASSESSOR and rules.test_rule(JUDGE, actor, trajectory)
    return DecisionPanel(
        trajectory=trajectory,
        role=role,
        recorded=len(every),
        visible=visible,
        own=own,
        blind=len(visible) < len(every),
        rows=rows,
        pairs=pairs,
        decision=decision,
        columns=[Column(judgement=j, level_label=level_label(j.learning_level), is_own=j is own) for j in visible],
        decision_themes=list(decision.themes.all()) if decision is not None else [],
        decision_level_label=level_label(decision.learning_level) if decision is not None else "",
        certificate_url=_certificate_url(trajectory),
        is_coach=role is not None and role != CANDIDATE and trajectory.coach_id == me,
        may_judge=deciding and may_judge_rule and own is None,
        may_revise=deciding and may_judge_rule and own is not None,
        may_mark_held=trajectory.state == TrajectoryState.INTERVIEW_PLANNED
        and rules.test_rule(ASSESS, actor, trajectory),
        interview_early=interview_is_early(trajectory),
        points_rules={
            "min_level": settings.REGISTER_MIN_LEARNING_LEVEL,
            "per_theme": settings.REGISTER_POINTS_PER_THEME,
            "bonus": sorted(dict(settings.REGISTER_LEVEL_BONUS).items()),
        },
    )


@dataclass(frozen=True)
class Portfolio:
    """The portfolio as assessed, for the judgement page: the assignments with their items (frozen since the
    interview was planned; the candidate part's read-only partial shows them), and the snapshot's digest."""

    assignments: list[Assignment]
    snapshot_hash: str


def portfolio_for(*, actor: Actor, trajectory: Trajectory) -> Portfolio | None:
    """The portfolio when the actor may see it (may_see_portfolio), else None; five queries."""
    if not may_see_portfolio(actor=actor, trajectory=trajectory):
        return None
    assignments = portfolio_assignments_for(trajectory=trajectory, with_comments=True)
    return Portfolio(assignments=assignments, snapshot_hash=trajectory.snapshot_hash)


def level_label(level: int) -> str:
    return str(LearningLevel(level).label) if level in LearningLevel.values else str(level)


__all__ = [
    "DECIDED_STATES",
    "JUDGEMENT_EVENT_ACTIONS",
    "Comparison",
    "DecisionPanel",
    "compare",
    "criteria_of",
    "decision_event_label",
    "decision_panel_for",
    "judgements_visible_to",
]
