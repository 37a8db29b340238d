"""Small factories for internal control: risks with yearly scores, a control plan, controls, results, actions."""

import datetime

from internalcontrol.models import Action, Control, ControlPlan, ControlResult, Risk, RiskAssessment, SelectedRisk


def make_risk(unit, *, owner, title="Risk för cyberattacker", area="information_security", scores=None):
    """A risk of ``unit`` owned by ``owner``; ``scores`` maps year → (probability, consequence)."""
    risk = Risk.objects.create(unit=unit, owner_unit=owner, title=title, area=area)
    for year, (probability, consequence) in (scores or {}).items():
        RiskAssessment.objects.create(risk=risk, year=year, probability=probability, consequence=consequence)
    return risk


def select(plan, risk, *, reason="", order=0):
    control_plan, _ = ControlPlan.objects.get_or_create(plan=plan)
    return SelectedRisk.objects.create(control_plan=control_plan, risk=risk, reason=reason, order=order)


def make_control(selected, *, periods=("T1",), responsible=None, title="Stickprov av behörigheter", order=0):
    control = Control(
        selected_risk=selected, title=title, method="sample_check", responsible_unit=responsible, order=order
    )
    control.set_periods(periods)
    control.save()
    return control


def add_action(control, *, due, status="open", result=None, description="Rensa gamla behörigheter"):
    return Action.objects.create(
        control=control, result=result, description=description, owner="Petra Planerare", due_date=due, status=status
    )


def internal_control_world(plan, org) -> dict:
    """For the permission matrix: an ITD-owned risk in the plan's control plan with a T1 control, result and action."""
    risk = make_risk(org["rk"], owner=org["itd"], scores={plan.year: (3, 4)})
    selected = select(plan, risk, reason="Hög risk")
    control = make_control(selected, responsible=org["itd"])
    result = ControlResult.objects.create(control=control, period="T1", outcome="met", text="Inga avvikelser.")
    action = add_action(control, due=datetime.date(plan.year, 6, 30), result=result)
    return {"ic_risk": risk, "ic_selected": selected, "ic_control": control, "ic_action": action}
