from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "bekwaam.quality"
    verbose_name = _("Quality care")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bekwaam.quality import audit  # noqa: F401
