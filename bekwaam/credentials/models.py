"""Certificates an aanbieder issues after a positive four-eyes decision, and the keys that sign them.

A `Certificate` is a PDF (rendered when downloaded) and an Open Badges 3.0 credential: a W3C Verifiable
Credential secured as a VC-JWT (JWS compact serialisation, EdDSA with Ed25519; decision 0009). The signed
token is stored as issued (`credential`) and never changes; revocation sets `revoked_at` and flips the
certificate's bit in the aanbieder's status list (Bitstring Status List, `status_index`).

A `SigningKey` is one Ed25519 key pair of an aanbieder. The private key is stored encrypted
(credentials.keys), or comes from the environment; the public key is published as a JWK set and a
did:web document. Rotation retires a key (no more signing with it) but keeps publishing it, so every
credential it signed stays verifiable.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class SigningKey(models.Model):
    provider = models.ForeignKey("tenancy.Provider", on_delete=models.PROTECT, related_name="signing_keys")
    kid = models.CharField(max_length=64, unique=True)  # the JWK's key id; also the DID fragment
    public_jwk = models.JSONField()  # {"kty": "OKP", "crv": "Ed25519", "x": ...}
    private_key_encrypted = models.TextField(blank=True)  # Fernet token of the raw private key; empty when from env
    from_environment = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ("provider", "-created_at")
        constraints = [
            # One key signs at a time per aanbieder.
            models.UniqueConstraint(
                fields=["provider"], condition=Q(retired_at__isnull=True), name="signingkey_one_active_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return self.kid


class Certificate(models.Model):
    """A certificate: what it says is copied at issue, so later renames never change it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # public: in the verify URL
    provider = models.ForeignKey("tenancy.Provider", on_delete=models.PROTECT, related_name="certificates")
    trajectory = models.OneToOneField("trajectories.Trajectory", on_delete=models.PROTECT, related_name="certificate")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    holder_name = models.CharField(_("holder"), max_length=300)
    issuer_name = models.CharField(_("issuer"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    theme_names = models.JSONField(_("themes"), default=list)
    learning_level = models.PositiveSmallIntegerField(_("learning level"))
    points = models.PositiveSmallIntegerField(_("points"))
    assessor_names = models.JSONField(default=list)  # the two deciding assessors
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    snapshot_hash = models.CharField(max_length=64)
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="certificates")
    credential = models.TextField()  # the VC-JWT as signed
    status_index = models.PositiveIntegerField()  # the bit in the aanbieder's status list
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[Certificate]] = ScopedManager(provider="provider")

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ("-issued_at",)
        constraints = [
            models.UniqueConstraint(fields=["provider", "status_index"], name="certificate_unique_status_index"),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.holder_name}"
