"""The statistical forms of the emulation and commendation sector, as data (see `reports.statistics`).

Source: the form frames of Thông tư 02/2023/TT-BNV as rebuilt by the open-source LIFESOFT system (a secondary
source: resources/views/BaoCao/TT022023/Mau0601 and Mau0603 of lifephongphanmem/thiduakhenthuong); the circular's
own text, its effective date and the receiving unit were not checked, so the rows are `confirmed=False`. Thông tư
18/2025/TT-BNV (08/10/2025) regulates the same reporting regime; whether it replaces these forms was not verified.
"""

import datetime

from django.db import migrations

CIRCULAR = "Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ"
NOTE = ("Khung biểu dựng theo bản mẫu của phần mềm LIFESOFT (nguồn thứ cấp); chưa đối chiếu văn bản gốc của Thông tư "
        "02/2023/TT-BNV (ngày có hiệu lực, đơn vị nhận báo cáo). Thông tư 18/2025/TT-BNV ngày 08/10/2025 quy định chế "
        "độ báo cáo thống kê ngành Nội vụ: chưa xác minh biểu mẫu thi đua, khen thưởng của Thông tư này; khi đã đối "
        "chiếu, đặt ngày hết áp dụng cho dòng này và thêm dòng của văn bản mới.")
FORMS = [
    ("0601.N", "0601.N/BNV-TĐKT", "SỐ PHONG TRÀO THI ĐUA", "Phong trào"),
    ("0603.N", "0603.N/BNV-TĐKT",
     "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG", ""),
]


def seed(apps, schema_editor):
    StatisticsForm = apps.get_model("reports", "StatisticsForm")
    for code, symbol, title, unit in FORMS:
        StatisticsForm.objects.get_or_create(code=code, valid_from=datetime.date(2023, 3, 23), defaults={
            "symbol": symbol, "title": title, "circular": CIRCULAR, "receiving_unit": "Bộ Nội vụ",
            "receiving_date": "Ngày 15 tháng 12 năm báo cáo", "unit_of_measure": unit, "confirmed": False,
            "note": NOTE})


class Migration(migrations.Migration):

    dependencies = [("reports", "0004_signers_register_statistics")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
