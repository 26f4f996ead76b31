"""Excel export of exactly the ranking table the dashboard shows (openpyxl)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from reach.dashboard import COLUMNS


def ranking_workbook(rows, title, subtitle_lines):
    """The table as an .xlsx file (bytes). Unknown figures are empty cells, never 0."""
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
        sheet.append([row[key] for key, _label in COLUMNS])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for column, width in zip("ABCDEFGHI", (6, 24, 12, 14, 12, 12, 14, 14, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
