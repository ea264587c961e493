from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "bekwaam.dialogue"
    label = "dialogue"
    verbose_name = _("Team dialogue")
    default_auto_field = "django.db.models.BigAutoField"
