"""The credential, its status list and its verification: valid, tampered, wrong key, unknown key, bad files."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from bekwaam.credentials.keys import b64url_decode, b64url_encode, private_key_of
from bekwaam.credentials.models import Certificate
from bekwaam.credentials.services import certificate_revoke
from bekwaam.credentials.tests.factories import certificate_build, world_certificate
from bekwaam.credentials.vc import (
    STATUS_LIST_MIN_BITS,
    credential_envelope,
    credential_file,
    issuer_did,
    status_bit,
    status_list_bits,
    status_list_decode,
    status_list_encode,
    verify,
)
from bekwaam.tenancy.context import actor_for
from bekwaam.tenancy.models import Role
from bekwaam.tenancy.tests.factories import ProviderFactory, ProviderRoleGrantFactory

pytestmark = pytest.mark.django_db

TAMPERED = "The signature is not valid: the credential was changed after signing, or signed with another key."
UNKNOWN_KEY = (
    "This credential is signed with a key Bekwaam does not know for its issuer: it was not issued "
    "here, or not with this issuer's key."
)
NOT_JSON = "This file is not a credential file (not JSON)."


def reasons_in_dutch(data: Any) -> tuple[list[str], Any]:
    with translation.override("nl"):
        result = verify(data)
        return result.reasons, result


def dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload)), signature


def encode_part(document: dict[str, Any]) -> str:
    return b64url_encode(json.dumps(document, separators=(",", ":")).encode())


def revoke(world: Any, certificate: Certificate, reason: str = "Onterecht uitgereikt") -> Certificate:
    actor = actor_for(world.assessor, f"provider:{world.provider.pk}")
    return certificate_revoke(actor=actor, certificate=certificate, reason=reason)


# --- what is signed ------------------------------------------------------------------------------------------


def test_the_credential_is_an_open_badge_vc_jwt_with_the_decided_shape(world: Any) -> None:
    certificate = world_certificate(world)
    header, payload, _signature = parts(certificate.credential)
    did = issuer_did(world.provider.pk)
    assert did == f"did:web:127.0.0.1%3A8000:credentials:issuers:{world.provider.pk}"
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": f"{did}#{certificate.key.kid}"}
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["id"] == payload["jti"] == f"urn:uuid:{certificate.pk}"
    assert payload["issuer"] == {"id": did, "type": ["Profile"], "name": world.provider.name}
    assert payload["iss"] == did
    assert payload["sub"] == payload["credentialSubject"]["id"] == f"urn:uuid:{world.manager.pk}"
    assert payload["nbf"] == int(certificate.issued_at.replace(microsecond=0).timestamp())
    subject = payload["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == world.manager.full_name
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["tag"] == certificate.theme_names
    assert achievement["criteria"]["narrative"]
    assert [r["value"] for r in subject["result"]] == [str(certificate.learning_level), str(certificate.points)]
    evidence = payload["evidence"][0]
    assert evidence["id"].endswith(reverse("credentials:snapshot", args=[certificate.pk]))
    assert evidence["digestSRI"] == "sha256-" + base64.b64encode(bytes.fromhex(certificate.snapshot_hash)).decode()
    for name in certificate.assessor_names:
        assert name in evidence["narrative"]
    status = payload["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(certificate.status_index)
    assert status["statusListCredential"].endswith(reverse("credentials:status-list", args=[world.provider.pk]))


def test_the_did_encodes_the_port_and_follows_the_site_url(world: Any) -> None:
    with override_settings(SITE_URL="https://bekwaam.example.nl:8443/"):
        assert issuer_did(7) == "did:web:bekwaam.example.nl%3A8443:credentials:issuers:7"
    with override_settings(SITE_URL="https://bekwaam.example.nl"):
        assert issuer_did(7) == "did:web:bekwaam.example.nl:credentials:issuers:7"


def test_the_file_is_an_enveloped_credential_holding_the_token(world: Any) -> None:
    certificate = world_certificate(world)
    document = json.loads(credential_file(certificate))
    assert document == {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "type": "EnvelopedVerifiableCredential",
        "id": "data:application/vc+jwt," + certificate.credential,
    }


# --- verification ---------------------------------------------------------------------------------------------


def test_it_verifies_a_valid_credential_file_and_reads_what_it_states(world: Any) -> None:
    certificate = world_certificate(world)
    result = verify(credential_file(certificate))
    assert result.valid and result.signature_valid and not result.revoked
    assert result.status == "valid"
    assert result.reasons == []
    assert result.certificate == certificate
    assert result.issuer_name == world.provider.name
    assert result.holder_name == world.manager.full_name
    assert result.themes == certificate.theme_names
    assert (result.level, result.points) == (certificate.learning_level, certificate.points)
    assert result.date == timezone.localdate(certificate.issued_at)
    assert verify(certificate.credential).valid  # a bare token too


def test_it_rejects_a_credential_edited_after_signing(world: Any) -> None:
    certificate = world_certificate(world)
    header, payload, signature = parts(certificate.credential)
    payload["credentialSubject"]["result"][1]["value"] = "100"
    forged = ".".join([encode_part(header), encode_part(payload), signature])
    reasons, result = reasons_in_dutch(json.dumps(credential_envelope(forged)).encode())
    assert not result.valid and not result.signature_valid and result.status == "invalid"
    assert reasons == [dutch(TAMPERED)]
    assert result.points is None and result.holder_name == ""  # nothing of a failed token is shown


def test_it_rejects_a_credential_signed_by_another_key_under_a_known_kid(world: Any) -> None:
    certificate = world_certificate(world)
    header, payload, _signature = parts(certificate.credential)
    payload["credentialSubject"]["result"][1]["value"] = "100"
    forged = jwt.encode(payload, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": header["kid"]})
    reasons, result = reasons_in_dutch(forged)
    assert not result.signature_valid
    assert reasons == [dutch(TAMPERED)]


def test_it_rejects_a_credential_signed_by_an_unknown_key(world: Any) -> None:
    certificate = world_certificate(world)
    _header, payload, _signature = parts(certificate.credential)
    did = issuer_did(world.provider.pk)
    forged = jwt.encode(payload, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": f"{did}#no-such-key"})
    reasons, result = reasons_in_dutch(json.dumps(credential_envelope(forged)))
    assert not result.valid
    assert reasons == [dutch(UNKNOWN_KEY)]
    # A key Bekwaam knows, but named under another issuer's DID, is not this issuer's key.
    other = f"{issuer_did(world.provider.pk + 1000)}#{certificate.key.kid}"
    forged = jwt.encode(payload, private_key_of(certificate.key), algorithm="EdDSA", headers={"kid": other})
    assert reasons_in_dutch(forged)[0] == [dutch(UNKNOWN_KEY)]


def test_it_rejects_a_payload_naming_another_issuer_than_the_key(world: Any) -> None:
    certificate = world_certificate(world)
    header, payload, _signature = parts(certificate.credential)
    payload["iss"] = payload["issuer"]["id"] = issuer_did(world.provider.pk + 1000)
    forged = jwt.encode(payload, private_key_of(certificate.key), algorithm="EdDSA", headers={"kid": header["kid"]})
    reasons, result = reasons_in_dutch(forged)
    assert not result.signature_valid
    assert reasons == [dutch("The credential names another issuer than the one whose key signed it.")]


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00", b"Dit is geen JSON", b"\xff\xfe\x00"])
def test_it_says_a_file_is_not_json(world: Any, content: bytes) -> None:
    reasons, result = reasons_in_dutch(content)
    assert not result.valid
    assert reasons == [dutch(NOT_JSON)]


@pytest.mark.parametrize(
    "document",
    [
        {"hello": "world"},
        [1, 2, 3],
        {"type": "EnvelopedVerifiableCredential", "id": "https://example.org/credential"},
        {"type": "VerifiableCredential", "id": "data:application/vc+jwt,a.b.c"},
    ],
)
def test_it_says_json_that_is_not_an_envelope_is_not_a_credential_file(world: Any, document: Any) -> None:
    reasons, result = reasons_in_dutch(json.dumps(document).encode())
    assert not result.valid
    assert len(reasons) == 1 and "EnvelopedVerifiableCredential" in reasons[0]


def test_it_refuses_a_file_that_is_too_large_unread(world: Any) -> None:
    content = b" " * (settings.CREDENTIALS_MAX_UPLOAD_BYTES + 1)
    reasons, result = reasons_in_dutch(content)
    assert not result.valid
    with translation.override("nl"):
        expected = gettext("This file is too large to be a credential file (at most %(size)s KB).") % {
            "size": settings.CREDENTIALS_MAX_UPLOAD_BYTES // 1024
        }
    assert reasons == [expected]


def test_it_says_a_revoked_certificate_is_authentic_but_revoked(world: Any) -> None:
    certificate = revoke(world, world_certificate(world))
    result = verify(credential_file(certificate))
    assert result.signature_valid and result.revoked and not result.valid
    assert result.status == "revoked"
    assert result.revoked_on is not None
    assert result.holder_name == world.manager.full_name


# --- the status list ------------------------------------------------------------------------------------------


def test_the_bitstring_is_long_enough_and_most_significant_bit_first() -> None:
    bits = status_list_bits([0, 9, 131_071])
    assert len(bits) * 8 == STATUS_LIST_MIN_BITS
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    assert [status_bit(bits, i) for i in (0, 1, 8, 9, 131_071)] == [True, False, False, True, True]
    assert len(status_list_bits([200_000])) * 8 > 200_000
    encoded = status_list_encode(bits)
    assert encoded.startswith("u") and "=" not in encoded
    assert status_list_decode(encoded) == bits


def published_status(world: Any, provider_id: int) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    response = Client().get(reverse("credentials:status-list", args=[provider_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    verified = verify_status_list(token)
    header = jwt.get_unverified_header(token)
    return header, verified, status_list_decode(verified["credentialSubject"]["encodedList"])


def verify_status_list(token: str) -> dict[str, Any]:
    """Verify the list as an outside verifier would: with the public key from the published JWK set."""
    header = jwt.get_unverified_header(token)
    did, _hash, kid = header["kid"].partition("#")
    provider_id = int(did.rsplit(":", 1)[1])
    keys = Client().get(reverse("credentials:issuer-jwks", args=[provider_id])).json()["keys"]
    jwk = next(k for k in keys if k["kid"] == kid)
    public = jwt.PyJWK(jwk).key
    return dict(jwt.decode(token, public, algorithms=["EdDSA"]))


def test_the_published_status_list_agrees_with_the_database(world: Any) -> None:
    first = world_certificate(world)
    second = certificate_build(provider=world.provider, candidate=world.manager, assessor=world.assessor)
    _header, credential, bits = published_status(world, world.provider.pk)
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["credentialSubject"]["statusPurpose"] == "revocation"
    assert credential["iss"] == issuer_did(world.provider.pk)
    assert len(bits) * 8 >= STATUS_LIST_MIN_BITS
    assert not status_bit(bits, first.status_index) and not status_bit(bits, second.status_index)

    revoke(world, second)
    _header, _credential, bits = published_status(world, world.provider.pk)
    assert status_bit(bits, second.status_index) and not status_bit(bits, first.status_index)
    # The credential points at this very list and bit; Bekwaam's verifier (database) says the same.
    entry = parts(second.credential)[1]["credentialStatus"]
    assert entry["statusListCredential"].endswith(reverse("credentials:status-list", args=[world.provider.pk]))
    for certificate in (first, second):
        published = status_bit(bits, int(parts(certificate.credential)[1]["credentialStatus"]["statusListIndex"]))
        assert verify(certificate.credential).revoked is published


def test_each_aanbieder_has_its_own_list(world: Any) -> None:
    other_provider = ProviderFactory()
    other_assessor = ProviderRoleGrantFactory(provider=other_provider, role=Role.ASSESSOR).person
    ours = world_certificate(world)
    theirs = certificate_build(provider=other_provider, candidate=world.manager, assessor=other_assessor)
    assert ours.status_index == theirs.status_index == 0
    revoke(world, ours)
    _h, _c, our_bits = published_status(world, world.provider.pk)
    _h, _c, their_bits = published_status(world, other_provider.pk)
    assert status_bit(our_bits, 0) and not status_bit(their_bits, 0)
