from django.contrib import admin

from bekwaam.register.models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin[Theme]):
    """The operator keeps the theme list (REFERENCE.md section 0.5): platform data, no personal data."""

    list_display = ("name", "code", "first_year", "last_year")
    search_fields = ("name", "code")
