"""Budget Excel (issue 4): export of 100,000 ledger outcome rows against a bare openpyxl write-only loop of the same
shape, in the same run; import of 10,000 outcome rows (dry run, apply as new rows, apply as changed rows).

Targets: the export within 1.3× the bare loop; the import at least 2,000 rows/s with history written (shown as
``…_ms_per_1000_rows`` with a limit of 500 ms, since a figure's limit is an upper bound).

Times are the process's CPU time (``time.process_time``), best of three, export and bare loop alternating: on a
shared machine wall time mostly measures the neighbours. Everything runs in this one process (SQLite in-process);
with PostgreSQL the database's own work would not be counted, so use SQLite for these figures.
"""

import io
import time
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from bench.support import BenchError, Figure, organisation
from budget.excel import HEADER_ROW, OUTCOME_HEADERS, budget_workbook
from budget.imports import import_workbook
from budget.models import AccountClass, BudgetColumn, LedgerOutcome
from budget.services import account_classes_ensure
from core.excel import write_only_cell
from planning.models import Plan

EXPORT_ROWS, IMPORT_ROWS = 100_000, 10_000
EXPORT_YEAR, IMPORT_YEAR = 2040, 2041
MAX_EXPORT_RATIO = 1.3
MAX_MS_PER_1000_ROWS = 500  # = 2,000 rows/s


def run() -> list[Figure]:
    org = organisation()
    account_classes_ensure()
    classes = list(AccountClass.objects.all())

    export_plan = make_plan(org, EXPORT_YEAR)
    rows = outcome_rows(export_plan, classes, EXPORT_ROWS)
    LedgerOutcome.objects.bulk_create(rows, batch_size=5000)  # set-up only: plain bulk insert, not measured
    shape = outcome_shape(export_plan)
    if len(shape) != EXPORT_ROWS:
        raise BenchError(f"The export plan has {len(shape)} outcome rows, expected {EXPORT_ROWS}.")

    bare_times, export_times = [], []
    for _ in range(3):  # alternate, best of three each
        bare_times.append(timed(lambda: bare_loop(export_plan, shape)))
        export_times.append(timed(lambda: budget_workbook(export_plan)))
    data = budget_workbook(export_plan)
    check_export(data)
    bare, export = min(bare_times), min(export_times)

    import_plan = make_plan(org, IMPORT_YEAR)
    outcome_rows(import_plan, classes, IMPORT_ROWS)  # creates the columns; rows come from the workbook
    workbook = ledger_extract(import_plan, IMPORT_ROWS, factor=Decimal(1))
    dry = timed_import(import_plan, workbook, dry_run=True)
    applied = timed_import(import_plan, workbook, dry_run=False, expect="new")
    changed_workbook = ledger_extract(import_plan, IMPORT_ROWS, factor=Decimal(2))
    changed = timed_import(import_plan, changed_workbook, dry_run=False, expect="changed")
    history = LedgerOutcome.history.filter(column__plan=import_plan).count()
    if history != 2 * IMPORT_ROWS:
        raise BenchError(f"{history} history rows after two imports of {IMPORT_ROWS} rows; expected {2 * IMPORT_ROWS}.")

    return [
        Figure("budget_export_rows", EXPORT_ROWS, "rows"),
        Figure("budget_export_cpu_s", export, "s"),
        Figure("openpyxl_bare_write_only_cpu_s", bare, "s"),
        Figure("budget_export_percent_of_bare", 100 * export / bare, "%", limit=100 * MAX_EXPORT_RATIO),
        Figure("budget_export_xlsx_mb", len(data) / 1024 / 1024, "MB"),
        Figure("budget_import_rows", IMPORT_ROWS, "rows"),
        Figure("budget_import_dry_run_rows_per_s", IMPORT_ROWS / dry, "rows/s"),
        Figure("budget_import_apply_new_rows_per_s", IMPORT_ROWS / applied, "rows/s"),
        Figure("budget_import_apply_changed_rows_per_s", IMPORT_ROWS / changed, "rows/s"),
        Figure(
            "budget_import_dry_run_ms_per_1000_rows", dry * 1000 / IMPORT_ROWS * 1000, "ms", limit=MAX_MS_PER_1000_ROWS
        ),
        Figure(
            "budget_import_apply_new_ms_per_1000_rows",
            applied * 1000 / IMPORT_ROWS * 1000,
            "ms",
            limit=MAX_MS_PER_1000_ROWS,
        ),
        Figure(
            "budget_import_apply_changed_ms_per_1000_rows",
            changed * 1000 / IMPORT_ROWS * 1000,
            "ms",
            limit=MAX_MS_PER_1000_ROWS,
        ),
    ]


def timed(action) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def make_plan(org, year: int) -> Plan:
    return Plan.objects.create(unit=org["rk"], year=year, title=f"Verksamhetsplan och internbudget {year}")


def outcome_rows(plan, classes, count: int) -> list[LedgerOutcome]:
    """Columns enough for ``count`` rows of column × account class × month, and those rows (not saved)."""
    per_column = len(classes) * 12
    n_columns = -(-count // per_column)
    columns = BudgetColumn.objects.bulk_create(
        [BudgetColumn(plan=plan, code=f"K{i:04d}", name=f"Kostnadsställe {i:04d}", order=i) for i in range(n_columns)]
    )
    rows = []
    for column in columns:
        for account_class in classes:
            for month in range(1, 13):
                amount = Decimal((column.order * 7919 + month * 104729) % 9_000_000) / 100 * account_class.sign
                rows.append(LedgerOutcome(column=column, account_class=account_class, month=month, amount=amount))
                if len(rows) == count:
                    return rows
    return rows


def outcome_shape(plan) -> list[tuple]:
    """The export's rows as plain values, read before timing: the bare loop's input."""
    columns = dict(BudgetColumn.objects.filter(plan=plan).values_list("pk", "code"))
    classes = dict(AccountClass.objects.values_list("pk", "code"))
    return [
        (columns[c], classes[a], month, amount)
        for c, a, month, amount in LedgerOutcome.objects.filter(column__plan=plan)
        .order_by("column__order", "column_id", "account_class__order", "account_class_id", "month")
        .values_list("column_id", "account_class_id", "month", "amount")
    ]


def bare_loop(plan, shape) -> bytes:
    """The same sheet with openpyxl alone: title, note and header rows, the rows as plain values, a total row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Utfall")
    sheet.append([write_only_cell(sheet, f"Utfall {plan.year}", font=Font(bold=True, size=14))])
    sheet.append(["Huvudboksutdrag"])
    sheet.append(OUTCOME_HEADERS)
    for row in shape:
        sheet.append(row)
    sheet.append(["Summa", None, None, f"=SUM(D{HEADER_ROW + 1}:D{HEADER_ROW + len(shape)})"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def check_export(data: bytes) -> None:
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Utfall"]
    last = None
    count = 0
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        count += 1
        last = row
    if count != EXPORT_ROWS + 1 or last[0] != "Summa":
        raise BenchError(
            f"The exported outcome sheet has {count} rows after the header, expected {EXPORT_ROWS} + total."
        )


def ledger_extract(plan, count: int, *, factor: Decimal) -> bytes:
    """A ledger extract in the import format, made with openpyxl (like a file from the ledger system)."""
    columns = list(BudgetColumn.objects.filter(plan=plan).order_by("order"))
    classes = list(AccountClass.objects.all())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Utfall")
    sheet.append(["Huvudboksutdrag"])
    sheet.append([])
    sheet.append(OUTCOME_HEADERS)
    written = 0
    for column in columns:
        for account_class in classes:
            for month in range(1, 13):
                if written == count:
                    break
                amount = Decimal((column.order * 31 + month * 977) % 500_000) * factor / 100 * account_class.sign
                sheet.append([column.code, account_class.code, month, amount])
                written += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def timed_import(plan, data: bytes, *, dry_run: bool, expect: str | None = None) -> float:
    start = time.process_time()
    report = import_workbook(plan=plan, data=data, filename="huvudbok.xlsx", dry_run=dry_run)
    elapsed = time.process_time() - start
    if report.errors:
        raise BenchError(f"The import reported errors: {report.errors[:3]}")
    if expect and report.count(expect) != IMPORT_ROWS:
        raise BenchError(f"The import has {report.count(expect)} {expect} rows, expected {IMPORT_ROWS}.")
    return elapsed
