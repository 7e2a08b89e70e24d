"""Excel exports of campaigns, written by core.spreadsheet: the monitoring table of one year."""

from django.utils.translation import gettext as _

from core import spreadsheet
from units.models import Unit


def monitoring_workbook(year, contents, rows):
    """The monitoring table (rows from selectors.plan.attach_cells) as .xlsx bytes; units behind are shaded."""
    kind = _("Loại đơn vị")
    headers = [_("Mã đơn vị"), _("Tên đơn vị"), kind, _("Huyện, thành phố"), _("Đã đăng ký")]
    for content in contents:
        headers += [_("ND%(n)s đã nộp") % {"n": content.number}, _("ND%(n)s được chấp nhận") % {"n": content.number}]
    headers += [_("Sáng kiến"), _("Chậm tiến độ")]
    table = []
    for row in rows:
        values = [row.code, row.name, row.kind, row.district.name if row.district else "",
                  _("Có") if row.registered else _("Chưa")]
        for _content, submitted, accepted in row.cells:
            values += [submitted, accepted]
        table.append(values + [row.initiative_count, _("Có") if row.behind else ""])
    return spreadsheet.build_workbook(
        str(year), headers, table, widths={2: 50}, choices={kind: Unit._meta.get_field("kind")},
        highlight=[position for position, row in enumerate(rows) if row.behind], orientation=spreadsheet.LANDSCAPE)
