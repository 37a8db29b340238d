"""The demo budgets reproduce the seed documents' figures."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from budget.calculations import budget_table, frame_table, investment_grid, outcome_table, result_sign
from budget.excel import budget_workbook
from budget.models import BudgetAdjustment, Initiative
from core.demo import FIXTURE_DIR, load_fixture
from core.formatting import sv_money
from planning.lookups import plan_by_key
from tests.budget.conftest import BUDGET_FILES


def mnkr(values, decimals=None):
    return [sv_money(v, "mnkr", decimals) for v in values]


def test_loading_twice_changes_nothing(demo):
    assert "3 columns, 9 budget lines" in demo["20_budget_2022.json"]
    again = [load_fixture(FIXTURE_DIR / name) for name in BUDGET_FILES]
    assert all("exists, skipped" in line for line in again)


def test_2022_operating_budget_in_three_columns_and_investments_by_category(demo):
    plan = plan_by_key("regionkontoret/2022")
    table = budget_table(plan)
    assert [c.name for c in table.columns] == ["Regionkontoret inkl. IT", "Utveckling", "Förtroendevalda"]
    assert mnkr(table.column_totals) == ["453,1", "148,4", "48,2"]
    assert mnkr(table.rows[0].cells[i].amount for i in range(3)) == ["−380,1", "−10,0", "0,0"]
    grid = investment_grid(plan)
    assert [(g.category, len(g.rows)) for g in grid.own.groups] == [("decided", 2), ("new", 3), ("reinvestment", 4)]
    assert mnkr(grid.own.group("decided").year_totals[:3]) == ["21,3", "19,4", "0,0"]
    assert mnkr([grid.own.group("decided").total_budget]) == ["60,0"]
    assert mnkr(grid.own.group("reinvestment").year_totals[:3]) == ["53,0", "24,2", "41,9"]


def test_2023_reproduces_the_economy_tables_of_follow_up_report_1(demo):
    plan = plan_by_key("regionkontoret/2023")
    table = outcome_table(plan, 4)
    rows = {row.label: row for row in table.columns}
    assert list(rows) == ["Regionkontoret", "Förtroendevalda", "Utvecklingsmedel"]
    expected = {  # outcome, budget, deviation, forecast deviation (mnkr, seed 004 section 5.1 and 5.2)
        "Regionkontoret": ("−187,7", "−204,6", "16,9", "0,0"),
        "Förtroendevalda": ("−15,1", "−17,4", "2,3", "0,7"),
        "Utvecklingsmedel": ("−34,3", "−49,3", "15,0", "24,0"),
    }
    for label, figures in expected.items():
        row = rows[label]
        shown = (
            sv_money(result_sign(row.outcome), "mnkr"),
            sv_money(result_sign(row.ytd_budget), "mnkr"),
            sv_money(row.deviation, "mnkr"),
            sv_money(row.forecast_deviation, "mnkr"),
        )
        assert shown == figures, label
    total = table.total
    assert sv_money(result_sign(total.outcome), "tkr") == "−237\u00a0112"
    assert sv_money(result_sign(total.ytd_budget), "tkr") == "−271\u00a0293"
    assert sv_money(total.deviation, "tkr") == "34\u00a0181"
    assert result_sign(total.annual_budget) == Decimal("-814918000")
    assert result_sign(total.forecast) == Decimal("-790218000")
    assert sv_money(total.forecast_deviation, "tkr") == "24\u00a0700"
    investments = {row.investment.name: row for row in table.investments}
    it = investments["IT-utrustning"]
    assert mnkr([it.outcome, it.annual_budget, it.forecast, it.deviation]) == ["12,9", "35,9", "40,0", "−4,1"]
    totals = table.investment_totals
    assert mnkr([totals["outcome"], totals["annual_budget"], totals["forecast"], totals["deviation"]]) == [
        "14,0", "73,2", "77,3", "−4,1",
    ]  # fmt: skip
    adjustment = BudgetAdjustment.objects.get(plan=plan)
    assert adjustment.amount == Decimal("800000") and adjustment.from_column.name == "Förtroendevalda"
    assert "Hallands Konstskola" in adjustment.to_text


def test_2024_frame_gives_718_6_and_shows_the_rounding_difference_of_386_6(demo):
    plan = plan_by_key("regionkontoret/2024")
    frame = frame_table(plan)
    total, excl = frame.summaries
    assert mnkr([total.computed_total, total.decided_total]) == ["718,6", "718,6"]
    assert mnkr([excl.computed_total, excl.decided_total, excl.difference]) == ["386,5", "386,6", "0,1"]
    assert [row.cells[1].amount for row in frame.rows][3] == Decimal("-5.4") * 1_000_000  # as printed, not recomputed
    initiatives = Initiative.objects.filter(plan=plan).select_related("unit")
    assert [(i.unit.code, sv_money(i.amount, "mnkr")) for i in initiatives] == [
        ("HS", "0,5"), ("HR", "1,0"), ("HR", "8,0"), ("ITD", "33,3"),
    ]  # fmt: skip
    assert sv_money(sum(i.amount for i in initiatives), "mnkr") == "42,8"
    assert mnkr(investment_grid(plan).own.year_totals) == ["111,5", "88,5", "76,6", "62,8", "39,3"]


def test_2025_export_has_the_it_departments_sheet_summing_as_the_seed(demo):
    plan = plan_by_key("regionkontoret/2025")
    assert mnkr(budget_table(plan).column_totals, 0) == ["820"]
    grid = investment_grid(plan)
    assert mnkr(grid.own.year_totals, 0) == ["106", "109", "92", "70", "82"]  # rounded as the slide prints them
    workbook = load_workbook(io.BytesIO(budget_workbook(plan)))
    sheet = workbook["Investeringar ITD"]
    assert [c.value for c in sheet[3]][4:] == ["2025", "2026", "2027", "2028", "2029"]
    data = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[2] == "ITD"]
    sums = [sum(Decimal(str(row[i] or 0)) for row in data) for i in range(4, 9)]
    assert sums == [94450, 88350, 80900, 58750, 80750]
    new = [row for row in data if row[1] == "Nya behov av investeringar"]
    assert [sum(Decimal(str(row[i] or 0)) for row in new) for i in range(4, 9)] == [24150, 18350, 6900, 3000, 10900]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "Totalt" and str(last[4]).startswith("=")  # the total is a formula over the subtotals
    itd = grid.departments[0]
    assert [sv_money(v, "tkr") for v in itd.year_totals] == [
        "94\u00a0450",
        "88\u00a0350",
        "80\u00a0900",
        "58\u00a0750",
        "80\u00a0750",
    ]
    assert [o.name for o in itd.by_object] == [
        "Centrala datorer", "FVIS", "IT och Digitalisering", "IT-Säkerhet", "Nätverk", "Plattformar", "Stödsystem",
        "Systemdrift",
    ]  # fmt: skip
