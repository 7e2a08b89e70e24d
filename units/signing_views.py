"""Wiring of the signing images page: the list of issuing bodies and signers with their images, the previews
(served from private storage, to administrators only) and the upload and retire actions."""

import dataclasses
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core import signing
from core.files import format_size
from core.views import flash_service

from . import rules
from . import signing_images as images
from .signing_forms import SigningImageForm


@login_required
@require_GET
def signing_images(request):
    if not rules.can_manage_signing_images(request.user):
        raise PermissionDenied
    return render(request, "units/signing_images.html", {
        "bodies": images.signing_images_page(request.user),
        "identities": signing.identities(), "rule_confirmed": signing.APPEARANCE_RULE_CONFIRMED,
        "max_bytes": format_size(images.max_image_bytes()), "max_side": images.max_image_side()})


def _back(anchor):
    return redirect(f"{reverse('units:signing_images')}#{anchor}")


def _preview(row):
    """The image inline (an <img> of the page), from private storage; never a public URL."""
    if row is None:
        raise Http404
    try:
        handle = row.file.open("rb")
    except OSError:  # the row outlived its file (a restored database without its storage): nothing to show
        raise Http404 from None
    return FileResponse(handle, content_type=row.content_type or "image/png", filename=row.original_name)


@dataclasses.dataclass(frozen=True)
class _Kind:
    """What differs between a signer's image and a body's seal: the scoped rows, the services, the messages."""

    rows: Callable  # user → the scoped queryset of signers or bodies
    image_of: Callable
    upload: Callable  # (row, by, image) → the service's result
    retire: Callable  # (row, by) → the service's result
    uploaded: str
    retired: str
    anchor: str

    def names(self, row):
        return {"name": getattr(row, "full_name", ""), "body": getattr(row, "name", "")}


KINDS = {
    "signer": _Kind(images.signers_visible_to, images.signature_image_of,
                    lambda row, by, image: images.signature_image_upload(signer=row, by=by, image=image),
                    lambda row, by: images.signature_image_retire(signer=row, by=by),
                    gettext_lazy("Đã tải lên ảnh chữ ký của %(name)s."),
                    gettext_lazy("Đã thôi dùng ảnh chữ ký của %(name)s."), "signer"),
    "body": _Kind(images.bodies_visible_to, images.seal_image_of,
                  lambda row, by, image: images.seal_image_upload(body=row, by=by, image=image),
                  lambda row, by: images.seal_image_retire(body=row, by=by),
                  gettext_lazy("Đã tải lên ảnh con dấu của %(body)s."),
                  gettext_lazy("Đã thôi dùng ảnh con dấu của %(body)s."), "body"),
}


def _row(request, kind, pk):
    """Scope first: a row outside what the user manages (for anyone but an administrator: every row) is a 404."""
    return get_object_or_404(KINDS[kind].rows(request.user), pk=pk)


@login_required
@require_POST
def image_upload(request, pk, kind):
    row, spec = _row(request, kind, pk), KINDS[kind]
    form = SigningImageForm(request.POST, request.FILES)
    if form.is_valid():
        flash_service(request, lambda: spec.upload(row, request.user, form.cleaned_data["image"]),
                      str(spec.uploaded) % spec.names(row))
    else:
        for message in form.errors.get("image", []):
            messages.error(request, message)
    return _back(f"{spec.anchor}-{row.pk}")


@login_required
@require_GET
def image_preview(request, pk, kind):
    return _preview(KINDS[kind].image_of(_row(request, kind, pk)))


@login_required
@require_POST
def image_retire(request, pk, kind):
    row, spec = _row(request, kind, pk), KINDS[kind]
    flash_service(request, lambda: spec.retire(row, request.user), str(spec.retired) % spec.names(row))
    return _back(f"{spec.anchor}-{row.pk}")
