"""Every read of the credentials pages: a certificate for its holder or the issuing aanbieder's assessors,
the aanbieder's list, and the public reads (a certificate to verify, an issuer's keys, its revocations).

Certificates are scoped to their aanbieder (django-scopes), but the holder works from their board, where
the provider scope is empty: the reads leave the scope and filter on the person or the actor's own
aanbieder explicitly, so a certificate is never fetched by id alone (404 for anyone else).
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from bekwaam.credentials.models import Certificate, SigningKey
from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import Role
from bekwaam.trajectories.models import Trajectory

HOLDER, ASSESSOR = "holder", "assessor"


def role_of(*, actor: Actor, certificate: Certificate) -> str | None:
    """The actor's role for the certificate: its holder, an assessor of the issuing aanbieder, or None."""
    if certificate.holder_id == actor.person.pk:
        return HOLDER
    if actor.provider_id is not None and actor.provider_id == certificate.provider_id and actor.has_role(Role.ASSESSOR):
        return ASSESSOR
    return None


def _visible(actor: Actor) -> Q:
    visible = Q(holder_id=actor.person.pk)
    if actor.provider_id is not None and actor.has_role(Role.ASSESSOR):
        visible |= Q(provider_id=actor.provider_id)
    return visible


def certificate_get_for(*, actor: Actor, certificate_id: Any) -> Certificate:
    """The certificate when the actor holds it or assesses for its aanbieder; 404 otherwise."""
    with scopes_disabled():
        found = (
            Certificate.objects.filter(_visible(actor), pk=certificate_id)
            .select_related("provider", "revoked_by")
            .first()
        )
    if found is None:
        raise Http404
    return found


def certificate_list_for(*, actor: Actor) -> QuerySet[Certificate]:
    """The certificates the actor's aanbieder issued, newest first (404 outside an aanbieder)."""
    provider_id = actor.provider_pk
    with scopes_disabled():
        return Certificate.objects.filter(provider_id=provider_id).order_by("-issued_at", "-status_index")


def certificate_public_get(*, certificate_id: Any) -> Certificate:
    """A certificate for the public verification page (what it states is public by its holder's choice)."""
    with scopes_disabled():
        found = Certificate.objects.filter(pk=certificate_id).first()
    if found is None:
        raise Http404
    return found


def snapshot_bytes(*, certificate: Certificate) -> bytes:
    """The frozen portfolio exactly as hashed: canonical JSON (sorted keys, no spaces, UTF-8)."""
    with scopes_disabled():
        snapshot = Trajectory.objects.filter(pk=certificate.trajectory_id).values_list("snapshot", flat=True).first()
    if snapshot is None:
        raise Http404
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def issuer_keys(*, provider_id: int) -> list[SigningKey]:
    """Every key the aanbieder signed with, oldest first; 404 for an aanbieder that never had one."""
    keys = list(SigningKey.objects.filter(provider_id=provider_id).order_by("created_at", "pk"))
    if not keys:
        raise Http404
    return keys


def revoked_status_indices(*, provider_id: int) -> list[int]:
    with scopes_disabled():
        return list(
            Certificate.objects.filter(provider_id=provider_id, revoked_at__isnull=False).values_list(
                "status_index", flat=True
            )
        )
