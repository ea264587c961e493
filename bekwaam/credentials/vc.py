"""The certificate as a verifiable credential (decision 0009), its status list, and its verification.

A certificate is an Open Badges 3.0 `OpenBadgeCredential` secured as a VC-JWT: a JWS in compact form,
header `{"alg": "EdDSA", "typ": "JWT", "kid": "<issuer DID>#<kid>"}`, whose payload is the credential
itself, with the registered claims `iss` (the DID), `nbf` (validFrom), `jti` (the credential id) and `sub`
(the holder). The issuer is the aanbieder as `did:web:<host>:credentials:issuers:<id>`, resolved at
`<SITE_URL>/credentials/issuers/<id>/did.json`; its keys are also a JWK set next to it. The file a holder
downloads is a VC 2.0 `EnvelopedVerifiableCredential` with the token in a `data:application/vc+jwt,` URL.

Revocation is a Bitstring Status List (W3C) per aanbieder: bit `status_index` (most significant bit
first) is 1 when that certificate is revoked; the list is itself a signed VC-JWT. Bekwaam's own verifier
reads the revocation from the database (the same truth; a test proves the published list agrees).

Verification never fetches anything: the key must be one Bekwaam knows for the issuer named in the token.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import jwt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bekwaam.credentials.keys import b64url_decode, b64url_encode, private_key_of, public_key_of, published_jwk
from bekwaam.credentials.models import Certificate, SigningKey
from bekwaam.register.models import LearningLevel

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"]
ENVELOPE_PREFIX = "data:application/vc+jwt,"
STATUS_LIST_MIN_BITS = 131_072  # 16 KB: the Bitstring Status List's minimum, for group privacy
ALGORITHM = "EdDSA"
JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
# Clocks of issuer and verifier differ a little: a credential issued "in a minute" is still accepted.
LEEWAY_SECONDS = 300


# --- addresses -----------------------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def issuer_did(provider_id: int) -> str:
    """The aanbieder's did:web, derived from where its DID document is served (the port's colon as %3A)."""
    parts = urlsplit(absolute_url(reverse("credentials:issuer-did", kwargs={"provider_id": provider_id})))
    segments = [segment for segment in parts.path.split("/") if segment][:-1]  # without "did.json"
    return ":".join(["did:web", parts.netloc.replace(":", "%3A"), *segments])


def verify_url(certificate_id: Any) -> str:
    return absolute_url(reverse("credentials:verify-certificate", kwargs={"certificate_id": certificate_id}))


def snapshot_url(certificate_id: Any) -> str:
    return absolute_url(reverse("credentials:snapshot", kwargs={"certificate_id": certificate_id}))


def status_list_url(provider_id: int) -> str:
    return absolute_url(reverse("credentials:status-list", kwargs={"provider_id": provider_id}))


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def level_label(level: int) -> str:
    """Shulman's name of the level ("5 - Judgment and design" in English), in the active language."""
    try:
        return str(LearningLevel(level).label)
    except ValueError:
        return str(level)


# --- the credential ----------------------------------------------------------------------------------------


def credential_payload(certificate: Certificate) -> dict[str, Any]:
    """The OpenBadgeCredential of the certificate with the JWT's registered claims; texts in the site's language."""
    did = issuer_did(certificate.provider_id)
    page = verify_url(certificate.pk)
    achievement_id = f"{page}#achievement"
    level_id, points_id = f"{page}#learning-level", f"{page}#points"
    valid_from = certificate.issued_at.replace(microsecond=0)
    themes = list(certificate.theme_names)
    first, second = ([*certificate.assessor_names, "", ""])[:2]
    with translation.override(settings.LANGUAGE_CODE):
        level_name = level_label(certificate.learning_level)
        achievement = {
            "id": achievement_id,
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": certificate.title,
            "description": _(
                "Themes shown: %(themes)s. Learning level reached: %(level)s. Points for the "
                "Schoolleidersregister: %(points)s."
            )
            % {"themes": ", ".join(themes), "level": level_name, "points": certificate.points},
            "criteria": {
                "narrative": _(
                    "An assessment afterwards of informal learning, for the Schoolleidersregister: a portfolio "
                    "per assignment and a criterion-based interview, judged independently by two assessors who "
                    "agreed on the themes shown and the learning level reached (Shulman's Table of Learning)."
                )
            },
            "tag": themes,
            "inLanguage": settings.LANGUAGE_CODE,
            "resultDescription": [
                {
                    "id": level_id,
                    "type": ["ResultDescription"],
                    "name": _("Learning level (Shulman)"),
                    "resultType": "PerformanceLevel",
                    "allowedValue": [str(level) for level in LearningLevel.values],
                },
                {
                    "id": points_id,
                    "type": ["ResultDescription"],
                    "name": _("Points for the Schoolleidersregister"),
                    "resultType": "RawScore",
                    "valueMin": "0",
                    "valueMax": str(settings.REGISTER_MAX_POINTS_PER_ASSESSMENT),
                },
            ],
        }
        evidence = {
            "id": snapshot_url(certificate.pk),
            "type": ["Evidence"],
            "name": _("The portfolio as assessed (frozen when the interview was planned)"),
            "narrative": _("Judged by two assessors (four-eyes principle): %(first)s and %(second)s.")
            % {"first": first, "second": second},
            "digestSRI": snapshot_digest_sri(certificate.snapshot_hash),
        }
    holder_id = f"urn:uuid:{certificate.holder_id}"
    credential_id = f"urn:uuid:{certificate.pk}"
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "id": credential_id,
        "issuer": {"id": did, "type": ["Profile"], "name": certificate.issuer_name},
        "validFrom": _iso(valid_from),
        "awardedDate": _iso(valid_from),
        "name": certificate.title,
        "credentialSubject": {
            "id": holder_id,
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": achievement,
            "result": [
                {"type": ["Result"], "resultDescription": level_id, "value": str(certificate.learning_level)},
                {"type": ["Result"], "resultDescription": points_id, "value": str(certificate.points)},
            ],
        },
        "evidence": [evidence],
        "credentialStatus": {
            "id": f"{status_list_url(certificate.provider_id)}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_list_url(certificate.provider_id),
        },
        "iss": did,
        "nbf": int(valid_from.timestamp()),
        "jti": credential_id,
        "sub": holder_id,
    }


def snapshot_digest_sri(snapshot_hash: str) -> str:
    """The snapshot's SHA-256 as Subresource Integrity: "sha256-" and standard base64 of the digest bytes."""
    return "sha256-" + base64.b64encode(bytes.fromhex(snapshot_hash)).decode("ascii")


def token_sign(*, payload: dict[str, Any], key: SigningKey) -> str:
    """A VC-JWT of the payload, signed with the key (whose kid names the issuer's DID)."""
    headers = {"kid": f"{payload['iss']}#{key.kid}", "typ": "JWT"}
    return jwt.encode(payload, private_key_of(key), algorithm=ALGORITHM, headers=headers)


def credential_envelope(token: str) -> dict[str, str]:
    return {"@context": VC_CONTEXT, "type": "EnvelopedVerifiableCredential", "id": ENVELOPE_PREFIX + token}


def credential_file(certificate: Certificate) -> bytes:
    """The file the holder downloads: the stored token, enveloped."""
    return json.dumps(credential_envelope(certificate.credential), indent=2).encode()


# --- the issuer's published documents ------------------------------------------------------------------------


def did_document(*, provider_id: int, keys: Iterable[SigningKey]) -> dict[str, Any]:
    """The did:web document: every key, retired ones too (they still verify what they signed), may assert."""
    did = issuer_did(provider_id)
    methods = [
        {
            "id": f"{did}#{key.kid}",
            "type": "JsonWebKey2020",
            "controller": did,
            "publicKeyJwk": published_jwk(key),
        }
        for key in keys
    ]
    ids = [method["id"] for method in methods]
    return {"@context": DID_CONTEXTS, "id": did, "verificationMethod": methods, "assertionMethod": ids}


def jwk_set(keys: Iterable[SigningKey]) -> dict[str, Any]:
    return {"keys": [published_jwk(key) for key in keys]}


# --- the status list ------------------------------------------------------------------------------------------


def status_list_bits(revoked_indices: Iterable[int]) -> bytes:
    """The bitstring: at least STATUS_LIST_MIN_BITS long; bit i (most significant bit first) set when revoked."""
    indices = list(revoked_indices)
    length = max(STATUS_LIST_MIN_BITS, ((max(indices, default=0) // 8) + 1) * 8)
    bits = bytearray(length // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def status_list_encode(bits: bytes) -> str:
    """Multibase base64url (prefix "u", no padding) of the GZIP of the bitstring."""
    return "u" + b64url_encode(gzip.compress(bits, mtime=0))


def status_list_decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("the encoded list is not multibase base64url")
    return gzip.decompress(b64url_decode(encoded[1:]))


def status_bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_payload(*, provider_id: int, revoked_indices: Iterable[int]) -> dict[str, Any]:
    did = issuer_did(provider_id)
    url = status_list_url(provider_id)
    now = timezone.now().replace(microsecond=0)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": _iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": status_list_encode(status_list_bits(revoked_indices)),
        },
        "iss": did,
        "nbf": int(now.timestamp()),
        "jti": url,
    }


# --- verification ---------------------------------------------------------------------------------------------


@dataclass
class VerificationResult:
    """What a credential says and whether it holds: `valid` is authentic (`signature_valid`) and not revoked.

    The fields are read from the verified payload only: nothing of a token that fails is shown as true.
    """

    valid: bool = False
    signature_valid: bool = False
    revoked: bool = False
    reasons: list[str] = field(default_factory=list)
    issuer_name: str = ""
    holder_name: str = ""
    title: str = ""
    themes: list[str] = field(default_factory=list)
    level: int | None = None
    points: int | None = None
    date: datetime.date | None = None
    revoked_on: datetime.date | None = None
    certificate: Certificate | None = None

    @property
    def level_label(self) -> str:
        return level_label(self.level) if self.level is not None else ""

    @property
    def status(self) -> str:
        """ "valid", "revoked" or "invalid": one word for the page and for tests."""
        if self.valid:
            return "valid"
        return "revoked" if self.signature_valid and self.revoked else "invalid"


def _failed(reason: str) -> VerificationResult:
    return VerificationResult(reasons=[reason])


def too_large_message() -> str:
    return _("This file is too large to be a credential file (at most %(size)s KB).") % {
        "size": settings.CREDENTIALS_MAX_UPLOAD_BYTES // 1024
    }


def not_json_message() -> str:
    return _("This file is not a credential file (not JSON).")


def verify(data: str | bytes) -> VerificationResult:
    """Verify a credential file (JSON with an enveloped VC-JWT) or a bare VC-JWT, as bytes or text."""
    raw = data if isinstance(data, bytes) else data.encode()
    if len(raw) > settings.CREDENTIALS_MAX_UPLOAD_BYTES:
        return _failed(too_large_message())
    try:
        text = raw.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return _failed(not_json_message())
    if JWT_SHAPE.match(text):
        return verify_token(text)
    try:
        document = json.loads(text)
    except ValueError:
        return _failed(not_json_message())
    token = token_from_envelope(document)
    if token is None:
        return _failed(
            _(
                "This file is JSON, but not a credential file: it should hold an enveloped verifiable "
                "credential (EnvelopedVerifiableCredential) with a signed token."
            )
        )
    return verify_token(token)


def token_from_envelope(document: Any) -> str | None:
    if not isinstance(document, dict):
        return None
    kind = document.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    identifier = document.get("id")
    if "EnvelopedVerifiableCredential" not in kinds or not isinstance(identifier, str):
        return None
    if not identifier.startswith(ENVELOPE_PREFIX):
        return None
    token = identifier.removeprefix(ENVELOPE_PREFIX).strip()
    return token if JWT_SHAPE.match(token) else None


def _unknown_key() -> VerificationResult:
    return _failed(
        _(
            "This credential is signed with a key Bekwaam does not know for its issuer: it was not issued "
            "here, or not with this issuer's key."
        )
    )


def verify_token(token: str) -> VerificationResult:
    """Check the token: a key Bekwaam knows for the issuer it names, its signature, the issuer, revocation."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        return _failed(_("This is not a signed credential: its header cannot be read."))
    if header.get("alg") != ALGORITHM:
        return _failed(_("This credential is not signed with Ed25519 (EdDSA), as Bekwaam signs credentials."))
    method = header.get("kid")
    if not isinstance(method, str) or "#" not in method:
        return _unknown_key()
    did, _hash, kid = method.partition("#")
    key = SigningKey.objects.filter(kid=kid).first()
    if key is None or did != issuer_did(key.provider_id):
        return _unknown_key()
    try:
        payload = jwt.decode(
            token,
            public_key_of(key),
            algorithms=[ALGORITHM],
            options={"require": ["iss", "jti"], "verify_aud": False},
            leeway=LEEWAY_SECONDS,
        )
    except jwt.InvalidSignatureError:
        return _failed(
            _("The signature is not valid: the credential was changed after signing, or signed with another key.")
        )
    except jwt.ImmatureSignatureError:
        return _failed(_("This credential is not valid yet (its date lies in the future)."))
    except jwt.InvalidTokenError:
        return _failed(_("This credential cannot be read: its signed part is damaged."))
    issuer = payload.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if payload.get("iss") != did or issuer_id != did:
        return _failed(_("The credential names another issuer than the one whose key signed it."))
    kinds = payload.get("type")
    if not isinstance(kinds, list) or "OpenBadgeCredential" not in kinds:
        return _failed(_("This is not an Open Badges certificate."))
    certificate = _certificate_of(payload, provider_id=key.provider_id)
    if certificate is None:
        return _failed(_("Bekwaam has no record of this certificate."))
    result = _read(payload)
    result.signature_valid = True
    result.certificate = certificate
    if certificate.revoked_at is not None:
        result.revoked = True
        result.revoked_on = timezone.localdate(certificate.revoked_at)
        result.reasons.append(
            _("The issuer revoked this certificate on %(date)s.") % {"date": f"{result.revoked_on:%d-%m-%Y}"}
        )
    result.valid = not result.revoked
    return result


def _certificate_of(payload: dict[str, Any], *, provider_id: int) -> Certificate | None:
    identifier = str(payload.get("jti", ""))
    try:
        certificate_id = uuid.UUID(identifier.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    with scopes_disabled():
        return Certificate.objects.filter(pk=certificate_id, provider_id=provider_id).first()


def _read(payload: dict[str, Any]) -> VerificationResult:
    """The facts the verified payload states, for the verification page."""
    result = VerificationResult()
    issuer = payload.get("issuer")
    result.issuer_name = str(issuer.get("name", "")) if isinstance(issuer, dict) else ""
    subject = payload.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    for identity in subject.get("identifier") or []:
        if isinstance(identity, dict) and identity.get("identityType") == "name" and not identity.get("hashed"):
            result.holder_name = str(identity.get("identityHash", ""))
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    result.title = str(achievement.get("name") or payload.get("name") or "")
    result.themes = [str(tag) for tag in achievement.get("tag") or []]
    descriptions = {
        d.get("id"): d.get("resultType") for d in achievement.get("resultDescription") or [] if isinstance(d, dict)
    }
    for item in subject.get("result") or []:
        if not isinstance(item, dict):
            continue
        kind = descriptions.get(item.get("resultDescription"))
        value = str(item.get("value", ""))
        if not value.isdigit():
            continue
        if kind == "PerformanceLevel":
            result.level = int(value)
        elif kind == "RawScore":
            result.points = int(value)
    valid_from = payload.get("validFrom")
    if isinstance(valid_from, str):
        try:
            moment = datetime.datetime.fromisoformat(valid_from)
        except ValueError:
            moment = None
        if moment is not None:
            result.date = timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return result
