from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "bekwaam.conversations"
    verbose_name = _("Conversations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The setup models join the change log (audit); the daily reminders register themselves.
        from bekwaam.conversations import audit, reminders  # noqa: F401
