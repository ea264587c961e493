"""Demo lesson visits at the first demo school, so every role has something to open.

- Lotte de Leerkracht: a visit of last school year (acknowledged), one put forward last week with a
  nagesprek and agreements waiting for her reaction, one planned next week, and a peer visit she asked
  a colleague for;
- the schoolleider visited eight more teachers this school year and six last year (the team report);
- one lesson was also scored by the kwaliteitsmedewerker (calibration: both put forward, so the
  comparison shows), and the schoolleider has a visit in progress (the scoring page).
Written with the models directly and no e-mail, like the other demos' history. Idempotent: a board
with visits is left alone.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.utils import timezone

from bekwaam.accounts.models import Person
from bekwaam.frameworks.models import Competence, FrameworkKind, FrameworkVersion, ScaleLevel, VersionStatus
from bekwaam.lib.dates import school_year_bounds, school_year_of
from bekwaam.observations.models import (
    Observation,
    ObservationAgreement,
    ObservationEvent,
    ObservationKind,
    ObservationScore,
    ObservationState,
)
from bekwaam.tenancy.models import Board, Employment

SUBJECTS = ("Rekenen", "Taal", "Begrijpend lezen", "Spelling", "Wereldoriëntatie")
NOTES = (
    "Lesdoel staat op het bord en wordt aan het begin besproken.",
    "Snelle rekenaars wachten na de instructie; geef ze een verrijkingstaak.",
    "Goede denkvragen, de kinderen leggen hun aanpak uit.",
    "",
    "",
    "",
)


def _instrument(board: Board) -> FrameworkVersion | None:
    return (
        FrameworkVersion.objects.filter(
            board=board,
            framework__kind=FrameworkKind.OBSERVATION,
            framework__slug="icalt-kijkwijzer",
            status=VersionStatus.PUBLISHED,
        )
        .order_by("-number")
        .first()
    )


def seed_observations_demo(
    *,
    board: Board,
    leader: Person,
    quality_officer: Person,
    teacher: Person,
    colleagues: Sequence[Person],
    today: datetime.date,
) -> None:
    instrument = _instrument(board)
    if instrument is None or Observation.objects.filter(board=board).exists():
        return
    rng = random.Random(5)  # noqa: S311  (demo content, not secrets)
    items = list(Competence.objects.filter(version=instrument).order_by("domain__position", "position"))
    values = list(ScaleLevel.objects.filter(version=instrument).order_by("value").values_list("value", flat=True))

    def visit(
        person: Person,
        observer: Person,
        day: datetime.date,
        state: str,
        *,
        base: int = 2,
        kind: str = ObservationKind.VISIT,
        calibrates: Observation | None = None,
        scored: int | None = None,
        debrief: bool = True,
    ) -> Observation:
        employment = Employment.objects.filter(person=person, board=board).order_by("start_date").first()
        if employment is None:
            raise RuntimeError(f"{person} has no employment at the demo board")
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 30)))
        put_forward = state in (ObservationState.SUBMITTED, ObservationState.ACKNOWLEDGED)
        observation = Observation.objects.create(
            board=board,
            school=employment.school,
            employment=employment,
            teacher=person,
            observer=observer,
            kind=kind,
            instrument=instrument,
            calibrates=calibrates,
            group=rng.randint(1, 8),
            date=day,
            start_time=datetime.time(9, 0),
            subject=rng.choice(SUBJECTS),
            focus="Afstemmen van de instructie op verschillen; de verlengde instructie." if calibrates is None else "",
            state=state,
            went_well="Rustige, veilige sfeer; de kinderen weten wat ze moeten doen."
            if put_forward and debrief
            else "",
            work_on="De verwerking afstemmen op de snelle en de langzame rekenaars." if put_forward and debrief else "",
            submitted_at=moment if put_forward else None,
            acknowledged_at=moment + datetime.timedelta(days=2) if state == ObservationState.ACKNOWLEDGED else None,
            created_by=observer,
        )
        chosen = items if scored is None else items[:scored]
        if state != ObservationState.PLANNED:
            ObservationScore.objects.bulk_create(
                ObservationScore(
                    board=board,
                    observation=observation,
                    item=item,
                    value=values[max(0, min(len(values) - 1, base + rng.randint(-1, 1)))],
                    note=rng.choice(NOTES),
                )
                for item in chosen
            )
        events = ["plan"] + (["start"] if state != ObservationState.PLANNED else [])
        events += ["submit"] if put_forward else []
        events += ["acknowledge"] if state == ObservationState.ACKNOWLEDGED else []
        ObservationEvent.objects.bulk_create(
            ObservationEvent(board=board, observation=observation, action=action, actor=observer) for action in events
        )
        return observation

    this_year = school_year_of(today)
    start, _ = school_year_bounds(this_year)
    last_start, _ = school_year_bounds(this_year - 1)

    visit(teacher, leader, last_start + datetime.timedelta(days=75), ObservationState.ACKNOWLEDGED, base=1)
    recent = visit(teacher, leader, today - datetime.timedelta(days=6), ObservationState.SUBMITTED, base=2)
    ObservationAgreement.objects.bulk_create(
        [
            ObservationAgreement(
                board=board,
                observation=recent,
                text="Geeft bij rekenen een verrijkingstaak aan de snelle rekenaars na de instructie.",
                position=0,
            ),
            ObservationAgreement(
                board=board,
                observation=recent,
                text="Sluit de les af met een korte terugblik op het lesdoel.",
                position=1,
            ),
        ]
    )
    visit(teacher, leader, today + datetime.timedelta(days=7), ObservationState.PLANNED)
    if colleagues:
        visit(
            teacher,
            colleagues[0],
            today + datetime.timedelta(days=10),
            ObservationState.PLANNED,
            kind=ObservationKind.PEER,
        )

    days_this_year = max(1, (today - start).days - 1)
    for number, person in enumerate(colleagues[:8]):
        day = start + datetime.timedelta(days=1 + (number * days_this_year) // 9)
        primary = visit(person, leader, min(day, today - datetime.timedelta(days=1)), ObservationState.ACKNOWLEDGED)
        if number == 0:
            visit(
                person,
                quality_officer,
                primary.date,
                ObservationState.SUBMITTED,
                calibrates=primary,
                debrief=False,
            )
    for number, person in enumerate(colleagues[2:8]):
        day = last_start + datetime.timedelta(days=30 + number * 40)
        visit(person, leader, day, ObservationState.ACKNOWLEDGED, base=1)
    if len(colleagues) > 8:
        visit(colleagues[8], leader, today, ObservationState.IN_PROGRESS, scored=len(items) // 3, debrief=False)
