"""The initial award catalogue and public holidays, loaded as DATA (editable afterwards in the admin).

Sources: shared research notes §2–§3 (Law 06/2022/QH15, Decree 91/2017, Decree 98/2023, Decree 152/2025).
Every value the notes mark as not verified is loaded with `confirmed=False`, so Sở Nội vụ sees it must be checked.
`ensure_catalogue()` is idempotent: it creates what is missing and never overwrites what an administrator edited.
"""

import datetime

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
     ["TOTRINH", "BCTT_TT", "BIENBAN"], False, (50, 50, 50), (20, 20, 20), False, (False, False, False),
     "Bình xét, so sánh trong cụm, khối thi đua."),
    ("TTLDXS", "Tập thể lao động xuất sắc", "collective", "Chủ tịch UBND tỉnh", "regular", True,
     ["TOTRINH", "BCTT_TT", "BIENBAN"], False, (50, 50, 50), (20, 20, 20), False, (False, False, False), ""),
    ("CSTD-TINH", "Chiến sĩ thi đua cấp tỉnh", "individual", "Chủ tịch UBND tỉnh", "regular", True,
     ["TOTRINH", "BCTT_CN", "BIENBAN", "SANGKIEN"], False, (90, 90, 90), (20, 20, 20), True, (True, False, False),
     "3 lần liên tục Chiến sĩ thi đua cơ sở và sáng kiến có phạm vi ảnh hưởng cấp tỉnh (Điều 22). "
     "Tỷ lệ phiếu ≥ 90% theo Nghị định 91/2017; theo Nghị định 98/2023 chưa đối chiếu."),
    ("CSTD-CS", "Chiến sĩ thi đua cơ sở", "individual", "Giám đốc sở, Chủ tịch UBND cấp huyện", "regular", True,
     ["TOTRINH", "BCTT_CN", "BIENBAN"], False, (50, 50, 50), (10, 10, 10), False, (False, False, False),
     "Đạt Lao động tiên tiến và hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến được công nhận (Điều 23)."),
    ("GIAYKHEN", "Giấy khen", "both", "Giám đốc sở, Chủ tịch UBND cấp huyện, cấp xã", "regular", False,
     FULL, True, (50, 50, 50), (10, 10, 10), False, (False, False, False),
     "Thời hạn 10 ngày làm việc theo ví dụ Cẩm Phả. Sau 01/7/2025 không còn cấp huyện: thẩm quyền theo "
     "Nghị định 152/2025 (chưa đối chiếu)."),
    ("LDTT", "Lao động tiên tiến", "individual", "Thủ trưởng cơ quan, đơn vị", "regular", True,
     ["TOTRINH", "BIENBAN"], False, (50, 50, 50), (10, 10, 10), False, (False, False, False), "Điều 24."),
    ("TTLDTT", "Tập thể lao động tiên tiến", "collective", "Thủ trưởng cơ quan, đơn vị", "regular", True,
     ["TOTRINH", "BCTT_TT", "BIENBAN"], False, (50, 50, 50), (10, 10, 10), False, (False, False, False), ""),
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

    types = {}
    for code, name, number, applies_to, order in DOCUMENT_TYPES:
        types[code], _ = DocumentType.objects.get_or_create(
            code=code, defaults={"name": name, "form_number": number, "applies_to": applies_to, "order": order})
    created = 0
    for order, (code, name, kind, authority, basis, is_title, documents, simplified, thresholds, days,
                needs_initiative, confirmed, note) in enumerate(FORMS, start=1):
        form, made = AwardForm.objects.get_or_create(code=code, defaults={
            "name": name, "recipient_kind": kind, "authority": authority, "basis": basis, "is_title": is_title,
            "order": order})
        created += made
        for index, (legal_basis, start, end) in enumerate(REGIMES):
            if AwardRule.objects.filter(form=form, valid_from=start).exists():
                continue
            rule = AwardRule.objects.create(
                form=form, legal_basis=legal_basis, valid_from=start, valid_to=end,
                simplified_allowed=simplified, vote_threshold=thresholds[index],
                appraisal_working_days=days[index], requires_initiative=needs_initiative,
                confirmed=confirmed[index], note=note)
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
    return created
