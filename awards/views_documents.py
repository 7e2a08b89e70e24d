"""Wiring of the generated dossier documents and of the achievement profiles: load through the scoped selectors
(outsiders get 404), build the document, answer with the file."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import flash_service
from units.selectors import person_for, unit_for

from . import dossier_documents, selectors, selectors_profile, services
from .models import Nominee

FORMATS = {"docx": dossier_documents.DOCX_TYPE, "pdf": "application/pdf"}
BUILDERS = {"to-trinh": dossier_documents.proposal_blocks, "danh-sach": dossier_documents.list_blocks}


def _file(document, fmt, stem):
    if fmt not in FORMATS:
        raise Http404
    content = dossier_documents.docx_bytes(document) if fmt == "docx" else dossier_documents.pdf_bytes(document)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}.{fmt}")
    return response


@login_required
@require_POST
def proposal_generate(request, pk):
    dossier = get_object_or_404(selectors.dossiers_visible_to(request.user), pk=pk)
    flash_service(request, lambda: services.dossier_proposal_generate(dossier=dossier, by=request.user),
                  _("Đã lập tờ trình từ dữ liệu của hồ sơ. Tải về, trình ký rồi tải bản đã ký lên thay thế."))
    return redirect(dossier)


@login_required
def generated_document(request, pk, kind, fmt):
    if kind not in BUILDERS:
        raise Http404
    dossier = selectors.dossier_for(request.user, pk)
    return _file(BUILDERS[kind](dossier), fmt, f"{kind}-{dossier.code}")


@login_required
def nominee_report(request, pk, nominee_pk, fmt):
    dossier = selectors.dossier_for(request.user, pk)
    nominee = get_object_or_404(Nominee.objects.select_related("unit__parent", "unit__block", "person__unit__parent"),
                                dossier=dossier, pk=nominee_pk)
    nominee.dossier = dossier
    return _file(dossier_documents.report_blocks(nominee), fmt, f"bao-cao-thanh-tich-{dossier.code}-{nominee.pk}")


def _profile(request, subject, profile, *, pdf, person=False):
    """A unit's or a person's achievements profile: the page, or (`pdf`) the same facts as a PDF."""
    if pdf:
        return _file(dossier_documents.profile_blocks(subject, profile, person=person), "pdf",
                     f"ho-so-thanh-tich-ca-nhan-{subject.pk}" if person else f"ho-so-thanh-tich-{subject.code}")
    return render(request, "awards/profile.html", {"person" if person else "unit": subject, "subject": subject,
                                                   **profile})


@login_required
def unit_profile(request, code, pdf=False):
    unit = unit_for(request.user, code)
    return _profile(request, unit, selectors_profile.unit_profile(request.user, unit), pdf=pdf)


@login_required
def person_profile(request, pk, pdf=False):
    person = person_for(request.user, pk)
    return _profile(request, person, selectors_profile.person_profile(request.user, person), pdf=pdf, person=True)
