"""Private uploaded files: content-checked, stored under random ASCII names, downloaded only through scoped views.

Every app's file model (evidence, guidance documents, dossier documents, PAR evidence) inherits `PrivateFile`
and stores uploads with `store_upload`, so the same checks apply to every upload field in the project.
"""

import contextlib
import hashlib
import os
import secrets
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models, transaction
from django.dispatch import receiver
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def max_upload_bytes():
    return getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


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


def clean_original_name(name):
    """Keep the Vietnamese display name but never a path: "../../a/Báo cáo.pdf" → "Báo cáo.pdf"."""
    base = nfc(os.path.basename(str(name).replace("\\", "/")))
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:200]


def validate_upload(upload):
    """Raise a ValidationError in Vietnamese unless the upload is an allowed, non-empty, macro-free file.

    Returns (extension, mime). Nothing is written anywhere by this function.
    """
    raw_name = str(getattr(upload, "name", "") or "")
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
            _("Tệp “%(name)s” dung lượng %(size)s MB, vượt giới hạn %(limit)s MB; hãy nén hoặc tách tệp.")
            % {"name": name, "size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)}, code="too_large")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
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
        _refuse_macros(upload, name)
    return extension, kind.mime


def _read_head(upload):
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _refuse_macros(upload, name):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace") \
                if "[Content_Types].xml" in names else ""
    except (zipfile.BadZipFile, KeyError, OSError):
        raise ValidationError(_("Tệp “%(name)s” bị hỏng, không mở được; hãy lưu lại tệp rồi tải lên.")
                              % {"name": name}, code="corrupt") from None
    finally:
        upload.seek(0)
    if any(n.lower().endswith("vbaproject.bin") for n in names) or "macroenabled" in content_types.lower():
        raise ValidationError(_("Tệp “%(name)s” có chứa macro nên không được chấp nhận; hãy lưu thành tệp "
                                "không có macro (.docx/.xlsx) rồi tải lên.") % {"name": name}, code="macro")


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

    The caller saves `instance` inside its transaction; if that fails, call `discard_file(instance)`.
    """
    extension, mime = validate_upload(upload)
    sha256, size = _hash_and_size(upload)
    stored_name = f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"
    instance.file.save(stored_name, File(upload), save=False)
    instance.original_name = clean_original_name(upload.name)
    instance.content_type = mime
    instance.sha256 = sha256
    instance.size = size
    if by is not None and getattr(by, "is_authenticated", False):
        instance.uploaded_by = by
    return instance


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


