"""Internal control's part of rolling a plan into the next year (registered in ``apps.py``).

The new plan gets a proposed internal-control plan with the same selected risks (risks live across years) and their
controls; results, actions and approvals belong to the old year and stay there. Next year's risk scores are entered
in the new year's risk analysis. Written in bulk with history, in the roll's transaction.
"""

from internalcontrol.choices import ControlPlanStatus
from internalcontrol.models import Control, ControlPlan, SelectedRisk
from planning.roll import RollContext


def roll_control_plan(context: RollContext) -> None:
    old = ControlPlan.objects.filter(plan=context.old_plan).first()
    if old is None:
        return
    (new,) = context.bulk_create(ControlPlan, [ControlPlan(plan=context.new_plan, status=ControlPlanStatus.PROPOSED)])
    selected = list(old.selected_risks.order_by("order", "pk"))
    copies = context.bulk_create(
        SelectedRisk,
        [SelectedRisk(control_plan=new, risk_id=s.risk_id, reason=s.reason, order=s.order) for s in selected],
    )
    copied = {s.pk: c.pk for s, c in zip(selected, copies, strict=True)}
    context.copied["selected_risk"] = copied
    controls = list(Control.objects.filter(selected_risk__control_plan=old).order_by("pk"))
    context.bulk_create(
        Control,
        [
            Control(
                selected_risk_id=copied[c.selected_risk_id], title=c.title, description=c.description,
                method=c.method, in_t1=c.in_t1, in_t2=c.in_t2, in_t3=c.in_t3,
                responsible_unit_id=c.responsible_unit_id, responsible_person=c.responsible_person, order=c.order,
            )
            for c in controls
        ],
    )  # fmt: skip
