from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self):
        from core.navigation import register_nav

        # Importing these registers the demo loader, permission rules, and history's restore guards and feed sources.
        from planning import fixtures, history, rules  # noqa: F401
        from planning.documents import register_planning_chapters

        register_nav(label=_("Plan"), url_name="planning:plan_list", action="planning.view_plan", order=10)
        register_planning_chapters()
