import io
import re
import zipfile
from decimal import Decimal

import openpyxl.xml
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from budget import imports
from budget.excel import budget_workbook
from budget.imports import UploadRefused, check_upload, import_workbook
from budget.models import BudgetLine, ImportBatch, Investment, InvestmentYear, LedgerOutcome
from budget.services import budget_line_set
from tests.budget.factories import MN, add_outcomes, classes, make_budget, make_investment
from tests.planning.factories import make_plan


@pytest.fixture
def plan(org):
    plan = make_plan(org["rk"], year=2022, areas=0)
    columns = make_budget(plan, unit=org["rk"])
    make_investment(plan, "FVIS / VISUS", category="decided", total=Decimal("56000000"),
                    years={2022: "20000000", 2023: "18000000", 2024: "0"})  # fmt: skip
    make_investment(plan, "IT-utrustning", years={2022: "41300000", 2023: "20100000", 2024: "37800000"})
    make_investment(plan, "Nätverk", category="new", department=org["itd"], years={2022: "1450000"})
    add_outcomes(columns["RK"], classes()["PERS"], {1: "38000000.50", 2: "38000000"})
    return plan


def xlsx(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def exported(plan):
    return load_workbook(io.BytesIO(budget_workbook(plan)))


def figures():
    """Every stored figure, to compare before and after an import."""
    return {
        **{("line", line.pk): line.amount for line in BudgetLine.objects.all()},
        **{("year", y.pk): y.amount for y in InvestmentYear.objects.all()},
        **{("total", i.pk): i.total for i in Investment.objects.all()},
        **{("outcome", o.pk): o.amount for o in LedgerOutcome.objects.all()},
    }


def history_rows():
    return (
        BudgetLine.history.count()
        + InvestmentYear.history.count()
        + Investment.history.count()
        + LedgerOutcome.history.count()
    )


def edited_workbook(plan) -> bytes:
    """The export with two cells changed: Intäkter of Regionkontoret inkl. IT, and IT-utrustning 2023."""
    workbook = exported(plan)
    workbook["Driftbudget"]["C4"] = -390000  # tkr, was -380 100
    sheet = workbook["Investeringar"]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "IT-utrustning")
    row[5].value = 25000  # 2023, tkr, was 20 100
    return xlsx(workbook)


def test_an_exported_workbook_imported_back_unchanged_changes_nothing(plan):
    before, history = figures(), history_rows()
    report = import_workbook(plan=plan, data=budget_workbook(plan), filename="orört.xlsx", dry_run=False)
    assert report.ok and report.edits == []
    assert report.ignored_sheets == ["Budgetram", "Satsningar"]
    assert figures() == before and history_rows() == history


def test_round_trip_in_the_browser_changes_exactly_the_edited_cells(client, users, plan):
    before, history = figures(), history_rows()
    client.force_login(users["controller"])
    upload = io.BytesIO(edited_workbook(plan))
    upload.name = "budget-redigerad.xlsx"
    response = client.post(reverse("budget:import_upload", kwargs=plan.url_kwargs()), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response.url)
    html = preview.content.decode()
    assert preview.status_code == 200 and "−380\u00a0100,00 tkr" in html and "−390\u00a0000,00 tkr" in html
    assert figures() == before  # the preview saved nothing
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', html).group(1)
    response = client.post(response.url, {"digest": digest})
    assert response.status_code == 302
    after = figures()
    changed = {key for key in before if before[key] != after[key]}
    assert len(changed) == 2 and set(after) == set(before)
    line = BudgetLine.objects.get(column__code="RK", account_class__code="INT")
    assert line.amount == Decimal("-390000000") and line.version == 2
    year = InvestmentYear.objects.get(investment__name="IT-utrustning", year=2023)
    assert year.amount == Decimal("25000000")
    for obj in (line, year):
        record = obj.history.first()
        assert "budget-redigerad.xlsx" in record.history_change_reason
        assert record.history_user == users["controller"]
    assert history_rows() == history + 2
    batch = ImportBatch.objects.get()
    assert batch.status == "applied" and batch.summary["counts"]["budget"]["changed"] == 1


def test_cli_dry_run_shows_the_changes_and_saves_nothing_then_applies(plan, tmp_path):
    path = tmp_path / "redigerad.xlsx"
    path.write_bytes(edited_workbook(plan))
    before = figures()
    out = io.StringIO()
    call_command("import_budget", str(path), "--plan", plan.key, "--dry-run", stdout=out, stderr=io.StringIO())
    assert "budget: 0 new, 1 changed, 8 unchanged" in out.getvalue()
    assert figures() == before
    call_command("import_budget", str(path), "--plan", plan.key, stdout=io.StringIO(), stderr=io.StringIO())
    assert BudgetLine.objects.get(column__code="RK", account_class__code="INT").amount == Decimal("-390000000")
    assert "redigerad.xlsx" in BudgetLine.history.first().history_change_reason


def bad_workbook(plan) -> bytes:
    """A valid edit plus one bad row: text where an amount belongs (Personalkostnader, Utveckling)."""
    workbook = exported(plan)
    workbook["Driftbudget"]["C4"] = -390000
    workbook["Driftbudget"]["D5"] = "tjugo"
    return xlsx(workbook)


def test_one_bad_row_changes_nothing_and_is_named_by_row_column_and_reason(plan):
    before = figures()
    report = import_workbook(plan=plan, data=bad_workbook(plan), filename="fel.xlsx", dry_run=False)
    assert not report.ok and not report.applied
    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("Driftbudget", 5, "D")
    assert "tjugo" in error.message
    assert figures() == before


def test_bad_row_in_the_browser_shows_the_row_and_offers_no_confirmation(client, users, plan):
    client.force_login(users["controller"])
    upload = io.BytesIO(bad_workbook(plan))
    upload.name = "fel.xlsx"
    response = client.post(reverse("budget:import_upload", kwargs=plan.url_kwargs()), {"file": upload}, follow=True)
    html = response.content.decode()
    assert re.search(r"<td>Driftbudget</td><td class=\"num\">5</td><td>D</td><td>[^<]*tjugo", html)
    assert 'name="digest"' not in html
    batch = ImportBatch.objects.get()
    response = client.post(
        reverse("budget:import_preview", kwargs={**plan.url_kwargs(), "pk": batch.pk}), {"digest": "x"}
    )
    assert response.status_code in (400, 409)
    assert BudgetLine.objects.get(column__code="RK", account_class__code="INT").amount == Decimal("-380.1") * MN


def test_bad_row_on_the_cli_exits_with_the_row_errors(plan, tmp_path):
    path = tmp_path / "fel.xlsx"
    path.write_bytes(bad_workbook(plan))
    with pytest.raises(CommandError) as failure:
        call_command("import_budget", str(path), "--plan", plan.key, stdout=io.StringIO())
    message = str(failure.value)
    assert "Driftbudget" in message and "5" in message and "tjugo" in message and "fel.xlsx" in message
    assert BudgetLine.objects.get(column__code="RK", account_class__code="INT").amount == Decimal("-380.1") * MN


def test_every_kind_of_bad_row_is_reported_at_once(plan):
    workbook = exported(plan)
    budget = workbook["Driftbudget"]
    budget["A5"] = "LÖNER"  # unknown account class
    budget["A6"] = "INT"  # a duplicate of row 4
    budget["G3"] = "Okänd kolumn"  # unknown budget column (after Summa: ignored) …
    budget["F3"] = "Okänd kolumn"  # … in place of Summa: read, and unknown
    budget["E4"] = "=1+2"  # a formula openpyxl saves without a value
    investments = workbook["Investeringar"]
    investments["J3"] = "2030"  # a year outside the plan
    investments["B4"] = "Viktiga"  # unknown category
    outcomes = workbook["Utfall"]
    outcomes["C4"] = 13  # a month that does not exist
    outcomes.append(["RK", "PERS", 2, 1])  # row 7: a duplicate of row 5 (after the total row, still read)
    outcomes.append(["XX", "PERS", 3, 1])  # row 8: unknown column or unit
    before = figures()
    report = import_workbook(plan=plan, data=xlsx(workbook), filename="många-fel.xlsx", dry_run=False)
    found = {(e.sheet, e.row, e.column) for e in report.errors}
    assert {
        ("Driftbudget", 5, "A"),
        ("Driftbudget", 6, "A"),
        ("Driftbudget", 3, "F"),
        ("Driftbudget", 4, "E"),
        ("Investeringar", 3, "J"),
        ("Investeringar", 4, "B"),
        ("Utfall", 4, "C"),
        ("Utfall", 7, "A"),
        ("Utfall", 8, "A"),
    } <= found, report.errors
    formula = next(e for e in report.errors if (e.sheet, e.row, e.column) == ("Driftbudget", 4, "E"))
    assert "Excel" in formula.message
    assert figures() == before


def with_cached_value(data: bytes, sheet_part: str, formula: str, value: str) -> bytes:
    """Add the cached value Excel would store for a formula cell (openpyxl writes formulas without one)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == sheet_part:
                content = content.replace(f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>{value}</v>".encode())
                content = content.replace(
                    f"<f>{formula}</f></c>".encode(), f"<f>{formula}</f><v>{value}</v></c>".encode()
                )
            target.writestr(item, content)
    return out.getvalue()


def test_a_formula_with_a_saved_value_is_read_as_its_value(plan):
    workbook = exported(plan)
    workbook["Driftbudget"]["C4"] = "=-380000-10000"
    data = with_cached_value(xlsx(workbook), "xl/worksheets/sheet1.xml", "-380000-10000", "-390000")
    report = import_workbook(plan=plan, data=data, filename="formel.xlsx", dry_run=False)
    assert report.ok, report.errors
    assert BudgetLine.objects.get(column__code="RK", account_class__code="INT").amount == Decimal("-390000000")


def test_new_investments_years_and_outcomes_are_created_with_history(plan, org, users):
    workbook = exported(plan)
    sheet = workbook["Investeringar"]
    sheet.insert_rows(4)
    for column, value in enumerate(["Kustnära vandringsled", "decided", "", 4000, 1300, 1400], start=1):
        sheet.cell(row=4, column=column, value=value)
    outcomes = workbook["Utfall"]
    outcomes.insert_rows(4)
    for column, value in enumerate(["RK", "Intäkter", 3, -123.45], start=1):
        outcomes.cell(row=4, column=column, value=value)
    dry = import_workbook(plan=plan, data=xlsx(workbook), filename="nytt.xlsx", dry_run=True)
    assert dry.ok and dry.count("new") == 4  # the object, its two years, the outcome
    assert not Investment.objects.filter(name="Kustnära vandringsled").exists()
    report = import_workbook(
        plan=plan, data=xlsx(workbook), filename="nytt.xlsx", user=users["controller"], dry_run=False
    )
    assert report.ok and report.count("new") == 4 and report.count("changed") == 0
    investment = Investment.objects.get(name="Kustnära vandringsled")
    assert investment.category == "decided" and investment.total == Decimal("4000000")
    assert sorted(investment.years.values_list("year", "amount")) == [
        (2022, Decimal("1300000")),
        (2023, Decimal("1400000")),
    ]
    outcome = LedgerOutcome.objects.get(month=3)
    assert outcome.amount == Decimal("-123.45")
    assert outcome.history.get().history_change_reason.endswith("nytt.xlsx")
    assert investment.history.get().history_user == users["controller"]


def test_outcome_rows_may_name_the_unit_of_a_column(plan, org):
    plan.budget_columns.create(code="IT", name="IT-avdelningen", unit=org["itd"], order=9)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Utfall"
    sheet.append(["Kolumn", "Kontoklass", "Månad", "Belopp"])
    sheet.append(["ITD", "OVR", 1, 1000])
    report = import_workbook(plan=plan, data=xlsx(workbook), filename="huvudbok.xlsx", dry_run=False)
    assert report.ok and LedgerOutcome.objects.get(column__code="IT").amount == Decimal("1000")


def test_confirmation_is_refused_when_the_figures_changed_since_the_preview(client, users, plan):
    client.force_login(users["controller"])
    upload = io.BytesIO(edited_workbook(plan))
    upload.name = "b.xlsx"
    response = client.post(reverse("budget:import_upload", kwargs=plan.url_kwargs()), {"file": upload})
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', client.get(response.url).content.decode()).group(1)
    line = BudgetLine.objects.get(column__code="RK", account_class__code="INT")
    budget_line_set(column=line.column, account_class=line.account_class, amount=Decimal("-1"), user=None, version=1)
    response = client.post(response.url, {"digest": digest})
    assert response.status_code == 409
    assert InvestmentYear.objects.get(investment__name="IT-utrustning", year=2023).amount == Decimal("20100000")
    assert ImportBatch.objects.get().status == "pending"


def test_templates_have_the_export_format(client, users, plan):
    client.force_login(users["controller"])
    for kind, sheets in (
        ("budget", ["Driftbudget"]),
        ("investments", ["Investeringar", "Investeringar ITD"]),
        ("outcomes", ["Utfall"]),
    ):
        response = client.get(reverse("budget:import_template", kwargs={**plan.url_kwargs(), "kind": kind}))
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == sheets
        assert [c.value for c in workbook[sheets[0]][3]] == [c.value for c in exported(plan)[sheets[0]][3]]
    assert client.get(reverse("budget:import_template", kwargs={**plan.url_kwargs(), "kind": "x"})).status_code == 404


# Before openpyxl opens an upload ----------------------------------------------------------------------------------


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_oversize_file_is_refused(plan, monkeypatch, client, users):
    with pytest.raises(UploadRefused):
        check_upload(b"x" * (imports.MAX_UPLOAD_BYTES + 1), "stor.xlsx")
    client.force_login(users["controller"])
    upload = io.BytesIO(b"PK" + b"x" * (imports.MAX_UPLOAD_BYTES + 1))
    upload.name = "stor.xlsx"
    response = client.post(reverse("budget:import_upload", kwargs=plan.url_kwargs()), {"file": upload})
    assert response.status_code == 400 and not ImportBatch.objects.exists()


def test_not_a_workbook_is_refused():
    with pytest.raises(UploadRefused):
        check_upload(b"name;amount\nx;1\n", "utfall.xlsx")
    with pytest.raises(UploadRefused):
        check_upload(b"PK\x03\x04", "utfall.csv")


def add_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return out.getvalue()


def test_zip_bomb_is_refused_before_openpyxl_opens_it(plan, monkeypatch):
    bomb = add_member(budget_workbook(plan), "xl/media/bomb.bin", b"\0" * (4 * 1024 * 1024))
    assert len(bomb) < 100_000
    with pytest.raises(UploadRefused, match="bomb"):
        check_upload(bomb, "bomb.xlsx")
    monkeypatch.setattr(imports, "MAX_UNCOMPRESSED_BYTES", 5_000)
    with pytest.raises(UploadRefused):
        check_upload(budget_workbook(plan), "stor.xlsx")

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl opened a refused file")

    monkeypatch.setattr(imports, "load_workbook", must_not_open)
    with pytest.raises(UploadRefused):
        import_workbook(plan=plan, data=bomb, filename="bomb.xlsx", dry_run=True)


def test_xml_with_entities_is_refused(plan):
    """A "billion laughs" sheet: defusedxml refuses the entity declarations, reported as an unreadable file."""
    data = budget_workbook(plan)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = laughs if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item, content)
    with pytest.raises(UploadRefused):
        import_workbook(plan=plan, data=out.getvalue(), filename="lol.xlsx", dry_run=True)
