from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "bekwaam.trajectories"
    label = "trajectories"
    verbose_name = _("Assessment trajectories")
    default_auto_field = "django.db.models.BigAutoField"
