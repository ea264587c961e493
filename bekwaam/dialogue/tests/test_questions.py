"""Bekwaam's shipped question sets: five or six per pillar, in Dutch, addressing the team as "je" and "we"."""

from __future__ import annotations

import json
import re

from bekwaam.dialogue.models import Pillar
from bekwaam.dialogue.questions import QUESTIONS_FILE, shipped_questions

FORMAL = re.compile(r"\b(u|uw|kunt u|heeft u)\b", re.IGNORECASE)


def test_every_pillar_has_five_or_six_questions() -> None:
    for pillar in Pillar.values:
        questions = shipped_questions(pillar)
        assert 5 <= len(questions) <= 6, pillar
        assert all(question.pillar == pillar for question in questions)


def test_keys_are_unique_short_and_named_after_their_pillar() -> None:
    keys = [question.key for pillar in Pillar.values for question in shipped_questions(pillar)]
    assert len(keys) == len(set(keys))
    for pillar in Pillar.values:
        for number, question in enumerate(shipped_questions(pillar), start=1):
            assert question.key == f"{pillar}-{number}"
            assert len(question.key) <= 32  # SessionQuestion.shipped_as


def test_questions_are_questions_in_informal_dutch() -> None:
    for pillar in Pillar.values:
        for question in shipped_questions(pillar):
            assert "?" in question.text, question.key
            assert 20 < len(question.text) <= 1000, question.key
            assert not FORMAL.search(question.text), f"{question.key} addresses the reader as 'u'"
    texts = " ".join(q.text for pillar in Pillar.values for q in shipped_questions(pillar))
    assert re.search(r"\bwe\b", texts) and re.search(r"\bje\b", texts)


def test_the_file_names_its_source_and_only_known_pillars() -> None:
    data = json.loads(QUESTIONS_FILE.read_text(encoding="utf-8"))
    assert data["language"] == "nl" and data["source"]
    assert set(data["pillars"]) == set(Pillar.values)
    assert shipped_questions("unknown") == ()
