"""The plan's budget as one Excel workbook, made for controllers: a title row naming the plan and unit, bold headers,
frozen panes, autofilter, numbers as numbers with thousands separators, totals as ``SUM`` formulas, column widths and
an A4 landscape fit-to-width print setup. User text that begins like a formula is stored as text.

The whole workbook is written in openpyxl's write-only mode, so the outcome sheet streams rows from the database.
The sheets that can be imported (operating budget, investments, outcomes) have exactly the format the importer reads
(``budget.imports``): an exported sheet edited and imported back changes exactly the edited cells.
"""

from decimal import Decimal
from io import BytesIO

from django.db import connections
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from budget.calculations import budget_table, frame_table, investment_grid
from budget.choices import CATEGORY_SHEET_LABELS, InvestmentCategory
from budget.models import AccountClass, BudgetColumn, Initiative, LedgerOutcome
from core.excel import (
    filter_write_only_table,
    formula_cell,
    prepare_write_only_table,
    set_default_number_format,
    write_only_cell,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SHEET_BUDGET = "Driftbudget"
SHEET_FRAME = "Budgetram"
SHEET_INITIATIVES = "Satsningar"
SHEET_INVESTMENTS = "Investeringar"
SHEET_OUTCOMES = "Utfall"

BUDGET_HEADERS = ["Kod", "Kontoklass"]  # then one column per budget column, then "Summa"
INVESTMENT_HEADERS = ["Objekt", "Kategori", "Avdelning", "Total budget"]  # then one column per year
OUTCOME_HEADERS = ["Kolumn", "Kontoklass", "Månad", "Belopp"]
TOTAL_HEADER = "Summa"
HEADER_ROW = 3  # row 1: title, row 2: what the figures are

TKR = Decimal(1000)
TKR_FORMAT = "#,##0"
RATE_FORMAT = "0.0"
TITLE_FONT = Font(bold=True, size=14)

KINDS = ("budget", "investments", "outcomes")


def department_sheet_name(department) -> str:
    return f"{SHEET_INVESTMENTS} {department.code}"


def tkr(value):
    return None if value is None else value / TKR


class BudgetWorkbook:
    def __init__(self, plan, *, kinds=None):
        self.plan = plan
        self.kinds = kinds
        self.workbook = Workbook(write_only=True)
        set_default_number_format(self.workbook, TKR_FORMAT)  # numbers without a style of their own: 1 234

    def wanted(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds

    def build(self) -> bytes:
        if self.wanted("budget"):
            self.operating_budget()
        if self.kinds is None:
            self.frame()
            self.initiatives()
        if self.wanted("investments"):
            self.investments()
        if self.wanted("outcomes"):
            self.outcomes()
        out = BytesIO()
        self.workbook.save(out)
        return out.getvalue()

    # helpers --------------------------------------------------------------------------------------------------

    def sheet(self, title: str, *, heading: str, note: str, headers: list[str], widths: list[int]):
        sheet = self.workbook.create_sheet(title)
        prepare_write_only_table(sheet, header_row=HEADER_ROW, widths=widths)
        for index in range(1, len(widths) + 1):  # columns keep the default format too (LibreOffice applies theirs)
            sheet.column_dimensions[get_column_letter(index)].number_format = TKR_FORMAT
        plan = self.plan
        sheet.append([write_only_cell(sheet, f"{heading} – {plan.unit.name} – {plan.title}", font=TITLE_FONT)])
        sheet.append([write_only_cell(sheet, note)])
        sheet.append([write_only_cell(sheet, text, bold=True) for text in headers])
        return sheet

    def text(self, sheet, value, **kwargs):
        return write_only_cell(sheet, value, **kwargs) if value not in (None, "") else None

    def money(self, sheet, value, *, bold=False, number_format=TKR_FORMAT):
        return write_only_cell(sheet, value, bold=bold, number_format=number_format) if value is not None else None

    def sum_formula(self, sheet, column: int, first: int, last: int, *, bold=True, number_format=TKR_FORMAT):
        letter = get_column_letter(column)
        formula = f"=SUM({letter}{first}:{letter}{last})" if last >= first else "=0"
        return formula_cell(sheet, formula, bold=bold, number_format=number_format)

    # sheets ---------------------------------------------------------------------------------------------------

    def operating_budget(self):
        table = budget_table(self.plan)
        columns = table.columns
        headers = [*BUDGET_HEADERS, *(c.name for c in columns), TOTAL_HEADER]
        sheet = self.sheet(
            SHEET_BUDGET,
            heading=f"Driftbudget {self.plan.year}",
            note="Belopp i tkr. Intäkter negativa, kostnader positiva; nettobudget = summan av kontoklasserna.",
            headers=headers,
            widths=[8, 28, *([22] * len(columns)), 16],
        )
        first = HEADER_ROW + 1
        last = first + len(table.rows) - 1
        total_col = len(BUDGET_HEADERS) + len(columns) + 1
        for index, row in enumerate(table.rows):
            excel_row = first + index
            sheet.append(
                [
                    self.text(sheet, row.account_class.code),
                    self.text(sheet, row.account_class.name),
                    *(self.money(sheet, tkr(cell.amount)) for cell in row.cells),
                    formula_cell(
                        sheet,
                        f"=SUM(C{excel_row}:{get_column_letter(total_col - 1)}{excel_row})" if columns else "=0",
                        number_format=TKR_FORMAT,
                    ),
                ]
            )
        sheet.append(
            [
                self.text(sheet, TOTAL_HEADER, bold=True),
                self.text(sheet, "Nettobudget", bold=True),
                *(self.sum_formula(sheet, c, first, last) for c in range(3, total_col + 1)),
            ]
        )
        filter_write_only_table(sheet, header_row=HEADER_ROW, last_row=last, columns=len(headers))

    def frame(self):
        table = frame_table(self.plan)
        columns = table.columns if table else []
        headers = ["Specifikation", "Sats (%)", *(c.name for c in columns), "Anmärkning"]
        sheet = self.sheet(
            SHEET_FRAME,
            heading=table.frame.title if table else f"Budgetram {self.plan.year}",
            note="Belopp i tkr. Föregående års ram + förändringar = ny ram. Beslutad ram visas som beslutad; "
            "skillnaden mot summan av delarna redovisas som avrundningsdifferens.",
            headers=headers,
            widths=[60, 10, *([22] * len(columns)), 30],
        )
        if table is None:
            return
        first = HEADER_ROW + 1
        sheet.append(
            [
                self.text(sheet, "Budgetram föregående år"),
                None,
                *(self.money(sheet, tkr(c.previous_total)) for c in columns),
            ]
        )
        for row in table.rows:
            computed = any(cell.computed for cell in row.cells)
            sheet.append(
                [
                    self.text(sheet, row.adjustment.label),
                    self.money(sheet, row.adjustment.rate, number_format=RATE_FORMAT),
                    *(self.money(sheet, tkr(cell.amount)) for cell in row.cells),
                    self.text(sheet, "beräknad av sats × föregående års ram" if computed else None),
                ]
            )
        last = first + len(table.rows)
        computed_row, decided_row = last + 1, last + 2
        sheet.append(
            [
                self.text(sheet, "Budgetram summa (beräknad)", bold=True),
                None,
                *(self.sum_formula(sheet, 3 + i, first, last) for i in range(len(columns))),
            ]
        )
        sheet.append(
            [
                self.text(sheet, "Budgetram beslutad", bold=True),
                None,
                *(self.money(sheet, tkr(s.decided_total), bold=True) for s in table.summaries),
            ]
        )
        letters = [get_column_letter(3 + i) for i in range(len(columns))]
        sheet.append(
            [
                self.text(sheet, "Avrundningsdifferens (beslutad − beräknad)"),
                None,
                *(
                    formula_cell(sheet, f"={c}{decided_row}-{c}{computed_row}", number_format=TKR_FORMAT)
                    if s.decided_total is not None
                    else None
                    for c, s in zip(letters, table.summaries, strict=True)
                ),
            ]
        )
        filter_write_only_table(sheet, header_row=HEADER_ROW, last_row=last, columns=len(headers))

    def initiatives(self):
        sheet = self.sheet(
            SHEET_INITIATIVES,
            heading=f"Satsningar från Mål och budget {self.plan.year}",
            note="Belopp i tkr.",
            headers=["Förändringar", "Avdelning", "Belopp"],
            widths=[60, 14, 16],
        )
        initiatives = list(Initiative.objects.filter(plan=self.plan).select_related("unit"))
        for initiative in initiatives:
            sheet.append(
                [
                    self.text(sheet, initiative.title),
                    self.text(sheet, initiative.unit.code if initiative.unit else None),
                    self.money(sheet, tkr(initiative.amount)),
                ]
            )
        first, last = HEADER_ROW + 1, HEADER_ROW + len(initiatives)
        sheet.append([self.text(sheet, "Totalt", bold=True), None, self.sum_formula(sheet, 3, first, last)])
        filter_write_only_table(sheet, header_row=HEADER_ROW, last_row=last, columns=3)

    def investments(self):
        grid = investment_grid(self.plan)
        self.investment_sheet(SHEET_INVESTMENTS, grid.own, grid.years, heading="Investeringar")
        for detailed in grid.departments:
            self.investment_sheet(
                department_sheet_name(detailed.department),
                detailed,
                grid.years,
                heading=f"Investeringsplan {detailed.department.name}",
            )

    def investment_sheet(self, title, iplan, years, *, heading):
        headers = [*INVESTMENT_HEADERS, *(str(y) for y in years)]
        sheet = self.sheet(
            title,
            heading=f"{heading} {years[0]}–{years[-1]}",
            note="Belopp i tkr. Kategori: " + ", ".join(CATEGORY_SHEET_LABELS.values()) + ". Rader som börjar med "
            "”Summa” eller ”Totalt” räknas fram och läses inte vid import.",
            headers=headers,
            widths=[48, 30, 12, 14, *([12] * len(years))],
        )
        department = iplan.department.code if iplan.department else None
        row_number = HEADER_ROW
        subtotal_rows = []
        amount_cols = range(4, 5 + len(years))
        for group in iplan.groups:
            first = row_number + 1
            label = CATEGORY_SHEET_LABELS[InvestmentCategory(group.category)]
            for row in group.rows:
                sheet.append(
                    [
                        self.text(sheet, row.investment.name),
                        self.text(sheet, label),
                        self.text(sheet, department),
                        self.money(sheet, tkr(row.investment.total)),
                        *(self.money(sheet, tkr(a)) for a in row.amounts),
                    ]
                )
                row_number += 1
            sheet.append(
                [
                    self.text(sheet, f"Summa {label.lower()}", bold=True),
                    None,
                    None,
                    *(self.sum_formula(sheet, c, first, row_number) for c in amount_cols),
                ]
            )
            row_number += 1
            subtotal_rows.append(row_number)
        last_data = row_number
        total = [self.text(sheet, "Totalt", bold=True), None, None]
        for column in amount_cols:
            letter = get_column_letter(column)
            formula = "=" + "+".join(f"{letter}{r}" for r in subtotal_rows) if subtotal_rows else "=0"
            total.append(formula_cell(sheet, formula, bold=True, number_format=TKR_FORMAT))
        sheet.append(total)
        filter_write_only_table(sheet, header_row=HEADER_ROW, last_row=last_data, columns=len(headers))

    def outcomes(self):
        sheet = self.sheet(
            SHEET_OUTCOMES,
            heading=f"Utfall {self.plan.year}",
            note="Huvudboksutdrag: kolumnens eller enhetens kod, kontoklassens kod, månad 1–12, belopp i kr "
            "(intäkter negativa, kostnader positiva; visas i hela kronor, värdet är exakt).",
            headers=OUTCOME_HEADERS,
            widths=[12, 14, 8, 18],
        )
        last = write_outcome_rows(sheet, self.plan)
        sheet.append(
            [
                self.text(sheet, TOTAL_HEADER, bold=True),
                None,
                None,
                self.sum_formula(sheet, 4, HEADER_ROW + 1, last),
            ]
        )
        filter_write_only_table(sheet, header_row=HEADER_ROW, last_row=last, columns=len(OUTCOME_HEADERS))


def write_outcome_rows(sheet, plan) -> int:
    """Stream the plan's ledger outcomes into ``sheet`` as plain values; returns the last row written.

    The amounts get their thousands separators from the workbook's default number format
    (:func:`core.excel.set_default_number_format`), so no cell needs a style of its own."""
    columns = dict(BudgetColumn.objects.filter(plan=plan).values_list("pk", "code"))
    classes = dict(AccountClass.objects.values_list("pk", "code"))
    rows = (
        LedgerOutcome.objects.filter(column__plan=plan)
        .order_by("column__order", "column_id", "account_class__order", "account_class_id", "month")
        .values_list("column_id", "account_class_id", "month", "amount")
    )
    row = HEADER_ROW
    append = sheet.append
    for chunk in raw_rows(rows):
        for column_id, class_id, month, amount in chunk:
            append((columns[column_id], classes[class_id], month, amount))
        row += len(chunk)
    return row


def raw_rows(queryset, size: int = 5000):
    """The queryset's rows straight from the database cursor, in chunks.

    The ORM builds the SQL; the per-row conversions are skipped because the values only become text in the XML:
    PostgreSQL hands over ``Decimal``, SQLite (which stores decimals as REAL) a float whose shortest repr is the
    stored amount. The number written is the same either way; it costs a third of the time for 100,000 rows."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(size):
            yield chunk


def budget_workbook(plan, *, kinds=None) -> bytes:
    """The whole workbook (``kinds=None``), or an import template with only the sheets of ``kinds``."""
    return BudgetWorkbook(plan, kinds=kinds).build()


def workbook_filename(plan, kind: str | None = None) -> str:
    suffix = f"-mall-{kind}" if kind else ""
    return f"budget-{plan.unit.slug}-{plan.year}{suffix}.xlsx"
