"""Wiring only: Sở Nội vụ and leaders read; Sở Nội vụ writes the narrative and generates.

Scope first: a unit officer has no report, draft, version or campaign report in scope, so every page answers 404
to it (as for any object outside a user's subtree); 403 is kept for a Sở Nội vụ reader (a leader) who lacks the
write permission on an object in scope.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.selectors.plan import chosen_campaign, remember_campaign
from core import versions
from core.files import attachment_response
from core.text import number_or_none
from core.views import flash_service, form_action

from . import rules, selectors, services, statistics
from .charts import captions, charts_for
from .context import build_dashboard_context, build_for, period_for
from .forms import DashboardFilterForm, DraftForm, DraftOpenForm, GenerateForm, RegisterForm
from .models import JobStatus, ReportKind
from .render import render_html


def reader_required(view):
    """Signed-in Sở Nội vụ staff and leaders only; anyone else signed in gets 404 (nothing of reports is in scope)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not rules.can_read_reports(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _require_writer(user):
    if not rules.can_write_reports(user):
        raise PermissionDenied


def _versions(draft):
    versions = list(selectors.versions_of(draft))
    return {"versions": versions, "polling": any(not v.is_finished and not v.is_stale for v in versions)}




@reader_required
def index(request):
    campaigns = list(selectors.campaigns_for_reports(request.user))
    rows = [{"campaign": c, "drafts": list(selectors.draft_list(c)),
             "form": DraftOpenForm(campaign=c, prefix=f"c{c.pk}")} for c in campaigns]
    return render(request, "reports/index.html", {"rows": rows, "can_write": rules.can_write_reports(request.user)})


@reader_required
@require_POST
def draft_open(request, pk):
    _require_writer(request.user)
    campaign = get_object_or_404(selectors.campaigns_for_reports(request.user), pk=pk)
    form = DraftOpenForm(request.POST, campaign=campaign, prefix=f"c{campaign.pk}")
    if not form.is_valid():
        messages.error(request, _("Chưa tạo được dự thảo: %(e)s") % {
            "e": " ".join(str(e) for errors in form.errors.values() for e in errors)})
        return redirect("reports:index")
    draft = flash_service(request, lambda: services.draft_create(by=request.user, campaign=campaign,
                                                                 **form.cleaned_data),
                          lambda draft: _("Đã mở dự thảo “%(d)s”; hãy viết phần nhận định rồi tạo báo cáo.")
                          % {"d": draft})
    return redirect(draft or "reports:index")


def _document(draft):
    """The draft's document context (slots, missing parts, signer), or None when its period no longer exists."""
    try:
        return build_for(draft.campaign, draft.kind, year=draft.year, draft=draft)
    except ValueError:
        return None


@reader_required
@require_http_methods(["GET", "POST"])
def draft_detail(request, pk):
    draft = selectors.draft_for(request.user, pk)
    can_write = rules.can_write_reports(request.user)
    try:
        period = period_for(draft.campaign, draft.kind, draft.year)
    except ValueError as error:  # the plan's dates changed after the draft was opened
        messages.error(request, str(error))
        return redirect("reports:index")
    document = _document(draft)
    form = DraftForm(request.POST or None, instance=draft, slots=document["slots"],
                     signers=selectors.signers_for(draft))
    if request.method == "POST":
        _require_writer(request.user)
        if form.is_valid():
            done = flash_service(request, lambda: services.draft_update(draft=draft, by=request.user,
                                                                        **form.service_data()),
                                 _("Đã lưu phần nhận định của báo cáo."))
            if done:
                return redirect(draft)
    if not can_write or draft.is_registered:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "reports/draft_detail.html", {
        "draft": draft, "form": form, "period": period, "can_write": can_write, "document": document,
        "fields": [(form[name], slot) for name, slot in form.slot_fields],
        "generate_form": GenerateForm(), "register_form": RegisterForm(initial={"issued_on": timezone.localdate()}),
        "unconfirmed_forms": statistics.unconfirmed() if rules.can_configure_reports(request.user) else [],
        "report_signer": services.report_signer(draft) if draft.entry_id else None,
        **_versions(draft),
    })


@reader_required
def draft_preview(request, pk):
    draft = selectors.draft_for(request.user, pk)
    try:
        context = build_for(draft.campaign, draft.kind, year=draft.year, draft=draft)
        if context["missing"]:  # what is missing is marked, across a "BẢN NHÁP" watermark
            context = build_for(draft.campaign, draft.kind, year=draft.year, draft=draft, watermark=True)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("reports:index")
    return HttpResponse(render_html(context))


def _draft_form(form_class, service, success, *, invalid):
    """The view of a report writer's small form posted from the draft's page: `service(draft=…, by=…, **the form's
    data)`."""

    @reader_required
    @require_POST
    def view(request, pk):
        draft = selectors.draft_for(request.user, pk)
        _require_writer(request.user)
        return form_action(request, form_class(request.POST),
                           lambda data: service(draft=draft, by=request.user, **data), success, invalid=invalid,
                           then=draft)

    return view


draft_register = _draft_form(
    RegisterForm, services.draft_register,
    lambda registered: _("Đã đăng ký văn bản: số %(number)s ngày %(date)s.") % {
        "number": registered.entry.reference, "date": f"{registered.issued_on:%d/%m/%Y}"},
    invalid=gettext_lazy("Hãy nhập ngày ban hành theo dạng dd/mm/yyyy."))
draft_generate = _draft_form(
    GenerateForm, services.report_request, gettext_lazy("Đã đưa báo cáo vào hàng đợi; trang sẽ tự cập nhật tiến độ."),
    invalid=gettext_lazy("Hãy chọn định dạng báo cáo (PDF, Excel hoặc biểu thống kê)."))


@reader_required
def draft_versions(request, pk):
    """The versions table (htmx polls it every 2 s while a job is unfinished)."""
    draft = selectors.draft_for(request.user, pk)
    return render(request, "reports/_versions.html", {
        "draft": draft, "can_write": rules.can_write_reports(request.user), **_versions(draft),
    })


@reader_required
def version_download(request, pk):
    version = selectors.version_for(request.user, pk)
    if version.status != JobStatus.DONE or not version.file:
        raise PermissionDenied
    return attachment_response(version)


@reader_required
@require_POST
def version_retry(request, pk):
    version = selectors.version_for(request.user, pk)
    _require_writer(request.user)
    flash_service(request, lambda: services.report_retry(version=version, by=request.user),
                  _("Đã đưa báo cáo vào hàng đợi để tạo lại."))
    return redirect(version.draft)


@reader_required
def dashboard(request):
    campaigns = list(selectors.campaigns_for_reports(request.user))
    chosen = None
    if (key := number_or_none(request.GET.get("campaign"))) is not None:
        chosen = next((c for c in campaigns if c.pk == key), None)
        remember_campaign(request, chosen)  # the home page and the other dashboards follow the choice
    chosen = chosen or chosen_campaign(request, campaigns)
    form = DashboardFilterForm(request.GET or None, campaigns=campaigns, campaign=chosen,
                               initial={"campaign": chosen.pk if chosen else None})
    filters = form.cleaned_data if form.is_valid() else {}
    context = {"filter_form": form, "campaign": chosen}
    if chosen is not None:
        year = filters.get("year")
        review = filters.get("review") or ReportKind.FINAL  # the whole plan unless a year or a review is chosen
        period = period_for(chosen, ReportKind.YEARLY, year) if year else period_for(chosen, review)
        group = filters.get("group") or ""

        def figures():
            data = build_dashboard_context(chosen, period, kinds=[group] if group else None)
            return render_to_string("reports/_dashboard_figures.html", {
                "campaign": chosen, "data": data, "charts": charts_for(data), "chart_captions": captions(),
                "year": year or ""})

        # The same figures for every reader (the dashboard is province-wide): built once per data version.
        context.update({"figures": versions.cached("reports.dashboard", [chosen.pk, year, review, group], figures),
                        "year": year or "", "group": group})
    return render(request, "reports/dashboard.html", context)
