"""Excel export of exactly the ranking table the dashboard shows (openpyxl), headed by its
scope, filters, "as of" time and, for the demo, the demo notice; with the headline figures on a
sheet of their own when they are given (the weekly report)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reach import coverage, measures
from reach.dashboard import COLUMNS, period_caption, unknown_text

WIDTHS = {"rank": 6, "name": 24, "adcode": 12}
HEADLINE_WIDTHS = (20, 14, 14, 30)


def cell_value(key, value):
    """Figures as numbers; an unknown figure in words (never 0, never a bare empty cell)."""
    if value is None and key not in ("rank", "adcode"):
        return str(unknown_text(key))
    return value


def as_of_text(as_of):
    if as_of is None:
        return _("尚未汇总")
    return timezone.localtime(as_of).strftime("%Y-%m-%d %H:%M")


def heading_lines(scope_name, flt, form, as_of, demo):
    """What the file says above its figures: scope, level and dates, the filters in words, the
    time the figures are as of, that the figures are not added up, and the demo notice."""
    lines = [
        _("范围：%(scope)s；层级：%(level)s；日期：%(period)s")
        % {"scope": scope_name, "level": coverage.LEVELS[flt.level], "period": period_caption(flt)},
        _("筛选：%(filters)s") % {"filters": "；".join(form.described_filters())},
        _("数据截至：%(time)s") % {"time": as_of_text(as_of)},
        str(measures.SEPARATE_NOTICE),
    ]
    if demo:
        lines.insert(0, str(measures.DEMO_NOTICE))
    return lines


def write_heading(sheet, title, lines):
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in lines:
        sheet.append([line])
    sheet.append([])


def bold_row(sheet):
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def write_headlines(book, title, lines, headlines, previous_caption):
    """The headline figures beside the previous period's, as the dashboard shows them."""
    sheet = book.create_sheet(_("概览")[:31])
    write_heading(sheet, title, lines)
    previous = _("上一时段（%(period)s）") % {"period": previous_caption}
    sheet.append([_("指标"), _("本时段"), previous, _("变化")])
    bold_row(sheet)
    for headline in headlines:
        label = headline.label
        if headline.total is not None:
            label = _("%(label)s（共 %(total)s 个）") % {"label": label, "total": headline.total}
        sheet.append(
            [
                label,
                cell_value(headline.key, headline.value),
                cell_value(headline.key, headline.previous),
                headline.change_text,
            ]
        )
    for index, width in enumerate(HEADLINE_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def ranking_workbook(rows, title, subtitle_lines, headlines=None, previous_caption=""):
    """The table as an .xlsx file (bytes); the headline figures on a sheet before it, when
    given."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("覆盖排名")[:31]
    write_heading(sheet, title, subtitle_lines)
    sheet.append([str(label) for _key, label in COLUMNS])
    header_row = sheet.max_row
    bold_row(sheet)
    for row in rows:
        sheet.append([cell_value(key, row[key]) for key, _label in COLUMNS])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for index, (key, _label) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 14)
    if headlines is not None:
        overview = write_headlines(book, title, subtitle_lines, headlines, previous_caption)
        book.move_sheet(overview, offset=-1)
        book.active = 0
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
