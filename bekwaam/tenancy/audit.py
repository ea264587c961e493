"""Registers organisation models with django-auditlog, tagging each entry with its boards."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.contrib.auth import get_user_model

from bekwaam.tenancy.models import Employment, ProviderRoleGrant, RoleGrant, School, Team

auditlog.register(School)
auditlog.register(Team)
auditlog.register(Employment)
auditlog.register(RoleGrant)
auditlog.register(ProviderRoleGrant)
auditlog.register(
    get_user_model(),
    include_fields=[
        "email",
        "given_name",
        "name_prefix",
        "family_name",
        "language",
        "is_active",
        "is_staff",
        "is_superuser",
    ],
)
