from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternalControlConfig(AppConfig):
    name = "internalcontrol"
    verbose_name = _("Internal control")
