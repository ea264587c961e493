"""Bekwaam's shipped question sets, one per pillar (defaults/questions.json, written in Dutch as content).

The questions are data, not translatable strings: a team session copies the chosen ones into its own
SessionQuestion rows (with `shipped_as` = the key), so a later change of the file never changes a held
session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bekwaam.dialogue.models import Pillar

QUESTIONS_FILE = Path(__file__).resolve().parent / "defaults" / "questions.json"
SCHEMA = "bekwaam.dialogue.questions"


@dataclass(frozen=True)
class ShippedQuestion:
    key: str  # "define-1": stored as SessionQuestion.shipped_as (max 32 characters)
    pillar: str
    text: str


@cache
def _load() -> dict[str, tuple[ShippedQuestion, ...]]:
    data = json.loads(QUESTIONS_FILE.read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{QUESTIONS_FILE} is not a {SCHEMA} file")
    pillars: dict[str, tuple[ShippedQuestion, ...]] = {}
    for pillar in Pillar.values:
        pillars[pillar] = tuple(
            ShippedQuestion(key=str(item["key"]), pillar=pillar, text=str(item["text"]).strip())
            for item in data["pillars"].get(pillar, [])
        )
    return pillars


def shipped_questions(pillar: str) -> tuple[ShippedQuestion, ...]:
    """The shipped questions of one pillar, in their order; empty for an unknown pillar."""
    return _load().get(pillar, ())
