"""Input validation for the dossier import: one ZIP file, not larger than DOSSIER_IMPORT_MAX_BYTES."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class DossierImportForm(forms.Form):
    file = forms.FileField(
        label=_("Dossier export (ZIP)"),
        help_text=_("The ZIP file you downloaded with “Download my dossier”, here or in another Bekwaam installation."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit: int = settings.DOSSIER_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s, the most a dossier import may be."),
                params={"limit": filesizeformat(limit)},
            )
        return upload
