"""The upload check's second line (issue 17, points 4 and 9), through every upload field and in core.files itself.

Office files: zip bombs (declared size, compression ratio) refused from the zip directory alone, external
relationships refused except hyperlinks. PDFs: a second container after %%EOF, JavaScript, launch actions and
attached files refused. Images: re-encoded, so what rode after the image data and the EXIF (GPS) are not stored; a
decompression bomb refused. File names: a 300-character name keeps its extension; sizes in Vietnamese decimals.

Through the views the same `reach` fixture and UPLOAD_FIELDS as test_hostile_uploads.py are used, so every upload
field of the project (its guard test fails on a new one) gets each case, with real private storage.
"""

import functools
import hashlib
import io
import os
import struct
import zipfile
import zlib

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook
from PIL import Image

from core import documents, files
from core.files import (
    bytes_upload,
    clean_original_name,
    format_size,
    reencode_image,
    store_upload,
    validate_upload,
)

from .conftest import PDF
from .test_hostile_uploads import (
    PROJECT_APPS,
    UPLOAD_FIELDS,
    _post,
    _private_files,
    _raw_multipart,
    _rows,
    _text,
)

MB = 1024 * 1024
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

# What each refusal says (Vietnamese, as shown on the form).
BOMB = "khi giải nén lên tới"
RATIO = "tỷ lệ nén bất thường"
EXTERNAL = "liên kết tới địa chỉ bên ngoài"
SUSPICIOUS = "cấu trúc bất thường"
CONTAINER = "có dữ liệu lạ ghép sau phần kết thúc"
SCRIPT = "có chứa mã JavaScript hoặc lệnh chạy chương trình"
ATTACHMENT = "có tệp đính kèm bên trong"
PIXELS = "triệu điểm ảnh"


# Files made in code ----------------------------------------------------------------------------------------------

def _rels(*relationships):
    items = "".join(f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"{extra}/>'
                    for n, (kind, target, extra) in enumerate(relationships, start=1))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">{items}' \
           f"</Relationships>"


def docx(*, document_rels=(), settings_rels=None, padding=0, parts=None):
    """A Word document as Word writes one (content types, package and document relationships, the body), with
    `document_rels` in word/_rels/document.xml.rels, optionally a settings part with its own relationships, the
    body followed by `padding` bytes of blank space (still well-formed XML), and extra raw `parts`."""
    out = io.BytesIO()
    overrides = f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/>'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' + overrides + "</Types>"))
        archive.writestr("_rels/.rels", _rels((f"{REL}/officeDocument", "word/document.xml", "")))
        body = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}" xmlns:r="{REL}"><w:body><w:p>'
                '<w:r><w:t>Báo cáo thành tích năm 2024</w:t></w:r></w:p></w:body></w:document>').encode()
        with archive.open("word/document.xml", "w") as handle:
            handle.write(body)
            block = b" " * MB
            for _ in range(padding // MB):
                handle.write(block)
            handle.write(b" " * (padding % MB))
        archive.writestr("word/_rels/document.xml.rels", _rels(*document_rels))
        if settings_rels is not None:
            archive.writestr("word/settings.xml", f'<w:settings xmlns:w="{W}" xmlns:r="{REL}">'
                                                  '<w:attachedTemplate r:id="rId1"/></w:settings>')
            archive.writestr("word/_rels/settings.xml.rels", _rels(*settings_rels))
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


EXTERNAL_MODE = ' TargetMode="External"'
HYPERLINK = (f"{REL}/hyperlink", "https://dichvucong.gov.vn/", EXTERNAL_MODE)
TEMPLATE = (f"{REL}/attachedTemplate", "http://203.0.113.7/mau.dotm", EXTERNAL_MODE)
LINKED_IMAGE = (f"{REL}/image", "http://203.0.113.7/anh.png", EXTERNAL_MODE)


@functools.cache
def docx_bomb():
    """Issue 17's file: a 1.1 MB .docx whose body expands to 1.1 GB (blank space after the root element)."""
    return docx(padding=1100 * MB)


@functools.cache
def docx_dense():
    """Under the unpacked limit (60 MB) but deflated about 1,000 times: the ratio gives it away."""
    return docx(padding=60 * MB)


def xlsx_linked():
    """A workbook with a link to another workbook on a server (external link part, TargetMode="External")."""
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Bảng điểm"
    workbook.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
        target.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", _rels(
            (f"{REL}/externalLinkPath", "file://///203.0.113.7/share/diem.xlsx", EXTERNAL_MODE)))
    return out.getvalue()


def pdf_with(dictionary):
    """The tiny test PDF with its one object's dictionary replaced."""
    assert b"1 0 obj<<>>" in PDF
    return PDF.replace(b"1 0 obj<<>>", b"1 0 obj" + dictionary)


def small_zip(comment=b""):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.txt", "hidden")
        archive.comment = comment
    return out.getvalue()


PDF_JAVASCRIPT = pdf_with(b"<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>")
PDF_ESCAPED_JAVASCRIPT = pdf_with(b"<</Type/Catalog/OpenAction<</S/J#61va#53cript/J#53(app.alert(1))>>>>")
PDF_LAUNCH = pdf_with(b"<</Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>>>")
PDF_ATTACHED = pdf_with(b"<</Type/Catalog/Names<</EmbeddedFiles<</Names[(a.exe) 2 0 R]>>>>>>")
PDF_ZIP_APPENDED = PDF + small_zip()
# A PDF/ZIP polyglot whose last %%EOF is inside the zip's comment: nothing follows the last %%EOF, yet a ZIP tool
# opens the file (its directory is at the end).
PDF_ZIP_POLYGLOT = PDF + small_zip(comment=b"\n%%EOF\n")


def png(size=(8, 8), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else 0).save(buffer, format="PNG")
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def png_bomb(width, height):
    """A valid black 1-bit PNG of width × height, written row by row: a few kilobytes, billions of pixels."""
    compressor, row = zlib.compressobj(9), b"\x00" + b"\x00" * ((width + 7) // 8)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + _chunk(b"IDAT", data) + _chunk(b"IEND", b""))


TRAILER = b"PK\x03\x04" + small_zip()
PNG_WITH_TRAILER = png() + TRAILER


def jpeg_with_gps(size=(40, 20), orientation=None):
    """A phone photo: EXIF with the camera maker, GPS position and (optionally) the orientation tag."""
    exif = Image.Exif()
    exif[0x010F] = "HangDienThoai"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (12.0, 41.0, 3.5), 3: "E", 4: (107.0, 41.0, 1.0)})
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG", exif=exif, quality=90)
    data = buffer.getvalue()
    assert b"HangDienThoai" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return data


LONG_STEM = ("Báo cáo tổng kết thành tích phong trào thi đua cải cách hành chính " * 5)[:296]


class Upload(io.BytesIO):
    """An upload below the HTTP layer (commands, services), with the size the caller declares."""

    def __init__(self, name, content, size=None):
        super().__init__(content)
        self.name, self.size = name, len(content) if size is None else size


def refusal(name, content, **kwargs):
    with pytest.raises(ValidationError) as refused:
        validate_upload(Upload(name, content, **kwargs))
    return " ".join(refused.value.messages)


# Through every upload field ----------------------------------------------------------------------------------------

# case → (file name, content builder, what the page must say); documents and PDFs go to the document fields only.
REFUSED = {
    "docx of 1.1 GB unpacked": ("to-trinh.docx", docx_bomb, BOMB),
    "docx deflated 1000 times": ("to-trinh.docx", docx_dense, RATIO),
    "docx with an external template": ("to-trinh.docx", lambda: docx(settings_rels=[TEMPLATE]), EXTERNAL),
    "docx with an image linked to a URL": ("to-trinh.docx", lambda: docx(document_rels=[HYPERLINK, LINKED_IMAGE]),
                                           EXTERNAL),
    "xlsx linked to another workbook": ("bang-diem.xlsx", xlsx_linked, EXTERNAL),
    "pdf with a zip after %%EOF": ("minh-chung.pdf", lambda: PDF_ZIP_APPENDED, CONTAINER),
    "pdf with JavaScript": ("minh-chung.pdf", lambda: PDF_JAVASCRIPT, SCRIPT),
    "pdf with an attached file": ("minh-chung.pdf", lambda: PDF_ATTACHED, ATTACHMENT),
}
IMAGE_REFUSED = {
    "png of 20,000 × 20,000 (a decompression bomb)": ("anh.png", lambda: png_bomb(20_000, 20_000), PIXELS),
    "png of 10,000 × 8,000 (over the pixel limit)": ("anh.png", lambda: png_bomb(10_000, 8_000), PIXELS),
}
DOCUMENT_FIELDS = [key for key in UPLOAD_FIELDS if key[2] not in {"photo", "image"}]  # image-only fields


def ids(key):
    return f"{key[1]}.{key[2]}"


def _stored(path):
    """The row of a project model whose file is `path` (absolute, in private storage), and the stored bytes."""
    root = settings.STORAGES["private"]["OPTIONS"]["location"]
    relative = os.path.relpath(path, root)
    rows = [row for model in apps.get_models() if model._meta.app_label in PROJECT_APPS
            and {"file", "sha256"} <= {f.name for f in model._meta.concrete_fields}
            for row in model.objects.filter(file=relative)]
    assert len(rows) == 1, rows
    with open(path, "rb") as handle:
        return rows[0], handle.read()


def _accept(client, target, upload):
    files_before = _private_files()
    response = _post(client, target, [upload])
    assert response.status_code == 200 and response.redirect_chain, _text(response)[:3000]
    new = _private_files() - files_before
    assert len(new) == 1
    return _stored(new.pop())


def _assert_refused(client, target, name, content, words):
    files_before, rows_before = _private_files(), _rows()
    response = _post(client, target, [SimpleUploadedFile(name, content)])
    text = _text(response)
    assert response.status_code < 500
    assert words in text, text[:3000]
    assert _private_files() == files_before, "a file was left in private storage"
    assert _rows() == rows_before, "a row was written"


@pytest.mark.parametrize("case", list(REFUSED))
@pytest.mark.parametrize("key", DOCUMENT_FIELDS, ids=ids)
def test_hardened_document_refusals(reach, settings, key, case):
    client, target = reach(key)
    settings.UPLOAD_MAX_BYTES = 20 * MB  # the default: the bomb is small, the size limit alone lets it by
    name, make, words = REFUSED[case]
    _assert_refused(client, target, name, make(), words)


@pytest.mark.parametrize("case", list(IMAGE_REFUSED))
@pytest.mark.parametrize("key", list(UPLOAD_FIELDS), ids=ids)
def test_decompression_bomb_images_are_refused(reach, key, case):
    client, target = reach(key)
    name, make, words = IMAGE_REFUSED[case]
    content = make()
    assert len(content) < 64 * 1024
    _assert_refused(client, target, name, content, words)


@pytest.mark.parametrize("key", DOCUMENT_FIELDS, ids=ids)
def test_hyperlinks_are_accepted_where_external_templates_are_refused(reach, key):
    """The line drawn: the same document with a hyperlink is stored as it is, with an attached template refused."""
    client, target = reach(key)
    _assert_refused(client, target, "to-trinh.docx", docx(document_rels=[HYPERLINK], settings_rels=[TEMPLATE]),
                    EXTERNAL)
    content = docx(document_rels=[HYPERLINK])
    row, stored = _accept(client, target, SimpleUploadedFile("Tờ trình.docx", content))
    assert stored == content and row.original_name == "Tờ trình.docx"


@pytest.mark.parametrize("key", list(UPLOAD_FIELDS), ids=ids)
def test_bytes_after_the_image_data_are_not_stored(reach, key):
    client, target = reach(key)
    row, stored = _accept(client, target, SimpleUploadedFile("Ảnh hội nghị.png", PNG_WITH_TRAILER))
    assert stored.endswith(b"IEND\xaeB`\x82") and b"PK\x03\x04" not in stored and b"hidden" not in stored
    assert row.sha256 == hashlib.sha256(stored).hexdigest() and row.size == len(stored)
    assert row.original_name == "Ảnh hội nghị.png" and row.content_type == "image/png"
    assert row.file.name.endswith(".png")
    assert Image.open(io.BytesIO(stored)).tobytes() == Image.open(io.BytesIO(PNG_WITH_TRAILER)).tobytes()


@pytest.mark.parametrize("key", list(UPLOAD_FIELDS), ids=ids)
def test_a_photo_is_stored_without_its_exif_and_upright(reach, key):
    client, target = reach(key)
    if target.png_only:  # a signature or seal image: a photo is refused whole, nothing of it is kept
        _assert_refused(client, target, "Ảnh.jpg", jpeg_with_gps(orientation=6), "không phải tệp PNG")
        return
    row, stored = _accept(client, target, SimpleUploadedFile("Ảnh.jpg", jpeg_with_gps(orientation=6)))
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (20, 40)  # orientation 6 (rotated 90°) applied to the pixels
    assert not image.getexif() and "exif" not in image.info
    assert b"HangDienThoai" not in stored and b"Exif\x00\x00" not in stored
    assert row.sha256 == hashlib.sha256(stored).hexdigest() and row.size == len(stored)
    assert row.original_name == "Ảnh.jpg" and row.content_type == "image/jpeg"


@pytest.mark.parametrize("key", list(UPLOAD_FIELDS), ids=ids)
def test_a_300_character_name_is_accepted_and_shortened_keeping_its_extension(reach, key):
    """The browser sends the whole name; it is judged by its real extension and shown shortened, extension kept."""
    client, target = reach(key)
    extension = ".png" if target.image else ".pdf"
    raw_name = LONG_STEM + extension
    assert len(raw_name) == 300
    _name, content = target.valid()
    body, content_type = _raw_multipart(target.data, target.field, raw_name, content)
    files_before = _private_files()
    response = client.post(target.url, body, content_type=content_type, follow=True)
    assert "không thuộc định dạng" not in _text(response)
    new = _private_files() - files_before
    assert len(new) == 1, _text(response)[:3000]
    row, _stored_bytes = _stored(new.pop())
    assert row.original_name.endswith(extension) and len(row.original_name) <= 200
    assert LONG_STEM.startswith(row.original_name[:-len(extension)])


@pytest.mark.parametrize("key", list(UPLOAD_FIELDS), ids=ids)
def test_the_size_refusal_is_in_vietnamese_decimals(reach, settings, key):
    client, target = reach(key)
    settings.UPLOAD_MAX_BYTES = 4096
    name, content = target.valid()
    content += b"\x00" * (4096 + 100 - len(content))  # 4,1 KB
    files_before = _private_files()
    text = _text(_post(client, target, [SimpleUploadedFile(name, content)]))
    assert "dung lượng 4,1 KB, vượt giới hạn 4 KB" in text, text[:3000]
    assert _private_files() == files_before


# core.files itself ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size,shown,shown_up", [
    (0, "0 byte", "0 byte"), (20 * MB, "20 MB", "20 MB"), (int(20.5 * MB), "20,5 MB", "20,5 MB"),
    (20 * MB + 1, "20 MB", "20,1 MB"), (4096 + 100, "4,1 KB", "4,1 KB"), (1100 * MB, "1,1 GB", "1,1 GB"),
])
def test_sizes_are_written_in_vietnamese_decimals(size, shown, shown_up):
    with translation.override("vi"):
        assert format_size(size) == shown and format_size(size, up=True) == shown_up
    with translation.override("en"):
        assert format_size(size) == shown.replace(",", ".")


def test_the_too_large_message_never_shows_the_limit_twice(settings):
    settings.UPLOAD_MAX_BYTES = 20 * MB
    with translation.override("vi"):
        assert "dung lượng 20,5 MB, vượt giới hạn 20 MB;" in refusal("lon.pdf", PDF, size=int(20.5 * MB))
        assert "dung lượng 20,1 MB, vượt giới hạn 20 MB;" in refusal("lon.pdf", PDF, size=20 * MB + 1)


def test_a_long_name_is_judged_by_its_extension_then_shortened():
    raw = LONG_STEM + ".pdf"
    assert validate_upload(Upload(raw, PDF)) == ("pdf", "application/pdf")
    shown = clean_original_name(raw)
    assert shown.endswith(".pdf") and len(shown) == 200 and raw.startswith(shown[:-4])
    assert "không thuộc định dạng" in refusal(LONG_STEM + ".exe", PDF)
    assert clean_original_name("Báo cáo.pdf") == "Báo cáo.pdf"


@pytest.fixture
def opened_members(monkeypatch):
    """The names of the zip members the check decompresses."""
    opened = []
    original = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return opened


def test_the_bomb_is_refused_from_the_zip_directory_without_unpacking_anything(opened_members, settings):
    settings.UPLOAD_MAX_BYTES = 20 * MB
    bomb, dense = docx_bomb(), docx_dense()
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        declared = sum(member.file_size for member in archive.infolist())
    assert len(bomb) < 1.2 * MB and declared > 1000 * len(bomb)
    opened_members.clear()
    with translation.override("vi"):
        message = refusal("to-trinh.docx", bomb)
    assert "khi giải nén lên tới 1,1 GB, vượt giới hạn 200 MB" in message
    assert opened_members == []
    assert RATIO in refusal("to-trinh.docx", dense) and opened_members == []


def test_the_limits_are_settings(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 30 * MB
    assert BOMB in refusal("to-trinh.docx", docx(padding=31 * MB))
    settings.UPLOAD_MAX_UNPACKED_BYTES = 200 * MB
    settings.UPLOAD_MAX_COMPRESSION_RATIO = 2000
    validate_upload(Upload("to-trinh.docx", docx(padding=31 * MB)))
    settings.UPLOAD_MAX_IMAGE_PIXELS = 50
    assert PIXELS in refusal("anh.png", png((8, 8)))


def test_an_oversized_relationships_part_is_refused_unread(opened_members):
    """The check reads .rels parts; one declaring more than a real part ever holds is refused before reading it."""
    padding = "<!-- " + os.urandom(700 * 1024).hex() + " -->"  # random: no ratio to give it away
    content = docx(parts={"word/_rels/footer1.xml.rels": _rels() + padding})
    opened_members.clear()
    assert SUSPICIOUS in refusal("to-trinh.docx", content)
    assert "word/_rels/footer1.xml.rels" not in opened_members


def test_relationships_are_read_as_xml_and_a_dtd_is_refused():
    """An escaped TargetMode is still External to Word, and an entity declaration has no place in a part."""
    escaped = (f"{REL}/attachedTemplate", "http://203.0.113.7/mau.dotm", ' TargetMode="&#69;xternal"')
    assert EXTERNAL in refusal("to-trinh.docx", docx(settings_rels=[escaped]))
    dtd = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><Relationships xmlns="' + PKG_REL + '"/>'
    assert SUSPICIOUS in refusal("to-trinh.docx", docx(parts={"customXml/_rels/item1.xml.rels": dtd}))
    validate_upload(Upload("to-trinh.docx", docx(document_rels=[HYPERLINK, (f"{REL}/styles", "styles.xml", "")])))


@pytest.mark.parametrize("content,words", [
    (PDF_JAVASCRIPT, SCRIPT), (PDF_ESCAPED_JAVASCRIPT, SCRIPT), (PDF_LAUNCH, SCRIPT), (PDF_ATTACHED, ATTACHMENT),
    (PDF_ZIP_APPENDED, CONTAINER), (PDF_ZIP_POLYGLOT, CONTAINER), (PDF + b"\n" + png(), CONTAINER),
    (PDF + b"%" * 2000, CONTAINER), (PDF[:-len(b"%%EOF\n")], "bị hỏng"),
])
def test_pdf_refusals(content, words):
    assert words in refusal("minh-chung.pdf", content)


@pytest.mark.parametrize("chunk", list(range(1, 24)) + [4096])
def test_pdf_markers_split_across_chunk_borders_are_found(monkeypatch, chunk):
    """Every way the scan's chunks can cut the markers: each is still found, and a longer name is not taken for
    one (/JSON is not /JS)."""
    monkeypatch.setattr(files, "PDF_CHUNK_BYTES", chunk)
    monkeypatch.setattr(files, "PDF_OVERLAP", 16)  # the longest marker below, and one
    for padding in range(0, 8):
        shift = b" " * padding
        assert SCRIPT in refusal("a.pdf", pdf_with(shift + b"<</OpenAction<</S/JS(x)>>>>"))
        assert SCRIPT in refusal("a.pdf", pdf_with(shift + b"<</S/J#61vaScript>>"))
        assert ATTACHMENT in refusal("a.pdf", pdf_with(shift + b"<</EmbeddedFiles 2 0 R>>"))
        assert CONTAINER in refusal("a.pdf", pdf_with(shift + b"<<>>") + small_zip())
        validate_upload(Upload("a.pdf", pdf_with(shift + b"<</JSON 1/Launcher 2/JSFont 3>>")))
        validate_upload(Upload("a.pdf", pdf_with(shift + b"<<>>") + b"\r\n\x00\x00"))


def test_a_real_pdf_with_a_hyperlink_passes_and_the_same_with_javascript_does_not():
    real = documents.write_pdf('<html><body><h1>Báo cáo</h1><p><a href="https://dichvucong.gov.vn/">Cổng dịch vụ '
                               "công</a></p></body></html>")
    assert validate_upload(Upload("bao-cao.pdf", real)) == ("pdf", "application/pdf")
    update = b"\n99 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\ntrailer<<>>\n%%EOF\n"
    assert SCRIPT in refusal("bao-cao.pdf", real + update)


def test_store_upload_keeps_the_reencoded_image_only(settings):
    from campaigns.models import EvidenceFile

    photo = jpeg_with_gps()
    evidence = store_upload(EvidenceFile(), bytes_upload("Ảnh.jpg", photo), folder="minh-chung")
    with evidence.file.open("rb") as handle:
        stored = handle.read()
    evidence.file.storage.delete(evidence.file.name)
    assert stored == reencode_image(bytes_upload("Ảnh.jpg", photo), "jpg")
    assert b"HangDienThoai" not in stored and not Image.open(io.BytesIO(stored)).getexif()
    assert evidence.sha256 == hashlib.sha256(stored).hexdigest() and evidence.size == len(stored)
    assert Image.open(io.BytesIO(stored)).size == (40, 20)


def test_reencoding_keeps_what_the_picture_needs():
    """Transparency (palette PNG), grayscale, the ICC profile and the dpi survive; an MPO's second picture does
    not."""
    buffer = io.BytesIO()
    palette = Image.new("P", (4, 4), 1)
    palette.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    palette.save(buffer, "PNG", transparency=0, dpi=(300, 300), icc_profile=b"\x00" * 128)
    again = Image.open(io.BytesIO(reencode_image(bytes_upload("a.png", buffer.getvalue()), "png")))
    assert again.mode == "P" and again.info.get("transparency") == 0
    assert round(again.info["dpi"][0]) == 300 and again.info.get("icc_profile") == b"\x00" * 128
    gray = io.BytesIO()
    Image.new("L", (4, 4), 90).save(gray, "JPEG")
    assert Image.open(io.BytesIO(reencode_image(bytes_upload("a.jpg", gray.getvalue()), "jpg"))).mode == "L"
    mpo = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(mpo, "MPO", save_all=True,
                                                    append_images=[Image.new("RGB", (8, 8), (9, 9, 9))])
    source = Image.open(io.BytesIO(mpo.getvalue()))
    assert getattr(source, "n_frames", 1) == 2
    single = Image.open(io.BytesIO(reencode_image(bytes_upload("a.jpg", mpo.getvalue()), "jpg")))
    assert single.format == "JPEG" and getattr(single, "n_frames", 1) == 1


def test_a_truncated_image_is_refused_when_stored():
    from campaigns.models import EvidenceFile

    photo = jpeg_with_gps()
    cut = photo[:len(photo) // 2]
    with pytest.raises(ValidationError) as refused:
        store_upload(EvidenceFile(), bytes_upload("Ảnh.jpg", cut), folder="minh-chung")
    assert "bị hỏng" in " ".join(refused.value.messages)


def test_relationship_parts_are_capped_in_number_and_in_total(opened_members):
    many = docx(parts={f"word/_rels/part{n}.xml.rels": _rels() for n in range(files.RELS_MAX_PARTS)})
    padding = "<!-- " + os.urandom(450 * 1024).hex() + " -->"  # 0.9 MB each, under the cap of one part
    large = docx(parts={f"word/_rels/footer{n}.xml.rels": _rels() + padding for n in range(5)})
    opened_members.clear()
    assert SUSPICIOUS in refusal("to-trinh.docx", many)
    assert SUSPICIOUS in refusal("to-trinh.docx", large)
    assert not [name for name in opened_members if name.endswith(".rels")]
