"""The board's conversation setup is policy, not personal data: the beheerder's change log records it.

Conversations, reports, signatures and appraisals are not registered: they are personal records of
the medewerker, read by people the beheerder is not; their own history is ConversationEvent.
"""

from __future__ import annotations

from auditlog.registry import auditlog

from bekwaam.conversations.models import (
    AppraisalCriterion,
    AppraisalLevel,
    ConversationCycle,
    ConversationForm,
    CycleStep,
    FormPrompt,
    FormSection,
    FormVersion,
)

for model in (
    ConversationForm,
    FormVersion,
    FormSection,
    FormPrompt,
    ConversationCycle,
    CycleStep,
    AppraisalCriterion,
    AppraisalLevel,
):
    auditlog.register(model)
