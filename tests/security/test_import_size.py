"""Every Excel import refuses a file over settings.IMPORT_MAX_UPLOAD_BYTES, an empty file, a file that is not an
.xlsx and a zip bomb, before openpyxl opens it.

The imports are listed explicitly below; guard tests fail when an import view, an import form field or a module that
opens workbooks appears without being listed here. For each import view, a file the view accepts is the control: the
limit is set one byte under its size and the same file is refused with the one shared Vietnamese message, openpyxl is
never called and nothing is written (no row, no audit entry, no file in private storage); with the limit at its size it
goes through (openpyxl reads it and the import previews or writes it). The same file padded into a zip bomb, an empty
file and other files named .xlsx (a PDF, a Word document, a cut-off workbook) are refused the same way, each with its
message.
"""

import importlib
import io
import pathlib
import pkgutil
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.forms import MAX_UNCOMPRESSED_BYTES, ExcelImportField
from tests.security.test_hostile_imports import IMPORTS, VIEWS, _valid_rows, xlsx
from tests.security.test_hostile_uploads import (
    PROJECT_APPS,
    UPLOAD_FIELDS,
    _private_files,
    _project_modules,
    _rows,
    discovered_file_fields,
)

# url name → the import kind of tests/security/test_hostile_imports.py that builds a valid file for it
IMPORT_VIEWS = {"units:import": "units", "units:people_import": "people", "par:set_import": "par_set",
                "par:survey_import": "par_survey", "awards:history_import": "awards"}
# (module, form class, field) of the Excel import forms those views use
IMPORT_FORM_FIELDS = {("units.import_views", "UploadForm", "file"), ("par.forms", "UploadForm", "file"),
                      ("awards.forms", "HistoryImportForm", "file")}
# Modules that open workbooks: each one's load_workbook is watched, so "before openpyxl" is checked, not assumed.
# Every import reads through the kernel's reader (core.spreadsheet.read_sheet).
WORKBOOK_READERS = {"core.spreadsheet"}


def _url_patterns(resolver=None, namespace=None, prefix=""):
    """(namespaced name, route) of every URL of the project."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
            yield from _url_patterns(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), prefix + str(entry.pattern)


def test_every_import_view_is_listed():
    """A view named …import… or at a …nhap-excel… address is an import: it must be listed (and tested) here."""
    found = {name for name, route in _url_patterns()
             if name.split(":")[0] in PROJECT_APPS and ("import" in name or "nhap-excel" in route)}
    assert found, "no import view found: the discovery is broken"
    assert found == set(IMPORT_VIEWS), f"unlisted: {sorted(found - set(IMPORT_VIEWS))}, " \
                                       f"gone: {sorted(set(IMPORT_VIEWS) - found)}"


def test_every_import_form_uses_the_shared_size_check():
    """Every upload field that is not an evidence/document field (those have their own limit, UPLOAD_MAX_BYTES) is an
    Excel import field, listed here, and built on core.forms.ExcelImportField."""
    imports = discovered_file_fields() - set(UPLOAD_FIELDS)
    assert imports == IMPORT_FORM_FIELDS
    for module, form, field in imports:
        assert isinstance(getattr(importlib.import_module(module), form).base_fields[field], ExcelImportField), \
            f"{module}.{form}.{field} is not an ExcelImportField"


def test_every_module_that_opens_workbooks_is_watched():
    core = importlib.import_module("core")
    kernel = [importlib.import_module(info.name) for info in pkgutil.walk_packages(core.__path__, prefix="core.")
              if "migrations" not in info.name.split(".")]
    modules = [*_project_modules(), *kernel]
    readers = {module.__name__ for module in modules
               if "load_workbook" in pathlib.Path(module.__file__).read_text(encoding="utf-8")}
    assert readers == WORKBOOK_READERS


@pytest.fixture
def openpyxl_calls(monkeypatch):
    """Calls of openpyxl's load_workbook from any project module (the real function still runs)."""
    calls = []
    real = openpyxl.load_workbook

    def watched(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", watched)
    for name in WORKBOOK_READERS:
        monkeypatch.setattr(importlib.import_module(name), "load_workbook", watched)
    return calls


@pytest.fixture
def import_view(request, db, client, users):
    """(client logged in as the import's user, the view's address, a valid file for it)."""

    def build(name):
        kind = IMPORT_VIEWS[name]
        imp = IMPORTS[kind](request.getfixturevalue)
        view, role = VIEWS[kind]
        assert view == name
        url = reverse(name, kwargs={"pk": imp.set.pk}) if name.startswith("par:") else reverse(name)
        client.force_login(users[role])
        return client, url, xlsx(imp.headers, _valid_rows(imp, 6))
    return build


def _refusal(size, limit):
    return (f"Tệp quá lớn ({filesizeformat(size)}); mỗi lần nhập chỉ nhận tệp Excel đến {filesizeformat(limit)}. "
            f"Hãy tách thành nhiều tệp nhỏ hơn rồi tải lên lại.")


@pytest.mark.parametrize("name", list(IMPORT_VIEWS))
def test_a_file_just_over_the_limit_is_refused_before_openpyxl(import_view, openpyxl_calls, settings, name):
    client, url, content = import_view(name)
    settings.IMPORT_MAX_UPLOAD_BYTES = len(content) - 1
    files_before, rows_before = _private_files(), _rows()
    response = client.post(url, {"file": SimpleUploadedFile("danh-sach.xlsx", content)}, follow=True)
    assert response.status_code == 200
    assert _refusal(len(content), len(content) - 1) in response.content.decode()
    assert openpyxl_calls == [], "openpyxl opened an over-large file"
    assert _private_files() == files_before, "a file was left in private storage"
    assert _rows() == rows_before, "a row was written"


@pytest.mark.parametrize("name", list(IMPORT_VIEWS))
def test_a_file_at_the_limit_goes_through(import_view, openpyxl_calls, settings, name):
    """The control: the same file and request, with the limit at its size, is read and imported (or previewed)."""
    client, url, content = import_view(name)
    settings.IMPORT_MAX_UPLOAD_BYTES = len(content)
    files_before, rows_before = _private_files(), _rows()
    response = client.post(url, {"file": SimpleUploadedFile("danh-sach.xlsx", content)}, follow=True)
    assert response.status_code == 200
    assert "Tệp quá lớn" not in response.content.decode()
    assert openpyxl_calls, "the file was not read"
    # units and people: a preview, the file waits in private storage; the others are written at once
    assert _private_files() != files_before or _rows() != rows_before, response.content.decode()[:3000]


@pytest.mark.parametrize("name", list(IMPORT_VIEWS))
def test_the_upload_page_shows_the_limit(import_view, settings, name):
    client, url, _content = import_view(name)
    settings.IMPORT_MAX_UPLOAD_BYTES = 3 * 1024 * 1024
    text = client.get(url).content.decode()
    assert "Tệp Excel (.xlsx), tối đa 3,0\xa0MB." in text


# Files that are not importable workbooks, each refused by the shared field with its message.

EMPTY = "Tệp tải lên đang trống; hãy chọn tệp Excel có dữ liệu."
NOT_XLSX = ("Tệp tải lên không phải bảng tính Excel (.xlsx) hợp lệ. Hãy mở tệp bằng Excel và lưu lại dưới dạng "
            "“Excel Workbook (.xlsx)” rồi thử lại.")
ZIP_BOMB = "Tệp Excel quá lớn khi giải nén; hãy chia thành nhiều tệp nhỏ hơn."
SHEET = "xl/worksheets/sheet1.xml"


def _zip_bomb(content):
    """The view's valid file with its worksheet padded by blank space to past MAX_UNCOMPRESSED_BYTES: still a workbook
    openpyxl would read (space after the root element is well-formed XML), expanding some thousand times its size."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        assert SHEET in source.namelist()
        for member in source.infolist():
            if member.filename != SHEET:
                bomb.writestr(member, source.read(member))
                continue
            with bomb.open(SHEET, "w") as sheet:
                sheet.write(source.read(member))
                padding = b" " * 1024 * 1024
                for _ in range(MAX_UNCOMPRESSED_BYTES // len(padding) + 1):
                    sheet.write(padding)
    return out.getvalue()


def _word_document():
    """A zip that is an Office file but not a workbook (a .docx renamed .xlsx)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.'
                         'org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
HOSTILE = {
    "zip bomb": (_zip_bomb, ZIP_BOMB),
    "empty": (lambda content: b"", EMPTY),
    "pdf": (lambda content: PDF, NOT_XLSX),
    "word document": (lambda content: _word_document(), NOT_XLSX),
    "cut-off workbook": (lambda content: content[:len(content) // 2], NOT_XLSX),  # no zip directory left
}


def test_the_zip_bomb_is_one():
    """The bomb is small, under the size limit, and declares far more than it packs: the size limit alone lets it by."""
    bomb = _zip_bomb(xlsx(["Mã"], [["A"]]))
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        expanded = sum(member.file_size for member in archive.infolist())
        assert archive.read("xl/workbook.xml")  # the rest of the workbook is intact
    assert expanded > MAX_UNCOMPRESSED_BYTES
    assert len(bomb) * 500 < expanded
    assert len(bomb) < 1024 * 1024


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("name", list(IMPORT_VIEWS))
def test_hostile_files_are_refused_before_openpyxl(import_view, openpyxl_calls, name, case):
    client, url, content = import_view(name)
    make, message = HOSTILE[case]
    hostile = make(content)
    files_before, rows_before = _private_files(), _rows()
    response = client.post(url, {"file": SimpleUploadedFile("danh-sach.xlsx", hostile)}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text, text[:3000]
    assert "Tệp quá lớn (" not in text  # refused by its own check, not the size limit
    assert openpyxl_calls == [], f"openpyxl opened the {case}"
    assert _private_files() == files_before, "a file was left in private storage"
    assert _rows() == rows_before, "a row was written"
