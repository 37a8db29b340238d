"""The budget's sections of the whole-plan export (``planning.export``): stable keys, amounts in kronor as strings
(exact decimals), with the budget-table sign (revenue negative, costs positive)."""

from budget.calculations import budget_table, frame_table, investment_grid
from budget.models import BudgetAdjustment, DistributionProfile, Initiative


def _money(value) -> str | None:
    return None if value is None else str(value)


def budget_section(plan) -> dict:
    table = budget_table(plan)
    frame = frame_table(plan)
    return {
        "unit": "kr",
        "columns": [
            {
                "code": c.code,
                "name": c.name,
                "unit": c.unit.code if c.unit else None,
                "profile": c.profile.code if c.profile_id else None,
            }
            for c in table.columns
        ],
        "lines": [
            {"column": cell.column.code, "account_class": cell.account_class.code, "amount": _money(cell.amount)}
            for row in table.rows
            for cell in row.cells
            if cell.line
        ],
        "net_budget": {c.code: _money(t) for c, t in zip(table.columns, table.column_totals, strict=True)},
        "net_budget_total": _money(table.total),
        "profiles": [
            {"code": p.code, "name": p.name, "weights": [str(w) for w in p.weights]}
            for p in DistributionProfile.objects.filter(plan=plan)
        ],
        "frame": None
        if frame is None
        else {
            "title": frame.frame.title,
            "columns": [
                {
                    "code": s.column.code,
                    "name": s.column.name,
                    "previous_total": _money(s.column.previous_total),
                    "computed_total": _money(s.computed_total),
                    "decided_total": _money(s.decided_total),
                    "rounding_difference": _money(s.difference),
                }
                for s in frame.summaries
            ],
            "adjustments": [
                {
                    "label": row.adjustment.label,
                    "kind": row.adjustment.kind,
                    "rate": _money(row.adjustment.rate),
                    "amounts": {cell.column.code: _money(cell.amount) for cell in row.cells},
                }
                for row in frame.rows
            ],
        },
        "initiatives": [
            {"title": i.title, "unit": i.unit.code if i.unit else None, "amount": _money(i.amount)}
            for i in Initiative.objects.filter(plan=plan).select_related("unit")
        ],
        "adjustments": [
            {
                "amount": _money(a.amount),
                "from": a.source,
                "to": a.target,
                "decision_reference": a.decision_reference,
                "decided_on": a.decided_on.isoformat() if a.decided_on else None,
                "note": a.note,
            }
            for a in BudgetAdjustment.objects.filter(plan=plan).select_related("from_column", "to_column", "to_unit")
        ],
    }


def investments_section(plan) -> dict:
    grid = investment_grid(plan)
    return {
        "unit": "kr",
        "years": grid.years,
        "plans": [
            {
                "department": p.department.code if p.department else None,
                "investments": [
                    {
                        "name": row.investment.name,
                        "category": row.investment.category,
                        "total": _money(row.investment.total),
                        "years": {
                            str(y): _money(a) for y, a in zip(grid.years, row.amounts, strict=True) if a is not None
                        },
                    }
                    for row in p.rows
                ],
                "year_totals": {str(y): _money(t) for y, t in zip(grid.years, p.year_totals, strict=True)},
            }
            for p in grid.plans
        ],
    }
