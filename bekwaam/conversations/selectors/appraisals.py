"""Reads of the beoordeling (appraisal). Placeholder: the appraisal work replaces this module."""

from __future__ import annotations

from typing import Any

from bekwaam.conversations.models import Conversation
from bekwaam.tenancy.context import Actor


def appraisal_section_for(*, actor: Actor, conversation: Conversation, role: str) -> dict[str, Any]:
    """The context of the appraisal part of a beoordelingsgesprek's page and PDF (empty until built)."""
    return {}
