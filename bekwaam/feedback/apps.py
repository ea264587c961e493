from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "bekwaam.feedback"
    verbose_name = _("360° feedback")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the daily reminders (notifications.reminders) of this app.
        from bekwaam.feedback import reminders  # noqa: F401
