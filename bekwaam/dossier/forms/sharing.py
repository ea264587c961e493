"""Input for sharing: with whom (my manager or a colleague), and what (a section, or one item)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bekwaam.accounts.models import Person
from bekwaam.dossier.models import Section, ShareAudience
from bekwaam.dossier.selectors import ITEM_FIELDS
from bekwaam.dossier.selectors.sharing import ITEM_KINDS

MANAGER_CHOICE = "manager"


class ShareForm(forms.Form):
    """One select "share with": my manager, or one of the colleagues at my school(s).

    One field instead of a radio plus a select: no choice depends on another, so it needs no script.
    """

    with_whom = forms.ChoiceField(label=_("Share with"))
    section = forms.ChoiceField(label=_("Part of your dossier"), choices=Section.choices, required=False)
    item_kind = forms.ChoiceField(
        choices=[(kind, kind) for kind in ITEM_KINDS], required=False, widget=forms.HiddenInput
    )
    item_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, managers: list[Person], colleagues: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.managers = managers
        self._colleagues = {str(person.pk): person for person in colleagues}
        choices: list[Any] = [("", _("Choose…"))]
        if managers:
            names = ", ".join(person.full_name for person in managers)
            choices.append((MANAGER_CHOICE, _("My manager (now: %(names)s)") % {"names": names}))
        if colleagues:
            choices.append((_("Colleagues"), [(str(person.pk), person.sort_name) for person in colleagues]))
        self.fields["with_whom"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        with_whom = cleaned.get("with_whom")
        if with_whom == MANAGER_CHOICE:
            cleaned["audience"], cleaned["grantee"] = ShareAudience.MANAGER, None
        elif with_whom:
            cleaned["audience"], cleaned["grantee"] = ShareAudience.PERSON, self._colleagues[with_whom]
        kind, item_id = cleaned.get("item_kind"), cleaned.get("item_id")
        if kind and item_id:
            # The section follows from the item; the view fetches the item itself (the owner's only).
            cleaned["section"] = ITEM_FIELDS[ITEM_KINDS[kind]][0]
        elif kind or item_id:
            raise forms.ValidationError(_("This item could not be found."))
        elif not cleaned.get("section"):
            self.add_error("section", _("Choose a part of your dossier."))
        return cleaned
