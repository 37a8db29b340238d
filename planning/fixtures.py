"""Loader for ``planning.plan`` demo fixtures: one plan per file, nested as the documents are."""

import datetime
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from core.demo import DEMO_REASON, register_loader
from core.history import stamp
from core.models import Unit
from planning.models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    IndicatorTarget,
    Milestone,
    Plan,
    PlanSection,
    PreparationStep,
)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _save(obj):
    obj.full_clean()
    stamp(obj, reason=DEMO_REASON).save()
    return obj


class PlanLoader:
    def __init__(self, document: dict):
        self.doc = document
        self.units = {unit.code: unit for unit in Unit.objects.all()}
        self.goals: dict[str, Goal] = {}
        self.counts = {"goals": 0, "assignments": 0, "activities": 0}

    def unit(self, code):
        if not code:
            return None
        if code not in self.units:
            raise ImproperlyConfigured(f"Unknown unit code {code!r} in the {self.doc['year']} plan fixture.")
        return self.units[code]

    @transaction.atomic
    def load(self) -> str:
        doc = self.doc
        unit = Unit.objects.get(slug=doc["unit"])
        if Plan.objects.filter(unit=unit, year=doc["year"]).exists():
            return f"plan {doc['unit']}/{doc['year']} exists, skipped"
        previous = Plan.objects.filter(unit=unit, year=doc["previous"]).first() if doc.get("previous") else None
        plan = _save(Plan(unit=unit, year=doc["year"], title=doc["title"], stage=doc["stage"], previous=previous))
        for item in doc.get("milestones", []):
            milestone = _save(Milestone(plan=plan, stage=item["stage"], date=_date(item.get("date"))))
            for step in item.get("steps", []):
                _save(PreparationStep(milestone=milestone, title=step["title"], date=_date(step.get("date"))))
        for order, item in enumerate(doc.get("sections", [])):
            section = _save(
                PlanSection(plan=plan, kind=item["kind"], title=item["title"], body=item.get("body", ""), order=order)
            )
            self.activities(item.get("activities", []), section=section)
        areas = []
        for order, item in enumerate(doc.get("focus_areas", [])):
            area = _save(
                FocusArea(
                    plan=plan,
                    kind=item["kind"],
                    title=item["title"],
                    description=item.get("description", ""),
                    order=order,
                )
            )
            for goal_order, goal in enumerate(item.get("goals", [])):
                self.goals[goal["key"]] = _save(
                    Goal(
                        focus_area=area, title=goal["title"], description=goal.get("description", ""), order=goal_order
                    )
                )
                self.counts["goals"] += 1
            areas.append((area, item))
        for area, item in areas:  # after all goals exist: assignments may contribute to goals of other areas
            self.assignments(item.get("assignments", []), focus_area=area)
        for order, item in enumerate(doc.get("indicators", [])):
            self.indicator(plan, item, order)
        c = self.counts
        return (
            f"plan {plan.key}: {len(areas)} focus areas, {c['goals']} goals, "
            f"{c['assignments']} assignments, {c['activities']} activities"
        )

    def assignments(self, items, *, focus_area, parent=None):
        for order, item in enumerate(items):
            assignment = _save(
                Assignment(
                    focus_area=focus_area,
                    parent=parent,
                    kind=item["kind"],
                    title=item["title"],
                    description=item.get("description", ""),
                    responsible_unit=self.unit(item.get("responsible_unit")),
                    responsible_person=item.get("responsible_person", ""),
                    order=order,
                )
            )
            assignment.goals.set([self.goals[key] for key in item.get("goals", [])])
            self.counts["assignments"] += 1
            self.activities(item.get("activities", []), assignment=assignment)
            self.assignments(item.get("children", []), focus_area=focus_area, parent=assignment)

    def activities(self, items, *, assignment=None, section=None):
        for order, item in enumerate(items):
            _save(
                Activity(
                    assignment=assignment,
                    section=section,
                    title=item["title"],
                    description=item.get("description", ""),
                    start=_date(item.get("start")),
                    end=_date(item.get("end")),
                    responsible_unit=self.unit(item.get("responsible_unit")),
                    responsible_person=item.get("responsible_person", ""),
                    status=item.get("status", "not_started"),
                    order=order,
                )
            )
            self.counts["activities"] += 1

    def indicator(self, plan, item, order):
        indicator = _save(
            Indicator(
                plan=plan,
                area=item["area"],
                name=item["name"],
                definition=item.get("definition", ""),
                unit=item["unit"],
                direction=item["direction"],
                frequency=item.get("frequency", "yearly"),
                breakdowns=item.get("breakdowns", []),
                order=order,
            )
        )
        for year, value in item.get("targets", {}).items():
            _save(IndicatorTarget(indicator=indicator, year=int(year), value=Decimal(value)))


def load_plan(document: dict) -> str:
    return PlanLoader(document).load()


register_loader("planning.plan", load_plan)
