"""Chapter 4 "Ekonomistyrning" of the printed plan (registered in ``apps.py``; planning never imports it).

As seed 002 prints it, with seed 001's tables: the operating budget by account class and column, the frame
build-up and the initiatives when the plan has them, and the five-year investment plan by category, followed by
each department's detailed plan. Every figure comes from :mod:`budget.calculations` (a fixed number of queries);
the template rounds for display only, in tkr.
"""

from django.utils.translation import gettext_lazy as _

from budget.calculations import budget_table, frame_table, investment_grid, total
from budget.models import Initiative
from core.charts import Bar, bar_chart_svg
from core.formatting import MONEY_UNITS

UNIT = "tkr"


def economy_context(document, chapter) -> dict:
    plan = document.plan
    table = budget_table(plan)
    frame = frame_table(plan)
    initiatives = list(Initiative.objects.filter(plan=plan).select_related("unit"))
    present = ["budget", "frame" if frame else None, "initiatives" if initiatives else None, "investments"]
    numbers = {key: chapter.subnumber(i) for i, key in enumerate(filter(None, present), start=1)}
    several = len(table.columns) > 1  # a total column and a chart only when there is more than one column
    return {
        "unit": UNIT,
        "year": plan.year,
        "table": table,
        "several_columns": several,
        "chart": net_budget_chart(table, plan.year) if several and table.has_lines else "",
        "frame": frame,
        "initiatives": initiatives,
        "initiatives_total": total(i.amount for i in initiatives),
        "grid": investment_grid(plan),
        "numbers": numbers,
    }


def net_budget_chart(table, year: int) -> str:
    """The net budget of each column (the table's last row) as bars; the values are written out as text too."""
    return bar_chart_svg(
        title=str(_("Net budget per column %(year)s (%(unit)s)")) % {"year": year, "unit": UNIT},
        bars=[Bar(c.name, v / MONEY_UNITS[UNIT]) for c, v in zip(table.columns, table.column_totals, strict=True)],
        unit=UNIT,
        decimals=0,
        id_prefix="economy-net-budget",
    )
