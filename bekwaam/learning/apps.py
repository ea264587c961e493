from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "bekwaam.learning"
    label = "learning"
    verbose_name = _("E-learning")
    default_auto_field = "django.db.models.BigAutoField"
