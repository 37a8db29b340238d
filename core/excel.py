"""Writing spreadsheets that open ready to use, and never run what a user typed as a formula."""

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@")
BOLD = Font(bold=True)


def put(sheet: Worksheet, row: int, column: int, value, *, bold: bool = False, number_format: str | None = None):
    """Write one cell; text that starts like a formula is stored as text (quote-prefixed)."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = BOLD
    if number_format:
        cell.number_format = number_format
    return cell


def put_row(sheet: Worksheet, row: int, values, *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value, bold=bold)


def finish_table(sheet: Worksheet, *, header_row: int, widths: list[int]) -> None:
    """Frozen header, autofilter, column widths and an A4 landscape fit-to-width print setup."""
    last_column = sheet.cell(row=header_row, column=len(widths)).column_letter
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{max(sheet.max_row, header_row)}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
