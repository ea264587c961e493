"""Input validation for the beheerder's forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from bekwaam.tenancy.context import Actor
from bekwaam.tenancy.models import BOARD_ROLES, PROVIDER_ROLES, SCHOOL_ROLES, Employment, Function, School, Team


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class NewPersonFields(forms.Form):
    """Name and e-mail of someone to invite (reused by the operator's forms)."""

    given_name = forms.CharField(label=_("First name"), max_length=100)
    name_prefix = forms.CharField(label=_("Prefix"), max_length=30, required=False)
    family_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))


class InviteForm(NewPersonFields):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    function = forms.ChoiceField(label=_("Function"), choices=Function.choices)
    personnel_number = forms.CharField(label=_("Personnel number"), max_length=32)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    fte = forms.DecimalField(
        label=_("FTE"), min_value=Decimal("0.01"), max_value=Decimal("1.2"), decimal_places=3, initial=Decimal("1")
    )
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(board_id=actor.board_pk)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(school__board_id=actor.board_pk).select_related("school")  # type: ignore[attr-defined]
        self.fields["team"].label_from_instance = lambda t: f"{t.school} – {t.name}"  # type: ignore[attr-defined]
        # Leidinggevenden: people leading at this board (school leaders, directors or with the manager role).
        leaders = Employment.objects.filter(board_id=actor.board_pk).filter(
            Q(function__in=[Function.SCHOOL_LEADER, Function.DIRECTOR])
            | Q(person__role_grants__role="manager", person__role_grants__board_id=actor.board_pk)
        )
        self.fields["manager"].queryset = (  # type: ignore[attr-defined]
            get_user_model().objects.filter(employments__in=leaders).distinct().order_by("family_name")
        )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_personnel_number(self) -> str:
        return str(self.cleaned_data["personnel_number"]).strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        team, school = cleaned.get("team"), cleaned.get("school")
        if team and school and team.school_id != school.pk:
            self.add_error("team", _("This team belongs to another school."))
        return cleaned


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.label) for r in (*BOARD_ROLES, *SCHOOL_ROLES)])
    school = forms.ModelChoiceField(
        label=_("School (for a school leader)"), queryset=School.objects.none(), required=False
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(board_id=actor.board_pk)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role") in SCHOOL_ROLES and not cleaned.get("school"):
            self.add_error("school", _("Choose the school where this role applies."))
        return cleaned


class EmploymentEndForm(forms.Form):
    end_date = forms.DateField(label=_("Last working day"), widget=DateInput())

    def __init__(self, *args: Any, employment: Employment, **kwargs: Any) -> None:
        self.employment = employment
        super().__init__(*args, **kwargs)

    def clean_end_date(self) -> Any:
        end_date = self.cleaned_data["end_date"]
        if end_date < self.employment.start_date:
            raise forms.ValidationError(
                _("The end date cannot be before the start date (%(start)s)."),
                params={"start": self.employment.start_date.strftime("%d-%m-%Y")},
            )
        return end_date


class BoardCreateForm(forms.Form):
    name = forms.CharField(label=_("Name of the board"), max_length=200)
    authority_number = forms.CharField(
        label=_("Board number"), max_length=5, min_length=5, help_text=_("The 5-digit number DUO gives the board.")
    )
    admin_given_name = forms.CharField(label=_("First name of the functional administrator"), max_length=100)
    admin_name_prefix = forms.CharField(label=_("Prefix"), max_length=30, required=False)
    admin_family_name = forms.CharField(label=_("Last name"), max_length=150)
    admin_email = forms.EmailField(label=_("E-mail address of the functional administrator"))


class ProviderCreateForm(forms.Form):
    name = forms.CharField(label=_("Name of the provider"), max_length=200)


class ProviderStaffForm(NewPersonFields):
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.label) for r in PROVIDER_ROLES])

    field_order = ("role", "given_name", "name_prefix", "family_name", "email")


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(board_id=actor.board_pk)  # type: ignore[attr-defined]


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What does the file contain?"),
        choices=[("staff", _("Staff")), ("schools", _("Schools"))],
        initial="staff",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (separated by semicolons or commas) or Excel (.xlsx); the first row holds the column names."),
    )
    end_missing = forms.BooleanField(
        label=_("End the employments of this board that are not in the file"),
        required=False,
        help_text=_("Only for staff files that list everyone. The check shows who would be ended."),
    )

    def clean_file(self) -> Any:

        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s. Split it into smaller files."),
                params={"size": filesizeformat(settings.IMPORT_MAX_BYTES)},
            )
        return upload


class ImportApplyForm(forms.Form):
    send_invitations = forms.BooleanField(
        label=_("Send an invitation e-mail to new people"),
        required=False,
        initial=True,
        help_text=_("People who already have an account are not invited again."),
    )
