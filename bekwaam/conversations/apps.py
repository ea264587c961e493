from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "bekwaam.conversations"
    verbose_name = _("Conversations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the daily reminders (notifications.reminders) of this app.
        from bekwaam.conversations import reminders  # noqa: F401
