from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisersConfig(AppConfig):
    name = "leerscan.advisers"
    label = "advisers"
    verbose_name = _("advisers and leertafels")
    default_auto_field = "django.db.models.BigAutoField"
