"""The whole plan as nested data, for BI tools (JSON) and people (Excel).

Other apps add their own top-level sections with :func:`register_section` in their ``AppConfig.ready``;
``planning`` never imports them. Keys are stable: add new ones, never rename.
"""

from collections.abc import Callable
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from core.excel import finish_table, put, put_row
from planning.models import Plan
from planning.tree import plan_tree

SectionBuilder = Callable[[Plan], object]
_sections: dict[str, SectionBuilder] = {}


def register_section(key: str, builder: SectionBuilder) -> None:
    _sections[key] = builder


def _activity(node):
    a = node.obj
    return {
        "id": a.pk,
        "title": a.title,
        "order": a.order,
        "number": node.number,
        "description": a.description,
        "start": a.start.isoformat() if a.start else None,
        "end": a.end.isoformat() if a.end else None,
        "status": a.status,
        "responsible_unit": a.responsible_unit.code if a.responsible_unit else None,
        "responsible_person": a.responsible_person,
    }


def _assignment(node):
    a = node.obj
    return {
        "id": a.pk,
        "title": a.title,
        "order": a.order,
        "number": node.number,
        "kind": a.kind,
        "description": a.description,
        "goal_ids": [goal.pk for goal in a.contributes_to],
        "responsible_unit": a.responsible_unit.code if a.responsible_unit else None,
        "responsible_person": a.responsible_person,
        "origin_id": a.origin_id,
        "activities": [_activity(child) for child in node.activities],
        "assignments": [_assignment(child) for child in node.children],
    }


def _goal(node):
    goal = node.obj
    return {
        "id": goal.pk,
        "title": goal.title,
        "order": goal.order,
        "number": node.number,
        "description": goal.description,
        "origin_id": goal.origin_id,
        "assignments": [_assignment(child) for child in node.children],
    }


def _focus_area(node):
    area = node.obj
    return {
        "id": area.pk,
        "title": area.title,
        "order": area.order,
        "number": node.number,
        "kind": area.kind,
        "description": area.description,
        "origin_id": area.origin_id,
        "goals": [_goal(child) for child in node.children if child.kind == "goal"],
        "assignments": [_assignment(child) for child in node.children if child.kind == "assignment"],
    }


def _indicator(indicator):
    return {
        "id": indicator.pk,
        "title": indicator.name,
        "order": indicator.order,
        "area": indicator.area,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "frequency": indicator.frequency,
        "breakdowns": indicator.breakdowns,
        "targets": {str(t.year): str(t.value) for t in indicator.targets.all()},
    }


def _section(section):
    return {
        "id": section.pk,
        "title": section.title,
        "order": section.order,
        "kind": section.kind,
        "body": section.body,
        "activities": [
            {"id": a.pk, "title": a.title, "order": a.order, "status": a.status, "description": a.description}
            for a in section.activities.all()
        ],
    }


def plan_export(plan: Plan, user) -> dict:
    tree = plan_tree(plan, user)
    data = {
        "plan": {
            "key": plan.key,
            "id": plan.pk,
            "title": plan.title,
            "unit": plan.unit.name,
            "year": plan.year,
            "stage": plan.stage,
            "previous": plan.previous.key if plan.previous_id else None,
        },
        "sections": [_section(s) for s in plan.sections.prefetch_related("activities")],
        "focus_areas": [_focus_area(node) for node in tree if node.kind == "focus_area"],
        "indicators": [_indicator(i) for i in plan.indicators.prefetch_related("targets")],
    }
    for key, builder in _sections.items():
        data[key] = builder(plan)
    return data


def _rows(data: dict):
    """One row per item, depth-first, for the Excel sheet."""
    for area in data["focus_areas"]:
        yield ("Fokusområde", area["number"], area["title"], "", "", "", "", area["description"])
        for goal in area["goals"]:
            yield ("Mål", goal["number"], goal["title"], "", "", "", "", goal["description"])
            yield from _assignment_rows(goal["assignments"])
        yield from _assignment_rows(area["assignments"])


def _assignment_rows(assignments):
    for a in assignments:
        yield ("Uppdrag", a["number"], a["title"], a["responsible_unit"] or "", a["responsible_person"], "", "", "")
        for act in a["activities"]:
            yield (
                "Aktivitet",
                act["number"],
                act["title"],
                act["responsible_unit"] or "",
                act["responsible_person"],
                act["start"] or "",
                act["end"] or "",
                act["status"],
            )
        yield from _assignment_rows(a["assignments"])


def plan_export_xlsx(plan: Plan, user) -> bytes:
    data = plan_export(plan, user)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    put(sheet, 1, 1, f"{plan.title} – {plan.unit.name}").font = Font(bold=True, size=14)
    put_row(
        sheet, 2, ["Nivå", "Nummer", "Rubrik", "Ansvarig enhet", "Ansvarig", "Start", "Slut", "Text/status"], bold=True
    )
    for row, values in enumerate(_rows(data), start=3):
        put_row(sheet, row, values)
    finish_table(sheet, header_row=2, widths=[12, 10, 70, 16, 20, 12, 12, 60])
    indicators = workbook.create_sheet("Indikatorer")
    put_row(indicators, 1, ["Område", "Indikator", "Enhet", "Riktning", "Definition", "Målvärden"], bold=True)
    for row, i in enumerate(data["indicators"], start=2):
        targets = ", ".join(f"{year}: {value}" for year, value in i["targets"].items())
        put_row(indicators, row, [i["area"], i["title"], i["unit"], i["direction"], i["definition"], targets])
    finish_table(indicators, header_row=1, widths=[14, 40, 10, 18, 70, 30])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
