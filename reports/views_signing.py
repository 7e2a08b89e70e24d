"""The digital signature of a registered report: the signer's button and the signed version's download."""

from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import attachment_response
from core.models import SignedDocument, SigningStatus
from core.views import flash_service

from . import selectors, services
from .views import reader_required


@reader_required
@require_POST
def draft_sign(request, pk):
    draft = selectors.draft_for(request.user, pk)
    flash_service(request, lambda: services.report_sign(draft=draft, by=request.user),
                  _("Đã gửi báo cáo đi ký số; trang này cho biết tiến độ."))
    return redirect(draft.get_absolute_url() + "#signing")


@reader_required
def signed_download(request, pk, version):
    draft = selectors.draft_for(request.user, pk)
    signed = get_object_or_404(SignedDocument, pk=version, entry_id=draft.entry_id, status=SigningStatus.DONE)
    return attachment_response(signed)
