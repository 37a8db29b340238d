"""Chapter 5 "Intern kontroll" of the printed plan (registered in ``apps.py``; planning never imports it).

The risks the year's internal-control plan selects, with their scores, the risk matrix (the same SVG as the matrix
page, with its text alternative printed as the caption), and each risk's controls: method, reports, responsible.
"""

from django.db.models import Prefetch

from internalcontrol.choices import ReportingPeriod
from internalcontrol.matrix import describe_analysis, matrix_svg, risk_analysis
from internalcontrol.models import Control, ControlPlan


def internal_control_context(document, chapter) -> dict:
    plan = document.plan
    analysis = risk_analysis(plan.unit, plan.year)
    entries = {entry.risk.pk: entry for entry in analysis.entries}
    control_plan = ControlPlan.objects.filter(plan=plan).select_related("approved_by").first()
    selected = []
    if control_plan is not None:
        controls = Control.objects.select_related("responsible_unit")
        selected = list(
            control_plan.selected_risks.select_related("risk__owner_unit").prefetch_related(
                Prefetch("controls", queryset=controls)
            )
        )
    for index, item in enumerate(selected, start=1):
        item.entry = entries.get(item.risk_id)
        item.number = chapter.subnumber(index + 1 if analysis.entries else index)  # after "5.1 Risk matrix"
        for control in item.controls.all():
            control.period_labels = [str(ReportingPeriod(period).label) for period in control.periods]
    return {
        "year": plan.year,
        "control_plan": control_plan,
        "selected": selected,
        "analysis": analysis,
        "matrix": matrix_svg(analysis, id_prefix="print-risk-matrix") if analysis.entries else "",
        "matrix_text": describe_analysis(analysis),
        "matrix_number": chapter.subnumber(1),
    }
