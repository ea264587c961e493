"""The platform operator's management screens: organisations only, never dossier content.

The operator's /admin/ runs unscoped (TenantMiddleware); that is safe because only
organisation models are registered here.
"""

from __future__ import annotations

from django.contrib import admin

from bekwaam.tenancy.models import Board, Provider, ProviderRoleGrant, RoleGrant, School


class SchoolInline(admin.TabularInline):  # type: ignore[type-arg]
    model = School
    extra = 0
    fields = ("name", "brin", "place")


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "authority_number", "created_at")
    search_fields = ("name", "authority_number")
    inlines = (SchoolInline,)


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("person", "role", "board", "school", "created_at")
    list_filter = ("role",)
    search_fields = ("person__email", "board__name")
    autocomplete_fields = ("person",)
    raw_id_fields = ("board", "school", "granted_by")


@admin.register(ProviderRoleGrant)
class ProviderRoleGrantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("person", "role", "provider", "created_at")
    list_filter = ("role",)
    search_fields = ("person__email", "provider__name")
    autocomplete_fields = ("person",)
