"""Browser import (upload → preview → confirm) and the scoped exports, through the Django test client."""

import io

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from units.models import Person, Unit

from .test_excel import PEOPLE_HEADERS, UNIT_HEADERS, xlsx

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(content, name="danh-sach.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


def pending_files():
    storage = storages["private"]
    if not storage.exists("imports"):
        return []
    return storage.listdir("imports")[1]


def new_units_file():
    return xlsx(UNIT_HEADERS, [
        ["GN-02.VP", "Văn phòng phường Nghĩa Phú", "Phòng, ban chuyên môn", "GN-02", None, None, None, None],
        ["GN-02", "Ủy ban nhân dân phường Nghĩa Phú", "UBND cấp xã", "GN", "CUM1", "01/01/2025", None, None],
    ])


def test_unit_import_upload_preview_confirm(client_for, users, tree):
    client = client_for(users["admin"])
    url = reverse("units:import")

    response = client.get(url)
    assert response.status_code == 200
    assert reverse("units:export") in response.content.decode()

    response = client.post(url, {"file": upload(new_units_file())})
    assert response.status_code == 200
    page = response.content.decode()
    result = response.context["result"]
    assert result.ok and (result.new, result.updated, result.unchanged) == (2, 0, 0)
    assert "Xác nhận nhập" in page and "Văn phòng phường Nghĩa Phú" in page
    assert not Unit.objects.filter(code__startswith="GN-02").exists()
    token = response.context["token"]
    assert len(pending_files()) == 1
    stored = client.session["pending_imports"][token]["name"]
    assert stored.startswith("imports/") and stored.isascii()

    response = client.post(url, {"confirm": token})
    assert response.status_code == 302 and response.url == reverse("units:list")
    child = Unit.objects.get(code="GN-02.VP")
    assert child.path == "DNO/GN/GN-02/GN-02.VP/"
    assert pending_files() == []
    assert token not in client.session.get("pending_imports", {})
    entry = AuditEntry.objects.get(action="units_import")
    assert entry.actor == users["admin"] and entry.target_label == "danh-sach.xlsx"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("2 đơn vị mới" in m for m in messages)

    # The token is single-use.
    response = client.post(url, {"confirm": token})
    assert response.status_code == 302 and response.url == url
    assert AuditEntry.objects.filter(action="units_import").count() == 1


def test_unit_import_with_errors_shows_them_and_keeps_nothing(client_for, users, tree):
    client = client_for(users["admin"])
    count = Unit.objects.count()
    content = xlsx(UNIT_HEADERS, [
        ["GN-02", "Phường A", "UBND cấp xã", "GN", None, None, None, None],
        ["GN-03", "Phường B", "Không rõ", "GN", None, None, None, None],
        ["GN-04", "Phường C", "UBND cấp xã", "GN", None, "ngày mai", None, None],
    ])
    response = client.post(reverse("units:import"), {"file": upload(content)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dòng 3:" in page and "Dòng 4:" in page
    assert "Không có dữ liệu nào được ghi" in page
    assert "token" not in response.context or not response.context["token"]
    assert pending_files() == []
    assert Unit.objects.count() == count


def test_cancel_discards_the_pending_file(client_for, users, tree):
    client = client_for(users["admin"])
    response = client.post(reverse("units:import"), {"file": upload(new_units_file())})
    token = response.context["token"]
    response = client.post(reverse("units:import"), {"cancel": token})
    assert response.status_code == 302
    assert pending_files() == []
    assert not Unit.objects.filter(code="GN-02").exists()


@pytest.mark.parametrize("content, name, message", [
    (b"ma,ten\nGN-02,Phuong\n", "danh-sach.xlsx", "không phải bảng tính Excel (.xlsx)"),
    (b"", "trong.xlsx", "trống"),
    (b"%PDF-1.4 not a spreadsheet", "tai-lieu.pdf", "không phải bảng tính Excel (.xlsx)"),
])
def test_bad_uploads_are_rejected(client_for, users, tree, content, name, message):
    client = client_for(users["admin"])
    response = client.post(reverse("units:import"), {"file": upload(content, name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "result" not in response.context or response.context["result"] is None
    assert pending_files() == []


def test_too_large_uploads_are_rejected(client_for, users, tree, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    client = client_for(users["admin"])
    response = client.post(reverse("units:import"), {"file": upload(new_units_file())})
    assert response.status_code == 200
    assert "Tệp quá lớn" in response.content.decode()
    assert pending_files() == []


def test_unit_import_is_for_administrators_only(client_for, users, tree):
    for role in ("gn_officer", "appraiser", "leader"):
        client = client_for(users[role])
        assert client.get(reverse("units:import")).status_code == 403
        response = client.post(reverse("units:import"), {"file": upload(new_units_file())})
        assert response.status_code == 403
    assert not Unit.objects.filter(code="GN-02").exists()


def test_anonymous_users_are_sent_to_login(client, tree):
    for name in ("units:import", "units:people_import"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_people_import_by_officer(client_for, users, people, tree):
    client = client_for(users["gn_officer"])
    url = reverse("units:people_import")
    content = xlsx(PEOPLE_HEADERS, [
        [people["cuong"].pk, "Lê Văn Cường", "Nam", "Chủ tịch", "GN-01", None],
        [None, "Đỗ Thị Hoa", "Nữ", "Văn thư", "GN-01", "GN01-009"],
    ])
    response = client.post(url, {"file": upload(content)})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.new, result.updated) == (1, 1)
    response = client.post(url, {"confirm": response.context["token"]})
    assert response.status_code == 302 and response.url == reverse("units:people")
    assert Person.objects.get(pk=people["cuong"].pk).position == "Chủ tịch"
    assert Person.objects.get(staff_code="GN01-009").unit == tree["gn01"]


def test_officer_people_import_outside_scope_is_a_row_error(client_for, users, people, tree):
    client = client_for(users["gn_officer"])
    count = Person.objects.count()
    content = xlsx(PEOPLE_HEADERS, [
        [None, "Người ở Gia Nghĩa", "Nam", None, "GN-01", None],
        [None, "Người ở Đắk Mil", "Nữ", None, "DM-01", None],
    ])
    response = client.post(reverse("units:people_import"), {"file": upload(content)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dòng 3:" in page and "không thuộc phạm vi quản lý của bạn" in page
    assert Person.objects.count() == count


def test_read_only_roles_cannot_import_people(client_for, users, tree):
    for role in ("appraiser", "leader"):
        assert client_for(users[role]).get(reverse("units:people_import")).status_code == 403


def test_officer_exports_are_scoped(client_for, users, people, tree):
    client = client_for(users["gn_officer"])
    response = client.get(reverse("units:people_export"), {"unit": "DM-01"})
    assert response.status_code == 404

    response = client.get(reverse("units:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {"GN", "GN-01"}

    response = client.get(reverse("units:people_export"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Lê Văn Cường"]


def test_a_second_upload_replaces_the_pending_one(client_for, users, tree):
    client = client_for(users["admin"])
    first = client.post(reverse("units:import"), {"file": upload(new_units_file())}).context["token"]
    second = client.post(reverse("units:import"), {"file": upload(new_units_file())}).context["token"]
    assert len(pending_files()) == 1
    response = client.post(reverse("units:import"), {"confirm": first})
    assert response.url == reverse("units:import")
    response = client.post(reverse("units:import"), {"confirm": second})
    assert response.url == reverse("units:list")
    assert Unit.objects.filter(code="GN-02").exists()


def test_zip_bombs_are_refused_before_parsing(client_for, users, tree, monkeypatch):
    from core import forms

    monkeypatch.setattr(forms, "MAX_UNCOMPRESSED_BYTES", 1000)
    response = client_for(users["admin"]).post(reverse("units:import"), {"file": upload(new_units_file())})
    assert "quá lớn khi giải nén" in response.content.decode()
    assert pending_files() == []


def test_an_upload_received_on_disk_is_checked_previewed_and_imported(client_for, users, tree, settings):
    """Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE arrive as temporary files: the shared checks read them and the
    pending copy in private storage is the uploaded file, byte for byte."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    client = client_for(users["admin"])
    content = new_units_file()
    response = client.post(reverse("units:import"), {"file": upload(content)})
    assert response.status_code == 200
    assert response.context["result"].ok
    token = response.context["token"]
    with storages["private"].open(client.session["pending_imports"][token]["name"], "rb") as stored:
        assert stored.read() == content
    response = client.post(reverse("units:import"), {"confirm": token})
    assert response.status_code == 302 and response.url == reverse("units:list")
    assert Unit.objects.filter(code="GN-02.VP").exists()


def test_an_empty_file_on_disk_is_refused(client_for, users, tree, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    response = client_for(users["admin"]).post(reverse("units:import"), {"file": upload(b"", "trong.xlsx")})
    assert "Tệp tải lên đang trống" in response.content.decode()
    assert pending_files() == []
