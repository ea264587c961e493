"""The platform operator sees accounts, never dossier content."""

from django.contrib import admin

from bekwaam.accounts.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("email", "given_name", "family_name", "is_active", "is_superuser")
    search_fields = ("email", "given_name", "family_name")
    fields = ("email", "given_name", "name_prefix", "family_name", "language", "is_active")
