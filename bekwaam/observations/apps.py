from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationsConfig(AppConfig):
    name = "bekwaam.observations"
    verbose_name = _("Lesson visits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bekwaam.observations import audit  # noqa: F401
