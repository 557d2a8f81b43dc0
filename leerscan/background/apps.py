from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    name = "leerscan.background"
    label = "background"
    verbose_name = _("background work")
    default_auto_field = "django.db.models.BigAutoField"
