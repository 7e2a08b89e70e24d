"""The images of the digital signatures (core.signing) that Sở Nội vụ administrators manage in the application:
each signer's signature image and each issuing body's seal image, both PNG on a transparent ground (Decree
30/2020/NĐ-CP, Phụ lục I, Phần I, Mục II, points 7.d and 8.a).

The reads of the page (scope first: every issuing body for an administrator, none for anyone else, so any other
account asking for one of them is answered 404) and one service per action: upload a signer's image, upload a
body's seal, retire either. The identity that signs for a signer (SIGNING_IDENTITIES) and the account allowed to
press the button stay configuration (the admin's "Cấu hình"); an image never is.
"""

import struct

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.files import MB, format_size, private_storage, stored_batch, validate_upload
from core.models import IssuingBody, SealImage, SignatureImage, Signer
from core.text import nfc

from . import rules

FOLDER = "signing"  # the folder of private storage the admin pages (core.admin) and the demo also store into

ACTION_LABELS = {
    "signature_image_upload": gettext_lazy("Tải lên ảnh chữ ký"),
    "signature_image_retire": gettext_lazy("Thôi dùng ảnh chữ ký"),
    "seal_image_upload": gettext_lazy("Tải lên ảnh con dấu"),
    "seal_image_retire": gettext_lazy("Thôi dùng ảnh con dấu"),
}


def max_image_bytes():
    """A signature or a seal scanned at 600 dpi and saved as PNG weighs tens of kilobytes; 1 MB leaves room for a
    colour scan and keeps every signed PDF (which embeds the image) small."""
    return getattr(settings, "SIGNING_IMAGE_MAX_BYTES", 1 * MB)


def max_image_side():
    """The longest side in pixels: a 42 mm seal at 600 dpi is ~1,000 px, a 6 cm signature ~1,400 px; the appearance
    is drawn at 4 pixels a point (core.signing.appearance_image), so more than 3,000 px is never seen."""
    return getattr(settings, "SIGNING_IMAGE_MAX_SIDE", 3000)


# Reads -----------------------------------------------------------------------------------------------------------


def bodies_visible_to(user):
    """The issuing bodies whose images `user` manages: all of them for a Sở Nội vụ administrator, none otherwise."""
    if not rules.can_manage_signing_images(user):
        return IssuingBody.objects.none()
    return IssuingBody.objects.all()


def signers_visible_to(user):
    return Signer.objects.filter(body__in=bodies_visible_to(user)).select_related("body")


def signing_images_page(user):
    """The bodies, each with its seal image and its signers with their signature image: three queries, whatever
    the number of bodies and signers."""
    signers = Signer.objects.select_related("signature_image__account").order_by("position", "-valid_from",
                                                                                 "full_name")
    return list(bodies_visible_to(user).select_related("seal_image")
                .prefetch_related(Prefetch("signers", queryset=signers)).order_by("key"))


def current_image(row):
    """The row when it holds an image in use (a retired signature image keeps its row, without a file)."""
    return row if row is not None and row.file else None


def signature_image_of(signer):
    return current_image(SignatureImage.objects.filter(signer=signer).first())


def seal_image_of(body):
    return current_image(SealImage.objects.filter(body=body).first())


# Services --------------------------------------------------------------------------------------------------------


def _refuse(message):
    raise ValidationError({"image": message})


def check_image(upload):
    """The project's upload check (core.files.validate_upload: a real, unbroken image within the pixel limit) and
    what the appearance needs on top: a PNG (the decree's format, with its transparent ground), at most
    max_image_bytes() and max_image_side() pixels a side. Raises ValidationError on the field "image"."""
    name = nfc(str(getattr(upload, "name", "") or ""))
    size, limit = getattr(upload, "size", 0) or 0, max_image_bytes()
    if size > limit:  # before the content is read: nothing this large is opened
        _refuse(_("Ảnh “%(name)s” dung lượng %(size)s, vượt giới hạn %(limit)s của ảnh chữ ký, con dấu; hãy lưu lại "
                  "ảnh ở độ phân giải thấp hơn.") % {"name": name, "size": format_size(size, up=True),
                                                    "limit": format_size(limit)})
    try:
        extension, _mime = validate_upload(upload)
    except ValidationError as error:
        _refuse(error.messages)
    if extension != "png":
        _refuse(_("Ảnh “%(name)s” không phải tệp PNG: ảnh chữ ký và ảnh con dấu phải là tệp PNG nền trong suốt "
                  "(Nghị định 30/2020/NĐ-CP).") % {"name": name})
    upload.seek(0)
    header = upload.read(24)  # a real PNG (validate_upload decoded its header): IHDR's width and height
    upload.seek(0)
    width, height = struct.unpack(">II", header[16:24])
    side = max_image_side()
    if max(width, height) > side:
        _refuse(_("Ảnh “%(name)s” có kích thước %(width)s × %(height)s điểm ảnh, vượt giới hạn %(side)s điểm ảnh "
                  "mỗi chiều; hãy thu nhỏ ảnh rồi tải lên.") % {
            "name": name, "width": formats.number_format(width, force_grouping=True),
            "height": formats.number_format(height, force_grouping=True),
            "side": formats.number_format(side, force_grouping=True)})


def _allowed(by):
    if not rules.can_manage_signing_images(by):
        raise PermissionDenied


def _store(row, image, *, by, action, target):
    """Store `image` into `row` (new or in use) and its activity row, all or nothing; the image it replaces is
    removed from storage once the transaction has committed (a rollback keeps it, still referenced)."""
    previous, previous_name = (row.file.name, row.original_name) if row.file else ("", "")
    row.uploaded_at = timezone.now()
    with stored_batch() as batch:
        batch.store(row, image, folder=FOLDER, by=by)
        audit.record(actor=by, action=action, target=target,
                     changes={"file": [previous_name, row.original_name], "sha256": row.sha256})
    if previous:
        transaction.on_commit(lambda: private_storage().delete(previous))
    return row


@transaction.atomic
def signature_image_upload(*, signer, by, image):
    """A signer's signature image (PNG): the one the signed documents use from now on."""
    _allowed(by)
    check_image(image)
    signer = Signer.objects.select_for_update(of=("self",)).select_related("body").get(pk=signer.pk)
    row = SignatureImage.objects.filter(signer=signer).first() or SignatureImage(signer=signer)
    return _store(row, image, by=by, action="signature_image_upload", target=signer)


@transaction.atomic
def seal_image_upload(*, body, by, image):
    """An issuing body's seal image (PNG), drawn in red over the left third of its signers' images."""
    _allowed(by)
    check_image(image)
    body = IssuingBody.objects.select_for_update().get(pk=body.pk)
    row = SealImage.objects.filter(body=body).first() or SealImage(body=body)
    return _store(row, image, by=by, action="seal_image_upload", target=body)


def _forget_file(row, *, by, action, target):
    old, old_name = row.file.name, row.original_name
    audit.record(actor=by, action=action, target=target, changes={"file": [old_name, ""]})
    transaction.on_commit(lambda: private_storage().delete(old))


@transaction.atomic
def signature_image_retire(*, signer, by):
    """The signer's image is no longer used: documents signed from now on show no image (until a new one is
    uploaded); those already signed keep theirs. The row stays, with the identity and account it links."""
    _allowed(by)
    signer = Signer.objects.select_for_update(of=("self",)).select_related("body").get(pk=signer.pk)
    row = SignatureImage.objects.select_for_update().filter(signer=signer).first()
    if current_image(row) is None:
        raise ValidationError(_("Người ký %(name)s không có ảnh chữ ký đang dùng.") % {"name": signer.full_name})
    _forget_file(row, by=by, action="signature_image_retire", target=signer)
    row.file, row.original_name, row.content_type, row.sha256, row.size = "", "", "", "", 0
    row.save(update_fields=["file", "original_name", "content_type", "sha256", "size"])
    return row


@transaction.atomic
def seal_image_retire(*, body, by):
    """The body's seal image is no longer used: documents signed from now on show no seal."""
    _allowed(by)
    body = IssuingBody.objects.select_for_update().get(pk=body.pk)
    row = SealImage.objects.select_for_update().filter(body=body).first()
    if current_image(row) is None:
        raise ValidationError(_("%(body)s không có ảnh con dấu đang dùng.") % {"body": body.name})
    _forget_file(row, by=by, action="seal_image_retire", target=body)
    row.delete()
    return body
