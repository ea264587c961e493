"""The state-machine helper: declared moves pass, everything else is refused with a readable message."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils import translation

from bekwaam.lib.states import StateMachine, TransitionRefusedError


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    OFF = "off", "Off"


MACHINE = StateMachine(
    states=Light,
    transitions={
        "go": {Light.RED: Light.GREEN},
        "stop": {Light.GREEN: Light.RED},
        "switch_off": {Light.RED: Light.OFF},
    },
    action_labels={"go": "Go", "stop": "Stop", "switch_off": "Switch off"},
)


def test_it_moves_along_declared_transitions_only() -> None:
    for state in Light.values:
        for action in MACHINE.actions:
            if MACHINE.allows(state, action):
                assert MACHINE.move(state, action) == MACHINE.transitions[action][state]
            else:
                with pytest.raises(TransitionRefusedError):
                    MACHINE.move(state, action)


def test_it_names_the_action_and_the_state_when_refusing() -> None:
    with translation.override("en"), pytest.raises(TransitionRefusedError) as refused:
        MACHINE.move(Light.OFF, "go")
    assert "Go" in refused.value.messages[0]
    assert "Off" in refused.value.messages[0]


def test_it_lists_the_actions_possible_from_a_state() -> None:
    assert MACHINE.actions_from(Light.RED) == ("go", "switch_off")
    assert MACHINE.actions_from(Light.OFF) == ()


def test_it_rejects_an_unknown_action() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        MACHINE.move(Light.RED, "fly")


def test_it_rejects_a_declaration_with_unknown_states_or_labels() -> None:
    with pytest.raises(ValueError, match="not a state"):
        StateMachine(states=Light, transitions={"go": {"blue": Light.RED}}, action_labels={"go": "Go"})
    with pytest.raises(ValueError, match="no label"):
        StateMachine(states=Light, transitions={"go": {Light.RED: Light.GREEN}}, action_labels={})
