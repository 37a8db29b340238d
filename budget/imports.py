"""Importing a budget workbook: check the upload, read every known sheet, report every bad row, preview, apply.

The format is the export's (``budget.excel``): the sheets "Driftbudget" (account classes × budget columns, tkr),
"Investeringar" and "Investeringar <department>" (objects × years, tkr) and "Utfall" (a ledger extract: column or unit
code, account class, month, amount in kr). Other sheets are ignored. Rows that begin with "Summa" or "Totalt" are
computed rows and are skipped, as are empty rows; an empty amount cell leaves the figure as it is (imports add and
change, they never delete).

Rows are matched by business key — column code or name, account class code or name, month; investment object +
category + department — never by primary key. If any row is bad nothing changes, and every bad row is reported with
its sheet, Excel row number, column and a reason. Before openpyxl opens an upload, its size, the uncompressed size of
its zip members and their compression ratio are checked; openpyxl parses the XML with defusedxml (installed).
"""

import hashlib
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from xml.etree.ElementTree import ParseError

import tablib
from defusedxml import DefusedXmlException
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from budget import excel
from budget.choices import CATEGORY_SHEET_LABELS, ImportStatus, InvestmentCategory
from budget.models import (
    HORIZON_YEARS,
    AccountClass,
    BudgetColumn,
    BudgetLine,
    ImportBatch,
    Investment,
    InvestmentYear,
    LedgerOutcome,
)
from budget.resources import BudgetLineResource, InvestmentResource, InvestmentYearResource, LedgerOutcomeResource
from budget.services import refuse_if_decided
from core.formatting import MONTHS, sv_money
from core.models import Unit

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # small members compress well and cannot be bombs within the total cap
MAX_ZIP_MEMBERS = 500
HEADER_SEARCH_ROWS = 20
CENT = Decimal("0.01")
FLOAT_NOISE = Decimal("0.000001")  # kronor; a cached formula result may carry binary-float noise


# What a damaged or hostile workbook raises while its sheets are read (lxml's XMLSyntaxError is a SyntaxError).
UNREADABLE = (DefusedXmlException, ParseError, SyntaxError, zipfile.BadZipFile, KeyError, OSError, EOFError)


class UploadRefused(Exception):
    """The file is not opened at all (too large, not a workbook, a zip bomb)."""


class FormulaWithoutValue:
    def __repr__(self):
        return "<formula without value>"


NO_VALUE = FormulaWithoutValue()


def check_upload(data: bytes, filename: str = "") -> None:
    """Refuse what openpyxl must not open: too large, not an xlsx (zip) file, too many or too large members."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": len(data) / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    if filename and not filename.lower().endswith((".xlsx", ".xlsm")):
        raise UploadRefused(_("Only Excel files (.xlsx) can be imported."))
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused(_("The file is not an Excel workbook (.xlsx).")) from None
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRefused(_("The file is not an Excel workbook (.xlsx)."))
    if len(members) > MAX_ZIP_MEMBERS:
        raise UploadRefused(_("The workbook has too many parts (%(count)d).") % {"count": len(members)})
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UploadRefused(
            _("The workbook unpacks to %(size)d MB; the limit is %(limit)d MB.")
            % {"size": total // 1024 // 1024, "limit": MAX_UNCOMPRESSED_BYTES // 1024 // 1024}
        )
    for member in members:
        if member.file_size < RATIO_CHECK_FROM_BYTES:
            continue
        if member.compress_size == 0 or member.file_size / member.compress_size > MAX_COMPRESSION_RATIO:
            raise UploadRefused(
                _("The workbook part %(name)s is compressed suspiciously hard (a “zip bomb”); it is not opened.")
                % {"name": member.filename}
            )


# Results ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        return _("%(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column or "–",
            "message": self.message,
        }


NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass(frozen=True)
class Change:
    kind: str  # budget, investments, outcomes
    sheet: str
    row: int
    label: str
    status: str
    old: object = None
    new: object = None


@dataclass
class ImportReport:
    filename: str
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for change in self.changes:
            kind = counts.setdefault(change.kind, {NEW: 0, CHANGED: 0, UNCHANGED: 0})
            kind[change.status] += 1
        return counts

    def count(self, status: str) -> int:
        return sum(1 for change in self.changes if change.status == status)

    @property
    def edits(self) -> list[Change]:
        return [change for change in self.changes if change.status != UNCHANGED]

    @property
    def digest(self) -> str:
        """A fingerprint of what applying would do: confirmation is refused if it no longer matches."""
        text = "\n".join(f"{c.kind}|{c.label}|{c.status}|{c.old}|{c.new}" for c in self.edits)
        return hashlib.sha256(text.encode()).hexdigest()

    def summary(self) -> dict:
        return {"counts": self.counts(), "errors": len(self.errors), "sheets": self.sheets}


# Reading ----------------------------------------------------------------------------------------------------------


def _text(value) -> str:
    return "" if value is None or value is NO_VALUE else str(value).strip()


def _is_total_row(values) -> bool:
    first = _text(values[0]).lower() if values else ""
    return first.startswith("summa") or first == "totalt"


def _is_blank(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


class SheetReader:
    """The rows of the known sheets as plain values, formulas replaced by their cached values (or NO_VALUE)."""

    def __init__(self, data: bytes):
        self.data = data
        try:
            self.workbook = load_workbook(BytesIO(data), read_only=True, data_only=False)
        except Exception as error:  # malformed parts, forbidden XML (defusedxml), not a workbook at all
            raise UploadRefused(
                _("The file could not be read as an Excel workbook (%(reason)s).") % {"reason": type(error).__name__}
            ) from error
        self.sheetnames = list(self.workbook.sheetnames)

    def rows(self, name: str) -> list[tuple[int, list]]:
        sheet = self.workbook[name]
        rows, formulas = [], []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = [cell.value for cell in cells]
            if _is_blank(values) or _is_total_row(values):
                continue
            for index, cell in enumerate(cells):
                if cell.data_type == "f":
                    formulas.append((len(rows), index))
            rows.append((number, values))
        if formulas:
            self._fill_cached_values(name, rows, formulas)
        return rows

    def _fill_cached_values(self, name, rows, formulas):
        cached = load_workbook(BytesIO(self.data), read_only=True, data_only=True)
        try:
            wanted = {rows[i][0] for i, _index in formulas}
            values_at = {
                number: list(values)
                for number, values in enumerate(cached[name].iter_rows(values_only=True), start=1)
                if number in wanted
            }
        finally:
            cached.close()
        for i, index in formulas:
            number, values = rows[i]
            row_values = values_at.get(number, [])
            value = row_values[index] if index < len(row_values) else None
            values[index] = NO_VALUE if value is None else value

    def close(self):
        self.workbook.close()


def sheet_kind(name: str) -> str | None:
    if name == excel.SHEET_BUDGET:
        return "budget"
    if name == excel.SHEET_OUTCOMES:
        return "outcomes"
    if name == excel.SHEET_INVESTMENTS or name.startswith(excel.SHEET_INVESTMENTS + " "):
        return "investments"
    return None


class Lookup:
    """The plan's business keys, loaded once."""

    def __init__(self, plan):
        self.plan = plan
        self.columns = list(BudgetColumn.objects.filter(plan=plan).select_related("unit"))
        self.column_by_key = {}
        for column in self.columns:
            self.column_by_key[column.name.strip().lower()] = column
        for column in self.columns:
            if column.unit:
                self.column_by_key.setdefault(column.unit.code.lower(), column)
        for column in self.columns:
            self.column_by_key[column.code.lower()] = column  # codes win over names and unit codes
        self.classes = list(AccountClass.objects.all())
        self.class_by_key = {c.name.lower(): c for c in self.classes} | {c.code.lower(): c for c in self.classes}
        self.units = {unit.code.lower(): unit for unit in Unit.objects.all()}
        self.categories = {}
        for category in InvestmentCategory:
            for key in (category.value, CATEGORY_SHEET_LABELS[category], category.label):
                self.categories[str(key).strip().lower()] = category.value
        self.years = list(range(plan.year, plan.year + HORIZON_YEARS))

    def column(self, value) -> BudgetColumn | None:
        return self.column_by_key.get(_text(value).lower())

    def account_class(self, value) -> AccountClass | None:
        return self.class_by_key.get(_text(value).lower())

    def column_list(self) -> str:
        return ", ".join(f"{c.code} ({c.name})" for c in self.columns) or "–"

    def class_list(self) -> str:
        return ", ".join(f"{c.code} ({c.name})" for c in self.classes)


class Parser:
    """Reads the workbook into checked rows; every problem becomes a :class:`RowError`."""

    def __init__(self, plan, reader: SheetReader):
        self.plan = plan
        self.reader = reader
        self.lookup = Lookup(plan)
        self.errors: list[RowError] = []
        self.budget_rows: list[dict] = []
        self.investment_rows: list[dict] = []
        self.outcome_rows: list[dict] = []
        self.seen_investments: dict = {}

    def error(self, sheet, row, column_index, message):
        letter = get_column_letter(column_index + 1) if column_index is not None else ""
        self.errors.append(RowError(sheet, row, letter, message))

    def amount(self, sheet, row, index, value, *, factor: Decimal, required=False) -> Decimal | None:
        """A number cell → kronor (Decimal). Reports text, formulas without value and other non-numbers."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(sheet, row, index, _("An amount is missing."))
            return None
        if value is NO_VALUE:
            self.error(
                sheet,
                row,
                index,
                _("The cell has a formula without a saved value. Open and save the file in Excel, or type the value."),
            )
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.error(sheet, row, index, _("Text where an amount belongs: “%(text)s”.") % {"text": _text(value)[:60]})
            return None
        try:
            number = Decimal(str(value)) * factor
        except InvalidOperation:
            self.error(sheet, row, index, _("Not a valid amount."))
            return None
        if not number.is_finite() or abs(number) >= Decimal(10) ** 14:
            self.error(sheet, row, index, _("The amount is too large."))
            return None
        rounded = number.quantize(CENT, rounding=ROUND_HALF_UP)
        if abs(rounded - number) > FLOAT_NOISE:
            self.error(sheet, row, index, _("The amount has more decimals than whole öre."))
            return None
        return rounded

    def header(self, sheet, rows, first_header: str):
        for position, (number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if _text(values[0]).lower() == first_header.lower():
                return position, number, values
        self.error(sheet, 1, 0, _("No header row beginning with “%(header)s” was found.") % {"header": first_header})
        return None

    # Driftbudget ---------------------------------------------------------------------------------------------

    def budget(self, sheet):
        rows = self.reader.rows(sheet)
        found = self.header(sheet, rows, excel.BUDGET_HEADERS[0])
        if not found:
            return
        position, header_number, headers = found
        columns = {}
        for index in range(len(excel.BUDGET_HEADERS), len(headers)):
            label = _text(headers[index])
            if not label or label.lower() == excel.TOTAL_HEADER.lower():
                break
            column = self.lookup.column(label)
            if column is None:
                self.error(
                    sheet,
                    header_number,
                    index,
                    _("Unknown budget column “%(name)s”. The plan's columns: %(columns)s.")
                    % {"name": label, "columns": self.lookup.column_list()},
                )
            elif column in columns.values():
                self.error(sheet, header_number, index, _("The column “%(name)s” appears twice.") % {"name": label})
            else:
                columns[index] = column
        seen = {}
        for number, values in rows[position + 1 :]:
            key = values[0] if _text(values[0]) else (values[1] if len(values) > 1 else None)
            account_class = self.lookup.account_class(key)
            if account_class is None:
                self.error(
                    sheet,
                    number,
                    0,
                    _("Unknown account class “%(name)s”. Known: %(classes)s.")
                    % {"name": _text(key), "classes": self.lookup.class_list()},
                )
                continue
            if account_class.pk in seen:
                self.error(
                    sheet,
                    number,
                    0,
                    _("The account class %(name)s appears twice (rows %(first)s and %(row)s).")
                    % {"name": account_class.name, "first": seen[account_class.pk], "row": number},
                )
                continue
            seen[account_class.pk] = number
            for index, column in columns.items():
                value = values[index] if index < len(values) else None
                amount = self.amount(sheet, number, index, value, factor=excel.TKR)
                if amount is not None:
                    self.budget_rows.append(
                        {
                            "sheet": sheet,
                            "row": number,
                            "column": column,
                            "account_class": account_class,
                            "amount": amount,
                        }
                    )

    # Investeringar -------------------------------------------------------------------------------------------

    def investments(self, sheet):
        rows = self.reader.rows(sheet)
        found = self.header(sheet, rows, excel.INVESTMENT_HEADERS[0])
        if not found:
            return
        position, header_number, headers = found
        years = {}
        for index in range(len(excel.INVESTMENT_HEADERS), len(headers)):
            value = headers[index]
            if _text(value) == "":
                break
            try:
                year = int(Decimal(_text(value)))
            except (InvalidOperation, ValueError):
                self.error(sheet, header_number, index, _("“%(text)s” is not a year.") % {"text": _text(value)})
                continue
            if year not in self.lookup.years:
                self.error(
                    sheet,
                    header_number,
                    index,
                    _("The year %(year)s is outside the plan (%(first)s–%(last)s).")
                    % {"year": year, "first": self.lookup.years[0], "last": self.lookup.years[-1]},
                )
                continue
            years[index] = year
        for number, values in rows[position + 1 :]:
            values = list(values) + [None] * (len(headers) - len(values))
            name = _text(values[0])
            if not name:
                self.error(sheet, number, 0, _("The investment object is missing."))
                continue
            category = self.lookup.categories.get(_text(values[1]).lower())
            if category is None:
                self.error(
                    sheet,
                    number,
                    1,
                    _("Unknown category “%(text)s”. Use one of: %(known)s.")
                    % {"text": _text(values[1]), "known": ", ".join(CATEGORY_SHEET_LABELS.values())},
                )
                continue
            department = None
            if _text(values[2]):
                department = self.lookup.units.get(_text(values[2]).lower())
                if department is None:
                    self.error(sheet, number, 2, _("Unknown department “%(text)s”.") % {"text": _text(values[2])})
                    continue
            key = (department.pk if department else None, name.lower(), category)
            if key in self.seen_investments:
                first_sheet, first_row = self.seen_investments[key]
                self.error(
                    sheet,
                    number,
                    0,
                    _("The investment “%(name)s” appears twice (%(first_sheet)s row %(first)s).")
                    % {"name": name, "first_sheet": first_sheet, "first": first_row},
                )
                continue
            self.seen_investments[key] = (sheet, number)
            total = self.amount(sheet, number, 3, values[3], factor=excel.TKR)
            amounts = {}
            for index, year in years.items():
                amount = self.amount(sheet, number, index, values[index], factor=excel.TKR)
                if amount is not None:
                    amounts[year] = amount
            self.investment_rows.append(
                {
                    "sheet": sheet,
                    "row": number,
                    "name": name,
                    "category": category,
                    "department": department,
                    "total": total,
                    "years": amounts,
                }
            )

    # Utfall --------------------------------------------------------------------------------------------------

    def outcomes(self, sheet):
        rows = self.reader.rows(sheet)
        found = self.header(sheet, rows, excel.OUTCOME_HEADERS[0])
        if not found:
            return
        position, _header_number, _headers = found
        seen = {}
        column_of, class_of = self.lookup.column, self.lookup.account_class
        for number, values in rows[position + 1 :]:
            values = list(values) + [None] * (4 - len(values))
            column = column_of(values[0])
            if column is None:
                self.error(
                    sheet,
                    number,
                    0,
                    _("Unknown column or unit “%(text)s”. The plan's columns: %(columns)s.")
                    % {"text": _text(values[0]), "columns": self.lookup.column_list()},
                )
                continue
            account_class = class_of(values[1])
            if account_class is None:
                self.error(
                    sheet,
                    number,
                    1,
                    _("Unknown account class “%(name)s”. Known: %(classes)s.")
                    % {"name": _text(values[1]), "classes": self.lookup.class_list()},
                )
                continue
            month = self.month(sheet, number, values[2])
            if month is None:
                continue
            amount = self.amount(sheet, number, 3, values[3], factor=Decimal(1), required=True)
            if amount is None:
                continue
            key = (column.pk, account_class.pk, month)
            if key in seen:
                self.error(
                    sheet,
                    number,
                    0,
                    _("%(column)s / %(class)s / month %(month)s appears twice (rows %(first)s and %(row)s).")
                    % {
                        "column": column.code,
                        "class": account_class.code,
                        "month": month,
                        "first": seen[key],
                        "row": number,
                    },
                )
                continue
            seen[key] = number
            self.outcome_rows.append(
                {
                    "sheet": sheet,
                    "row": number,
                    "column": column,
                    "account_class": account_class,
                    "month": month,
                    "amount": amount,
                }
            )

    def month(self, sheet, number, value) -> int | None:
        if value is NO_VALUE:
            self.amount(sheet, number, 2, value, factor=Decimal(1))
            return None
        month = None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value == int(value):
            month = int(value)
        elif isinstance(value, str) and value.strip().isdigit():
            month = int(value.strip())
        if month is None or not 1 <= month <= 12:
            self.error(
                sheet, number, 2, _("The month must be a number 1–12 (got “%(text)s”).") % {"text": _text(value)}
            )
            return None
        return month


# Analysis and apply -----------------------------------------------------------------------------------------------


def _money(value) -> str:
    return "" if value is None else f"{sv_money(value, 'tkr', 2)} tkr"


class Importer:
    """Read, check and (unless ``dry_run``) apply one workbook to one plan."""

    def __init__(self, *, plan, data: bytes, filename: str, user=None):
        self.plan = plan
        self.data = data
        self.filename = filename
        self.user = user
        self.reason = _("Imported from %(file)s") % {"file": filename}
        self.report = ImportReport(filename=filename)

    def parse(self) -> Parser | None:
        check_upload(self.data, self.filename)
        reader = SheetReader(self.data)
        try:
            parser = Parser(self.plan, reader)
            for name in reader.sheetnames:
                kind = sheet_kind(name)
                if kind is None:
                    self.report.ignored_sheets.append(name)
                    continue
                self.report.sheets.append(name)
                try:
                    getattr(parser, kind)(name)
                except UNREADABLE as error:
                    raise UploadRefused(
                        _("The sheet %(sheet)s could not be read (%(reason)s).")
                        % {"sheet": name, "reason": type(error).__name__}
                    ) from error
        finally:
            reader.close()
        if not self.report.sheets:
            self.report.errors.append(
                RowError(
                    "–",
                    0,
                    "",
                    _("The workbook has none of the sheets %(sheets)s.")
                    % {"sheets": ", ".join([excel.SHEET_BUDGET, excel.SHEET_INVESTMENTS, excel.SHEET_OUTCOMES])},
                )
            )
        self.report.errors.extend(parser.errors)
        return parser

    def run(self, *, dry_run: bool) -> ImportReport:
        parser = self.parse()
        if self.report.errors:
            return self.report
        if dry_run:
            with transaction.atomic():
                self.process(parser, dry_run=True)
                transaction.set_rollback(True)
            return self.report
        refuse_if_decided(self.plan)
        with transaction.atomic():
            self.process(parser, dry_run=False)
        self.report.applied = True
        return self.report

    def process(self, parser: Parser, *, dry_run: bool):
        if parser.budget_rows:
            self.budget_lines(parser.budget_rows, dry_run)
        if parser.investment_rows:
            self.investments(parser.investment_rows, dry_run)
        if parser.outcome_rows:
            self.outcomes(parser.outcome_rows, dry_run)

    def _import(self, resource, headers, records, dry_run):
        dataset = tablib.Dataset(headers=headers)
        for record in records:
            dataset.append([record[h] for h in headers])
        result = resource.import_data(dataset, dry_run=dry_run, raise_errors=True, use_transactions=True)
        rows = result.rows
        if len(rows) != len(records):  # every row is reported, skipped ones too
            raise RuntimeError("The import result does not match its rows.")
        return rows

    def _record(self, kind, source, label, row_result, attribute, show=_money):
        status = {"new": NEW, "update": CHANGED, "skip": UNCHANGED}[row_result.import_type]
        before = row_result.instance.import_before
        old = before[attribute] if before else None
        new = getattr(row_result.instance, attribute)
        self.report.changes.append(Change(kind, source["sheet"], source["row"], label, status, show(old), show(new)))

    def _lock(self, queryset, dry_run):
        return queryset if dry_run else queryset.select_for_update(of=("self",))

    def budget_lines(self, rows, dry_run):
        existing = {
            (line.column_id, line.account_class_id): line
            for line in self._lock(BudgetLine.objects.filter(column__plan=self.plan), dry_run)
        }
        resource = BudgetLineResource(existing=existing, user=self.user, reason=self.reason)
        records = [
            {"column": r["column"].pk, "account_class": r["account_class"].pk, "amount": r["amount"]} for r in rows
        ]
        results = self._import(resource, ["column", "account_class", "amount"], records, dry_run)
        for source, row_result in zip(rows, results, strict=True):
            label = f"{source['column'].name} / {source['account_class'].name}"
            self._record("budget", source, label, row_result, "amount")

    def outcomes(self, rows, dry_run):
        existing = {
            (o.column_id, o.account_class_id, o.month): o
            for o in self._lock(LedgerOutcome.objects.filter(column__plan=self.plan), dry_run)
        }
        resource = LedgerOutcomeResource(existing=existing, user=self.user, reason=self.reason)
        records = [
            {
                "column": r["column"].pk,
                "account_class": r["account_class"].pk,
                "month": r["month"],
                "amount": r["amount"],
            }
            for r in rows
        ]
        results = self._import(resource, ["column", "account_class", "month", "amount"], records, dry_run)
        for source, row_result in zip(rows, results, strict=True):
            label = f"{source['column'].code} / {source['account_class'].code} / {MONTHS[source['month'] - 1]}"
            self._record("outcomes", source, label, row_result, "amount", show=_kr)

    def investments(self, rows, dry_run):
        stored = list(self._lock(Investment.objects.filter(plan=self.plan), dry_run))
        by_lower = {(i.department_id, i.name.lower(), i.category): i for i in stored}
        records = []
        for r in rows:
            department_id = r["department"].pk if r["department"] else None
            current = by_lower.get((department_id, r["name"].lower(), r["category"]))
            records.append(
                {
                    "plan": self.plan.pk,
                    "department": department_id,
                    "name": current.name if current else r["name"],  # objects match case-insensitively
                    "category": r["category"],
                    # an empty total cell leaves the stored total as it is
                    "total": r["total"] if r["total"] is not None or current is None else current.total,
                }
            )
        resource = InvestmentResource(
            existing={(i.department_id, i.name, i.category): i for i in stored},
            user=self.user,
            reason=self.reason,
            next_order=max((i.order for i in stored), default=-1) + 1,
        )
        results = self._import(resource, ["plan", "department", "name", "category", "total"], records, dry_run)
        for source, row_result in zip(rows, results, strict=True):
            category = CATEGORY_SHEET_LABELS[InvestmentCategory(source["category"])]
            if row_result.import_type == "new":
                label = _("%(name)s (%(category)s): new investment") % {"name": source["name"], "category": category}
            else:
                label = _("%(name)s (%(category)s): total budget") % {"name": source["name"], "category": category}
            self._record("investments", source, label, row_result, "total")

        if dry_run:
            ids = {key: investment.pk for key, investment in by_lower.items()}
        else:
            ids = {
                (i.department_id, i.name.lower(), i.category): i.pk
                for i in Investment.objects.filter(plan=self.plan).only("pk", "department_id", "name", "category")
            }
        year_rows, year_records = [], []
        for r in rows:
            investment_id = ids.get((r["department"].pk if r["department"] else None, r["name"].lower(), r["category"]))
            for year, amount in sorted(r["years"].items()):
                label = f"{r['name']} {year}"
                if investment_id is None:  # a new object in a dry run: its years are new too
                    self.report.changes.append(
                        Change("investments", r["sheet"], r["row"], label, NEW, "", _money(amount))
                    )
                    continue
                year_rows.append({**r, "label": label})
                year_records.append({"investment": investment_id, "year": year, "amount": amount})
        if year_records:
            year_existing = {
                (y.investment_id, y.year): y
                for y in self._lock(InvestmentYear.objects.filter(investment__plan=self.plan), dry_run)
            }
            resource = InvestmentYearResource(existing=year_existing, user=self.user, reason=self.reason)
            results = self._import(resource, ["investment", "year", "amount"], year_records, dry_run)
            for source, row_result in zip(year_rows, results, strict=True):
                self._record("investments", source, source["label"], row_result, "amount")


def _kr(value) -> str:
    return "" if value is None else f"{sv_money(value, 'kr', 2)} kr"


def import_workbook(*, plan, data: bytes, filename: str, user=None, dry_run: bool) -> ImportReport:
    """Check and read ``data``; without ``dry_run`` apply everything in one transaction (all or nothing)."""
    return Importer(plan=plan, data=data, filename=filename, user=user).run(dry_run=dry_run)


# Upload records ---------------------------------------------------------------------------------------------------


def batch_create(*, plan, data: bytes, filename: str, user=None) -> ImportBatch:
    """Keep an upload for preview and confirmation (after :func:`check_upload`)."""
    check_upload(data, filename)
    batch = ImportBatch(plan=plan, user=user if user and user.is_authenticated else None, filename=filename)
    batch.content = data
    batch.size = len(data)
    batch.save()
    return batch


@transaction.atomic
def batch_apply(*, batch: ImportBatch, user=None, digest: str | None = None) -> ImportReport:
    """Apply a previewed upload; refused (nothing applied) if what it would do changed since the preview."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.PENDING:
        raise UploadRefused(_("This upload has already been applied."))
    importer = Importer(plan=batch.plan, data=bytes(batch.content), filename=batch.filename, user=user)
    if digest is not None:
        preview = importer.run(dry_run=True)
        if preview.errors or preview.digest != digest:
            raise StalePreview(preview)
        importer = Importer(plan=batch.plan, data=bytes(batch.content), filename=batch.filename, user=user)
    report = importer.run(dry_run=False)
    if report.errors:
        return report
    batch.status = ImportStatus.APPLIED
    batch.applied_at = timezone.now()
    batch.summary = report.summary()
    batch.save(update_fields=["status", "applied_at", "summary"])
    return report


class StalePreview(Exception):
    """The data changed between preview and confirmation; ``report`` is the new preview."""

    def __init__(self, report: ImportReport):
        super().__init__("stale preview")
        self.report = report
