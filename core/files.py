"""Private uploaded files: content-checked, stored under random ASCII names, downloaded only through scoped views.

Every app's file model (evidence, guidance documents, dossier documents, PAR evidence) inherits `PrivateFile`
and stores uploads with `store_upload`, so the same checks apply to every upload field in the project. What the
check refuses, strips and accepts is listed in the README ("What the upload check refuses, strips, and accepts").
"""

import contextlib
import hashlib
import io
import math
import os
import re
import secrets
import warnings
import zipfile
import zlib
from xml.parsers import expat

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models, transaction
from django.dispatch import receiver
from django.http import FileResponse
from django.utils import formats, timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, JpegImagePlugin

from .fields import NFCCharField
from .text import nfc

# Extension → the MIME type its *content* must have. Anything else is refused.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
ALLOWED_EXTENSIONS_TEXT = "PDF, DOCX, XLSX, JPG, PNG"
HEAD_BYTES = 8192
MB = 1024 * 1024
# The display name is kept to this many characters (the column holds 255), its extension always kept.
NAME_MAX_CHARS = 200


# Limits (settings, with these defaults) -------------------------------------------------------------------------

def max_upload_bytes():
    return getattr(settings, "UPLOAD_MAX_BYTES", 20 * MB)


def max_unpacked_bytes():
    """What an Office file (a zip) may declare it unpacks to, all members together.

    200 MB is ten times the 20 MB upload limit: text XML deflates 5-20 times, the media of a document (photos,
    scans) not at all, so a real 20 MB .docx/.xlsx unpacks to far less; the 1.1 MB file of issue 17 declared 1.1 GB.
    """
    return getattr(settings, "UPLOAD_MAX_UNPACKED_BYTES", 200 * MB)


def max_compression_ratio():
    """The largest unpacked/packed ratio of an Office file, per member and overall (checked above RATIO_FLOOR).

    Real documents: 1-20 (a repetitive 20,000-row openpyxl sheet: 17), heavily formatted empty sheets some tens;
    deflate tops out near 1,000 (a member of zeros: what bombs are made of). 100 is Apache POI's default for the
    same check (its "min inflate ratio" 0.01).
    """
    return getattr(settings, "UPLOAD_MAX_COMPRESSION_RATIO", 100)


# Below this many unpacked bytes a member (or the whole file) is not judged by its ratio: a small XML part of
# repeated markup may deflate 200 times and harms nobody.
RATIO_FLOOR = 1 * MB


def max_image_pixels():
    """The largest image (width × height) accepted: the image is decoded to be re-encoded, ~3-4 bytes a pixel.

    70 million pixels keeps every photo a phone or scanner makes (a 64-megapixel camera: 9248 × 6936 = 64.1
    million, about 200 MB decoded) and refuses a tiny PNG whose header claims 100,000 × 100,000. Pillow's own guard
    (Image.MAX_IMAGE_PIXELS, refusing past twice its 89 million) stays in place above any value set here.
    """
    return getattr(settings, "UPLOAD_MAX_IMAGE_PIXELS", 70_000_000)


def format_size(size, *, up=False):
    """A byte count as people read it, in the active language's decimals: "20 MB", "20,5 MB", "4 KB", "0 byte".

    One decimal, none when it is 0. With up=True the decimal is rounded up, so a file just over a limit never shows
    the limit's own figure ("20,1 MB, vượt giới hạn 20 MB").
    """
    unit, factor = next(((unit, factor) for unit, factor in (("GB", 1024 ** 3), ("MB", MB), ("KB", 1024))
                         if size >= factor), ("byte", 1))
    if factor == 1:
        return f"{size} byte"
    tenths = size * 10 / factor
    tenths = math.ceil(tenths - 1e-9) if up else round(tenths)
    if tenths % 10 == 0:
        return f"{formats.number_format(tenths // 10)} {unit}"
    return f"{formats.number_format(tenths / 10, 1)} {unit}"


class _PrivateStorage(LazyObject):
    """The "private" entry of STORAGES, looked up lazily so a settings change (tests, deployments) is honoured."""

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = _PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def private_storage():
    return _private_storage


def _plain_name(name):
    """The name without any path and unprintable characters, not shortened: "../../a/Báo cáo.pdf" → "Báo cáo.pdf"."""
    base = nfc(os.path.basename(str(name).replace("\\", "/")))
    return "".join(ch for ch in base if ch.isprintable())


def _extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def clean_original_name(name):
    """Keep the Vietnamese display name but never a path, at most NAME_MAX_CHARS long with its extension kept:
    "../../a/Báo cáo.pdf" → "Báo cáo.pdf"; a 300-character "…….pdf" → its first 196 characters + ".pdf"."""
    base = _plain_name(name)
    if len(base) <= NAME_MAX_CHARS:
        return base
    stem, dot, extension = base.rpartition(".")
    if dot and stem and len(extension) < 16:
        return stem[:NAME_MAX_CHARS - len(extension) - 1].rstrip() + "." + extension
    return base[:NAME_MAX_CHARS]


def validate_upload(upload):
    """Raise a ValidationError in Vietnamese unless the upload is an allowed, non-empty file that passes its type's
    checks: Office files (no macros, no zip bomb, no external relationships but hyperlinks), PDFs (no second
    container, no JavaScript, launch actions or attached files), images (within the pixel limit).

    Returns (extension, mime). Nothing is written anywhere by this function, and nothing large is unpacked.
    """
    raw_name = str(getattr(upload, "name", "") or "")
    extension = _extension(_plain_name(raw_name))  # before the display name is shortened
    name = clean_original_name(raw_name)
    if not name or name in {".", ".."}:
        raise ValidationError(_("Tệp không có tên hợp lệ."), code="bad_name")
    if "/" in raw_name or "\\" in raw_name or raw_name.startswith("."):
        raise ValidationError(_("Tên tệp “%(name)s” chứa ký tự đường dẫn; hãy đổi tên tệp rồi tải lên lại.")
                              % {"name": raw_name}, code="bad_name")
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng (0 byte); hãy chọn đúng tệp.") % {"name": name}, code="empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” dung lượng %(size)s, vượt giới hạn %(limit)s; hãy nén hoặc tách tệp.")
            % {"name": name, "size": format_size(size, up=True), "limit": format_size(limit)}, code="too_large")
    if extension not in ALLOWED_TYPES:
        raise ValidationError(_("Tệp “%(name)s” không thuộc định dạng được chấp nhận (%(allowed)s).")
                              % {"name": name, "allowed": ALLOWED_EXTENSIONS_TEXT}, code="bad_type")
    head = _read_head(upload)
    kind = filetype.guess(head)
    if kind is None or kind.mime != ALLOWED_TYPES[extension]:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không phải là tệp %(ext)s thật (có thể đã bị đổi đuôi); hãy tải lên đúng tệp "
              "gốc dạng %(allowed)s.") % {"name": name, "ext": extension.upper(), "allowed": ALLOWED_EXTENSIONS_TEXT},
            code="bad_content")
    if extension in {"docx", "xlsx"}:
        _check_office(upload, name)
    elif extension == "pdf":
        _check_pdf(upload, name)
    else:
        with _open_image(upload, name, extension):
            pass
    return extension, kind.mime


def _read_head(upload):
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _corrupt(name):
    return ValidationError(_("Tệp “%(name)s” bị hỏng, không mở được; hãy lưu lại tệp rồi tải lên.")
                           % {"name": name}, code="corrupt")


# Office files (zip archives) ------------------------------------------------------------------------------------

class UnreadableZip(Exception):
    """Not a zip archive, or one Python's zipfile cannot read (cut off, encrypted, an unknown compression)."""


ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError, zlib.error)


@contextlib.contextmanager
def zip_archive(upload):
    """`upload` opened as a zip archive: opening reads only the central directory (members' names and declared
    sizes, `infolist()`); a member is decompressed only when the block reads it, and never past its declared size
    (zipfile stops there and fails the CRC check if the data go on). Raises UnreadableZip for a file zipfile cannot
    read, also when reading a member fails. Shared by the upload check and the Excel import field (core.forms)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            yield archive
    except ZIP_ERRORS as error:
        raise UnreadableZip(str(error)) from None
    finally:
        upload.seek(0)


def unpacked_size(members):
    """What the members say they unpack to, all together (from the central directory: nothing is decompressed)."""
    return sum(member.file_size for member in members)


# The small XML parts read to check an Office file: each at most this large, all of them together at most
# RELS_TOTAL_MAX_BYTES and RELS_MAX_PARTS parts (a real part is a few kilobytes, a real file has a few dozen), so no
# bomb can hide in what the check itself unpacks and no file makes it parse for long.
XML_PART_MAX_BYTES = 1 * MB
RELS_TOTAL_MAX_BYTES = 4 * MB
RELS_MAX_PARTS = 5000
# Relationship types that may point outside the file: plain hyperlinks (transitional and strict Office XML).
EXTERNAL_ALLOWED = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",
}


class _Suspicious(Exception):
    """An Office file whose structure no real document has (an oversized part, a DTD in a part)."""


def _check_office(upload, name):
    try:
        with zip_archive(upload) as archive:
            members = archive.infolist()
            _refuse_zip_bomb(members, name)
            _refuse_macros(archive, members, name)
            _refuse_external_relationships(archive, members, name)
    except (UnreadableZip, expat.ExpatError):
        raise _corrupt(name) from None
    except _Suspicious:
        raise ValidationError(_("Tệp “%(name)s” có cấu trúc bất thường nên không được chấp nhận; hãy mở tệp bằng "
                                "Word hoặc Excel, lưu lại rồi tải lên.") % {"name": name}, code="suspicious") from None


def _refuse_zip_bomb(members, name):
    """Refuse by the central directory alone: the declared unpacked size, and the compression ratio (per member and
    overall) of what unpacks to more than RATIO_FLOOR."""
    unpacked, packed = unpacked_size(members), sum(member.compress_size for member in members)
    limit = max_unpacked_bytes()
    if unpacked > limit:
        raise ValidationError(
            _("Tệp “%(name)s” khi giải nén lên tới %(size)s, vượt giới hạn %(limit)s (dấu hiệu của “bom nén”) nên "
              "không được chấp nhận; hãy kiểm tra lại tệp hoặc tách thành nhiều tệp nhỏ hơn.")
            % {"name": name, "size": format_size(unpacked, up=True), "limit": format_size(limit)}, code="zip_bomb")
    ratio = max_compression_ratio()
    over = [member for member in members if member.file_size > RATIO_FLOOR
            and member.file_size > ratio * member.compress_size]
    if over or (unpacked > RATIO_FLOOR and unpacked > ratio * packed):
        raise ValidationError(
            _("Tệp “%(name)s” có tỷ lệ nén bất thường (giải nén gấp hơn %(ratio)s lần, dấu hiệu của “bom nén”) nên "
              "không được chấp nhận; hãy mở tệp, lưu lại rồi tải lên.")
            % {"name": name, "ratio": formats.number_format(ratio)}, code="zip_bomb")


def _read_part(archive, member):
    if member.file_size > XML_PART_MAX_BYTES:
        raise _Suspicious
    with archive.open(member) as handle:
        data = handle.read(XML_PART_MAX_BYTES + 1)
    if len(data) > XML_PART_MAX_BYTES:
        raise _Suspicious
    return data


def _refuse_macros(archive, members, name):
    content_types = next((_read_part(archive, member) for member in members
                          if member.filename == "[Content_Types].xml"), b"")
    if any(member.filename.lower().endswith("vbaproject.bin") for member in members) \
            or b"macroenabled" in content_types.lower():
        raise ValidationError(_("Tệp “%(name)s” có chứa macro nên không được chấp nhận; hãy lưu thành tệp "
                                "không có macro (.docx/.xlsx) rồi tải lên.") % {"name": name}, code="macro")


def _relationships(data):
    """The attributes of every Relationship element of a .rels part. A part with a DTD (entities) is refused."""
    found = []
    parser = expat.ParserCreate(namespace_separator="}")

    def start(tag, attributes):
        if tag.rpartition("}")[2] == "Relationship":
            found.append(attributes)

    def refuse(*args):
        raise _Suspicious

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(data, True)
    return found


def _refuse_external_relationships(archive, members, name):
    """Refuse a relationship with TargetMode="External" (a template, image, OLE object, frame or workbook link
    fetched from an address when the file is opened), hyperlinks excepted."""
    parts = [member for member in members if not member.is_dir() and member.filename.lower().endswith(".rels")]
    if len(parts) > RELS_MAX_PARTS or unpacked_size(parts) > RELS_TOTAL_MAX_BYTES:
        raise _Suspicious
    for member in parts:
        for relationship in _relationships(_read_part(archive, member)):
            external = relationship.get("TargetMode", "").strip().lower() == "external"
            if external and relationship.get("Type", "").strip() not in EXTERNAL_ALLOWED:
                raise ValidationError(
                    _("Tệp “%(name)s” có nội dung liên kết tới địa chỉ bên ngoài (mẫu tài liệu, ảnh hoặc đối tượng "
                      "được tải về khi mở tệp) nên không được chấp nhận; hãy chèn trực tiếp nội dung đó vào tệp "
                      "hoặc bỏ liên kết, lưu lại rồi tải lên.") % {"name": name}, code="external")


# PDF ---------------------------------------------------------------------------------------------------------------

PDF_CHUNK_BYTES = 1 * MB
PDF_OVERLAP = 256  # longer than any marker below, escaped ("/J#61#76#61…" is at most 3 bytes a letter) or not
# After the last %%EOF: blank bytes are fine; other bytes only up to this many, and not a file a type check knows.
PDF_TRAILER_JUNK_BYTES = 1024
PDF_TRAILER_READ_BYTES = 64 * 1024
PDF_BLANK = b"\x00\t\n\x0c\r "
_PDF_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
# A name that runs a script or a program, or that attaches files; then any name written with #xx escapes.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?)(?!" + _PDF_REGULAR + rb")")
PDF_ESCAPED_NAME = re.compile(rb"/" + _PDF_REGULAR + rb"*#" + _PDF_REGULAR + rb"*")
PDF_ATTACHMENTS = {b"EmbeddedFile", b"EmbeddedFiles"}
ZIP_LOCAL_HEADER = b"PK\x03\x04"


def _unescape_pdf_name(raw):
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda match: bytes([int(match.group(1), 16)]), raw)


def _pdf_names(buffer, final):
    """The active names in `buffer` ("JavaScript", "EmbeddedFile", …); a name touching the buffer's end counts only
    in the final buffer (otherwise the next buffer, which repeats the last PDF_OVERLAP bytes, sees it whole)."""
    found = set()
    for match in PDF_ACTIVE.finditer(buffer):
        if final or match.end() < len(buffer):
            found.add(match.group(1))
    if b"#" in buffer:
        for match in PDF_ESCAPED_NAME.finditer(buffer):
            if final or match.end() < len(buffer):
                decoded = PDF_ACTIVE.fullmatch(_unescape_pdf_name(match.group(0)))
                if decoded:
                    found.add(decoded.group(1))
    return found


def _scan_pdf(upload):
    """One pass over the file in PDF_CHUNK_BYTES chunks (each read with the last PDF_OVERLAP bytes of the previous
    one, so a marker split across a border is seen): the active names, and where the last %%EOF and the last ZIP
    local header start."""
    names, last_eof, last_zip = set(), -1, -1
    upload.seek(0)
    tail, offset = b"", 0  # offset: where `tail` starts in the file
    chunk = upload.read(PDF_CHUNK_BYTES)
    while chunk:
        following = upload.read(PDF_CHUNK_BYTES)
        buffer = tail + chunk
        names |= _pdf_names(buffer, final=not following)
        if (found := buffer.rfind(b"%%EOF")) >= 0:
            last_eof = max(last_eof, offset + found)
        if (found := buffer.rfind(ZIP_LOCAL_HEADER)) >= 0:
            last_zip = max(last_zip, offset + found)
        keep = buffer[-PDF_OVERLAP:]
        offset += len(buffer) - len(keep)
        tail, chunk = keep, following
    upload.seek(0)
    return names, last_eof, last_zip


def _check_pdf(upload, name):
    names, last_eof, last_zip = _scan_pdf(upload)
    second_container = ValidationError(
        _("Tệp PDF “%(name)s” có dữ liệu lạ ghép sau phần kết thúc của tệp (có thể là một tệp khác giấu bên trong) "
          "nên không được chấp nhận; hãy xuất lại tệp PDF từ bản gốc rồi tải lên.") % {"name": name},
        code="pdf_container")
    if last_eof < 0:
        raise _corrupt(name)
    if last_zip > last_eof:
        raise second_container
    upload.seek(last_eof + len(b"%%EOF"))
    trailer = upload.read(PDF_TRAILER_READ_BYTES + 1)
    upload.seek(0)
    junk = trailer.strip(PDF_BLANK)
    if len(trailer) > PDF_TRAILER_READ_BYTES or len(junk) > PDF_TRAILER_JUNK_BYTES or \
            (junk and filetype.guess(junk) is not None):
        raise second_container
    try:
        opens_as_zip = zipfile.is_zipfile(upload)  # a zip directory at the end: a ZIP tool would open the file
    finally:
        upload.seek(0)
    if opens_as_zip:
        raise second_container
    if names - PDF_ATTACHMENTS:
        raise ValidationError(
            _("Tệp PDF “%(name)s” có chứa mã JavaScript hoặc lệnh chạy chương trình nên không được chấp nhận; hãy "
              "in lại thành PDF (chọn “Microsoft Print to PDF” hoặc “Lưu dưới dạng PDF”) rồi tải lên.")
            % {"name": name}, code="pdf_script")
    if names:
        raise ValidationError(
            _("Tệp PDF “%(name)s” có tệp đính kèm bên trong nên không được chấp nhận; minh chứng không mang tệp "
              "đính kèm: hãy tải từng tệp lên riêng.") % {"name": name}, code="pdf_attachment")


# Images --------------------------------------------------------------------------------------------------------------

PIL_FORMATS = {"jpg": ["JPEG", "MPO"], "jpeg": ["JPEG", "MPO"], "png": ["PNG"]}
PIL_ERRORS = (OSError, SyntaxError, ValueError, EOFError, zlib.error, Image.DecompressionBombError)


class _Lent:
    """The upload as Pillow reads it: closing the image must not close the upload, which is stored afterwards."""

    def __init__(self, upload):
        self.read, self.seek, self.tell = upload.read, upload.seek, upload.tell

    def close(self):
        pass


@contextlib.contextmanager
def _open_image(upload, name, extension):
    """The image opened (its header read, nothing decoded) once its pixel count is within max_image_pixels()."""
    upload.seek(0)
    limit = max_image_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(_Lent(upload), formats=PIL_FORMATS[extension])
    except Image.DecompressionBombError:
        image = None  # past Pillow's own limit: too many pixels as well
    except PIL_ERRORS:
        upload.seek(0)
        raise _corrupt(name) from None
    try:
        if image is None or image.width * image.height > limit:
            raise ValidationError(
                _("Ảnh “%(name)s” quá lớn: hơn %(limit)s triệu điểm ảnh; hãy thu nhỏ ảnh rồi tải lên.")
                % {"name": name, "limit": formats.number_format(round(limit / 1_000_000, 1),
                                                                0 if limit % 1_000_000 == 0 else 1)},
                code="too_many_pixels")
        yield image
    finally:
        if image is not None:
            image.close()
        upload.seek(0)


def reencode_image(upload, extension, name=None):
    """The image's pixels written anew, in its own format, so nothing rides along: no bytes after the image data,
    no EXIF (GPS, camera, the orientation, applied to the pixels first), no XMP, comments, text chunks or second
    pictures (MPO). Kept: the pixels, the ICC colour profile, the resolution (dpi), PNG transparency; JPEG keeps its
    quantisation tables and chroma subsampling, so the quality stays what it was. Returns the new file's bytes."""
    name = name or clean_original_name(getattr(upload, "name", ""))
    with _open_image(upload, name, extension) as image:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image.load()
                picture = ImageOps.exif_transpose(image)
        except PIL_ERRORS:
            raise _corrupt(name) from None
        kept = {key: image.info[key] for key in ("icc_profile", "dpi") if image.info.get(key)}
        if extension == "png":
            if picture.info.get("transparency") is not None:
                kept["transparency"] = picture.info["transparency"]
            target, options = "PNG", {}
        else:
            target, options = "JPEG", {"qtables": image.quantization}
            sampling = JpegImagePlugin.get_sampling(image)
            if sampling >= 0:
                options["subsampling"] = sampling
            if picture.mode not in {"L", "RGB", "CMYK"}:
                picture = picture.convert("RGB")
        picture.info = {}
        out = io.BytesIO()
        try:
            picture.save(out, target, **options, **kept)
        except PIL_ERRORS:
            raise _corrupt(name) from None
    return out.getvalue()


def _hash_and_size(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    size = 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def store_upload(instance, upload, *, folder, by=None):
    """Validate `upload`, save it under a random ASCII name in private storage and fill `instance`'s fields.

    An image is stored re-encoded (`reencode_image`); the SHA-256 and size are those of the stored bytes. A PDF's
    digital signatures are checked and the result kept under its SHA-256 (`core.signing.record_verification`).
    The caller saves `instance` inside its transaction; if that fails, call `discard_file(instance)`.
    """
    extension, mime = validate_upload(upload)
    content = ContentFile(reencode_image(upload, extension)) if extension in PIL_FORMATS else File(upload)
    sha256, size = _hash_and_size(content)
    if extension == "pdf":
        _verify_signatures(sha256, upload)
    stored_name = f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"
    instance.file.save(stored_name, content, save=False)
    instance.original_name = clean_original_name(upload.name)
    instance.content_type = mime
    instance.sha256 = sha256
    instance.size = size
    if by is not None and getattr(by, "is_authenticated", False):
        instance.uploaded_by = by
    return instance


def _verify_signatures(sha256, upload):
    """Every stored PDF has its signatures checked once (core.signing): the lists show "đã ký số" and the result,
    or "chưa ký số", looked up by the file's SHA-256."""
    from .signing import record_verification

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    record_verification(sha256, data)


def discard_file(instance):
    if instance.file and instance.file.name:
        instance.file.storage.delete(instance.file.name)


def validate_uploads(uploads, field="files"):
    """Check every upload before storing any, so the form can say what is wrong with each one."""
    errors = []
    for upload in uploads:
        try:
            validate_upload(upload)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({field: errors})


class StoredBatch:
    """The files one action has stored so far (see `stored_batch`)."""

    def __init__(self):
        self.instances = []

    def store(self, instance, upload, *, folder, by=None, save=True):
        """`store_upload` into `instance`, remembered for clean-up; the row is saved unless `save=False`."""
        store_upload(instance, upload, folder=folder, by=by)
        self.instances.append(instance)
        if save:
            instance.save()
        return instance

    def store_all(self, uploads, make, *, folder, by=None):
        """One new row built by `make()` per upload, each stored and saved."""
        return [self.store(make(), upload, folder=folder, by=by) for upload in uploads]

    @property
    def names(self):
        return [instance.original_name for instance in self.instances]

    def discard(self):
        for instance in self.instances:
            discard_file(instance)


@contextlib.contextmanager
def stored_batch():
    """Store an action's files and rows all or nothing.

    The block runs in its own (nested) transaction; if anything in it fails, its rows roll back and every file it
    stored is removed from storage again, so no file is left without a row and no row without its file.
    """
    batch = StoredBatch()
    try:
        with transaction.atomic():
            yield batch
    except BaseException:
        batch.discard()
        raise


def attachment_response(instance):
    """Answer a download as an attachment with the original (Vietnamese) name."""
    handle = instance.file.open("rb")
    return FileResponse(handle, as_attachment=True, filename=instance.original_name,
                        content_type=instance.content_type or "application/octet-stream")


class PrivateFile(models.Model):
    """Abstract base for every uploaded file: random stored name, original name, SHA-256, size."""

    file = models.FileField(storage=private_storage, max_length=255, blank=True)
    original_name = NFCCharField(gettext_lazy("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


def bytes_upload(name, content):
    """An in-memory upload (for commands and tests that build files)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


