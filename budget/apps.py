from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("Budget and investments")

    def ready(self):
        from budget import fixtures, rules  # noqa: F401  registers the demo loader and permission rules
        from budget.documents import economy_context
        from budget.export import budget_section, investments_section
        from budget.roll import budget_adjustments, roll_budget_columns
        from core.navigation import register_nav
        from planning.adjustments import register_adjustments
        from planning.documents import register_document_section
        from planning.export import register_section
        from planning.roll import register_roll

        register_nav(label=_("Budget"), url_name="budget:index", action="budget.view_budget", order=20)
        register_section("budget", budget_section)
        register_section("investments", investments_section)
        register_roll("budget", roll_budget_columns)
        register_adjustments("budget", budget_adjustments)
        register_document_section("economy", template_name="budget/document/economy.html", context=economy_context)
