"""Signing keys: stored encrypted, or from the environment; rotation keeps what the old key signed verifiable."""

from __future__ import annotations

import io
from typing import Any

import jwt
import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings

from bekwaam.credentials import keys
from bekwaam.credentials.keys import (
    SigningKeyUnavailableError,
    environment_variable_for,
    private_key_of,
    public_jwk_of,
    signing_key_active,
    signing_key_generate,
)
from bekwaam.credentials.models import SigningKey
from bekwaam.credentials.tests.factories import certificate_build, world_certificate
from bekwaam.credentials.vc import verify
from bekwaam.tenancy.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def test_it_stores_the_private_key_encrypted_and_decrypts_it(world: Any) -> None:
    key = signing_key_generate(provider=world.provider).key
    assert key.kid.startswith(f"{world.provider.pk}-")
    assert key.private_key_encrypted and not key.from_environment
    private = private_key_of(key)
    assert public_jwk_of(private.public_key()) == key.public_jwk
    raw = keys._raw_private(private)
    assert keys.b64url_encode(raw) not in key.private_key_encrypted


def test_it_encrypts_with_the_configured_key_and_refuses_another(world: Any) -> None:
    configured = Fernet.generate_key().decode()
    with override_settings(CREDENTIALS_KEY_ENCRYPTION_KEY=configured):
        key = signing_key_generate(provider=world.provider).key
        assert private_key_of(key)
        Fernet(configured.encode()).decrypt(key.private_key_encrypted.encode())
    with (
        override_settings(CREDENTIALS_KEY_ENCRYPTION_KEY=Fernet.generate_key().decode()),
        pytest.raises(SigningKeyUnavailableError),
    ):
        private_key_of(key)
    # Without a configured key, one derived from SECRET_KEY: not the configured one.
    with pytest.raises(SigningKeyUnavailableError):
        private_key_of(key)


def test_it_refuses_an_encryption_key_that_is_not_a_fernet_key(world: Any) -> None:
    with override_settings(CREDENTIALS_KEY_ENCRYPTION_KEY="too-short"), pytest.raises(ImproperlyConfigured):
        signing_key_generate(provider=world.provider)


def test_it_reads_an_environment_key_and_stores_nothing_secret(world: Any, monkeypatch: Any) -> None:
    generated = signing_key_generate(provider=world.provider, from_environment=True)
    key = generated.key
    assert key.from_environment and key.private_key_encrypted == ""
    assert generated.environment_variable == environment_variable_for(key.kid)
    assert generated.environment_variable == "BEKWAAM_SIGNING_KEY_" + key.kid.replace("-", "_").upper()
    monkeypatch.delenv(generated.environment_variable, raising=False)
    with pytest.raises(SigningKeyUnavailableError, match="not set"):
        private_key_of(key)
    monkeypatch.setenv(generated.environment_variable, generated.environment_value)
    assert public_jwk_of(private_key_of(key).public_key()) == key.public_jwk
    certificate = certificate_build(provider=world.provider, candidate=world.manager, assessor=world.assessor)
    assert certificate.key == key
    assert verify(certificate.credential).valid


def test_it_refuses_an_environment_key_of_another_key_pair(world: Any, monkeypatch: Any) -> None:
    key = signing_key_generate(provider=world.provider, from_environment=True).key
    other = signing_key_generate(provider=ProviderFactory(), from_environment=True)
    monkeypatch.setenv(environment_variable_for(key.kid), other.environment_value)
    with pytest.raises(SigningKeyUnavailableError, match="does not belong"):
        private_key_of(key)
    monkeypatch.setenv(environment_variable_for(key.kid), "not base64 at all!")
    with pytest.raises(SigningKeyUnavailableError):
        private_key_of(key)


def test_an_environment_variable_takes_the_place_of_the_stored_key(world: Any, monkeypatch: Any) -> None:
    key = signing_key_generate(provider=world.provider).key
    raw = keys._raw_private(private_key_of(key))
    key.private_key_encrypted = "damaged"
    monkeypatch.setenv(environment_variable_for(key.kid), keys.b64url_encode(raw))
    assert public_jwk_of(private_key_of(key).public_key()) == key.public_jwk


def test_it_refuses_a_second_active_key_without_rotation(world: Any) -> None:
    signing_key_generate(provider=world.provider)
    with pytest.raises(ValueError, match="rotate"):
        signing_key_generate(provider=world.provider)
    assert SigningKey.objects.filter(provider=world.provider).count() == 1


def test_rotation_keeps_old_credentials_verifiable_and_signs_new_ones_with_the_new_key(world: Any) -> None:
    old_certificate = world_certificate(world)
    old_key = old_certificate.key
    new_key = signing_key_generate(provider=world.provider, rotate=True).key
    old_key.refresh_from_db()
    assert old_key.retired_at is not None and new_key.retired_at is None
    assert signing_key_active(world.provider) == new_key
    new_certificate = certificate_build(provider=world.provider, candidate=world.manager, assessor=world.assessor)
    assert new_certificate.key == new_key
    assert f"#{new_key.kid}" in keys_header_kid(new_certificate.credential)
    assert verify(old_certificate.credential).valid
    assert verify(new_certificate.credential).valid


def keys_header_kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


def test_the_active_key_is_made_once_when_there_is_none(world: Any) -> None:
    first = signing_key_active(world.provider)
    assert signing_key_active(world.provider) == first
    assert SigningKey.objects.filter(provider=world.provider).count() == 1


def test_the_command_generates_rotates_and_prints_an_environment_key(world: Any) -> None:
    out = io.StringIO()
    call_command("credentials_key_generate", provider=world.provider.pk, stdout=out)
    first = SigningKey.objects.get(provider=world.provider)
    assert first.kid in out.getvalue()
    with pytest.raises(CommandError, match="rotate"):
        call_command("credentials_key_generate", provider=world.provider.pk, stdout=io.StringIO())
    out = io.StringIO()
    call_command("credentials_key_generate", provider=world.provider.pk, rotate=True, from_environment=True, stdout=out)
    second = SigningKey.objects.get(provider=world.provider, retired_at__isnull=True)
    assert second.from_environment and second.private_key_encrypted == ""
    assert f"{environment_variable_for(second.kid)}=" in out.getvalue()
    first.refresh_from_db()
    assert first.retired_at is not None
    with pytest.raises(CommandError, match="No aanbieder"):
        call_command("credentials_key_generate", provider=999_999, stdout=io.StringIO())
