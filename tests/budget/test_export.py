import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from budget.excel import budget_workbook
from budget.models import Initiative
from planning.export import plan_export
from tests.budget.factories import add_outcomes, classes, make_budget, make_investment
from tests.budget.test_services import make_frame_2024
from tests.planning.factories import make_plan


@pytest.fixture
def plan(org):
    plan = make_plan(org["rk"], year=2022, areas=0)
    columns = make_budget(plan, unit=org["rk"])
    make_investment(plan, "Kustnära vandringsled", category="decided", total=Decimal("4000000"),
                    years={2022: "1300000", 2023: "1400000", 2024: "0"})  # fmt: skip
    make_investment(plan, "IT-utrustning", years={2022: "41300000", 2023: "20100000"})
    make_investment(plan, "Nätverk", category="new", department=org["itd"], years={2022: "1450000"})
    Initiative.objects.create(plan=plan, unit=org["itd"], title='=HYPERLINK("http://x","klick")', amount=33300000)
    add_outcomes(columns["RK"], classes()["PERS"], {1: "100.50", 2: "200"})
    add_outcomes(columns["FTV"], classes()["INT"], {3: "-5"})
    make_frame_2024(plan)
    return plan


@pytest.fixture
def workbook(plan):
    return load_workbook(io.BytesIO(budget_workbook(plan)))


def test_one_workbook_with_every_sheet(workbook):
    assert workbook.sheetnames == [
        "Driftbudget", "Budgetram", "Satsningar", "Investeringar", "Investeringar ITD", "Utfall",
    ]  # fmt: skip


def test_sheets_open_ready_to_use(workbook):
    for sheet in workbook:
        title = sheet["A1"]
        assert "Regionkontoret" in title.value and "Verksamhetsplan 2022" in title.value and title.font.bold
        assert all(cell.font.bold for cell in sheet[3] if cell.value is not None)
        assert sheet.freeze_panes == "A4"
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$3:$3"
        assert sheet.column_dimensions["A"].width > 5
    assert workbook["Driftbudget"].auto_filter.ref == "A3:F6"


def test_operating_budget_has_numbers_with_thousands_format_and_sum_formulas(workbook):
    sheet = workbook["Driftbudget"]
    assert [c.value for c in sheet[3]] == [
        "Kod",
        "Kontoklass",
        "Regionkontoret inkl. IT",
        "Utveckling",
        "Förtroendevalda",
        "Summa",
    ]
    revenue = sheet[4]
    assert [c.value for c in revenue[:5]] == ["INT", "Intäkter", -380100, -10000, 0]
    assert revenue[2].data_type == "n" and revenue[2].number_format == "#,##0"
    assert revenue[5].value == "=SUM(C4:E4)"
    net = sheet[7]
    assert [c.value for c in net] == [
        "Summa",
        "Nettobudget",
        "=SUM(C4:C6)",
        "=SUM(D4:D6)",
        "=SUM(E4:E6)",
        "=SUM(F4:F6)",
    ]


def test_frame_sheet_shows_computed_sum_decided_frame_and_rounding_difference(workbook):
    sheet = workbook["Budgetram"]
    rows = {row[0].value: [c.value for c in row] for row in sheet.iter_rows(min_row=4)}
    assert rows["Budgetram föregående år"][2:4] == [597600, 320100]
    assert rows["Budgetram summa (beräknad)"][2:4] == ["=SUM(C4:C9)", "=SUM(D4:D9)"]
    assert rows["Budgetram beslutad"][2:4] == [718600, 386600]
    assert rows["Avrundningsdifferens (beslutad − beräknad)"][2:4] == ["=C11-C10", "=D11-D10"]
    parts = [
        rows[label][3]
        for label in rows
        if label.startswith(("Budgetram föregående", "Pris", "Befolk", "Verksamh", "Effekt", "Förändr"))
    ]
    assert sum(Decimal(str(v)) for v in parts) == Decimal("386500")  # what the SUM gives; 386 600 is decided


def test_investment_sheets_group_categories_with_subtotals_and_keep_departments_apart(workbook):
    sheet = workbook["Investeringar"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert values[0] == ["Objekt", "Kategori", "Avdelning", "Total budget", "2022", "2023", "2024", "2025", "2026"]
    assert values[1][:7] == ["Kustnära vandringsled", "Redan beslutade investeringar", None, 4000, 1300, 1400, 0]
    assert values[2][0] == "Summa redan beslutade investeringar" and values[2][4] == "=SUM(E4:E4)"
    assert values[-1][0] == "Totalt" and values[-1][4] == "=E5+E7"
    detail = [[c.value for c in row] for row in workbook["Investeringar ITD"].iter_rows(min_row=4)]
    assert detail[0][:5] == ["Nätverk", "Nya behov av investeringar", "ITD", None, 1450]


def test_text_that_looks_like_a_formula_stays_text(workbook):
    cell = workbook["Satsningar"]["A4"]
    assert cell.value == '=HYPERLINK("http://x","klick")'
    assert cell.data_type == "s" and cell.quotePrefix
    assert workbook["Satsningar"]["C5"].value == "=SUM(C4:C4)"  # our own total stays a formula


def test_outcome_sheet_streams_rows_in_order_with_a_total(workbook):
    sheet = workbook["Utfall"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == ["Kolumn", "Kontoklass", "Månad", "Belopp"]
    assert rows[1:4] == [["RK", "PERS", 1, 100.5], ["RK", "PERS", 2, 200], ["FTV", "INT", 3, -5]]
    assert rows[4] == ["Summa", None, None, "=SUM(D4:D6)"]
    assert sheet["D4"].number_format == "#,##0"  # the workbook's default format: no style per streamed cell
    assert sheet["C4"].number_format == "#,##0" and sheet["A4"].data_type == "s"


def test_command_and_download(plan, tmp_path, client, users):
    target = tmp_path / "budget.xlsx"
    call_command("export_budget", plan.key, "--output", str(target), stderr=io.StringIO())
    assert load_workbook(target)["Driftbudget"]["C4"].value == -380100
    with pytest.raises(CommandError, match="No plan"):
        call_command("export_budget", "nowhere/2022", "--output", str(target))
    client.force_login(users["reader"])
    response = client.get(reverse("budget:export", kwargs=plan.url_kwargs()))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="budget-rk-2022.xlsx"'
    assert load_workbook(io.BytesIO(response.content))["Utfall"]["D4"].value == 100.5


def test_whole_plan_export_has_budget_and_investments(plan):
    data = plan_export(plan, user=None)
    assert data["budget"]["net_budget"] == {"RK": "453100000.00", "UTV": "148400000.00", "FTV": "48200000.00"}
    assert data["budget"]["frame"]["columns"][1]["rounding_difference"] == "100000.00"
    own, itd = data["investments"]["plans"]
    assert own["department"] is None and itd["department"] == "ITD"
    assert own["year_totals"]["2022"] == "42600000.00"
