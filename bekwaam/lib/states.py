"""The state-machine helper: a workflow's moves declared once, and one guard that refuses the rest.

A machine is a map action → {from state: to state}. Services ask `machine.move(current, action)` for
the next state on a locked row; an action that is not declared for the current state raises
`TransitionRefusedError` (a ValidationError, so views show its message as they show any other).
STYLE.md habit 2. The exhaustive tests try every (state, action) pair of `states` and `actions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _


class TransitionRefusedError(ValidationError):
    """An action that is not allowed in the record's current state."""


@dataclass(frozen=True)
class StateMachine:
    """States (a TextChoices class), and for each action the states it may start from and where it leads."""

    states: Any  # a models.TextChoices subclass
    transitions: Mapping[str, Mapping[str, str]]
    action_labels: Mapping[str, str | Promise]

    def __post_init__(self) -> None:
        known = set(self.states.values)
        for action, moves in self.transitions.items():
            if action not in self.action_labels:
                raise ValueError(f"no label for action {action}")
            for source, target in moves.items():
                if source not in known or target not in known:
                    raise ValueError(f"{action}: {source} → {target} is not a state")

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.transitions)

    def allows(self, state: str, action: str) -> bool:
        return state in self.transitions.get(action, {})

    def actions_from(self, state: str) -> tuple[str, ...]:
        return tuple(action for action, moves in self.transitions.items() if state in moves)

    def move(self, state: str, action: str) -> str:
        """The state after `action`, or TransitionRefusedError with a message a person can act on."""
        moves = self.transitions.get(action)
        if moves is None:
            raise ValueError(f"unknown action {action!r}")
        if state not in moves:
            raise TransitionRefusedError(
                _("“%(action)s” is not possible now: the status is “%(state)s”. Reload the page to see the latest.")
                % {"action": self.action_labels[action], "state": self.states(state).label}
            )
        return moves[state]
