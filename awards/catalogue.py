"""The initial award catalogue and public holidays, loaded as DATA (editable afterwards in the admin).

Sources: shared research notes §2–§3 (Law 06/2022/QH15, Decree 91/2017, Decree 98/2023, Decree 152/2025).
Every value the notes mark as not verified is loaded with `confirmed=False`, so Sở Nội vụ sees it must be checked.
`ensure_catalogue()` is idempotent: it creates what is missing and never overwrites what an administrator edited.

Prize money (tiền thưởng) is a coefficient of the base salary (mức lương cơ sở) in force on the decision date, per
form, recipient kind and regime, rounded up to the next 10,000 dong (Decree 98/2023 Art 53; Decree 152/2025 Art 49).
Sources: shared data README (Decree 152/2025 coefficients and the base salary periods, found in public secondary
sources), notes §2.6 (Decree 98/2023 titles ✅; Bằng khen and Giấy khen ❓). Coefficients of Decree 91/2017, the
Bằng khen and Giấy khen figures of Decree 98/2023 and every article number were not checked against the legal
text: those rows carry `prize_confirmed=False` / `confirmed=False` and the catalogue page says so.
"""

import datetime
import re
import unicodedata
from decimal import Decimal

D = datetime.date

# code, name, form number, applies to, order
DOCUMENT_TYPES = [
    ("TOTRINH", "Tờ trình đề nghị khen thưởng", "Mẫu 01", "both", 1),
    ("BCTT_TT", "Báo cáo thành tích tập thể", "Mẫu 02", "collective", 2),
    ("BCTT_CN", "Báo cáo thành tích cá nhân", "Mẫu 03", "individual", 3),
    ("BIENBAN", "Biên bản họp Hội đồng Thi đua - Khen thưởng (ghi tỷ lệ phiếu)", "", "both", 4),
    ("SANGKIEN", "Minh chứng sáng kiến, đề tài được công nhận", "", "individual", 5),
    ("TOMTAT", "Báo cáo tóm tắt thành tích (thủ tục đơn giản)", "", "both", 6),
    ("XACNHAN", "Văn bản xác nhận thành tích của cơ quan có thẩm quyền", "", "both", 7),
    ("BB_HOP_TINH", "Biên bản họp Hội đồng Thi đua - Khen thưởng tỉnh", "", "both", 8),
    ("BB_KIEMPHIEU", "Biên bản kiểm phiếu của Hội đồng Thi đua - Khen thưởng tỉnh", "", "both", 9),
    ("TOTRINH_TW", "Tờ trình của Ủy ban nhân dân tỉnh đề nghị cấp trên khen thưởng", "Mẫu 01", "both", 10),
]

REGIMES = [
    # legal basis, valid from, valid to, confirmed-by-default
    ("Luật Thi đua, khen thưởng 2013; Nghị định 91/2017/NĐ-CP", D(2017, 7, 31), D(2023, 12, 31)),
    ("Luật Thi đua, khen thưởng 06/2022/QH15; Nghị định 98/2023/NĐ-CP", D(2024, 1, 1), D(2025, 6, 30)),
    ("Luật Thi đua, khen thưởng 06/2022/QH15; Nghị định 152/2025/NĐ-CP", D(2025, 7, 1), None),
]

FULL = ["TOTRINH", "BCTT_TT", "BCTT_CN", "BIENBAN"]
SIMPLE = ["TOTRINH", "TOMTAT"]

# code, name, recipients, authority, basis, is_title, documents, simplified allowed, thresholds per regime,
# working days per regime, requires initiative, confirmed per regime, note
FORMS = [
    ("BK-TINH", "Bằng khen của Chủ tịch UBND tỉnh (thường xuyên)", "both", "Chủ tịch UBND tỉnh", "regular", False,
     FULL, True, (50, 50, 50), (20, 20, 20), False, (False, False, False),
     "Tiêu chuẩn: Điều 74 Luật 06/2022. Tỷ lệ phiếu và thời hạn chưa đối chiếu văn bản."),
    ("BK-TINH-CD", "Bằng khen của Chủ tịch UBND tỉnh (theo chuyên đề, phong trào)", "both", "Chủ tịch UBND tỉnh",
     "thematic", False, FULL, False, (50, 50, 50), (20, 20, 20), False, (False, True, False),
     "Hồ sơ: tờ trình, báo cáo thành tích có xác nhận của cấp trình, biên bản họp Hội đồng (01 bộ). "
     "Không dùng làm căn cứ đề nghị khen thưởng công trạng (Điều 4 Nghị định 98/2023)."),
    ("BK-TINH-DX", "Bằng khen của Chủ tịch UBND tỉnh (đột xuất)", "both", "Chủ tịch UBND tỉnh", "irregular", False,
     ["TOTRINH", "TOMTAT", "XACNHAN"], True, (50, 50, 50), (25, 25, 25), False, (False, False, False),
     "Thủ tục đơn giản (Điều 85 Luật 06/2022). Thời hạn 25 ngày làm việc theo ví dụ Hải Dương, chưa đối chiếu."),
    ("CO-TINH", "Cờ thi đua của UBND tỉnh", "collective", "Chủ tịch UBND tỉnh", "regular", True,
     ["TOTRINH", "BCTT_TT", "BIENBAN"], False, (50, 80, 80), (20, 20, 20), False, (False, False, False),
     "Bình xét, so sánh trong cụm, khối thi đua. Tỷ lệ phiếu ≥ 80% theo khoản 7 Điều 30 Nghị định 98/2023 "
     "(nguồn thứ cấp); Nghị định 152/2025 giữ mức này hay không: chưa đối chiếu."),
    ("TTLDXS", "Tập thể lao động xuất sắc", "collective", "Chủ tịch UBND tỉnh", "regular", True,
     ["TOTRINH", "BCTT_TT", "BIENBAN"], False, (50, 50, 50), (20, 20, 20), False, (False, False, False), ""),
    ("CSTD-TINH", "Chiến sĩ thi đua cấp tỉnh", "individual", "Chủ tịch UBND tỉnh", "regular", True,
     ["TOTRINH", "BCTT_CN", "BIENBAN", "SANGKIEN"], False, (90, 90, 90), (20, 20, 20), True, (True, False, False),
     "3 lần liên tục Chiến sĩ thi đua cơ sở và sáng kiến có phạm vi ảnh hưởng cấp tỉnh (Điều 22). "
     "Tỷ lệ phiếu ≥ 90% theo Nghị định 91/2017; theo Nghị định 98/2023 chưa đối chiếu."),
    ("CSTD-CS", "Chiến sĩ thi đua cơ sở", "individual", "Giám đốc sở, Chủ tịch UBND cấp huyện", "regular", True,
     ["TOTRINH", "BCTT_CN", "BIENBAN"], False, (50, 80, 80), (10, 10, 10), False, (False, False, False),
     "Đạt Lao động tiên tiến và hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến được công nhận (Điều 23)."),
    ("GIAYKHEN", "Giấy khen", "both", "Giám đốc sở, Chủ tịch UBND cấp huyện, cấp xã", "regular", False,
     FULL, True, (50, 50, 50), (10, 10, 10), False, (False, False, False),
     "Thời hạn 10 ngày làm việc theo ví dụ Cẩm Phả. Sau 01/7/2025 không còn cấp huyện: thẩm quyền theo "
     "Nghị định 152/2025 (chưa đối chiếu)."),
    ("LDTT", "Lao động tiên tiến", "individual", "Thủ trưởng cơ quan, đơn vị", "regular", True,
     ["TOTRINH", "BIENBAN"], False, (50, 50, 50), (10, 10, 10), False, (False, False, False), "Điều 24."),
    ("TTLDTT", "Tập thể lao động tiên tiến", "collective", "Thủ trưởng cơ quan, đơn vị", "regular", True,
     ["TOTRINH", "BCTT_TT", "BIENBAN"], False, (50, 50, 50), (10, 10, 10), False, (False, False, False), ""),
    # Decided above the province: the council passes them, the province proposes them with its own Tờ trình.
    ("BK-TTG", "Bằng khen của Thủ tướng Chính phủ", "both", "Thủ tướng Chính phủ", "regular", False,
     FULL, False, (50, 50, 50), (20, 20, 20), False, (False, False, False),
     "Tiêu chuẩn: Điều 73 Luật 06/2022. Tỉnh trình, Thủ tướng Chính phủ quyết định."),
    ("CSTD-TQ", "Chiến sĩ thi đua toàn quốc", "individual", "Thủ tướng Chính phủ", "regular", True,
     ["TOTRINH", "BCTT_CN", "BIENBAN", "SANGKIEN"], False, (90, 90, 90), (20, 20, 20), True, (False, False, False),
     "2 lần liên tục Chiến sĩ thi đua cấp tỉnh và sáng kiến có phạm vi ảnh hưởng toàn quốc (Điều 21)."),
    ("CO-CP", "Cờ thi đua của Chính phủ", "collective", "Thủ tướng Chính phủ", "regular", True,
     ["TOTRINH", "BCTT_TT", "BIENBAN"], False, (80, 80, 80), (20, 20, 20), False, (False, False, False),
     "Tập thể dẫn đầu phong trào thi đua (Điều 25 Luật 06/2022)."),
    ("HC-LD3", "Huân chương Lao động hạng Ba", "both", "Chủ tịch nước", "regular", False,
     FULL, False, (90, 90, 90), (20, 20, 20), False, (False, False, False), "Chủ tịch nước quyết định."),
]
DECIDED_ABOVE = {"BK-TTG", "CSTD-TQ", "CO-CP", "HC-LD3"}
# The award register (sổ khen thưởng) numbers each body's commendations per year in one series per family of forms:
# every kind of Bằng khen together, Giấy khen, Cờ thi đua, the emulation titles, orders (Huân chương).
REGISTER_FAMILIES = {
    "BK-TINH": "BK", "BK-TINH-CD": "BK", "BK-TINH-DX": "BK", "BK-TTG": "BK", "GIAYKHEN": "GK",
    "CO-TINH": "CO", "CO-CP": "CO", "TTLDXS": "DH", "CSTD-TINH": "DH", "CSTD-CS": "DH", "LDTT": "DH",
    "TTLDTT": "DH", "CSTD-TQ": "DH", "HC-LD3": "HC",
}

# Prize money per regime (the REGIMES above): (individual, collective, confirmed) coefficients of the base salary.
# None: the form has no prize money from the province's fund, or for that recipient kind.
_BK, _BK_152 = ("1.0", "2.0", False), ("1.5", "3.0", True)
PRIZES = {
    "BK-TINH": (_BK, _BK, _BK_152), "BK-TINH-CD": (_BK, _BK, _BK_152), "BK-TINH-DX": (_BK, _BK, _BK_152),
    "CO-TINH": ((None, "8.0", False), (None, "8.0", True), (None, "8.0", True)),
    "TTLDXS": ((None, "1.5", False), (None, "1.5", True), (None, "1.5", True)),
    "CSTD-TINH": (("3.0", None, False), ("3.0", None, True), ("3.0", None, True)),
    "CSTD-CS": (("1.0", None, False), ("1.0", None, True), ("1.0", None, True)),
    # Giấy khen: 0.3 for an individual under Decree 152/2025 is inferred from the collective's 0.6 (check).
    "GIAYKHEN": (("0.3", "0.6", False), ("0.3", "0.6", False), ("0.3", "0.6", False)),
    "LDTT": (("0.3", None, False), ("0.3", None, True), ("0.3", None, True)),
    "TTLDTT": ((None, "0.8", False), (None, "0.8", True), (None, "0.8", False)),
}
# Printed in the decisions (no verification remarks there: those are `prize_confirmed` and the catalogue page).
# Articles not checked against the text: Decree 91/2017 (none given), Decree 98/2023 Art 53 (rounding, as the issue
# and the data README cite it; the coefficients' articles, "Art 54+" in the notes, are not named).
PRIZE_BASIS = [
    "Nghị định 91/2017/NĐ-CP",
    "Nghị định 98/2023/NĐ-CP",
    "Điều 49 Nghị định 152/2025/NĐ-CP",
]

# Mức lương cơ sở: amount, from, to, legal basis, confirmed, note.
BASE_SALARIES = [
    (1490000, D(2019, 7, 1), D(2023, 6, 30), "Nghị định 38/2019/NĐ-CP", True,
     "Mức lương: nguồn công khai (shared data README). Số hiệu nghị định: theo hiểu biết chung, chưa đối chiếu."),
    (1800000, D(2023, 7, 1), D(2024, 6, 30), "Nghị định 24/2023/NĐ-CP", True,
     "Mức lương: nguồn công khai (shared data README). Số hiệu nghị định: theo hiểu biết chung, chưa đối chiếu."),
    (2340000, D(2024, 7, 1), D(2026, 6, 30), "Nghị định 73/2024/NĐ-CP", True,
     "Mức lương: nguồn công khai (shared data README). Số hiệu nghị định: theo hiểu biết chung, chưa đối chiếu."),
    (2530000, D(2026, 7, 1), None, "Nghị định 161/2026/NĐ-CP", True, "Nguồn công khai (shared data README)."),
]

# "Căn cứ …" lines of a commendation decision: text, from, to, order, confirmed.
LEGAL_BASES = [
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
     "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
     D(2015, 7, 1), D(2025, 2, 28), 1, False),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;", D(2025, 3, 1), D(2025, 6, 30), 1, False),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", D(2025, 7, 1), None, 1, False),
    ("Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của Luật Thi "
     "đua, khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013;", D(2005, 6, 14), D(2023, 12, 31), 2,
     False),
    ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", D(2024, 1, 1), None, 2, True),
    ("Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành một số "
     "điều của Luật Thi đua, khen thưởng;", D(2017, 7, 31), D(2023, 12, 31), 3, False),
    ("Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số "
     "điều của Luật Thi đua, khen thưởng;", D(2024, 1, 1), D(2025, 6, 30), 3, False),
    ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết một số điều của "
     "Luật Thi đua, khen thưởng;", D(2025, 7, 1), None, 3, False),
]

# The appendix forms the generated dossier documents follow, per regime: kind, checklist document type it stands
# for, form number, "ban hành kèm theo …", from, to, confirmed, note. Sources: shared notes §3.2 (Decree 98/2023,
# Phụ lục I: Mẫu 01 tờ trình / văn bản đề nghị, Mẫu 02 báo cáo thành tích tập thể, Mẫu 03 cá nhân, checked against
# secondary sources citing the decree) and the list of the nine report forms of Decree 91/2017 (Mẫu số 01
# tập thể, Mẫu số 02 cá nhân; dichvubaocaothue.vn). Decree 152/2025's appendix was not found in the sources
# searched: its numbers are kept as Decree 98/2023's and marked unconfirmed for Sở Nội vụ to check. The list of
# nominees is the "danh sách kèm theo" the Tờ trình announces: no form number of its own.
_DT_98 = "ban hành kèm theo Nghị định số 98/2023/NĐ-CP"
_DT_152 = "ban hành kèm theo Nghị định số 152/2025/NĐ-CP"
_DT_91 = "ban hành kèm theo Nghị định số 91/2017/NĐ-CP"
_UNCHECKED_152 = ("Phụ lục của Nghị định 152/2025/NĐ-CP chưa đối chiếu: số mẫu tạm giữ như Nghị định 98/2023/NĐ-CP; "
                  "Sở Nội vụ kiểm tra và sửa nếu khác.")
DOSSIER_TEMPLATES = [
    ("proposal", None, "", "Tờ trình theo thể thức Nghị định số 30/2020/NĐ-CP", D(2017, 7, 31), D(2023, 12, 31),
     False, "Nghị định 91/2017/NĐ-CP không có mẫu tờ trình riêng (chưa đối chiếu)."),
    ("report_collective", "BCTT_TT", "Mẫu số 01", _DT_91, D(2017, 7, 31), D(2023, 12, 31), False,
     "Nguồn thứ cấp (danh sách 09 mẫu báo cáo thành tích của Nghị định 91/2017/NĐ-CP)."),
    ("report_individual", "BCTT_CN", "Mẫu số 02", _DT_91, D(2017, 7, 31), D(2023, 12, 31), False,
     "Nguồn thứ cấp (danh sách 09 mẫu báo cáo thành tích của Nghị định 91/2017/NĐ-CP)."),
    ("list", None, "", "Danh sách kèm theo Tờ trình", D(2017, 7, 31), D(2023, 12, 31), True, ""),
    ("proposal", "TOTRINH", "Mẫu số 01", _DT_98, D(2024, 1, 1), D(2025, 6, 30), True, "Phụ lục I."),
    ("report_collective", "BCTT_TT", "Mẫu số 02", _DT_98, D(2024, 1, 1), D(2025, 6, 30), True, "Phụ lục I."),
    ("report_individual", "BCTT_CN", "Mẫu số 03", _DT_98, D(2024, 1, 1), D(2025, 6, 30), True, "Phụ lục I."),
    ("list", None, "", "Danh sách kèm theo Tờ trình (Mẫu số 01)", D(2024, 1, 1), D(2025, 6, 30), True, ""),
    ("proposal", "TOTRINH", "Mẫu số 01", _DT_152, D(2025, 7, 1), None, False, _UNCHECKED_152),
    ("report_collective", "BCTT_TT", "Mẫu số 02", _DT_152, D(2025, 7, 1), None, False, _UNCHECKED_152),
    ("report_individual", "BCTT_CN", "Mẫu số 03", _DT_152, D(2025, 7, 1), None, False, _UNCHECKED_152),
    ("list", None, "", "Danh sách kèm theo Tờ trình (Mẫu số 01)", D(2025, 7, 1), None, False, _UNCHECKED_152),
]

# Public holidays (nghỉ lễ, Tết, nghỉ bù) of the years the plan covers; check each year's official notice.
HOLIDAYS = [
    (D(2023, 1, 2), "Nghỉ bù Tết Dương lịch"), *[(D(2023, 1, d), "Tết Nguyên đán") for d in range(20, 27)],
    (D(2023, 5, 1), "Quốc tế Lao động"), (D(2023, 5, 2), "Nghỉ bù Giỗ Tổ Hùng Vương"),
    (D(2023, 5, 3), "Nghỉ bù Ngày Giải phóng miền Nam"), (D(2023, 9, 1), "Quốc khánh"),
    (D(2023, 9, 4), "Nghỉ bù Quốc khánh"),
    (D(2024, 1, 1), "Tết Dương lịch"), *[(D(2024, 2, d), "Tết Nguyên đán") for d in range(8, 15)],
    (D(2024, 4, 18), "Giỗ Tổ Hùng Vương"), (D(2024, 4, 29), "Nghỉ hoán đổi"),
    (D(2024, 4, 30), "Ngày Giải phóng miền Nam"),
    (D(2024, 5, 1), "Quốc tế Lao động"), (D(2024, 9, 2), "Quốc khánh"), (D(2024, 9, 3), "Quốc khánh"),
    (D(2025, 1, 1), "Tết Dương lịch"), *[(D(2025, 1, d), "Tết Nguyên đán") for d in range(25, 32)],
    (D(2025, 2, 1), "Tết Nguyên đán"), (D(2025, 2, 2), "Tết Nguyên đán"), (D(2025, 4, 7), "Giỗ Tổ Hùng Vương"),
    (D(2025, 4, 30), "Ngày Giải phóng miền Nam"), (D(2025, 5, 1), "Quốc tế Lao động"), (D(2025, 5, 2), "Nghỉ hoán đổi"),
    (D(2025, 9, 1), "Quốc khánh"), (D(2025, 9, 2), "Quốc khánh"),
    (D(2026, 1, 1), "Tết Dương lịch"), *[(D(2026, 2, d), "Tết Nguyên đán") for d in range(16, 21)],
    (D(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương"), (D(2026, 4, 30), "Ngày Giải phóng miền Nam"),
    (D(2026, 5, 1), "Quốc tế Lao động"), (D(2026, 9, 1), "Quốc khánh"), (D(2026, 9, 2), "Quốc khánh"),
]


def ensure_catalogue(apps=None):
    """Create the document types, award forms with one rule per legal regime, and holidays, if missing."""
    if apps is None:
        from django.apps import apps
    DocumentType = apps.get_model("awards", "DocumentType")
    AwardForm = apps.get_model("awards", "AwardForm")
    AwardRule = apps.get_model("awards", "AwardRule")
    PublicHoliday = apps.get_model("awards", "PublicHoliday")
    BaseSalary = apps.get_model("awards", "BaseSalary")
    LegalBasis = apps.get_model("awards", "LegalBasis")

    types = {}
    for code, name, number, applies_to, order in DOCUMENT_TYPES:
        types[code], _ = DocumentType.objects.get_or_create(
            code=code, defaults={"name": name, "form_number": number, "applies_to": applies_to, "order": order})
    created = 0
    for order, (code, name, kind, authority, basis, is_title, documents, simplified, thresholds, days,
                needs_initiative, confirmed, note) in enumerate(FORMS, start=1):
        form, made = AwardForm.objects.get_or_create(code=code, defaults={
            "name": name, "recipient_kind": kind, "authority": authority, "basis": basis, "is_title": is_title,
            "order": order, "decided_above": code in DECIDED_ABOVE})
        created += made
        if not form.register_family and code in REGISTER_FAMILIES:  # set once; an administrator's choice stays
            form.register_family = REGISTER_FAMILIES[code]
            form.save(update_fields=["register_family"])
        for index, (legal_basis, start, end) in enumerate(REGIMES):
            existing = AwardRule.objects.filter(form=form, valid_from=start).first()
            if existing is not None:
                if not existing.prize_basis and existing.prize_individual is None and existing.prize_collective is None:
                    _set_prize(existing, code, index)  # added to the catalogue later: filled once, never overwritten
                    existing.save()
                continue
            rule = AwardRule.objects.create(
                form=form, legal_basis=legal_basis, valid_from=start, valid_to=end,
                simplified_allowed=simplified, vote_threshold=thresholds[index],
                appraisal_working_days=days[index], requires_initiative=needs_initiative,
                confirmed=confirmed[index], note=note, **_set_prize(None, code, index))
            rule.required_documents.set([types[c] for c in documents])
            if simplified:
                rule.simplified_documents.set([types[c] for c in SIMPLE])
    # Chiến sĩ thi đua cấp tỉnh: 3 consecutive times Chiến sĩ thi đua cơ sở (Law 06/2022 Art 22).
    for rule in AwardRule.objects.filter(form__code="CSTD-TINH", prerequisite_form__isnull=True,
                                         prerequisite_years=0):
        rule.prerequisite_form = AwardForm.objects.filter(code="CSTD-CS").first()
        rule.prerequisite_years = 3
        rule.save(update_fields=["prerequisite_form", "prerequisite_years"])
    for day, name in HOLIDAYS:
        PublicHoliday.objects.get_or_create(date=day, defaults={"name": name})
    for amount, start, end, legal_basis, checked, note in BASE_SALARIES:
        BaseSalary.objects.get_or_create(valid_from=start, defaults={
            "amount": amount, "valid_to": end, "legal_basis": legal_basis, "confirmed": checked, "note": note})
    for text, start, end, order, checked in LEGAL_BASES:
        LegalBasis.objects.get_or_create(valid_from=start, order=order, defaults={
            "text": text, "valid_to": end, "confirmed": checked,
            "note": "" if checked else "Chưa đối chiếu văn bản gốc (ngày ban hành, tên văn bản)."})
    ensure_dossier_templates(apps)
    ensure_issuers(apps)
    return created


def ensure_dossier_templates(apps=None):
    """The appendix forms of the generated dossier documents (DOSSIER_TEMPLATES), if missing; never overwritten."""
    if apps is None:
        from django.apps import apps
    DocumentType = apps.get_model("awards", "DocumentType")
    DossierTemplate = apps.get_model("awards", "DossierTemplate")
    types = {t.code: t for t in DocumentType.objects.all()}
    for kind, doc_type, number, basis, start, end, checked, note in DOSSIER_TEMPLATES:
        row, made = DossierTemplate.objects.get_or_create(kind=kind, valid_from=start, defaults={
            "doc_type": types.get(doc_type), "form_number": number, "legal_basis": basis, "valid_to": end,
            "confirmed": checked, "note": note})
        if not made and row.doc_type_id is None and types.get(doc_type) is not None:
            # seeded by the migration before the document types existed: linked once, never overwritten
            row.doc_type = types[doc_type]
            row.save(update_fields=["doc_type"])


def _set_prize(rule, code, index):
    """The prize fields of the seed for form `code` under regime `index` (set on `rule` when given)."""
    individual, collective, checked = PRIZES.get(code, ((None, None, False),) * len(REGIMES))[index]
    values = {"prize_individual": Decimal(individual) if individual else None,
              "prize_collective": Decimal(collective) if collective else None,
              "prize_basis": PRIZE_BASIS[index] if (individual or collective) else "",
              "prize_confirmed": checked, "prize_rounding": 10000}
    if rule is not None:
        for name, value in values.items():
            setattr(rule, name, value)
    return values


def abbreviation(name):
    """The symbol abbreviation from a body's name: "Sở Nội vụ" → "SNV", "Sở Nông nghiệp và Môi trường" → "SNNMT"."""
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w and w.lower() not in ("và", "của")]
    letters = [unicodedata.normalize("NFD", w)[0] for w in words]
    return unicodedata.normalize("NFC", "".join(letters)).upper()


def ensure_issuers(apps=None):
    """The issuing bodies of the award documents, from the unit tree: the provincial People's Committee (its
    Chairman decides), the Department of Home Affairs (its Tờ trình) and the provincial council (its minutes).
    Created once when the units exist; names, symbols and titles stay editable in the admin."""
    if apps is None:
        from django.apps import apps
    Unit = apps.get_model("units", "Unit")
    IssuingBody = apps.get_model("core", "IssuingBody")
    made = []
    # Every province People's Committee of the tree: after a restructuring the next one's bodies issue the
    # documents dated after it (awards.selectors.decision_issuer picks the one in force on the document's date).
    for province in Unit.objects.filter(kind="province").order_by("path"):
        made += _province_issuers(Unit, IssuingBody, province)
    return made


def _province_issuers(Unit, IssuingBody, province):
    place = re.sub(r"^.*\b(?:tỉnh|thành phố)\s+", "", province.name, flags=re.IGNORECASE).strip()
    heading = re.sub(r"^(ủy|uỷ) ban nhân dân\b", "UBND", province.name, flags=re.IGNORECASE).upper()
    made = []
    body, _ = IssuingBody.objects.get_or_create(key=province.code, defaults={
        "name": province.name, "abbreviation": "UBND", "place": place, "head_title": "Chủ tịch",
        "valid_from": province.valid_from, "valid_to": province.valid_to,
        "deputy_title": "Phó Chủ tịch", "collective": "Ủy ban nhân dân",
        "fund": f"Quỹ Thi đua, khen thưởng tỉnh {place}"})
    made.append(body)
    home_affairs = (Unit.objects.filter(parent=province, kind="department", name__iexact="Sở Nội vụ").first()
                    or Unit.objects.filter(parent=province, code="SNV").first()
                    or Unit.objects.filter(parent=province, kind="department", search_name__startswith="so noi vu")
                    .order_by("path").first())
    if home_affairs is not None:
        # "Sở Nội vụ tỉnh Lâm Đồng" heads its documents "SỞ NỘI VỤ" under "UBND TỈNH LÂM ĐỒNG".
        name = re.sub(r"\s+(?:tỉnh|thành phố)\s+.*$", "", home_affairs.name, flags=re.IGNORECASE).strip()
        body, _ = IssuingBody.objects.get_or_create(key=home_affairs.code, defaults={
            "name": name, "abbreviation": abbreviation(name), "governing": heading,
            "place": place, "head_title": "Giám đốc", "deputy_title": "Phó Giám đốc",
            "valid_from": home_affairs.valid_from, "valid_to": home_affairs.valid_to})
        made.append(body)
    body, _ = IssuingBody.objects.get_or_create(key=council_key(province.code), defaults={
        "name": "Hội đồng Thi đua - Khen thưởng tỉnh", "abbreviation": "HĐTĐKT", "governing": heading,
        "place": place, "head_title": "Chủ tịch Hội đồng", "deputy_title": "Phó Chủ tịch Hội đồng"})
    made.append(body)
    return made


def council_key(province_code):
    return f"{province_code}-HDTDKT"
