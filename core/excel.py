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


# Write-only sheets (large exports): cells are made up front and rows streamed, so the table setup comes first.


def write_only_cell(sheet, value, *, bold: bool = False, number_format: str | None = None, font: Font | None = None):
    """A cell for a write-only sheet; text that starts like a formula is stored as text (quote-prefixed)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    if font is not None or bold:
        cell.font = font or BOLD
    if number_format:
        cell.number_format = number_format
    return cell


def formula_cell(sheet, formula: str, *, bold: bool = False, number_format: str | None = None):
    """A formula we write ourselves (``=SUM(C4:C6)``), in a write-only sheet."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, formula)
    if bold:
        cell.font = BOLD
    if number_format:
        cell.number_format = number_format
    return cell


def prepare_write_only_table(sheet, *, header_row: int, widths: list[int]) -> None:
    """What :func:`finish_table` does, for a write-only sheet: call it before the first row is appended.
    Add the autofilter with :func:`filter_write_only_table` once the last row is known."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = f"A{header_row + 1}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def filter_write_only_table(sheet, *, header_row: int, last_row: int, columns: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{max(last_row, header_row)}"


def set_default_number_format(workbook, number_format: str) -> None:
    """Give every cell without a style of its own (cell format 0) ``number_format``. Call on a new workbook before
    any cell is written. A streamed sheet can then append plain values and still show thousands separators: a
    styled cell per row makes a large write-only sheet a fifth slower. Text is not affected by a number format."""
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
    from openpyxl.utils.indexed_list import IndexedList

    if number_format in BUILTIN_FORMATS_REVERSE:
        format_id = BUILTIN_FORMATS_REVERSE[number_format]
    else:
        format_id = workbook._number_formats.add(number_format) + BUILTIN_FORMATS_MAX_SIZE
    default = StyleArray()
    default.numFmtId = format_id
    workbook._cell_styles = IndexedList([default])
    workbook._named_styles["Normal"].number_format = number_format  # LibreOffice reads the default from the style
