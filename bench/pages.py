"""The pages `make bench` times: add yours to PAGES.

A page is a role (a key of generate.PERSONA_EMAILS, the person the runner signs in as) and a path,
or a function of the World that returns a path, for pages whose URL holds an id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from bench.generate import MAIN_AUTHORITY, PERSONA_EMAILS, brin
from bench.generate_feedback import TITLE as FEEDBACK_TITLE


@dataclass(frozen=True)
class World:
    """The generated rows that pages point at: the personas, and a school and a person to open."""

    personas: dict[str, Any]
    board: Any
    school: Any
    person: Any
    feedback_round: Any
    scoring_observation: Any  # the manager persona's visit in progress (issue 5)


def load_world() -> World:
    from bekwaam.feedback.models import FeedbackRound
    from bekwaam.observations.models import Observation, ObservationState
    from bekwaam.tenancy.models import Board, School

    with scopes_disabled():
        people = {p.email: p for p in get_user_model().objects.filter(email__in=PERSONA_EMAILS.values())}
        board = Board.objects.get(authority_number=MAIN_AUTHORITY)
        return World(
            personas={role: people[email] for role, email in PERSONA_EMAILS.items()},
            board=board,
            # A school in the middle of the list, and the teacher persona as the person to open.
            school=School.objects.get(board=board, brin=brin(42, "BA")),
            person=people[PERSONA_EMAILS["teacher"]],
            feedback_round=FeedbackRound.objects.get(owner=people[PERSONA_EMAILS["teacher"]], title=FEEDBACK_TITLE),
            scoring_observation=Observation.objects.get(
                observer=people[PERSONA_EMAILS["manager"]], state=ObservationState.IN_PROGRESS
            ),
        )


@dataclass(frozen=True)
class Page:
    role: str
    path: str | Callable[[World], str]
    name: str

    def url(self, world: World) -> str:
        return self.path if isinstance(self.path, str) else self.path(world)


PAGES: list[Page] = [
    Page("administrator", "/board/", "board home"),
    Page("administrator", "/board/people/", "people"),
    Page("administrator", "/board/people/?q=jansen", "people search"),
    Page("administrator", lambda w: f"/board/people/{w.person.pk}/", "person detail"),
    Page("administrator", lambda w: f"/board/schools/{w.school.pk}/", "school detail"),
    Page("administrator", "/audit/changes/", "change log"),
    Page("administrator", "/audit/access/", "access log"),
    Page("board_member", "/board/", "board home"),
    Page("quality_officer", "/board/", "board home"),
    Page("manager", "/team/", "team"),
    Page("teacher", "/dossier/", "dossier"),
    Page("teacher", "/dossier/portfolio/", "portfolio"),
    Page("teacher", "/dossier/portfolio/?page=2", "portfolio page 2"),
    Page("teacher", "/dossier/measurements/", "measurements"),
    Page("teacher", "/dossier/plans/", "development plans"),
    Page("teacher", "/dossier/coverage/", "coverage map"),
    Page("teacher", "/dossier/privacy/", "privacy"),
    Page("teacher", "/conversations/", "conversations"),
    Page("teacher", "/feedback/", "feedback rounds"),
    Page("teacher", lambda w: f"/feedback/{w.feedback_round.pk}/report/", "360° report (30 answers)"),
    Page("manager", "/conversations/", "conversations of the team"),
    Page("teacher", "/observations/", "lesson visits (own)"),
    Page("manager", "/observations/", "lesson visits (observer, team)"),
    Page("quality_officer", "/observations/", "lesson visits (board, paginated)"),
    Page("manager", lambda w: f"/observations/{w.scoring_observation.pk}/score/", "scoring page (35 items)"),
    Page("quality_officer", lambda w: f"/observations/reports/{w.school.pk}/", "team report (school year)"),
    Page("board_member", lambda w: f"/observations/reports/{w.school.pk}/", "team report (bestuurder)"),
    Page("quality_officer", "/observations/calibration/", "calibration overview (board)"),
    Page("board_member", "/quality/board/", "board quality grid (100 schools)"),
    Page("quality_officer", "/quality/board/", "board quality grid (100 schools)"),
    Page("quality_officer", lambda w: f"/quality/schools/{w.school.pk}/", "school quality page"),
    Page("quality_officer", "/quality/plans/", "improvement plans"),
    Page("manager", "/register/", "register overview (40 activities)"),
    Page("manager", "/trajectories/", "own trajectories"),
    Page("assessor", "/trajectories/work/", "assessor worklist (500 trajectories)"),
    Page("assessor", "/trajectories/work/?state=all", "assessor worklist, every state"),
    Page("coach", "/trajectories/work/", "coach worklist"),
    Page("assessor", "/provider/", "provider home"),
    Page("coach", "/provider/", "provider home"),
    Page("operator", "/platform/", "platform"),
    Page("teacher", "/learning/", "e-learning catalogue (200 modules)"),
    Page("teacher", "/learning/?page=8", "e-learning catalogue, last page"),
    Page("administrator", "/learning/editor/", "e-learning editor (100 modules)"),
    Page("teacher", "/insights/mine/", "Mijn ontwikkeling (ten years)"),
    Page("teacher", "/insights/mine/pdf/", "Mijn ontwikkeling PDF (ten years)"),
    Page("board_member", "/insights/board/", "board insights (100 schools, 4,000 staff)"),
    Page("board_member", "/insights/board/csv/", "board insights CSV"),
    Page("quality_officer", lambda w: f"/insights/schools/{w.school.pk}/", "school insights"),
    Page("manager", "/insights/team/", "team insights (40 people)"),
    Page("teacher", "/dialogue/", "team dialogue sessions"),
]

FLOOR_PATH = "/bench/floor/"
