"""The sector's statistical forms of emulation and commendation, each in its official frame on its own sheet.

The forms are law, so they are data: a `StatisticsForm` row gives a form's code, symbol, title, the circular
that issued it, the dates it applies between, the receiving unit and date and the unit of measure (seeded by
migration 0005 from the frames of Thông tư 02/2023/TT-BNV, `confirmed=False`: administrators see what was not
checked against the legal text). What a form counts — its rows with their codes ("Mã số") and its columns with
their codes (A, B, 1, 2 …) — is the layout below, keyed by the form's code; a form whose code has no layout here is
not produced, and a year no form applies to has no sheet.

Made here, from the data the application holds:
- 0601.N (number of emulation movements): the province's movements running in the year (every plan of this
  application is launched by the provincial People's Committee: column 3, row 03 of the scope), by duration and by
  method. Rows and columns the application holds no data for (national movements, clusters and blocks, movements of
  agencies) are left blank, never written as 0.
- 0603.N (awards of the ministries, branches and provinces): every award decided in the year by a provincial
  authority, by recipient and by type of commendation; a form goes to the column its name names (Bằng khen, Chiến
  sĩ thi đua cấp tỉnh, Cờ thi đua, Huy hiệu / Kỷ niệm chương), other forms (titles such as Tập thể lao động xuất
  sắc) are not part of this form. Breakdowns the application does not record (enterprises, households, levels of
  leadership, resistance awards) are blank.
- 0602.N (State-level awards): every award decided in the year above the province (`AwardForm.decided_above`: Thủ
  tướng Chính phủ, Chủ tịch nước) on the province's proposal (the central results recorded after a Tờ trình of the
  provincial People's Committee), by recipient and by type of commendation; the form's columns follow the award's
  name (Huân chương / Huy chương, Cờ thi đua của Chính phủ, Bằng khen của Thủ tướng Chính phủ, Chiến sĩ thi đua toàn
  quốc; other central forms under "other forms"). All of them were proposed by this province (row 03); the
  ministries' row (02) and the breakdowns the application does not record are blank.
0604.N/0605.N are not produced: no source for their frames was found (neither the circular's text nor a system that
builds them), so what they count is unknown here.
"""

import datetime
import re

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import spreadsheet

from . import selectors
from .models import StatisticsForm

REPORTING_DAY = (12, 15)  # the form's reporting date ("Ngày 15 tháng 12 năm báo cáo")

# 0601.N ---------------------------------------------------------------------------------------------------------

DURATIONS = (
    ("lt1", gettext_lazy("- Dưới 1 năm"), "06"), ("1", gettext_lazy("- 1 năm"), "07"),
    ("1to3", gettext_lazy("- Từ 1 năm đến dưới 3 năm"), "08"),
    ("3to5", gettext_lazy("- Từ 3 năm đến dưới 5 năm"), "09"),
    ("ge5", gettext_lazy("- Từ 5 năm trở lên"), "10"),
)


def duration_bucket(start, end):
    """The duration row of a movement running from `start` to `end` (both days included)."""
    after = end + datetime.timedelta(days=1)

    def years_later(count):
        try:
            return start.replace(year=start.year + count)
        except ValueError:  # 29 February
            return start.replace(year=start.year + count, day=28)

    if after < years_later(1):
        return "lt1"
    if after == years_later(1):
        return "1"
    if after < years_later(3):
        return "1to3"
    if after < years_later(5):
        return "3to5"
    return "ge5"


def form_0601_values(year):
    """{row code: value of column 3 (movements launched by the province)} for the year; rows without data absent."""
    campaigns = selectors.campaigns_in_year(year)
    values = {"01": len(campaigns), "03": len(campaigns), "11": 0, "12": 0}
    for code in (row for _bucket, _label, row in DURATIONS):
        values[code] = 0
    rows = {bucket: row for bucket, _label, row in DURATIONS}
    for campaign in campaigns:
        values[rows[duration_bucket(campaign.starts_on, campaign.ends_on)]] += 1
        values["11" if campaign.kind == "thematic" else "12"] += 1
    return values


def _sheet_0601(workbook, form, year, reporting_unit):
    values = form_0601_values(year)
    labels = [
        (_("Tổng số"), "01", True), (_("1. Chia theo phạm vi tổ chức thi đua"), "", True),
        (_("- Toàn quốc"), "02", False), (_("- Bộ, ban, ngành đoàn thể, địa phương"), "03", False),
        (_("- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức"), "04", False),
        (_("- Cơ quan, tổ chức, đơn vị"), "05", False), (_("2. Chia theo thời hạn thi đua"), "", True),
        *[(str(label), code, False) for _bucket, label, code in DURATIONS],
        (_("3. Chia theo phương thức tổ chức phong trào thi đua"), "", True),
        (_("- Thi đua theo chuyên đề"), "11", False), (_("- Thi đua thường xuyên hàng năm"), "12", False),
    ]
    rows = []
    for label, code, _bold in labels:
        value = values.get(code)
        rows.append((label, code, value, None, value, None) if code else (label, "", None, None, None, None))
    headers = ["", _("Mã số"), _("Tổng số"), _("Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)"),
               _("Cấp bộ, ban, ngành, đoàn thể trung ương, tỉnh, thành phố trực thuộc Trung ương"),
               _("Cơ quan, tổ chức, đơn vị")]
    _form_sheet(workbook, form, year, reporting_unit, headers, rows,
                groups=[(4, 6, _("Số phong trào thi đua chia theo cấp chủ trì phát động thi đua"))],
                codes=["A", "B", "1=(2+3+4)", "2", "3", "4"], widths=[46, 8, 12, 22, 26, 20],
                bold=[index for index, (_l, _c, bold) in enumerate(labels) if bold])


# 0603.N ---------------------------------------------------------------------------------------------------------

COLUMNS_0603 = (
    ("bk", re.compile(r"^bằng khen", re.IGNORECASE)),
    ("cstd", re.compile(r"^chiến sĩ thi đua cấp (tỉnh|bộ)", re.IGNORECASE)),
    ("co", re.compile(r"^cờ thi đua", re.IGNORECASE)),
    ("knc", re.compile(r"^(huy hiệu|kỷ niệm chương)", re.IGNORECASE)),
)
PROVINCIAL = re.compile(r"\b(tỉnh|bộ)\b", re.IGNORECASE)
BASES_0603 = (("regular", "11"), ("thematic", "12"), ("irregular", "13"), ("foreign", "14"), ("dedication", "15"),
              ("seniority", "16"))


def column_0603(form_name, authority):
    """The column of form 0603.N an award form is counted in, or None when it is not a provincial award of the
    form (decided below the province, or a title the form has no column for)."""
    if not PROVINCIAL.search(authority or ""):
        return None
    for column, pattern in COLUMNS_0603:
        if pattern.search(form_name.strip()):
            return column
    return None


def form_0603_values(year):
    """{row code: {column: value}} for the year, columns "total", "bk", "cstd", "co", "knc"."""
    values = {code: {"total": 0, **{column: 0 for column, _pattern in COLUMNS_0603}}
              for code in ("01", "02", "05", *[row for _basis, row in BASES_0603])}
    for row in selectors.decided_awards(year):
        column = column_0603(row["form__name"], row["form__authority"])
        if column is None:
            continue
        for code, n in (("01", row["collectives"] + row["individuals"]), ("02", row["collectives"]),
                        ("05", row["individuals"]),
                        (dict(BASES_0603).get(row["basis"]), row["collectives"] + row["individuals"])):
            if code:
                values[code][column] += n
                values[code]["total"] += n
    return values


def _sheet_0603(workbook, form, year, reporting_unit):
    values = form_0603_values(year)
    labels = [
        (_("Tổng số"), "01", "", True), (_("1. Chia theo đối tượng khen thưởng"), "", "", True),
        (_("- Tập thể"), "02", _("Tập thể"), False), (_("Trong đó: Doanh nghiệp"), "03", _("Doanh nghiệp"), False),
        (_("- Hộ gia đình"), "04", _("Hộ"), False), (_("- Cá nhân"), "05", _("Người"), False),
        (_("+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên"), "06", _("Người"), False),
        (_("+ Lãnh đạo cấp vụ, sở, ngành và tương đương"), "07", _("Người"), False),
        (_("+ Doanh nhân"), "08", _("Người"), False),
        (_("+ Các cấp lãnh đạo khác từ phó phòng trở lên"), "09", _("Người"), False),
        (_("+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, nông "
           "dân,...)"), "10", _("Người"), False),
        (_("2. Chia theo phương thức khen thưởng"), "", "", True),
        (_("- Thường xuyên"), "11", "", False), (_("- Chuyên đề"), "12", "", False), (_("- Đột xuất"), "13", "", False),
        (_("- Đối ngoại"), "14", "", False), (_("- Cống hiến"), "15", "", False), (_("- Niên hạn"), "16", "", False),
        (_("- Kháng chiến"), "17", "", False),
    ]
    rows = []
    for label, code, unit, _bold in labels:
        figures = values.get(code)
        if figures is None:
            rows.append((label, code, unit, None, None, None, None, None))
        else:
            rows.append((label, code, unit, figures["total"], figures["bk"], figures["cstd"], figures["co"],
                         figures["knc"]))
    headers = ["", _("Mã số"), _("Đơn vị tính"), _("Tổng số"), _("Bằng khen"), _("Chiến sĩ thi đua cấp bộ, cấp tỉnh"),
               _("Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"),
               _("Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc "
                 "Trung ương")]
    _form_sheet(workbook, form, year, reporting_unit, headers, rows, groups=[(5, 8, _("Chia ra"))],
                codes=["A", "B", "C", "1", "2", "3", "4", "5"], widths=[46, 7, 11, 10, 12, 16, 24, 24],
                bold=[index for index, (_l, _c, _u, bold) in enumerate(labels) if bold])


# 0602.N ---------------------------------------------------------------------------------------------------------

# The form's columns in order: (key, recipient, column code); a key with two recipients is a group of two columns.
COLUMNS_0602 = (
    ("medal", "collective", "2"), ("medal", "individual", "2"), ("hcm_prize", "individual", "3"),
    ("state_prize", "individual", "4"), ("honour", "individual", "5"), ("government_flag", "collective", "6"),
    ("pm_merit", "collective", "7"), ("pm_merit", "individual", "7"), ("national_emulation", "individual", "8"),
    ("other", "collective", "9"), ("other", "individual", "9"),
)
KINDS_0602 = (
    ("medal", re.compile(r"^(huân|huy) chương", re.IGNORECASE)),
    ("hcm_prize", re.compile(r"^giải thưởng hồ chí minh", re.IGNORECASE)),
    ("state_prize", re.compile(r"^giải thưởng nhà nước", re.IGNORECASE)),
    ("honour", re.compile(r"^(danh hiệu )?(anh hùng|bà mẹ việt nam anh hùng|nhà giáo|thầy thuốc|nghệ sĩ|nghệ nhân)",
                          re.IGNORECASE)),
    ("government_flag", re.compile(r"^cờ thi đua của chính phủ", re.IGNORECASE)),
    ("pm_merit", re.compile(r"^bằng khen của thủ tướng", re.IGNORECASE)),
    ("national_emulation", re.compile(r"^(danh hiệu )?chiến sĩ thi đua toàn quốc", re.IGNORECASE)),
)
BASES_0602 = (("regular", "15"), ("thematic", "16"), ("irregular", "17"), ("foreign", "18"), ("dedication", "19"),
              ("seniority", "20"))


def columns_0602(form_name, decided_above):
    """{recipient: column position} of form 0602.N for an award form, or None when it is not a State-level award
    (`AwardForm.decided_above`: the President or the Prime Minister decides). A recipient the form's own column has
    no place for (a collective Chiến sĩ thi đua) goes to "other forms"."""
    if not decided_above:
        return None
    kind = next((key for key, pattern in KINDS_0602 if pattern.search(form_name.strip())), "other")
    placed = {}
    for recipient in ("collective", "individual"):
        position = next((index for index, (key, whom, _code) in enumerate(COLUMNS_0602)
                         if key == kind and whom == recipient), None)
        if position is None:
            position = next(index for index, (key, whom, _code) in enumerate(COLUMNS_0602)
                            if key == "other" and whom == recipient)
        placed[recipient] = position
    return placed


def form_0602_values(year):
    """{row code: [total, one value per column of COLUMNS_0602]} for the year."""
    width = len(COLUMNS_0602)
    values = {code: [0] * (width + 1) for code in ("01", "03", "06", "09", *[row for _basis, row in BASES_0602])}
    for row in selectors.decided_awards(year):
        placed = columns_0602(row["form__name"], row["form__decided_above"])
        if placed is None:
            continue
        for recipient, count in (("collective", row["collectives"]), ("individual", row["individuals"])):
            if not count:
                continue
            for code in ("01", "03", "06" if recipient == "collective" else "09",
                         dict(BASES_0602).get(row["basis"])):
                if code:
                    values[code][0] += count
                    values[code][1 + placed[recipient]] += count
    return values


def _sheet_0602(workbook, form, year, reporting_unit):
    values = form_0602_values(year)
    person, collective = _("Người"), _("Tập thể")
    labels = [
        (_("Tổng số"), "01", "", True), (_("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng"),
                                         "", "", True),
        (_("- Bộ, ban, ngành, đoàn thể Trung ương"), "02", _("Bộ, ngành"), False),
        (_("- Tỉnh, thành phố trực thuộc Trung ương"), "03", _("Tỉnh, TP"), False),
        (_("2. Chia theo đối tượng khen thưởng"), "", "", True),
        (_("- Tập thể"), "06", collective, False), (_("Trong đó: Doanh nghiệp"), "07", _("Doanh nghiệp"), False),
        (_("- Hộ gia đình"), "08", _("Hộ"), False), (_("- Cá nhân"), "09", person, False),
        (_("+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên"), "10", person, False),
        (_("+ Lãnh đạo cấp vụ, sở, ngành và tương đương"), "11", person, False),
        (_("+ Doanh nhân"), "12", person, False),
        (_("+ Các cấp lãnh đạo khác từ phó phòng trở lên"), "13", person, False),
        (_("+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, nông "
           "dân,...)"), "14", person, False),
        (_("3. Chia theo phương thức khen thưởng"), "", "", True),
        (_("- Thường xuyên"), "15", "", False), (_("- Chuyên đề"), "16", "", False), (_("- Đột xuất"), "17", "", False),
        (_("- Đối ngoại"), "18", "", False), (_("- Cống hiến"), "19", "", False), (_("- Niên hạn"), "20", "", False),
        (_("- Kháng chiến"), "21", "", False),
    ]
    blank = [None] * (len(COLUMNS_0602) + 1)
    rows = [(label, code, unit, *(values.get(code) or blank)) if code else (label, "", "", *blank)
            for label, code, unit, _bold in labels]
    individual = _("Cá nhân")
    headers = ["", _("Mã số"), _("Đơn vị tính"), _("Tổng số"), collective, individual,
               _("Giải thưởng Hồ Chí Minh"), _("Giải thưởng Nhà nước"), _("Danh hiệu vinh dự nhà nước"),
               _("Cờ thi đua của Chính phủ"), collective, individual, _("Danh hiệu “Chiến sĩ thi đua toàn quốc”"),
               collective, individual]
    groups = [(5, 6, _("Các loại huân chương, huy chương")), (11, 12, _("Bằng khen của Thủ tướng Chính phủ")),
              (14, 15, _("Các hình thức khen thưởng khác"))]
    _form_sheet(workbook, form, year, reporting_unit, headers, rows, groups=groups,
                codes=["A", "B", "C", "1", *[code for _key, _whom, code in COLUMNS_0602]],
                widths=[40, 6, 9, 8, 9, 9, 11, 11, 12, 11, 9, 9, 12, 9, 9],
                bold=[index for index, (_l, _c, _u, bold) in enumerate(labels) if bold])


LAYOUTS = {"0601.N": _sheet_0601, "0602.N": _sheet_0602, "0603.N": _sheet_0603}


# The frame every form shares --------------------------------------------------------------------------------------


def _form_sheet(workbook, form, year, reporting_unit, headers, rows, *, groups, codes, widths, bold):
    """The official frame: form code, circular and receiving date (left), reporting and receiving unit (right),
    title and year, the unit of measure, the table with its column codes, and the two signature blocks."""
    last = len(headers)
    split = max(2, last // 2)
    left = {"align": "left"}
    heading = [
        [(1, split, _("Biểu số: %(symbol)s") % {"symbol": form.symbol}, {**left, "bold": True}),
         (split + 1, last, _("Đơn vị báo cáo: %(unit)s") % {"unit": reporting_unit}, left)],
        [(1, split, _("Ban hành theo %(circular)s") % {"circular": form.circular}, left),
         (split + 1, last, _("Đơn vị nhận báo cáo: %(unit)s") % {"unit": form.receiving_unit}, left)],
        [(1, split, _("Ngày nhận báo cáo: %(date)s") % {"date": form.receiving_date}, left),
         (split + 1, last, "", left)],
        (form.title, {"bold": True, "size": 13}),
        (_("Năm %(year)s") % {"year": year}, {"bold": False, "italic": True}),
    ]
    if form.unit_of_measure:
        heading.append([(1, last, _("Đơn vị tính: %(unit)s") % {"unit": form.unit_of_measure},
                         {"align": "right", "italic": True})])
    footer = [
        [(1, split, _("Người lập biểu"), {"bold": True}),
         (split + 1, last, _("…, ngày … tháng … năm …"), {"italic": True})],
        [(1, split, _("(Ký, ghi rõ họ tên)"), {"italic": True}),
         (split + 1, last, _("Thủ trưởng đơn vị"), {"bold": True})],
        [(1, split, "", {}), (split + 1, last, _("(Ký, đóng dấu, ghi rõ họ tên)"), {"italic": True})],
    ]
    spreadsheet.add_sheet(workbook, f"{form.code} {year}", headers, rows, heading=heading, header_groups=groups,
                          column_codes=codes, footer=footer, borders=True, font=spreadsheet.DOCUMENT_FONT,
                          bold_rows=bold, wrap=True, widths=widths, auto_filter=False,
                          formats={c: spreadsheet.INTEGER for c in range(3, last + 1)},
                          orientation=spreadsheet.LANDSCAPE)


def forms_for(year):
    """The forms that apply to the statistics of `year` (on its reporting date), one per code, in code order."""
    day = datetime.date(year, *REPORTING_DAY)
    chosen = {}
    for form in (StatisticsForm.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True)
                                                                           | Q(valid_to__gte=day))
                 .order_by("code", "-valid_from")):
        if form.code in LAYOUTS:
            chosen.setdefault(form.code, form)
    return list(chosen.values())


def unconfirmed():
    """The forms administrators still have to check against the legal text (shown on their pages only)."""
    return list(StatisticsForm.objects.filter(confirmed=False).order_by("code", "valid_from"))


def render_stats_xlsx(years, *, reporting_unit=""):
    """Every form that applies to each year, each on its own sheet ("0601.N 2023", "0603.N 2023" …)."""
    with translation.override(settings.LANGUAGE_CODE):
        workbook = spreadsheet.new_workbook()
        for year in years:
            for form in forms_for(year):
                LAYOUTS[form.code](workbook, form, year, reporting_unit)
        if not workbook.sheetnames:
            spreadsheet.add_sheet(workbook, _("Ghi chú"), [_("Ghi chú")],
                                  [(_("Chưa có biểu mẫu thống kê áp dụng cho kỳ báo cáo này."),)],
                                  font=spreadsheet.DOCUMENT_FONT)
        return spreadsheet.workbook_bytes(workbook)
