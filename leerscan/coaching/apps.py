from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "leerscan.coaching"
    label = "coaching"
    verbose_name = _("coaching")
    default_auto_field = "django.db.models.BigAutoField"
