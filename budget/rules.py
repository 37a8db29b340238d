"""Who may do what with a plan's budget. Every member reads; controllers, secretaries and administrators of the
plan's unit change budget figures and import. Planners and readers never change budget figures. A decided plan is
read-only for everyone until it is reopened."""

from core.choices import Role
from core.permissions import has_role, is_member, rule

BUDGET_EDITORS = {Role.CONTROLLER, Role.SECRETARY, Role.ADMINISTRATOR}


@rule("budget.view_budget")
def view_budget(user, plan):
    return is_member(user)


@rule("budget.change_budget")
def change_budget(user, plan):
    return plan is not None and not plan.is_decided and has_role(user, BUDGET_EDITORS, plan.unit_id)


@rule("budget.import_budget")
def import_budget(user, plan):
    return change_budget(user, plan)
