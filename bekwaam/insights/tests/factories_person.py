"""Builders for Mijn ontwikkeling's tests: one person's history, written straight to the database (each app's
services have their own tests): finished measurements, put-forward lesson visits, closed 360° rounds with
answers, appraisals put forward, POP goals and e-learning completions, at chosen dates."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from bekwaam.conversations.models import (
    Appraisal,
    AppraisalCriterion,
    AppraisalLevel,
    AppraisalRating,
    AppraisalState,
    Conversation,
    ConversationKind,
    ConversationState,
)
from bekwaam.conversations.tests.factories_conversations import conversation_build
from bekwaam.dossier.models import (
    AssessmentKind,
    AssessmentStatus,
    DevelopmentPlan,
    Goal,
    Phase,
    Rating,
    SelfAssessment,
)
from bekwaam.feedback.models import Relation, RoundState
from bekwaam.feedback.tests.factories import questions_of, response_build, round_build
from bekwaam.frameworks.models import FrameworkVersion, Indicator, ScaleLevel
from bekwaam.frameworks.tests.factories import framework_version_build
from bekwaam.learning.models import Completion, Enrolment
from bekwaam.learning.tests.factories import course_build
from bekwaam.lib.dates import school_year_of
from bekwaam.observations.models import Observation, ObservationState
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.tenancy.context import Actor, actor_for

_numbers = itertools.count(1)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def actor_of(person: Any, board: Any) -> Actor:
    return actor_for(person, f"board:{board.pk}")


def framework_of(board: Any) -> FrameworkVersion:
    """The board's test framework (2 domains by 2 competences by 2 indicators, scale 1 to 4), made once."""
    version = FrameworkVersion.objects.filter(board=board, framework__slug="test-framework").order_by("number").first()
    return version or framework_version_build(board=board)


def kijkwijzer_of(board: Any) -> FrameworkVersion:
    version = FrameworkVersion.objects.filter(board=board, framework__slug="test-kijkwijzer").order_by("number").first()
    return version or instrument_build(board=board)


def measurement_build(
    *,
    person: Any,
    board: Any,
    day: datetime.date,
    levels: dict[str, int] | int = 2,
    version: FrameworkVersion | None = None,
    kind: str = AssessmentKind.FOLLOW_UP,
) -> SelfAssessment:
    """A finished measurement on `day`: every indicator rated `levels` (one value, or by indicator code)."""
    version = version or framework_of(board)
    assessment = SelfAssessment.objects.create(
        board=board,
        person=person,
        framework_version=version,
        kind=kind,
        status=AssessmentStatus.FINISHED,
        finished_at=at(day),
    )
    SelfAssessment.objects.filter(pk=assessment.pk).update(started_at=at(day))
    scale = {level.value: level for level in ScaleLevel.objects.filter(version=version)}
    ratings = []
    for indicator in Indicator.objects.filter(competence__version=version):
        value = levels if isinstance(levels, int) else levels.get(indicator.code)
        if value is None:
            continue
        ratings.append(Rating(board=board, assessment=assessment, indicator=indicator, level=scale[value]))
    Rating.objects.bulk_create(ratings)
    return assessment


def visit_build(
    *,
    teacher: Any,
    observer: Any,
    board: Any,
    day: datetime.date,
    scores: Sequence[int | None] | dict[str, int | None] = (2, 3, 3, 2, 3, 4),
    state: str = ObservationState.SUBMITTED,
    instrument: FrameworkVersion | None = None,
    **options: Any,
) -> Observation:
    return observation_build(
        teacher=teacher,
        observer=observer,
        instrument=instrument or kijkwijzer_of(board),
        state=state,
        date=day,
        scores=scores,
        **options,
    )


def round_with_answers_build(
    *,
    owner: Any,
    board: Any,
    day: datetime.date,
    self_values: Sequence[int] = (2, 2, 3, 3),
    colleagues: Sequence[Sequence[int]] = ((3, 3, 3, 4), (3, 4, 3, 4), (4, 3, 3, 4)),
    state: str = RoundState.CLOSED,
    title: str = "",
) -> Any:
    """A closed round on `day` with four competence questions, the owner's self-rating and colleagues' answers."""
    round_ = round_build(
        owner=owner, board=board, state=state, title=title or f"Feedback {next(_numbers)}", open_questions=()
    )
    type(round_).objects.filter(pk=round_.pk).update(created_at=at(day), closed_at=at(day))
    questions = questions_of(round_)
    response_build(round_, relation=Relation.SELF, values=dict(zip(questions, self_values, strict=False)))
    for values in colleagues:
        response_build(round_, relation=Relation.COLLEAGUE, values=dict(zip(questions, values, strict=False)))
    return type(round_).objects.get(pk=round_.pk)


def appraisal_scale(board: Any) -> tuple[list[AppraisalCriterion], dict[int, AppraisalLevel]]:
    """The board's three criteria and four levels, made once."""
    criteria = list(AppraisalCriterion.objects.filter(board=board).order_by("position"))
    if not criteria:
        criteria = [
            AppraisalCriterion.objects.create(board=board, name=name, position=n)
            for n, name in enumerate(("Vakmanschap", "Samenwerking", "Ontwikkeling"), start=1)
        ]
    levels = {level.value: level for level in AppraisalLevel.objects.filter(board=board)}
    if not levels:
        levels = {
            value: AppraisalLevel.objects.create(board=board, value=value, label=label)
            for value, label in ((1, "Onvoldoende"), (2, "Voldoende"), (3, "Goed"), (4, "Uitstekend"))
        }
    return criteria, levels


def appraisal_build(
    world: Any,
    *,
    day: datetime.date,
    values: Sequence[int | None] = (2, 3, 3),
    state: str = AppraisalState.FINAL,
    employee: Any = None,
) -> Appraisal:
    """An appraisal of the teacher (or `employee`) in a beoordelingsgesprek on `day`, in `state`."""
    criteria, levels = appraisal_scale(world.board_a)
    final = state in (AppraisalState.FINAL, AppraisalState.OBJECTED)
    conversation = conversation_build(
        world,
        ConversationState.SIGNED if final else ConversationState.PLANNED,
        kind=ConversationKind.APPRAISAL,
        employee=employee,
    )
    Conversation.objects.filter(pk=conversation.pk).update(scheduled_at=at(day), school_year=school_year_of(day))
    shown = state != AppraisalState.DRAFT
    overall = levels[max(v or 1 for v in values)]
    appraisal = Appraisal.objects.create(
        board=world.board_a,
        conversation=conversation,
        state=state,
        overall_level=overall,
        overall_level_label=overall.label if shown else "",
        put_forward_at=at(day) if shown else None,
        final_at=at(day) if final else None,
    )
    AppraisalRating.objects.bulk_create(
        AppraisalRating(
            board=world.board_a,
            appraisal=appraisal,
            criterion=criterion,
            level=levels[value] if value else None,
            criterion_name=criterion.name if shown else "",
            level_label=levels[value].label if value and shown else "",
        )
        for criterion, value in zip(criteria, values, strict=False)
    )
    return appraisal


def goals_build(*, person: Any, board: Any, day: datetime.date, done: int = 2, open_: int = 0) -> list[Goal]:
    """A POP starting on `day` with `done` goals moved to done that day and `open_` goals still in do."""
    plan = DevelopmentPlan.objects.create(board=board, person=person, title=f"POP {day:%Y}", starts_on=day)
    goals = [
        Goal.objects.create(
            board=board, plan=plan, title=f"Doel {n} ({day:%Y})", phase=Phase.DONE, phase_changed_at=at(day)
        )
        for n in range(1, done + 1)
    ] + [
        Goal.objects.create(
            board=board,
            plan=plan,
            title=f"Open doel {n} ({day:%Y})",
            phase=Phase.DO,
            due_date=day + datetime.timedelta(days=300),
        )
        for n in range(1, open_ + 1)
    ]
    Goal.objects.filter(plan=plan).update(created_at=at(day))
    return goals


def completion_build(*, person: Any, board: Any, day: datetime.date, title: str = "", score: int = 80) -> Completion:
    """A completed e-learning module (its own course) on `day`."""
    title = title or f"Module {next(_numbers)}"
    version = course_build(board=board, title=title)
    enrolment = Enrolment.objects.create(
        board=board, person=person, course=version.course, version=version, completed_at=at(day)
    )
    return Completion.objects.create(
        board=board,
        person=person,
        enrolment=enrolment,
        course=version.course,
        version=version,
        title=title,
        version_number=version.number,
        offered_by=board.name,
        score_percent=score,
        completed_at=at(day),
    )


def history_build(world: Any, *, years: int, per_year: int = 3, first_back: int = 0) -> None:
    """The teacher's history over `years` school years (from `first_back` years ago backwards): `per_year`
    measurements, visits and 360° rounds in each, an appraisal, a POP with two goals done and one open, and an
    e-learning module a year."""
    today = timezone.localdate()
    for back in range(first_back, first_back + years):
        year_start = datetime.date(school_year_of(today) - back, 9, 1)
        for n in range(per_year):
            day = min(year_start + datetime.timedelta(days=60 * n + 10), today - datetime.timedelta(days=back + n))
            measurement_build(person=world.teacher, board=world.board_a, day=day, levels=1 + (back + n) % 4)
            visit_build(teacher=world.teacher, observer=world.manager, board=world.board_a, day=day)
            round_with_answers_build(owner=world.teacher, board=world.board_a, day=day)
        day = min(year_start + datetime.timedelta(days=200), today - datetime.timedelta(days=back))
        appraisal_build(world, day=day)
        goals_build(person=world.teacher, board=world.board_a, day=day, done=2, open_=1)
        completion_build(person=world.teacher, board=world.board_a, day=day)
