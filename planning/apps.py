from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self):
        from core.navigation import register_nav
        from planning import fixtures, rules  # noqa: F401  registers demo loader and permission rules

        register_nav(label=_("Plan"), url_name="planning:plan_list", action="planning.view_plan", order=10)
