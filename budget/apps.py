from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("Budget and investments")

    def ready(self):
        from budget import fixtures, rules  # noqa: F401  registers the demo loader and permission rules
        from budget.export import budget_section, investments_section
        from core.navigation import register_nav
        from planning.export import register_section

        register_nav(label=_("Budget"), url_name="budget:index", action="budget.view_budget", order=20)
        register_section("budget", budget_section)
        register_section("investments", investments_section)
