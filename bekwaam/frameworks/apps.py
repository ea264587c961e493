from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "bekwaam.frameworks"
    label = "frameworks"
    verbose_name = _("Competence frameworks")

    def ready(self) -> None:
        from bekwaam.frameworks import audit  # noqa: F401  (registers the models with auditlog)
