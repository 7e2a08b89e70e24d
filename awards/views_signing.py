"""The digital signature of a registered decision: the signer's button and the signed version's download."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import attachment_response
from core.models import SignedDocument, SigningStatus
from core.views import flash_service

from . import services
from .views import _decision_for


@login_required
@require_POST
def decision_sign(request, pk):
    decision = _decision_for(request, pk)
    flash_service(request, lambda: services.decision_sign(decision=decision, by=request.user),
                  _("Đã gửi quyết định đi ký số; trang này cho biết tiến độ."))
    return redirect(decision.get_absolute_url() + "#signing")


@login_required
def decision_signed_download(request, pk, version):
    decision = _decision_for(request, pk)
    signed = get_object_or_404(SignedDocument, pk=version, entry_id=decision.entry_id, status=SigningStatus.DONE)
    return attachment_response(signed)
