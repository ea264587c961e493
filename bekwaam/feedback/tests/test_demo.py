"""The demo: a closed round whose report shows a group, a named manager and a withheld group; an open round."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from bekwaam.feedback.demo import seed_feedback_demo
from bekwaam.feedback.models import FeedbackResponse, FeedbackRound, Relation, RoundState
from bekwaam.feedback.selectors.report import NAMED_PREFIX, report_for
from bekwaam.feedback.tests.factories import version_of
from bekwaam.tenancy.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_it_seeds_a_report_with_a_withheld_group_and_an_open_round_once(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    version_of(world.board_a)
    colleagues = []
    for number in range(6):
        person = PersonFactory(email=f"demo{number}@alfa.nl")
        EmploymentFactory(person=person, school=world.school_a, manager=world.manager)
        colleagues.append(person)
    arguments = {
        "board": world.board_a,
        "owner": world.teacher,
        "colleagues": colleagues,
        "manager": world.manager,
        "today": timezone.localdate(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        seed_feedback_demo(**arguments)
        seed_feedback_demo(**arguments)  # idempotent
    closed = FeedbackRound.objects.get(state=RoundState.CLOSED)
    waiting = FeedbackRound.objects.get(state=RoundState.OPEN)
    report = report_for(round_=closed)
    for item in report.competences:
        keys = [figure.key for figure in item.figures]
        assert "self" in keys and Relation.COLLEAGUE in keys
        assert any(key.startswith(NAMED_PREFIX) for key in keys)
        # The parent and the intern (one each, or fewer where one could not judge) are withheld.
        assert item.withheld is not None and set(item.withheld.relations) <= {Relation.PARENT, Relation.INTERN}
    assert waiting.invitations.count() == 2
    assert FeedbackResponse.objects.filter(round=waiting, submitted_at__isnull=False).count() == 1
    assert mail.outbox == []
