"""Re-load quality/defaults/onderzoekskader.json after an edit: `manage.py quality_frameworks_load`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from bekwaam.quality.defaults import ONDERZOEKSKADER_FILE, onderzoekskader_load, onderzoekskader_parse
from bekwaam.quality.models import InspectionFramework, QualityArea, Standard


class Command(BaseCommand):
    help = "Upsert the shipped onderzoekskader by code; a standard in use is never deleted."

    def handle(self, *args: Any, **options: Any) -> None:
        # Read afresh (not the per-process cache): the point of this command is a file just edited.
        kader = onderzoekskader_parse(json.loads(ONDERZOEKSKADER_FILE.read_text(encoding="utf-8")))
        with scopes_disabled(), transaction.atomic():
            report = onderzoekskader_load(
                framework_model=InspectionFramework, area_model=QualityArea, standard_model=Standard, kader=kader
            )
        self.stdout.write(
            f"Frameworks created: {report.frameworks_created}; areas created: {report.areas_created}; "
            f"standards created: {report.standards_created}, updated: {report.standards_updated}, "
            f"removed: {len(report.standards_removed)}."
        )
        for label in report.standards_removed:
            self.stdout.write(f"Removed (no longer in the file, not in use): {label}")
        for label in report.standards_kept_in_use:
            self.stdout.write(self.style.WARNING(f"Kept (no longer in the file, but in use): {label}"))
