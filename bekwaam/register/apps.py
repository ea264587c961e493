from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "bekwaam.register"
    label = "register"
    verbose_name = _("School leaders register")

    def ready(self) -> None:
        # Registers the daily reminders (notifications.reminders) of this app.
        from bekwaam.register import reminders  # noqa: F401
