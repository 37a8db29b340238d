"""Loader for ``internalcontrol.plan`` demo fixtures: one plan's risk analysis and internal-control plan per file.

Risks are found by their business key (organisation unit + title), so a risk shared by several years' files is
one risk with one assessment per year. Demo data is written directly (not through the services): the demo's
decided plans must hold their results too. A plan whose control plan exists is skipped.
"""

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from core.demo import DEMO_REASON, register_loader
from core.history import stamp
from core.models import Unit
from internalcontrol.models import (
    Action,
    Control,
    ControlPlan,
    ControlResult,
    Risk,
    RiskAssessment,
    RiskScale,
    SelectedRisk,
)
from planning.models import Plan


def _save(obj):
    obj.full_clean()
    stamp(obj, reason=DEMO_REASON).save()
    return obj


class ControlPlanLoader:
    def __init__(self, document: dict):
        self.doc = document
        self.units = {unit.code: unit for unit in Unit.objects.all()}
        self.counts = {"risks": 0, "controls": 0, "results": 0}

    def unit(self, code):
        if not code:
            return None
        if code not in self.units:
            raise ImproperlyConfigured(
                f"Unknown unit code {code!r} in the internal-control fixture {self.doc['plan']}."
            )
        return self.units[code]

    @transaction.atomic
    def load(self) -> str:
        doc = self.doc
        slug, _, year = doc["plan"].partition("/")
        plan = Plan.objects.by_key(slug, int(year)).first()
        if plan is None:
            raise ImproperlyConfigured(f"Internal-control fixture for {doc['plan']}: no such plan.")
        if ControlPlan.objects.filter(plan=plan).exists():
            return f"internal-control plan {plan.key} exists, skipped"
        if "scale" in doc and not RiskScale.objects.filter(unit=plan.unit).exists():
            _save(RiskScale(unit=plan.unit, **doc["scale"]))
        info = doc.get("control_plan", {})
        approved_at = info.get("approved_at")
        control_plan = _save(
            ControlPlan(
                plan=plan,
                status=info.get("status", "proposed"),
                approved_at=datetime.datetime.fromisoformat(approved_at) if approved_at else None,
            )
        )
        order = 0
        for item in doc.get("risks", []):
            risk = self.risk(plan.unit, item)
            if item.get("selected", True):
                selected = _save(
                    SelectedRisk(control_plan=control_plan, risk=risk, reason=item.get("reason", ""), order=order)
                )
                order += 1
                for control_order, control in enumerate(item.get("controls", [])):
                    self.control(selected, control, control_order)
        c = self.counts
        return (
            f"internal-control plan {plan.key}: {order} selected risks, {c['risks']} new risks, "
            f"{c['controls']} controls, {c['results']} results"
        )

    def risk(self, unit, item) -> Risk:
        risk = Risk.objects.filter(unit=unit, title=item["title"]).first()
        if risk is None:
            risk = _save(
                Risk(
                    unit=unit,
                    title=item["title"],
                    description=item.get("description", ""),
                    area=item["area"],
                    owner_unit=self.unit(item["owner_unit"]),
                    owner_person=item.get("owner_person", ""),
                )
            )
            self.counts["risks"] += 1
        for year, score in item.get("assessments", {}).items():
            if not risk.assessments.filter(year=int(year)).exists():
                _save(
                    RiskAssessment(
                        risk=risk,
                        year=int(year),
                        probability=score["probability"],
                        consequence=score["consequence"],
                        rationale=score.get("rationale", ""),
                    )
                )
        return risk

    def control(self, selected, item, order):
        control = Control(
            selected_risk=selected,
            title=item["title"],
            description=item.get("description", ""),
            method=item["method"],
            responsible_unit=self.unit(item.get("responsible_unit")),
            responsible_person=item.get("responsible_person", ""),
            order=order,
        )
        control.set_periods(item["periods"])
        _save(control)
        self.counts["controls"] += 1
        results = {}
        for result in item.get("results", []):
            results[result["period"]] = _save(
                ControlResult(
                    control=control,
                    period=result["period"],
                    outcome=result["outcome"],
                    text=result.get("text", ""),
                    table=result.get("table"),
                )
            )
            self.counts["results"] += 1
        for action in item.get("actions", []):
            _save(
                Action(
                    control=control,
                    result=results.get(action.get("period")),
                    description=action["description"],
                    owner=action["owner"],
                    due_date=datetime.date.fromisoformat(action["due_date"]),
                    status=action.get("status", "open"),
                )
            )


def load_control_plan(document: dict) -> str:
    return ControlPlanLoader(document).load()


register_loader("internalcontrol.plan", load_control_plan)
