"""The platform operator keeps the onderzoekskader: national data, no personal data, the same for every board.

The shipped versions come from quality/defaults/onderzoekskader.json (docs/quality.md); the operator adds a
version or corrects a name or description here. A standard that a record refers to (a self-evaluation,
an inspection judgement, a herstelopdracht, a school visit, an improvement goal) cannot be deleted, nor
can the version it belongs to: old records keep the standard they were judged on.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from bekwaam.quality.defaults import standards_in_use
from bekwaam.quality.models import InspectionFramework, QualityArea, Standard


class AreaChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """ "OP Onderwijsproces" is in every version: the choice names the version too."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.framework.code} · {obj.code} {obj.name}"


def _in_use(standard_ids: list[int]) -> bool:
    return bool(standards_in_use(Standard, standard_ids))


class _NoBulkDelete:
    """The changelist's "delete selected" would skip the per-object check below."""

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions


class QualityAreaInline(admin.TabularInline[QualityArea, InspectionFramework]):
    model = QualityArea
    extra = 0
    fields = ("code", "name", "level", "position")
    can_delete = False  # an area goes with its standards: delete those first


@admin.register(InspectionFramework)
class InspectionFrameworkAdmin(_NoBulkDelete, admin.ModelAdmin[InspectionFramework]):
    list_display = ("name", "code", "valid_from")
    search_fields = ("name", "code")
    inlines = (QualityAreaInline,)

    def has_delete_permission(self, request: HttpRequest, obj: InspectionFramework | None = None) -> bool:
        if obj is not None and _in_use(list(Standard.objects.filter(framework=obj).values_list("pk", flat=True))):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Standard)
class StandardAdmin(_NoBulkDelete, admin.ModelAdmin[Standard]):
    list_display = ("code", "name", "framework", "area", "is_core", "position")
    list_filter = ("framework", "is_core")
    search_fields = ("code", "name")
    list_select_related = ("framework", "area")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "area":
            kwargs["queryset"] = QualityArea.objects.select_related("framework").order_by("-framework__valid_from")
            kwargs["form_class"] = AreaChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Standard | None = None) -> bool:
        if obj is not None and _in_use([obj.pk]):
            return False
        return super().has_delete_permission(request, obj)
