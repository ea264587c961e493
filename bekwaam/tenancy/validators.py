"""Validators for Dutch education identifiers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# BRIN: 2 digits + 2 letters (e.g. 12AB), optionally a 2-digit vestiging suffix (12AB00).
# ASCII and fullmatch: `\d` would also take other scripts' digits and `$` a trailing newline.
BRIN_RE = re.compile(r"\d{2}[A-Z]{2}(\d{2})?", re.ASCII)
# Bestuursnummer (bevoegd-gezagnummer): 5 digits, as issued by DUO.
AUTHORITY_NUMBER_RE = re.compile(r"\d{5}", re.ASCII)


def normalize_brin(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def validate_brin(value: str) -> None:
    if not BRIN_RE.fullmatch(value or ""):
        raise ValidationError(
            _("A BRIN number is 2 digits and 2 letters (for example 12AB), optionally followed by 2 digits."),
            code="invalid_brin",
        )


def validate_authority_number(value: str) -> None:
    if not AUTHORITY_NUMBER_RE.fullmatch(value or ""):
        raise ValidationError(
            _("A board number (bestuursnummer) is exactly 5 digits."), code="invalid_authority_number"
        )
