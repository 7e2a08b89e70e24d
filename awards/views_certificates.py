"""Wiring of the certificate pages (layouts and their live preview, blanks, printers, calibration, printing a
decision's certificates), the award register and the national-records export."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.spreadsheet import xlsx_response
from core.text import number_or_none
from core.views import FAILED, form_action, form_service

from . import certificates, excel, national_records, rules, selectors, services
from .forms_certificates import (
    PAPERS,
    BlankUploadForm,
    CalibrationForm,
    FieldForm,
    LayoutForm,
    NationalExportForm,
    PrinterForm,
    PrintForm,
)
from .models import AwardForm, CertificateSlot, Printer


def _pdf(content, filename, *, inline=False):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _printer(request):
    key = number_or_none(request.GET.get("printer"))
    return Printer.objects.filter(pk=key).first() if key is not None else None


# Layouts ----------------------------------------------------------------------------------------------------------


@login_required
def layout_list(request):
    _require(rules.can_print_certificates(request.user))
    return render(request, "awards/certificates/layout_list.html", {
        "forms": selectors.certificate_forms(), "printers": selectors.printers(),
        "printer_form": PrinterForm(), "calibration_form": CalibrationForm(printers=selectors.printers()),
        "can_configure": rules.can_configure_certificates(request.user)})


def _field_forms(data, layout):
    existing = {f.slot: f for f in layout.fields.all()} if layout else {}
    result = []
    for slot in CertificateSlot:
        field = existing.get(slot.value)
        initial = ({name: getattr(field, name) for name in services.FIELD_ATTRS} if field
                   else certificates.default_field_values(slot.value))
        result.append((slot, FieldForm(data, prefix=slot.value, initial=initial)))
    return result


@login_required
def layout_edit(request, form_pk):
    _require(rules.can_configure_certificates(request.user))
    award_form = get_object_or_404(AwardForm, pk=form_pk)
    layout = selectors.certificate_layout(award_form)
    data = request.POST if request.method == "POST" else None
    initial = ({"paper_width": layout.paper_width, "paper_height": layout.paper_height,
                "orientation": layout.orientation} if layout else {"paper_width": 210, "paper_height": 297,
                                                                    "orientation": "landscape"})
    form = LayoutForm(data, initial=initial)
    field_forms = _field_forms(data, layout)
    if data is not None and form.is_valid() and all(f.is_valid() for _slot, f in field_forms):
        saved = form_service(form, lambda: services.certificate_layout_save(
            form=award_form, by=request.user, **form.cleaned_data,
            fields={slot.value: f.cleaned_data for slot, f in field_forms}))
        if saved is not FAILED:
            messages.success(request, _("Đã lưu mẫu in của %(form)s.") % {"form": award_form})
            return redirect("awards:certificate_layout", form_pk=award_form.pk)
    blank = layout.blanks.first() if layout else None
    return render(request, "awards/certificates/layout_edit.html", {
        "award_form": award_form, "layout": layout, "form": form, "field_forms": field_forms, "blank": blank,
        "upload_form": BlankUploadForm(), "preview": certificates.preview_data(),
        "font_faces": {key: {"urls": {style: reverse("awards:certificate_font", args=[key, style])
                                      for style in font.styles}}
                       for key, font in certificates.FONTS.items()}})


@login_required
def font_file(request, key, style):
    """A certificate font for the editor's preview (the browser may not have it): the file WeasyPrint prints with."""
    _require(rules.can_print_certificates(request.user))
    font = certificates.FONTS.get(key)
    if font is None or style not in font.styles:
        raise Http404
    path = certificates.font_file(font.family, style)
    if path is None:
        raise Http404
    kind = "font/otf" if path.endswith(".otf") else "font/ttf"
    return FileResponse(open(path, "rb"), content_type=kind)  # FileResponse closes it


@login_required
@require_POST
def blank_upload(request, form_pk):
    _require(rules.can_configure_certificates(request.user))
    award_form = get_object_or_404(AwardForm, pk=form_pk)
    layout = selectors.certificate_layout(award_form)
    if layout is None:
        messages.error(request, _("Hãy lưu mẫu in (khổ giấy, các trường) trước khi tải lên ảnh phôi."))
        return redirect("awards:certificate_layout", form_pk=award_form.pk)
    return form_action(
        request, BlankUploadForm(request.POST, request.FILES),
        lambda data: services.certificate_blank_upload(layout=layout, by=request.user, upload=data["image"]),
        _("Đã tải lên ảnh phôi."), invalid=_("Hãy chọn tệp ảnh phôi (JPG hoặc PNG)."),
        then=reverse("awards:certificate_layout", kwargs={"form_pk": award_form.pk}))


@login_required
def blank_image(request, form_pk):
    """The newest image of the blank, shown under the fields in the editor (private storage, staff only)."""
    _require(rules.can_print_certificates(request.user))
    layout = selectors.certificate_layout(get_object_or_404(AwardForm, pk=form_pk))
    blank = layout.blanks.first() if layout else None
    if blank is None or not blank.file:
        raise Http404
    return FileResponse(blank.file.open("rb"), content_type=blank.content_type or "image/jpeg")


@login_required
def layout_sample(request, form_pk):
    """The layout filled with sample texts: a test print over the blank's image, or the texts alone."""
    _require(rules.can_print_certificates(request.user))
    layout = selectors.certificate_layout(get_object_or_404(AwardForm, pk=form_pk))
    if layout is None:
        raise Http404
    content = certificates.sample_pdf(layout, printer=_printer(request), test_print=request.GET.get("test") == "1")
    return _pdf(content, f"in-thu-{layout.form.code}.pdf", inline=True)


# Printers and calibration -----------------------------------------------------------------------------------------


def _printer_save(request, printer=None):
    _require(rules.can_configure_certificates(request.user))
    return form_action(request, PrinterForm(request.POST),
                       lambda data: services.printer_save(by=request.user, printer=printer, **data),
                       _("Đã lưu máy in."), invalid=_("Tên máy in và độ lệch (từ -50 đến 50 mm) chưa hợp lệ."),
                       then="awards:certificate_layouts")


@login_required
@require_POST
def printer_add(request):
    return _printer_save(request)


@login_required
@require_POST
def printer_edit(request, pk):
    return _printer_save(request, get_object_or_404(Printer, pk=pk))


@login_required
def calibration(request):
    _require(rules.can_print_certificates(request.user))
    form = CalibrationForm(request.GET or None, printers=selectors.printers())
    paper, orientation, printer = "A4", "portrait", None
    if form.is_valid():
        paper, orientation = form.cleaned_data["paper"], form.cleaned_data["orientation"]
        printer = _printer(request)
    width, height = PAPERS[paper]
    content = certificates.calibration_pdf(width=width, height=height, orientation=orientation, printer=printer)
    return _pdf(content, f"can-chinh-may-in-{paper}.pdf", inline=True)


# A decision's certificates ----------------------------------------------------------------------------------------


@login_required
def decision_print(request, pk):
    """The print options of a decision's certificates: which form, which printer, a test print."""
    _require(rules.can_print_certificates(request.user))
    decision = selectors.registered_decision(request.user, pk)
    forms_ = sorted({r.form for r in decision.records.select_related("form")}, key=lambda f: (f.order, f.name))
    return render(request, "awards/certificates/decision_print.html", {
        "decision": decision, "award_forms": forms_, "options": PrintForm(printers=selectors.printers()),
        "missing": certificates.missing_layouts(decision),
        "count": decision.records.count()})


@login_required
def decision_certificates(request, pk):
    """The decision's certificates as one PDF, one page per awardee (optionally one form, a printer's offset, and a
    test print on plain paper with the blank's image)."""
    _require(rules.can_print_certificates(request.user))
    decision = selectors.registered_decision(request.user, pk)
    form_filter = None
    if (form_pk := number_or_none(request.GET.get("form"))) is not None:
        form_filter = get_object_or_404(AwardForm, pk=form_pk)
    options = PrintForm(request.GET or None, printers=selectors.printers())
    test_print = options.is_valid() and options.cleaned_data["test_print"]
    missing = certificates.missing_layouts(decision, form_filter)
    if missing:
        messages.error(request, _("Chưa có mẫu in cho: %(forms)s. Hãy tạo mẫu in trước khi in.") % {
            "forms": ", ".join(str(f) for f in missing)})
        return redirect("awards:decision_detail", pk=decision.pk)
    content = certificates.decision_certificates_pdf(decision, form=form_filter, printer=_printer(request),
                                                     test_print=test_print)
    stem = "in-thu-" if test_print else ""
    return _pdf(content, f"{stem}bang-khen-{decision.number.replace('/', '-')}.pdf")


# The award register -----------------------------------------------------------------------------------------------


def _series(request):
    series = selectors.register_series(request.user)
    body, year, family = request.GET.get("body", ""), request.GET.get("year", ""), request.GET.get("family", "")
    chosen = next((s for s in series if s["register_body"] == body and str(s["register_year"]) == year
                   and s["register_family"] == family), None)
    return series, chosen or (series[0] if series else None)


@login_required
def register(request):
    _require(rules.can_read_register(request.user))
    series, chosen = _series(request)
    entries = []
    if chosen:
        entries = list(selectors.register_entries(request.user, body=chosen["register_body"],
                                                  year=chosen["register_year"], family=chosen["register_family"]))
    return render(request, "awards/certificates/register.html", {"series": series, "chosen": chosen,
                                                                 "entries": entries})


@login_required
def register_export(request):
    _require(rules.can_read_register(request.user))
    _series_list, chosen = _series(request)
    if chosen is None:
        raise Http404
    entries = selectors.register_entries(request.user, body=chosen["register_body"], year=chosen["register_year"],
                                         family=chosen["register_family"])
    content = excel.export_register(entries, body_name=chosen["body_name"], year=chosen["register_year"],
                                    family=chosen["register_family"])
    return xlsx_response(content, f"so-khen-thuong-{chosen['register_family']}-{chosen['register_year']}")


# The national records -----------------------------------------------------------------------------------------------


@login_required
def national_export(request):
    """The page (period form) and the files: ?decision=<id> or ?start=&end= (dd/mm/yyyy), &format=xlsx|json."""
    _require(rules.can_read_register(request.user))
    fmt = request.GET.get("format")
    if (decision_pk := number_or_none(request.GET.get("decision"))) is not None:
        decision = selectors.registered_decision(request.user, decision_pk)
        records = selectors.national_records(request.user, decision=decision)
        scope = {"decision": decision.number, "date": decision.date.isoformat()}
        stem = f"csdl-quoc-gia-{decision.number.replace('/', '-')}"
        return _national_file(records, fmt, scope, stem, _("Khen thưởng theo Quyết định số %(n)s") % {
            "n": decision.number})
    form = NationalExportForm(request.GET or None)
    if fmt and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        records = selectors.national_records(request.user, start=start, end=end)
        return _national_file(records, fmt, {"start": start.isoformat(), "end": end.isoformat()},
                              f"csdl-quoc-gia-{start:%Y%m%d}-{end:%Y%m%d}",
                              _("Khen thưởng quyết định từ ngày %(s)s đến ngày %(e)s") % {
                                  "s": f"{start:%d/%m/%Y}", "e": f"{end:%d/%m/%Y}"})
    today = timezone.localdate()  # the day in Vietnam, not the server's
    if not request.GET:
        form = NationalExportForm(initial={"start": datetime.date(today.year, 1, 1), "end": today})
    return render(request, "awards/certificates/national.html", {
        "form": form, "columns": national_records.COLUMNS, "action": reverse("awards:national_export")})


def _national_file(records, fmt, scope, stem, note):
    if fmt == "json":
        response = HttpResponse(national_records.as_json(records, scope=scope),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{stem}.json")
        return response
    return xlsx_response(national_records.workbook(records, note=note), stem)
