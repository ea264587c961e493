"""allauth MFA adapter: TOTP secrets and recovery-code seeds are encrypted at rest."""

from __future__ import annotations

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet_key(secret: str) -> bytes:
    # A Fernet key from the configured secret: 32 bytes of SHA-256, url-safe base64.
    return base64.urlsafe_b64encode(hashlib.sha256(f"bekwaam-mfa:{secret}".encode()).digest())


def _cipher() -> MultiFernet:
    """The first key encrypts; every key decrypts, so SECRET_KEY (or MFA_ENCRYPTION_KEY) can rotate."""
    secrets = [settings.MFA_ENCRYPTION_KEY or settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in secrets])


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def encrypt(self, text: str) -> str:
        return _cipher().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _cipher().decrypt(encrypted_text.encode()).decode()
        except InvalidToken:
            # A secret stored before encryption was switched on (or by a test fixture) is plain text.
            return encrypted_text
