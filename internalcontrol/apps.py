from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternalControlConfig(AppConfig):
    name = "internalcontrol"
    verbose_name = _("Internal control")

    def ready(self):
        from core.navigation import register_nav
        from internalcontrol import fixtures, rules  # noqa: F401  registers demo loader and permission rules
        from internalcontrol.export import internal_control_export
        from planning.export import register_section

        register_nav(
            label=_("Internal control"), url_name="internalcontrol:index", action="internalcontrol.view", order=30
        )
        register_section("internal_control", internal_control_export)
