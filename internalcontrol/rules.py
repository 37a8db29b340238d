"""Who may do what in internal control. Every member reads. Planners propose risks and controls and enter results
for their own units (the risk's owner unit or the control's responsible unit); secretaries and administrators of
the plan's unit approve the control plan and change everything. Controllers and readers only read. A decided plan's
risks and controls are read-only for all (reopening it is planning's business), but results and actions, which
follow the decided plan up during its year, can still be entered; once the control plan is approved, only secretaries
and administrators change which risks and controls it holds."""

from core.choices import Role
from core.permissions import has_role, is_member, rule, unit_ids_for, unit_with_descendants

PLAN_OWNERS = {Role.SECRETARY, Role.ADMINISTRATOR}
PROPOSERS = PLAN_OWNERS | {Role.PLANNER}


def owns(user, unit_id) -> bool:
    return has_role(user, PLAN_OWNERS, unit_id)


def planner_at(user, *unit_ids) -> bool:
    return any(unit_id and has_role(user, {Role.PLANNER}, unit_id) for unit_id in unit_ids)


def plan_open(plan) -> bool:
    return not plan.is_decided


def structure_open(user, control_plan) -> bool:
    """Selected risks and controls: planners may change them until the control plan is approved."""
    return control_plan is None or not control_plan.is_approved or owns(user, control_plan.plan.unit_id)


def year_decided(unit_id, year) -> bool:
    from planning.models import Plan

    return Plan.objects.filter(unit_id=unit_id, year=year, stage="decided").exists()


@rule("internalcontrol.view")
def view(user, obj):
    return is_member(user)


@rule("internalcontrol.add_risk")
def add_risk(user, obj):
    return has_role(user, PROPOSERS)


@rule("internalcontrol.change_risk")
def change_risk(user, risk):
    return owns(user, risk.unit_id) or planner_at(user, risk.owner_unit_id)


@rule("internalcontrol.assess_risk")
def assess_risk(user, assessment):
    """``assessment`` may be unsaved: it names the risk and the year."""
    return change_risk(user, assessment.risk) and not year_decided(assessment.risk.unit_id, assessment.year)


@rule("internalcontrol.propose")
def propose(user, plan):
    """Select risks into the plan's control plan: its owners, or a planner of a unit inside the plan's unit."""
    if not plan_open(plan):
        return False
    if owns(user, plan.unit_id):
        return True
    control_plan = control_plan_of(plan)
    if control_plan is not None and control_plan.is_approved:
        return False
    planner_units = unit_ids_for(user, {Role.PLANNER})
    return bool(planner_units and planner_units & unit_with_descendants(user, plan.unit_id))


def control_plan_of(plan):
    """The plan's control plan or None (the reverse one-to-one is cached on the plan after the first look)."""
    from internalcontrol.models import ControlPlan

    try:
        return plan.control_plan
    except ControlPlan.DoesNotExist:
        return None


@rule("internalcontrol.approve")
def approve(user, plan):
    return plan_open(plan) and owns(user, plan.unit_id)


@rule("internalcontrol.change_selection")
def change_selection(user, selected_risk):
    """Add controls to a selected risk."""
    control_plan = selected_risk.control_plan
    if not plan_open(control_plan.plan) or not structure_open(user, control_plan):
        return False
    return owns(user, control_plan.plan.unit_id) or planner_at(user, selected_risk.risk.owner_unit_id)


@rule("internalcontrol.change_control")
def change_control(user, control):
    control_plan = control.selected_risk.control_plan
    if not plan_open(control_plan.plan) or not structure_open(user, control_plan):
        return False
    return owns(user, control_plan.plan.unit_id) or planner_at(
        user, control.responsible_unit_id, control.selected_risk.risk.owner_unit_id
    )


@rule("internalcontrol.enter_result")
def enter_result(user, control):
    """Results and actions are follow-up of the decided plan, so they stay open after the decision."""
    plan = control.selected_risk.control_plan.plan
    return owns(user, plan.unit_id) or planner_at(
        user, control.responsible_unit_id, control.selected_risk.risk.owner_unit_id
    )


@rule("internalcontrol.change_action")
def change_action(user, action):
    return enter_result(user, action.control)
