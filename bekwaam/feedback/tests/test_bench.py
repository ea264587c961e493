"""The bench generator makes a closed round whose report works (a quick check against the test database)."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from django.urls import reverse

from bekwaam.feedback.models import FeedbackQuestion, FeedbackResponse, QuestionKind, Relation, RoundState
from bekwaam.feedback.selectors.report import NAMED_PREFIX, OTHERS, report_for
from bekwaam.feedback.tests.factories import version_of
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory
from bench.generate_feedback import generate_feedback

pytestmark = pytest.mark.django_db


def test_it_generates_a_closed_round_with_thirty_answers_and_a_working_report(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    version_of(world.board_a)
    raters = [world.manager]
    for number in range(22):
        person = PersonFactory(email=f"collega{number}@alfa.nl")
        EmploymentFactory(person=person, school=world.school_a)
        raters.append(person)
    rng = random.Random(4)
    round_ = generate_feedback(
        rng,
        lambda: uuid.UUID(int=rng.getrandbits(128), version=4),
        board=world.board_a,
        owner=world.teacher,
        raters=raters,
    )
    assert round_.state == RoundState.CLOSED
    submitted = FeedbackResponse.objects.filter(round=round_, submitted_at__isnull=False).exclude(
        relation=Relation.SELF
    )
    assert submitted.count() == 30
    assert (
        FeedbackQuestion.objects.filter(round=round_, kind=QuestionKind.COMPETENCE).count() == 4
    )  # of 4 in the test framework
    assert FeedbackQuestion.objects.filter(round=round_, kind=QuestionKind.OPEN).count() == 2

    report = report_for(round_=round_)
    keys = {figure.key for item in report.competences for figure in item.figures}
    assert {"self", Relation.COLLEAGUE, Relation.PARENT} <= keys
    assert any(key.startswith(NAMED_PREFIX) for key in keys) and OTHERS in keys
    client = client_for(world.teacher)
    with django_assert_max_num_queries(24):
        page = client.get(reverse("feedback:report", kwargs={"round_id": round_.pk}))
    assert page.status_code == 200
