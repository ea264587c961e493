"""Signing keys of aanbieders: Ed25519 key pairs, the private half encrypted at rest or kept in the environment.

A private key is stored as a Fernet token of its 32 raw bytes (`SigningKey.private_key_encrypted`). The
Fernet key is settings.CREDENTIALS_KEY_ENCRYPTION_KEY, or, when that is empty, one derived from SECRET_KEY
with HKDF-SHA256 (so a development set-up needs nothing; production sets its own and backs it up: without
it the stored keys cannot sign any more, though everything they signed stays verifiable).

A key may also live only in the environment: `BEKWAAM_SIGNING_KEY_<kid>` (the kid upper-cased, every
character that is not a letter or digit an underscore) holds the raw private key as base64url. Such a key
is made with `from_environment=True`, stores nothing secret, and signs only while the variable is set.
A variable set for a stored key takes precedence over the stored copy.

One key per aanbieder signs at a time (a database constraint); rotation retires it (`retired_at`): a
retired key never signs again but stays published in the DID document and the JWK set, so every
credential it signed stays verifiable (decision 0009).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from bekwaam.credentials.models import SigningKey
from bekwaam.tenancy.models import Provider

ENVIRONMENT_PREFIX = "BEKWAAM_SIGNING_KEY_"
HKDF_SALT = b"bekwaam.credentials"
HKDF_INFO = b"signing-key-encryption"


class SigningKeyUnavailableError(ImproperlyConfigured):
    """The private key cannot be had: its environment variable is missing or wrong, or it cannot be decrypted."""


@dataclass(frozen=True)
class GeneratedKey:
    """A new key: the stored row, and the private key to hand to the operator when it lives in the environment."""

    key: SigningKey
    environment_variable: str
    environment_value: str  # empty when the key is stored encrypted


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _fernet() -> Fernet:
    configured = settings.CREDENTIALS_KEY_ENCRYPTION_KEY
    if configured:
        try:
            return Fernet(configured.encode("ascii"))
        except (ValueError, binascii.Error) as error:
            raise ImproperlyConfigured(
                "CREDENTIALS_KEY_ENCRYPTION_KEY must be a Fernet key: 32 bytes, url-safe base64 "
                "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
            ) from error
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT, info=HKDF_INFO).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def private_key_encrypt(raw: bytes) -> str:
    return _fernet().encrypt(raw).decode("ascii")


def private_key_decrypt(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode("ascii"))
    except InvalidToken as error:
        raise SigningKeyUnavailableError(
            "A stored signing key cannot be decrypted: CREDENTIALS_KEY_ENCRYPTION_KEY (or SECRET_KEY) has changed."
        ) from error


def environment_variable_for(kid: str) -> str:
    """The variable that holds the key `kid` when it comes from the environment."""
    return ENVIRONMENT_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", kid).upper()


def public_jwk_of(public_key: Ed25519PublicKey) -> dict[str, str]:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}


def public_key_of(key: SigningKey) -> Ed25519PublicKey:
    jwk = key.public_jwk
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError(f"signing key {key.kid} is not an Ed25519 key")
    return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))


def published_jwk(key: SigningKey) -> dict[str, Any]:
    """The key as published (JWK set, DID document): the public half with its kid."""
    return {**key.public_jwk, "kid": key.kid, "alg": "EdDSA", "use": "sig"}


def _raw_private(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def private_key_of(key: SigningKey) -> Ed25519PrivateKey:
    """The key's private half: from its environment variable when set, else decrypted from the database."""
    variable = environment_variable_for(key.kid)
    value = os.environ.get(variable, "").strip()
    if value:
        try:
            private_key = Ed25519PrivateKey.from_private_bytes(b64url_decode(value))
        except (ValueError, binascii.Error) as error:
            raise SigningKeyUnavailableError(
                f"{variable} is not a base64url Ed25519 private key (32 bytes)."
            ) from error
        if public_jwk_of(private_key.public_key())["x"] != key.public_jwk.get("x"):
            raise SigningKeyUnavailableError(f"{variable} does not belong to signing key {key.kid}.")
        return private_key
    if key.from_environment or not key.private_key_encrypted:
        raise SigningKeyUnavailableError(f"Signing key {key.kid} lives in the environment, but {variable} is not set.")
    return Ed25519PrivateKey.from_private_bytes(private_key_decrypt(key.private_key_encrypted))


def _new_kid(provider: Provider) -> str:
    return f"{provider.pk}-{timezone.localdate():%Y%m%d}-{secrets.token_hex(4)}"


def signing_key_generate(*, provider: Provider, rotate: bool = False, from_environment: bool = False) -> GeneratedKey:
    """A new active key for the aanbieder; with `rotate` the active one is retired first (else refused).

    Locks the aanbieder's row, so two runs (or a run and a first certificate) cannot both make one.
    """
    with transaction.atomic():
        Provider.objects.select_for_update().get(pk=provider.pk)
        active = SigningKey.objects.filter(provider=provider, retired_at__isnull=True).first()
        if active is not None:
            if not rotate:
                raise ValueError(f"{provider} has an active signing key ({active.kid}); rotate to replace it.")
            active.retired_at = timezone.now()
            active.save(update_fields=["retired_at"])
        private_key = Ed25519PrivateKey.generate()
        raw = _raw_private(private_key)
        key = SigningKey.objects.create(
            provider=provider,
            kid=_new_kid(provider),
            public_jwk=public_jwk_of(private_key.public_key()),
            private_key_encrypted="" if from_environment else private_key_encrypt(raw),
            from_environment=from_environment,
        )
    return GeneratedKey(
        key=key,
        environment_variable=environment_variable_for(key.kid),
        environment_value=b64url_encode(raw) if from_environment else "",
    )


def signing_key_active(provider: Provider) -> SigningKey:
    """The aanbieder's signing key, made (stored encrypted) when it has none yet."""
    key = SigningKey.objects.filter(provider=provider, retired_at__isnull=True).first()
    if key is not None:
        return key
    with transaction.atomic():
        Provider.objects.select_for_update().get(pk=provider.pk)
        key = SigningKey.objects.filter(provider=provider, retired_at__isnull=True).first()
        if key is not None:  # made by someone else while we waited for the lock
            return key
        return signing_key_generate(provider=provider).key
