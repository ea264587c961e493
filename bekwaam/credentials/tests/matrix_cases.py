"""Authorization matrix cases for the credentials pages (merged by tenancy's test_authorization_matrix).

The certificate here is the manager's (the school leader candidate of board A), issued by world.provider.
It is seen by its holder and by the aanbieder's assessors; anyone else does not find it (404): the coach,
the candidate's own board (beheerder, bestuurder, kwaliteitsmedewerker, colleagues), board B, the operator.
Revoking is the assessor's: the holder sees the certificate but may not (403). A certificate issued by
another aanbieder is not found by world.assessor. Verification, the DID document, the JWK set and the status
list are public: anyone, signed in or not, gets them.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from bekwaam.credentials.models import Certificate
from bekwaam.credentials.tests.factories import certificate_build, world_certificate
from bekwaam.credentials.vc import credential_file
from bekwaam.tenancy.models import Provider, Role
from bekwaam.tenancy.tests.factories import ProviderFactory
from bekwaam.tenancy.tests.matrix import (
    DENIED,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Case,
    World,
    at,
    expect,
    same_for_everyone,
)
from bekwaam.trajectories.tests.factories import assessor_build

SEEN = expect(ok=("manager", "assessor"), others=NOT_FOUND)
FOREIGN_SEEN = expect(ok=("manager",), others=NOT_FOUND)  # world.assessor works for another aanbieder
REVOKER = expect(ok=("assessor",), others=NOT_FOUND) | {"manager": DENIED}
FOREIGN_REVOKER = expect(others=NOT_FOUND) | {"manager": DENIED}
NOT_GET = same_for_everyone(NOT_ALLOWED)
PUBLIC = same_for_everyone(OK)


def certificate_id(world: World) -> Any:
    return world_certificate(world).pk


def foreign_certificate_id(world: World) -> Any:
    """The manager's certificate from another aanbieder (made once per test)."""
    provider = Provider.objects.filter(name="Academie Elders").first()
    if provider is None:
        provider = ProviderFactory(name="Academie Elders")
        assessor_build(provider=provider, email="assessor@elders.nl", role=Role.ASSESSOR)
    found = Certificate.objects.filter(provider=provider).first()
    if found is None:
        assessor = provider.role_grants.get(role=Role.ASSESSOR).person
        found = certificate_build(provider=provider, candidate=world.manager, assessor=assessor)
    return found.pk


def issuing_provider_id(world: World) -> Any:
    world_certificate(world)  # the aanbieder has a key once it issued a certificate
    return world.provider.pk


def provider_without_keys(world: World) -> Any:
    provider = Provider.objects.filter(name="Academie Zonder Sleutel").first()
    return (provider or ProviderFactory(name="Academie Zonder Sleutel")).pk


def revocations(world: World) -> object:
    return sorted((str(c.pk), c.revoked_at is not None, c.revocation_reason) for c in Certificate.objects.all())


def credential_upload(world: World) -> dict[str, Any]:
    content = credential_file(world_certificate(world))
    return {"file": SimpleUploadedFile("certificaat.json", content, "application/json")}


def for_each_download(name: str) -> list[Case]:
    return [
        Case(at(name, certificate_id=certificate_id), SEEN),
        Case(at(name, certificate_id=foreign_certificate_id), FOREIGN_SEEN, label="of another aanbieder"),
        Case(at(name, certificate_id=certificate_id), NOT_GET, method="post"),
    ]


MATRIX: dict[str, list[Case]] = {
    "credentials:certificate-list": [
        Case(at("credentials:certificate-list"), expect(ok=("assessor",))),
        Case(at("credentials:certificate-list"), NOT_GET, method="post"),
    ],
    "credentials:certificate": for_each_download("credentials:certificate"),
    "credentials:certificate-pdf": for_each_download("credentials:certificate-pdf"),
    "credentials:certificate-credential": for_each_download("credentials:certificate-credential"),
    "credentials:snapshot": for_each_download("credentials:snapshot"),
    "credentials:revoke": [
        Case(at("credentials:revoke", certificate_id=certificate_id), REVOKER),
        Case(
            at("credentials:revoke", certificate_id=certificate_id),
            REVOKER,
            method="post",
            data=lambda w: {"reason": "Onterecht uitgereikt"},
            state=revocations,
            changes=("assessor",),
        ),
        Case(
            at("credentials:revoke", certificate_id=foreign_certificate_id),
            FOREIGN_REVOKER,
            method="post",
            data=lambda w: {"reason": "Niet van ons"},
            state=revocations,
            label="of another aanbieder",
        ),
    ],
    # --- public ---
    "credentials:verify": [
        Case(at("credentials:verify"), PUBLIC),
        Case(at("credentials:verify"), PUBLIC, method="post", data=credential_upload, state=revocations),
    ],
    "credentials:verify-certificate": [
        Case(at("credentials:verify-certificate", certificate_id=certificate_id), PUBLIC),
        Case(
            at("credentials:verify-certificate", certificate_id="00000000-0000-0000-0000-000000000000"),
            same_for_everyone(NOT_FOUND),
            label="no such certificate",
        ),
        Case(at("credentials:verify-certificate", certificate_id=certificate_id), NOT_GET, method="post"),
    ],
    "credentials:issuer-did": [
        Case(at("credentials:issuer-did", provider_id=issuing_provider_id), PUBLIC),
        Case(
            at("credentials:issuer-did", provider_id=provider_without_keys),
            same_for_everyone(NOT_FOUND),
            label="an aanbieder without keys",
        ),
    ],
    "credentials:issuer-jwks": [
        Case(at("credentials:issuer-jwks", provider_id=issuing_provider_id), PUBLIC),
        Case(at("credentials:issuer-jwks", provider_id=issuing_provider_id), NOT_GET, method="post"),
    ],
    "credentials:status-list": [
        Case(at("credentials:status-list", provider_id=issuing_provider_id), PUBLIC),
        Case(
            at("credentials:status-list", provider_id=provider_without_keys),
            same_for_everyone(NOT_FOUND),
            label="an aanbieder without keys",
        ),
    ],
}
