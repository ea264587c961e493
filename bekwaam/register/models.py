"""Schoolleidersregister PO data Bekwaam needs before the register issue: the professionaliseringsthema's.

Themes are platform-wide data the operator edits (REFERENCE.md section 0.5); portfolio items of school
leaders are tagged with them. Periods, activities and points come with the register issue.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """A professionaliseringsthema, valid from `first_year` until `last_year` (inclusive, open when empty)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("valid from (year)"))
    last_year = models.PositiveSmallIntegerField(_("valid until (year)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("professional development theme")
        verbose_name_plural = _("professional development themes")
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
                name="theme_valid_years_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name
