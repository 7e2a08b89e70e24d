"""Biểu 0602.N (State-level awards) of the same circular as 0601.N and 0603.N (see migration 0005 for the source and
why the rows are `confirmed=False`): frame taken from the open-source LIFESOFT system's Mau0602 (secondary source)."""

import datetime

from django.db import migrations

CIRCULAR = "Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ"
NOTE = ("Khung biểu dựng theo bản mẫu của phần mềm LIFESOFT (nguồn thứ cấp); chưa đối chiếu văn bản gốc của Thông tư "
        "02/2023/TT-BNV (mã số dòng 04, 05 không có trong bản mẫu; số cột của từng loại huân chương, danh hiệu vinh "
        "dự nhà nước). Thông tư 18/2025/TT-BNV ngày 08/10/2025: chưa xác minh biểu mẫu thi đua, khen thưởng.")


def seed(apps, schema_editor):
    StatisticsForm = apps.get_model("reports", "StatisticsForm")
    StatisticsForm.objects.get_or_create(code="0602.N", valid_from=datetime.date(2023, 3, 23), defaults={
        "symbol": "0602.N/BNV-TĐKT", "title": "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC", "circular": CIRCULAR,
        "receiving_unit": "Bộ Nội vụ", "receiving_date": "Ngày 15 tháng 12 năm báo cáo", "unit_of_measure": "",
        "confirmed": False, "note": NOTE})


def unseed(apps, schema_editor):
    apps.get_model("reports", "StatisticsForm").objects.filter(code="0602.N").delete()


class Migration(migrations.Migration):

    dependencies = [("reports", "0005_statistics_forms_seed")]

    operations = [migrations.RunPython(seed, unseed)]
