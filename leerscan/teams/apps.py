from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "leerscan.teams"
    label = "teams"
    verbose_name = _("team scans")
    default_auto_field = "django.db.models.BigAutoField"
