"""The blind rule also holds on the visit page itself, and a compared visit cannot be taken back."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from bekwaam.observations.models import ObservationState
from bekwaam.observations.selectors import role_in
from bekwaam.observations.selectors.visits import visit_page_for
from bekwaam.observations.services.visits import visit_reopen
from bekwaam.observations.tests.factories import instrument_build, observation_build
from bekwaam.observations.tests.factories_visits import actor_of


@pytest.fixture
def pair(world: Any) -> tuple[Any, Any]:
    with scopes_disabled():
        instrument = instrument_build(board=world.board_a)
        primary = observation_build(
            teacher=world.teacher,
            observer=world.manager,
            instrument=instrument,
            state=ObservationState.SUBMITTED,
            scores=[4, 4, 4, 1, 1, 1],
        )
        second = observation_build(
            teacher=world.teacher,
            observer=world.quality_officer,
            instrument=instrument,
            state=ObservationState.IN_PROGRESS,
            scores=[2, 2, 2],
            calibrates=primary,
        )
    return primary, second


def _page(person: Any, board: Any, observation: Any) -> Any:
    actor = actor_of(person, board)
    role = role_in(actor=actor, observation=observation)
    assert role is not None
    return visit_page_for(actor=actor, observation=observation, role=role)


def test_the_second_observer_does_not_see_the_first_scores_on_the_visit_page_before_putting_theirs_forward(
    world: Any, pair: tuple[Any, Any]
) -> None:
    primary, second = pair
    with scopes_disabled():
        # The kwaliteitsmedewerker may see every visit of the board, but is the second observer of this one.
        assert not _page(world.quality_officer, world.board_a, primary).show_scores
        # The first observer (the teacher's leidinggevende) does not see the second side's scores either.
        assert not _page(world.manager, world.board_a, second).show_scores

        second.state = ObservationState.SUBMITTED
        second.submitted_at = primary.submitted_at
        second.save()
        assert _page(world.quality_officer, world.board_a, primary).show_scores
        assert _page(world.manager, world.board_a, second).show_scores


def test_a_visit_whose_scores_were_compared_cannot_be_taken_back(world: Any, pair: tuple[Any, Any]) -> None:
    primary, second = pair
    with scopes_disabled():
        second.state = ObservationState.SUBMITTED
        second.submitted_at = primary.submitted_at
        second.save()
        with pytest.raises(ValidationError):
            visit_reopen(actor=actor_of(world.manager, world.board_a), observation=primary)
        primary.refresh_from_db()
        assert primary.state == ObservationState.SUBMITTED


def test_a_visit_without_a_compared_partner_can_still_be_taken_back(world: Any, pair: tuple[Any, Any]) -> None:
    primary, _second = pair
    with scopes_disabled():
        visit_reopen(actor=actor_of(world.manager, world.board_a), observation=primary)
        primary.refresh_from_db()
        assert primary.state == ObservationState.IN_PROGRESS
