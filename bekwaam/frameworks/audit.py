"""Framework changes are board policy, not personal data: the beheerder's change log records them."""

from __future__ import annotations

from auditlog.registry import auditlog

from bekwaam.frameworks.models import Competence, Domain, Framework, FrameworkVersion, Indicator, ScaleLevel

for model in (Framework, FrameworkVersion, ScaleLevel, Domain, Competence, Indicator):
    auditlog.register(model)
