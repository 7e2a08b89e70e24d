"""Wiring of the council sessions, the decisions' register step, the prize money pages and the proposals to the
central level: load through the scoped selectors, call one service, add a message, redirect."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.spreadsheet import xlsx_response
from core.text import download_name, number_or_none, numbers
from core.views import FAILED, flash_service, form_page

from . import excel, pdf, rules, selectors, services
from .forms import CentralDecisionForm, CentralProposalForm, RegisterForm, SessionForm
from .models import Decision
from .views import _decision_for, decider_form

# Decisions ------------------------------------------------------------------------------------------------------


@login_required
def decision_list(request):
    if not rules.can_see_all_dossiers(request.user):
        raise PermissionDenied
    decisions = (Decision.objects.filter(external=False).select_related("issuer")
                 .prefetch_related("dossiers").order_by("registered_at", "-date", "-pk"))
    drafts = [d for d in decisions if not d.is_registered]
    registered = [d for d in decisions if d.is_registered][::-1]
    return render(request, "awards/decision_list.html", {"drafts": drafts, "registered": registered[:200]})


@login_required
@require_POST
def decision_register(request, pk):
    decision = _decision_for(request, pk)
    form = RegisterForm(request.POST)
    date = form.cleaned_data["date"] if form.is_valid() else None
    flash_service(request, lambda: services.decision_register(decision=decision, by=request.user, date=date),
                  _("Đã đăng ký số và ban hành quyết định; tiền thưởng đã được tính và lưu."))
    return redirect(decision)


@login_required
@require_POST
def decision_discard(request, pk):
    decision = _decision_for(request, pk)
    done = flash_service(request, lambda: services.decision_discard(decision=decision, by=request.user),
                         _("Đã hủy dự thảo quyết định; các hồ sơ trở lại chờ quyết định."))
    return redirect(decision) if done is FAILED else redirect("awards:decisions")


# Prize money (the fund's spending) ------------------------------------------------------------------------------


def _year(request):
    return number_or_none(request.GET.get("nam"))


@login_required
def prize_money(request):
    if not rules.can_see_all_dossiers(request.user):
        raise PermissionDenied
    year = _year(request)
    return render(request, "awards/prize_money.html", {
        "totals": selectors.prize_totals(request.user, year), "year": year,
        "years": selectors.prize_years(request.user), "salaries": selectors.base_salaries(),
        "can_manage": rules.can_manage(request.user)})


@login_required
def prize_money_export(request):
    if not rules.can_see_all_dossiers(request.user):
        raise PermissionDenied
    year = _year(request)
    records = selectors.prize_records(request.user).select_related("form", "unit", "person__unit", "funding_body")
    if year:
        records = records.filter(decision_date__year=year)
    content = excel.export_prize_money(selectors.prize_totals(request.user, year),
                                       records.order_by("decision_date", "decision_number", "id"), year)
    return xlsx_response(content, f"tien-thuong-{year or 'tat-ca'}-{timezone.localdate():%Y%m%d}.xlsx")


# Council sessions -----------------------------------------------------------------------------------------------


@login_required
def session_list(request):
    if not rules.can_see_all_dossiers(request.user):
        raise PermissionDenied
    sessions = selectors.sessions_visible_to(request.user).prefetch_related("items")
    return render(request, "awards/session_list.html", {"sessions": sessions[:200],
                                                        "can_manage": rules.can_manage(request.user)})


@login_required
def session_create(request):
    if not rules.can_manage(request.user):
        raise PermissionDenied
    form = SessionForm(request.POST or None, user=request.user)
    return form_page(
        request, form, lambda **data: services.council_session_create(
            by=request.user, date=data["date"], place=data["place"], members=form.member_list()),
        lambda session: _("Đã mở phiên họp. Hãy đưa các hồ sơ “Đề nghị khen thưởng” vào phiên họp."),
        "awards/session_form.html", {})


@login_required
def session_detail(request, pk):
    session = selectors.session_for(request.user, pk)
    items = list(selectors.session_items(session))
    for item in items:
        counted = {b.nominee_id: b for b in item.ballots.all()}
        item.rows = [(n, counted.get(n.pk)) for n in item.dossier.nominees.all()]
    members = list(session.members.select_related("person__unit"))
    return render(request, "awards/session_detail.html", {
        "session": session, "items": items, "members": members,
        "present": sum(1 for m in members if m.present), "can_manage": rules.can_manage(request.user)
        and session.is_open})


def _session_action(request, pk, service, success, **data):
    """A POST on an open council session's page: `service(session=…, by=…, **data)`, a message, back to the page."""
    session = selectors.session_for(request.user, pk)
    flash_service(request, lambda: service(session=session, by=request.user, **data), success)
    return redirect(session)


def _tallies(post):
    """The ballot counts typed per nominee (`valid-<pk>`, `approve-<pk>`); a row left empty is not sent, a value
    that is not a number is -1 (the service refuses it with its message)."""
    tallies = {}
    for key in post:
        pk = number_or_none(key.removeprefix("valid-")) if key.startswith("valid-") else None
        if pk is None:
            continue
        valid, approve = post.get(key, ""), post.get(f"approve-{pk}", "")
        if valid == "" and approve == "":
            continue
        tallies[pk] = tuple(-1 if count is None else count for count in map(number_or_none, (valid, approve)))
    return tallies


@login_required
@require_POST
def session_attendance(request, pk):
    return _session_action(request, pk, services.council_attendance, _("Đã lưu danh sách thành viên có mặt."),
                           present=numbers(request.POST.getlist("present")))


@login_required
@require_POST
def session_ballots(request, pk):
    return _session_action(request, pk, services.council_ballots_record, _("Đã ghi kết quả kiểm phiếu."),
                           tallies=_tallies(request.POST))


@login_required
@require_POST
def session_close(request, pk):
    return _session_action(
        request, pk, services.council_session_close,
        _("Đã kết thúc phiên họp; biên bản họp và biên bản kiểm phiếu đã được lập và đính kèm từng hồ sơ."))


def _session_pdf(request, pk, render_pdf, stem):
    session = selectors.session_for(request.user, pk)
    response = HttpResponse(render_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, download_name(stem, f"{session.date:%d-%m-%Y}",
                                                                                    ext="pdf"))
    return response


@login_required
def session_minutes(request, pk):
    return _session_pdf(request, pk, pdf.minutes_pdf, "bien-ban-hop-hoi-dong")


@login_required
def session_tally(request, pk):
    return _session_pdf(request, pk, pdf.tally_pdf, "bien-ban-kiem-phieu")


# Proposals to the central level ---------------------------------------------------------------------------------


dossier_propose_central = decider_form(
    CentralProposalForm, services.dossier_propose_central,
    gettext_lazy("Đã lập tờ trình đề nghị cấp trên khen thưởng; tờ trình được đính kèm hồ sơ."),
    invalid=gettext_lazy("Hãy chọn ngày và người ký tờ trình."))
dossier_central_decision = decider_form(
    CentralDecisionForm, services.central_decision_record, gettext_lazy("Đã ghi nhận kết quả của cấp trên."),
    invalid=gettext_lazy("Thông tin quyết định của cấp trên chưa hợp lệ."))
