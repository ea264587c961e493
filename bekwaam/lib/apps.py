from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "bekwaam.lib"
    label = "lib"
    verbose_name = "Bekwaam"
