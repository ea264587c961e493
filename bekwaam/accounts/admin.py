"""The platform operator sees accounts, never dossier content."""

from django.contrib import admin

from bekwaam.accounts.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("email", "given_name", "family_name", "is_active", "is_superuser")
    search_fields = ("email", "given_name", "family_name")
    fields = ("email", "given_name", "name_prefix", "family_name", "language", "is_active")


# The operator's admin shows organisations and accounts only. Models that other packages register
# (all boards' change log, task results, second factors, sign-in attempts, groups) hold personal or
# cross-board data the operator has no need to read; they stay out of the admin.
def unregister_foreign_models() -> None:
    """Called from bekwaam/urls.py, after every app's admin module has registered its models."""
    from allauth.mfa.models import Authenticator
    from auditlog import get_logentry_model
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_tasks_db.models import DBTaskResult

    for model in (Authenticator, get_logentry_model(), AccessAttempt, AccessFailureLog, AccessLog, Group, DBTaskResult):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
