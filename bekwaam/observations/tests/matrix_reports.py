"""Authorization matrix cases for the team report and calibration pages (merged by matrix_cases.py).

Team report (and its PDF) of school_a: the bestuurder and the kwaliteitsmedewerker (quality.view) and the
school's own leader (manager of school_a); the beheerder and staff are refused (403); board B and people
working in no board do not find the school (404). The manager of school_a is refused school_a2. Choices
that do not make sense answer 400 with the form, never a 500.

Calibration: the overview is for the kwaliteitsmedewerker. The comparison page of a visit by the manager
with the kwaliteitsmedewerker as second observer is for those two (the observers); everyone else, the
teacher included, does not find it (404). Adding a second observer (POST) is for the visit's observer and
the kwaliteitsmedewerker; the teacher may see the visit but is refused (403); others do not find it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bekwaam.observations.models import Observation, ObservationState
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.observations.tests.factories_reports import calibration_build
from bekwaam.tenancy.tests.matrix import DENIED, INVALID, NOT_ALLOWED, NOT_FOUND, Case, World, at, expect

# Who reaches the team report of school_a, and who does not find it (no board, or another board).
NO_BOARD = ("outsider_admin", "outsider", "assessor", "coach", "operator")
REPORT_A = expect(ok=("board_member", "quality_officer", "manager"), not_found=NO_BOARD)
REPORT_A_INVALID = expect(not_found=NO_BOARD) | dict.fromkeys(("board_member", "quality_officer", "manager"), INVALID)
REPORT_A2 = expect(ok=("board_member", "quality_officer"), not_found=NO_BOARD)  # the manager leads school_a only
REPORT_B = expect(
    not_found=("administrator", "board_member", "quality_officer", "manager", "teacher", "colleague"),
    others=NOT_FOUND,
) | {"outsider_admin": DENIED, "outsider": DENIED}
NOT_GET = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)


def _instrument(world: World) -> Any:
    from bekwaam.frameworks.models import FrameworkVersion

    found = FrameworkVersion.objects.filter(board=world.board_a, framework__slug="matrix-kijkwijzer").first()
    return found or instrument_build(board=world.board_a, slug="matrix-kijkwijzer")


def visit_of(label: str, *, second: bool = False) -> Callable[[World], Any]:
    """The id of the manager's visit to the teacher named by `label` (made once per test), optionally with the
    kwaliteitsmedewerker as second observer."""

    def get(world: World) -> Any:
        found = Observation.objects.filter(subject=f"Matrix {label}", calibrates__isnull=True).first()
        if found is None:
            found = observation_build(
                teacher=world.teacher,
                observer=world.manager,
                instrument=_instrument(world),
                state=ObservationState.SUBMITTED,
                date=timezone.localdate(),
                subject=f"Matrix {label}",
                scores=[1, 2, 3, 4, 4, 3],
            )
            if second:
                calibration_build(
                    primary=found,
                    observer=world.quality_officer,
                    state=ObservationState.SUBMITTED,
                    scores=[1, 2, 3, 3, 4, 3],
                )
        return found.pk

    return get


def calibrations_of(label: str) -> Callable[[World], object]:
    def state(world: World) -> object:
        return sorted(
            (str(o.observer_id), o.state) for o in Observation.objects.filter(calibrates__subject=f"Matrix {label}")
        )

    return state


def school_id(name: str) -> Callable[[World], Any]:
    return lambda world: getattr(world, name).pk


def _with_query(build: Callable[[World], str], query: str) -> Callable[[World], str]:
    return lambda world: f"{build(world)}?{query}"


MATRIX: dict[str, list[Case]] = {
    "observations:team-report": [
        Case(url=at("observations:team-report", school_id=school_id("school_a")), expect=REPORT_A),
        Case(
            url=at("observations:team-report", school_id=school_id("school_a2")),
            expect=REPORT_A2 | {"manager": DENIED},
            label="(another school)",
        ),
        Case(url=at("observations:team-report", school_id=school_id("school_b")), expect=REPORT_B, label="(board B)"),
        Case(
            url=_with_query(
                at("observations:team-report", school_id=school_id("school_a")), "start=2026-05-01&end=2026-04-01"
            ),
            expect=REPORT_A_INVALID,
            label="(from after to)",
        ),
        Case(
            url=_with_query(at("observations:team-report", school_id=school_id("school_a")), "instrument=onbekend"),
            expect=REPORT_A_INVALID,
            label="(unknown kijkwijzer)",
        ),
        Case(
            url=at("observations:team-report", school_id=school_id("school_a")),
            method="post",
            expect=NOT_GET,
            label="(POST)",
        ),
    ],
    "observations:team-report-pdf": [
        Case(url=at("observations:team-report-pdf", school_id=school_id("school_a")), expect=REPORT_A),
        Case(
            url=at("observations:team-report-pdf", school_id=school_id("school_b")), expect=REPORT_B, label="(board B)"
        ),
        Case(
            url=_with_query(at("observations:team-report-pdf", school_id=school_id("school_a")), "end=geen-datum"),
            expect=REPORT_A_INVALID,
            label="(not a date)",
        ),
    ],
    "observations:calibration-overview": [
        Case(url=at("observations:calibration-overview"), expect=expect(ok=("quality_officer",))),
    ],
    "observations:calibration-detail": [
        Case(
            url=at("observations:calibration-detail", observation_id=visit_of("calibrated", second=True)),
            expect=expect(ok=("manager", "quality_officer"), others=NOT_FOUND),
        ),
        Case(
            url=at("observations:calibration-detail", observation_id=visit_of("alone")),
            expect=expect(others=NOT_FOUND),
            label="(no second observer)",
        ),
    ],
    "observations:calibration-add": [
        Case(
            url=at("observations:calibration-add", observation_id=visit_of("to calibrate")),
            method="post",
            data=lambda world: {"observer": str(world.quality_officer.pk)},
            expect=expect(ok=("manager", "quality_officer"), others=NOT_FOUND) | {"teacher": DENIED},
            state=calibrations_of("to calibrate"),
            changes=("manager", "quality_officer"),
        ),
        Case(
            url=at("observations:calibration-add", observation_id=visit_of("to calibrate")),
            expect=NOT_GET,
            label="(GET)",
        ),
    ],
}
