"""People who sign in, and the invitations that bring them in."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> Person:
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> Person:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: a medewerker, a board's staff, an aanbieder's coach or assessor.

    A person is not owned by one board: they may work at several schools and boards, so
    what others may see of them always goes through an Employment or a role grant.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    given_name = models.CharField(_("first name"), max_length=100)
    name_prefix = models.CharField(_("prefix"), max_length=30, blank=True, help_text=_("e.g. van, de, van der"))
    family_name = models.CharField(_("last name"), max_length=150)
    language = models.CharField(
        _("language"), max_length=8, choices=[("nl", "Nederlands"), ("en", "English")], default="nl"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[PersonManager] = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["given_name", "family_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ("family_name", "given_name")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.name_prefix, self.family_name) if part)

    @property
    def sort_name(self) -> str:
        """Dutch sort order: 'Vries, Jan de'."""
        prefix = f" {self.name_prefix}" if self.name_prefix else ""
        return f"{self.family_name}, {self.given_name}{prefix}"

    def get_additional_data(self) -> dict[str, list[int]]:
        """django-auditlog: the boards this person works at, so each board sees its own changes."""
        from django_scopes import scopes_disabled

        with scopes_disabled():
            boards = set(self.employments.values_list("board_id", flat=True))
            boards |= set(self.role_grants.values_list("board_id", flat=True))
        return {"board_ids": sorted(boards)}

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.given_name


def hash_token(token: str) -> str:
    """Invitation links are looked up by this hash; the token itself is never stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A one-time, expiring link that lets an invited person set their password."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    # The organisation that invites: a board (its staff) or a provider (its coaches and assessors).
    board = models.ForeignKey(
        "tenancy.Board", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    provider = models.ForeignKey(
        "tenancy.Provider", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    # Only a SHA-256 of the token is stored: a database leak does not give working links.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="invitations_sent")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(board__isnull=False, provider__isnull=True)
                | models.Q(board__isnull=True, provider__isnull=False),
                name="invitation_from_board_or_provider",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.email} ({self.created_at:%Y-%m-%d})"

    @property
    def organisation_name(self) -> str:
        organisation = self.board or self.provider
        return organisation.name if organisation else ""

    def is_usable(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.expires_at > now
