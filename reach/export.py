"""Excel export of exactly the ranking table the dashboard shows (openpyxl), headed by its
scope, filters, "as of" time and, for the demo, the demo notice."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reach.dashboard import COLUMNS, unknown_text

WIDTHS = {"rank": 6, "name": 24, "adcode": 12}


def cell_value(key, value):
    """Figures as numbers; an unknown figure in words (never 0, never a bare empty cell)."""
    if value is None and key not in ("rank", "adcode"):
        return str(unknown_text(key))
    return value


def ranking_workbook(rows, title, subtitle_lines):
    """The table as an .xlsx file (bytes)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("覆盖排名")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in subtitle_lines:
        sheet.append([line])
    sheet.append([])
    sheet.append([str(label) for _key, label in COLUMNS])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell_value(key, row[key]) for key, _label in COLUMNS])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for index, (key, _label) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 14)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
