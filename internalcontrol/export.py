"""The ``internal_control`` section of the whole-plan export (registered in ``apps.py``; planning never imports it).

Keys are stable: add new ones, never rename.
"""

import datetime

from django.db.models import Prefetch

from internalcontrol.matrix import risk_analysis
from internalcontrol.models import Control, ControlPlan, SelectedRisk
from planning.models import Plan


def _assessment(entry):
    if entry is None:
        return None
    a = entry.assessment
    return {
        "year": a.year,
        "probability": a.probability,
        "consequence": a.consequence,
        "score": a.score,
        "level": entry.level.value,
        "rationale": a.rationale,
        "previous_score": entry.previous.score if entry.previous else None,
    }


def _control(control, today):
    return {
        "id": control.pk,
        "title": control.title,
        "order": control.order,
        "description": control.description,
        "method": control.method,
        "periods": control.periods,
        "responsible_unit": control.responsible_unit.code if control.responsible_unit else None,
        "responsible_person": control.responsible_person,
        "results": [
            {"id": r.pk, "period": r.period, "outcome": r.outcome, "text": r.text, "table": r.table}
            for r in control.results.all()
        ],
        "actions": [
            {
                "id": a.pk,
                "description": a.description,
                "owner": a.owner,
                "due_date": a.due_date.isoformat(),
                "status": a.status,
                "overdue": a.is_overdue(today),
                "result_id": a.result_id,
            }
            for a in control.actions.all()
        ],
    }


def internal_control_export(plan: Plan, today: datetime.date | None = None) -> dict:
    """Risks of the plan's unit with this year's scores (numbered as in the matrix), the risks the control plan
    selects with their reason, controls, results and actions."""
    today = today or datetime.date.today()
    analysis = risk_analysis(plan.unit, plan.year)
    control_plan = ControlPlan.objects.filter(plan=plan).select_related("approved_by").first()
    selected = {}
    if control_plan is not None:
        controls = Control.objects.select_related("responsible_unit").prefetch_related("results", "actions")
        selected = {
            s.risk_id: s
            for s in control_plan.selected_risks.select_related("risk__owner_unit").prefetch_related(
                Prefetch("controls", queryset=controls)
            )
        }
    entries = {e.risk.pk: e for e in analysis.entries}
    risks = [e.risk for e in analysis.entries]
    risks += [s.risk for s in selected.values() if s.risk_id not in entries]  # selected but not scored this year
    items = []
    for order, risk in enumerate(risks):
        entry = entries.get(risk.pk)
        selection: SelectedRisk | None = selected.get(risk.pk)
        items.append(
            {
                "id": risk.pk,
                "title": risk.title,
                "order": order,
                "number": entry.label if entry else None,
                "area": risk.area,
                "description": risk.description,
                "owner_unit": risk.owner_unit.code,
                "owner_person": risk.owner_person,
                "goal_id": risk.goal_id,
                "assignment_id": risk.assignment_id,
                "assessment": _assessment(entry),
                "selected": selection is not None,
                "reason": selection.reason if selection else "",
                "controls": [_control(c, today) for c in selection.controls.all()] if selection else [],
            }
        )
    return {
        "id": control_plan.pk if control_plan else None,
        "status": control_plan.status if control_plan else None,
        "approved_at": control_plan.approved_at.isoformat() if control_plan and control_plan.approved_at else None,
        "scale": {
            "probability_labels": analysis.scale.probability_labels,
            "consequence_labels": analysis.scale.consequence_labels,
            "medium_from": analysis.scale.medium_from,
            "high_from": analysis.scale.high_from,
            "very_high_from": analysis.scale.very_high_from,
        },
        "risks": items,
    }
