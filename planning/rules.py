"""Who may do what in a plan. Everyone with a role reads; planners change what their unit is responsible
for; secretaries and administrators of the plan's unit change everything and move the stages. A decided
plan is read-only for all until it is reopened."""

from core.choices import Role
from core.permissions import has_role, is_member, rule

PLAN_OWNERS = {Role.SECRETARY, Role.ADMINISTRATOR}


def owns_plan(user, plan) -> bool:
    return has_role(user, PLAN_OWNERS, plan.unit_id)


def open_for_edits(plan) -> bool:
    return not plan.is_decided


def responsible_planner(user, *units) -> bool:
    return any(unit_id and has_role(user, {Role.PLANNER}, unit_id) for unit_id in units)


@rule("planning.view_plan")
def view_plan(user, plan):
    return is_member(user)


@rule("planning.change_plan")
def change_plan(user, plan):
    return open_for_edits(plan) and owns_plan(user, plan)


@rule("planning.change_stage")
def change_stage(user, plan):
    return owns_plan(user, plan)


@rule("planning.change_indicators")
def change_indicators(user, plan):
    return open_for_edits(plan) and has_role(user, PLAN_OWNERS | {Role.CONTROLLER}, plan.unit_id)


@rule("planning.change_assignment")
def change_assignment(user, assignment):
    plan = assignment.focus_area.plan
    return open_for_edits(plan) and (owns_plan(user, plan) or responsible_planner(user, assignment.responsible_unit_id))


@rule("planning.change_activity")
def change_activity(user, activity):
    plan = activity.plan
    if not open_for_edits(plan):
        return False
    if owns_plan(user, plan):
        return True
    assignment_unit = activity.assignment.responsible_unit_id if activity.assignment_id else None
    return responsible_planner(user, activity.responsible_unit_id, assignment_unit)


@rule("planning.roll_plan")
def roll_plan(user, plan):
    """Start next year's plan from this one: the plan's secretaries and administrators (decided or not)."""
    return owns_plan(user, plan)
