"""The two example modules Bekwaam ships (defaults/examples.json, written in Dutch): loaded into a board as
published modules (version 1) of that board, marked with `shipped_as`.

Loading is idempotent: an example the board has already (by `shipped_as`, whatever the board did with it since:
new versions, archived) is left as it is, so loading twice is loading once. Competence names are taken from the
frameworks Bekwaam ships (frameworks/defaults), so the example links read as the frameworks do. The examples
pass the same publish checks as a module written in the browser (tests prove it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bekwaam.frameworks import defaults as shipped
from bekwaam.learning.models import (
    Choice,
    Course,
    CourseCompetence,
    CourseVersion,
    Lesson,
    Question,
    QuestionKind,
    VersionStatus,
)
from bekwaam.learning.services.editor import video_url_clean
from bekwaam.tenancy.models import Board

EXAMPLES_FILE = Path(__file__).resolve().parent.parent / "defaults" / "examples.json"


@cache
def examples_data() -> tuple[dict[str, Any], ...]:
    """The shipped examples as written in the file (read once per process)."""
    data = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    if data.get("schema") != "bekwaam.learning.examples" or data.get("schema_version") != 1:
        raise ValueError(f"{EXAMPLES_FILE.name}: not a bekwaam.learning.examples file (version 1)")
    return tuple(data["modules"])


def competence_name(framework_slug: str, code: str) -> str:
    """A competence's name in the newest version of a shipped framework; ValueError when it does not exist."""
    data = shipped.shipped_data(framework_slug) or {}
    versions = sorted(data.get("versions", []), key=lambda v: int(v.get("number", 0)))
    for version in reversed(versions):
        for domain in version.get("domains", []):
            for competence in domain.get("competences", []):
                if competence.get("code") == code:
                    return str(competence["name"]).strip()
    raise ValueError(f"examples.json: {framework_slug} has no competence {code}")


def _load_one(board: Board, example: dict[str, Any]) -> Course:
    course = Course.objects.create(board=board, shipped_as=example["slug"])
    version = CourseVersion(
        course=course,
        number=1,
        status=VersionStatus.PUBLISHED,
        title=example["title"],
        summary=example.get("summary", ""),
        duration_minutes=int(example["duration_minutes"]),
        level=example["level"],
        pass_mark=int(example["pass_mark"]),
        published_at=timezone.now(),
    )
    version.full_clean()
    version.save()
    CourseCompetence.objects.bulk_create(
        [
            CourseCompetence(
                version=version,
                framework_slug=link["framework"],
                code=link["code"],
                name=competence_name(link["framework"], link["code"]),
            )
            for link in example.get("competences", [])
        ]
    )
    Lesson.objects.bulk_create(
        [
            Lesson(
                version=version,
                position=position,
                title=lesson["title"],
                body=lesson["body"],
                video_url=video_url_clean(lesson.get("video_url", "")),
            )
            for position, lesson in enumerate(example["lessons"], start=1)
        ]
    )
    for position, item in enumerate(example["questions"], start=1):
        kind = item["kind"]
        question = Question.objects.create(
            version=version,
            position=position,
            kind=kind,
            text=item["text"],
            accepted_answers="\n".join(item.get("accepted_answers", [])) if kind == QuestionKind.OPEN else "",
            explanation=item.get("explanation", ""),
        )
        if kind == QuestionKind.MULTIPLE_CHOICE:
            Choice.objects.bulk_create(
                [
                    Choice(question=question, position=number, text=option["text"], is_correct=bool(option["correct"]))
                    for number, option in enumerate(item["options"], start=1)
                ]
            )
    return course


def examples_load(*, board: Board) -> list[Course]:
    """The board's example modules, loaded (published version 1) where the board does not have them yet."""
    courses: list[Course] = []
    for example in examples_data():
        existing = Course.objects.filter(board=board, shipped_as=example["slug"]).first()
        if existing is not None:
            courses.append(existing)
            continue
        try:
            with transaction.atomic():
                courses.append(_load_one(board, example))
        except IntegrityError:
            # Loaded at the same moment by someone else (the database keeps one per board and example).
            courses.append(Course.objects.get(board=board, shipped_as=example["slug"]))
    return courses
