from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "bekwaam.tenancy"
    label = "tenancy"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from bekwaam.tenancy import audit  # noqa: F401  (registers models with django-auditlog)
