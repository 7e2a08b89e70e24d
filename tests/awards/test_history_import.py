"""Earlier awards imported from Excel: every row checked, all errors listed with row numbers, all or nothing."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from awards.history_import import HEADERS
from awards.models import CommendationRecord
from core.models import AuditEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows, name="lich-su.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def test_template_downloads_and_imports_back(client_for, users, tree, catalogue):
    client = client_for(users["admin"])
    response = client.get(reverse("awards:history_template"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets
    assert [c.value for c in sheet[0][1]] == HEADERS
    assert any(row[0].value == "CSTD-TINH" for row in sheet[1].iter_rows(min_row=2))
    upload = SimpleUploadedFile("mau.xlsx", response.content, content_type=XLSX)
    client.post(reverse("awards:history_import"), {"file": upload})
    record = CommendationRecord.objects.get()
    assert (record.unit.code, record.form.code, record.year) == ("DM-01", "TTLDXS", 2022)
    assert record.decision_date == datetime.date(2023, 1, 16)
    assert AuditEntry.objects.filter(action="commendation_import").count() == 1


def test_every_bad_row_is_listed_and_nothing_is_written(client_for, users, tree, people, catalogue):
    rows = [
        ["DM-01", "", "TTLDXS", 2022, "88/QĐ-UBND", "16/01/2023", ""],          # fine
        ["", "DM01-001", "CO-TINH", 2022, "89/QĐ-UBND", "16/01/2023", ""],      # a flag for a person
        ["XX-99", "", "GIAYKHEN", 2021, "1/QĐ", "01/02/2022", ""],              # unknown unit
        ["DM", "", "GIAYKHEN", "năm", "", "32/13/2022", ""],                    # bad year, number, date
        ["DM", "DM01-001", "GIAYKHEN", 2021, "2/QĐ", "01/02/2022", ""],         # both columns
        ["DM-01", "", "=1+1", 2021, "3/QĐ", "01/02/2022", ""],                  # a formula
    ]
    response = client_for(users["admin"]).post(reverse("awards:history_import"), {"file": _xlsx(rows)})
    page = response.content.decode()
    assert "Dòng 3: hình thức “Cờ thi đua của UBND tỉnh” không dành cho đối tượng này." in page
    assert "Dòng 4: không có đơn vị mã XX-99." in page
    assert "Dòng 5: năm không hợp lệ; thiếu số quyết định; ngày quyết định phải có dạng dd/mm/yyyy." in page
    assert "Dòng 6: ghi đúng một trong hai cột" in page
    assert "Dòng 7: có công thức" in page
    assert not CommendationRecord.objects.exists()


def test_only_admin_imports_and_repeats_are_skipped(client_for, users, tree, people, catalogue):
    rows = [["", "DM01-001", "CSTD-CS", 2022, "7/QĐ-UBND", datetime.date(2022, 12, 30), "Nhập lại"]]
    assert client_for(users["appraiser"]).get(reverse("awards:history_import")).status_code == 403
    client = client_for(users["admin"])
    client.post(reverse("awards:history_import"), {"file": _xlsx(rows)})
    client.post(reverse("awards:history_import"), {"file": _xlsx(rows)})
    assert CommendationRecord.objects.filter(person=people["an"]).count() == 1


def test_a_renamed_file_is_refused(client_for, users, catalogue):
    fake = SimpleUploadedFile("lich-su.xlsx", b"%PDF-1.4 not excel", content_type=XLSX)
    response = client_for(users["admin"]).post(reverse("awards:history_import"), {"file": fake})
    # The shared refusal of every Excel import (core.forms.ExcelImportField), before the file is read
    assert "Tệp tải lên không phải bảng tính Excel (.xlsx) hợp lệ." in response.content.decode()
    assert not CommendationRecord.objects.exists()
