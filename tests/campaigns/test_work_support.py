"""Shared helpers for the units' work tests: real files made in code, storage inspection, fixtures. No tests here."""

import io
import os
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.models import EvidenceFile, Registration
from units.models import Role, User

from ..conftest import PASSWORD


def pdf_bytes(text="Minh chung"):
    """A tiny but structurally valid one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
    ]
    stream = f"BT /F1 12 Tf 10 50 Td ({text}) Tj ET".encode()
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
            'main+xml"/></Types>'))
        archive.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Báo cáo</w:t></w:r></w:p></w:body></w:document>'))
    return buffer.getvalue()


def xlsx_bytes(macro=False):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Danh sách"
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not macro:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            archive.writestr(name, data)
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 512)
    return out.getvalue()


def image_bytes(fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def hostile_uploads():
    """(label, name, content) of files every upload field must refuse (the over-limit one needs a small limit)."""
    with open("/bin/ls", "rb") as handle:
        executable = handle.read(5000)
    return [
        ("executable", "chuong-trinh.pdf", executable),
        ("html", "trang.docx", b"<!doctype html><html><body><script>alert(1)</script></body></html>"),
        ("svg", "anh.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("macro", "bang-tinh.xlsx", xlsx_bytes(macro=True)),
        ("empty", "rong.pdf", b""),
        ("too_large", "lon-qua.pdf", pdf_bytes("x" * 7000)),
    ]


HOSTILE_IDS = ["executable", "html", "svg", "macro", "empty", "too_large"]
SMALL_LIMIT = 6000


def stored_files():
    """Every file under the (per-test) private storage folder."""
    root = settings.STORAGES["private"]["OPTIONS"]["location"]
    found = []
    for folder, _dirs, names in os.walk(root):
        found.extend(os.path.join(folder, n) for n in names)
    return found


def assert_nothing_kept():
    assert stored_files() == []
    assert EvidenceFile.objects.count() == 0


@pytest.fixture
def officers(tree):
    """An officer of commune DM-01 (under district DM) and one of GN-01 (another district)."""
    return {
        "dm01": User.objects.create_user(username="dm01_officer", password=PASSWORD, role=Role.OFFICER,
                                         unit=tree["dm01"], full_name="Cán bộ thị trấn Đắk Mil"),
        "gn01": User.objects.create_user(username="gn01_officer", password=PASSWORD, role=Role.OFFICER,
                                         unit=tree["gn01"], full_name="Cán bộ phường Nghĩa Đức"),
    }


def make_achievement(campaign, content, unit, by, *, title="Rút ngắn thời gian giải quyết hồ sơ", files=None,
                     year=2024, person=None):
    from campaigns.services.work import achievement_record

    files = files if files is not None else [upload("Quyết định khen.pdf", pdf_bytes())]
    return achievement_record(by=by, campaign=campaign, unit=unit, year=year, content=content, title=title,
                              description="Mô tả", person=person, files=files)


def register(campaign, unit, year=2024):
    return Registration.objects.get_or_create(campaign=campaign, unit=unit, year=year)[0]



@pytest.fixture(autouse=True)
def work_files_in_test_storage(settings, monkeypatch):
    """Point the work file fields at the per-test private storage.

    FileField evaluates its storage callable once at import, so the STORAGES override of tests/conftest.py does not
    reach it (units/files.py would need a lazy storage); until then re-point the fields here (real files, tmp folder).
    """
    from django.core.files.storage import storages

    from campaigns.models import ExemplaryModel, InitiativeFile

    for model in (EvidenceFile, InitiativeFile, ExemplaryModel):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storages["private"])
