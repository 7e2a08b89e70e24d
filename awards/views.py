"""Wiring only: load through the scoped selectors (outsiders get 404), call one service, add a message, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import imports
from core.files import attachment_response, clean_original_name
from core.models import ImportJobStatus
from core.spreadsheet import xlsx_response
from core.text import download_name, normalize_code, number_or_none, numbers
from core.views import (
    FAILED,
    error_text,
    flash_service,
    form_action,
    form_page,
    form_service,
    linker,
)
from core.views import querystring as _querystring
from units.selectors import people_visible_to, unit_for, units_visible_to

from . import dossier_documents, excel, pdf, rules, selectors, services
from . import history_import as history_import_service
from .forms import (
    CentralDecisionForm,
    CentralProposalForm,
    CommentForm,
    CouncilForm,
    DecisionForm,
    DocumentForm,
    DossierCreateForm,
    DossierFilterForm,
    HistoryImportForm,
    NomineeEditForm,
    NomineeForm,
    PostingForm,
    RegisterForm,
    SessionChoiceForm,
)
from .models import Decision, DossierDocument, Nominee, Notification, Posting, PublicComment

PAGE_SIZE = 50






def _scoped(request, pk):
    return get_object_or_404(selectors.dossiers_visible_to(request.user), pk=pk)


def _form_errors(form):
    """A refused form's messages on one line, for the message above the dossier page."""
    return "; ".join(m for errs in form.errors.values() for m in errs)


def _part_of(request, pk, model, part_pk):
    """A dossier in the user's scope and one of its nominees or documents (404 for another dossier's)."""
    dossier = _scoped(request, pk)
    return dossier, get_object_or_404(model, dossier=dossier, pk=part_pk)


# Catalogue -----------------------------------------------------------------------------------------------------


@login_required
def catalogue(request):
    today = timezone.localdate()
    forms_ = list(selectors.catalogue())
    for form in forms_:
        form.current_rule = next((r for r in form.rules.all() if r.applies_on(today)), None)
    return render(request, "awards/catalogue.html", {"forms": forms_, "today": today,
                                                     "can_manage": rules.can_manage(request.user)})


# Lists -----------------------------------------------------------------------------------------------------------


def _filtered(request, *, todo=False):
    form = DossierFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = None
    if filters.get("unit"):
        unit = units_visible_to(request.user).filter(code=normalize_code(filters["unit"])).first()
    dossiers = selectors.dossier_list(
        request.user, campaign=filters.get("campaign"), milestone=filters.get("milestone"), form=filters.get("form"),
        state=filters.get("state", ""), unit=unit, todo=todo, overdue=filters.get("overdue", False))
    if filters.get("unit") and unit is None:
        dossiers = dossiers.none()  # an unknown or out-of-scope unit code matches nothing
    return form, dossiers




def _todo(request):
    """The "Việc cần làm" tab: asked for (viec=1), or by default for a role with a step of its own to do (the
    appraiser's list opens on what waits for it); viec=0 or any filter shows every dossier."""
    if "viec" in request.GET:
        return request.GET["viec"] == "1"
    return not request.GET and bool(selectors.todo_states(request.user))


def _list_rows(dossiers):
    """The page's dossiers with what each row shows worked out once: its link from one reverse() for the page, and
    the due-date flags the row reads twice (the template engine's lookups are most of a list page's time)."""
    link, today = linker("awards:detail"), timezone.localdate()
    rows = list(dossiers)
    for dossier in rows:
        dossier.url = link(dossier.pk)
        dossier.overdue = dossier.is_overdue_on(today)
        dossier.due_soon = dossier.is_due_soon_on(today)
    return rows


@login_required
def dossier_list(request):
    todo = _todo(request)
    form, dossiers = _filtered(request, todo=todo)
    page = Paginator(selectors.dossier_rows(dossiers), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _list_rows(page.object_list)
    return render(request, "awards/dossier_list.html", {
        "filter_form": form, "page": page, "todo": todo, "querystring": _querystring(request),
        "can_create": rules.is_officer(request.user),
        "bulk_actions": [action for action, (allowed, _p, _l) in BULK.items() if allowed(request.user)]})


@login_required
def dossier_export(request):
    _, dossiers = _filtered(request, todo=_todo(request))
    return xlsx_response(excel.export_dossiers(dossiers), f"ho-so-khen-thuong-{timezone.localdate():%Y%m%d}.xlsx")


# Preparing a dossier ---------------------------------------------------------------------------------------------


@login_required
def dossier_create(request):
    if not rules.is_officer(request.user):
        raise PermissionDenied
    form = DossierCreateForm(request.POST or None, user=request.user)
    return form_page(request, form, lambda **data: services.dossier_create(
        by=request.user, campaign=data["milestone"].campaign, milestone=data["milestone"], unit=data["unit"],
        form=data["form"], simplified=data["simplified"]),
        lambda dossier: _("Đã tạo hồ sơ. Hãy thêm đối tượng, tài liệu và thông tin cuộc họp."),
        "awards/dossier_form.html", {"title": _("Tạo hồ sơ đề nghị khen thưởng")})


def _available_actions(user, dossier):
    """Which action buttons the page shows: the declared transitions open from this state, filtered by role."""
    open_ = {t.name for t in dossier.get_available_state_transitions()}
    preparer, appraiser = rules.can_prepare_for(user, dossier.unit), rules.can_appraise(user)
    return {
        "submit": preparer and "submit" in open_, "withdraw": preparer and "withdraw" in open_,
        "receive": appraiser and "receive" in open_, "start": appraiser and "start_appraisal" in open_,
        "propose": appraiser and "propose" in open_, "return": appraiser and "return_for_supplement" in open_,
        "council": rules.can_manage(user) and "put_to_council" in open_,
        "decide": (rules.can_decide(user) and "award" in open_ and not dossier.form.decided_above
                   and dossier.state != "proposed_central" and not dossier.decision_id
                   and not dossier.in_open_session),
        "not_award": (rules.can_decide(user) and "not_award" in open_ and dossier.state != "proposed_central"
                      and not dossier.in_open_session),
        "propose_central": rules.can_decide(user) and "propose_central" in open_ and dossier.form.decided_above,
        "central_decide": rules.can_decide(user) and dossier.state == "proposed_central",
        "reopen": rules.can_manage(user) and bool({"reopen_withdrawn", "reopen_appraisal"} & open_),
    }


@login_required
def dossier_detail(request, pk):
    dossier = selectors.dossier_for(request.user, pk)
    user = request.user
    editable = rules.can_edit(user, dossier)
    context = {
        "dossier": dossier, "editable": editable,
        "is_preparer": rules.can_prepare_for(user, dossier.unit),
        "can_appraise": rules.can_appraise(user), "can_manage": rules.can_manage(user),
        "can_decide": rules.can_decide(user),
        "activity": selectors.activity_for(dossier),
        "submissions": dossier.submissions.select_related("by"),
    }
    if rules.can_see_checks(user, dossier):
        context["missing"] = selectors.missing_parts(dossier) if dossier.is_editable or dossier.state in (
            "submitted", "received") else []
        context["checks"] = selectors.dossier_checks(dossier)
        rule = dossier.rule or selectors.rule_for(dossier.form, timezone.localdate())
        context["required_documents"] = selectors.required_documents(dossier, rule)
        context["checklist"] = dossier_documents.checklist(dossier, context["required_documents"])
        context["rule"] = rule
    if editable:
        context["document_form"] = DocumentForm()
        context["council_form"] = CouncilForm(initial={
            "simplified": dossier.simplified, "council_date": dossier.council_date,
            "council_members": dossier.council_members, "council_present": dossier.council_present,
            "council_votes": dossier.council_votes})
    if rules.can_appraise(user) or rules.can_decide(user):
        context["comments"] = PublicComment.objects.filter(dossier=dossier).select_related("posting")
    context["actions"] = _available_actions(user, dossier)
    context["decision_form"] = DecisionForm() if context["actions"]["decide"] else None
    context["decision_visible"] = dossier.decision_id and (dossier.decision.is_registered
                                                           or rules.can_see_all_dossiers(user))
    context["central_proposal_form"] = CentralProposalForm() if context["actions"]["propose_central"] else None
    context["central_decision_form"] = CentralDecisionForm() if context["actions"]["central_decide"] else None
    return render(request, "awards/dossier_detail.html", context)


@login_required
@require_POST
def dossier_council(request, pk):
    dossier = _scoped(request, pk)
    return form_action(
        request, CouncilForm(request.POST), lambda data: services.dossier_update(dossier=dossier, by=request.user,
                                                                                 **data),
        _("Đã lưu thông tin cuộc họp Hội đồng."), then=dossier,
        invalid=lambda form: _("Thông tin cuộc họp chưa hợp lệ: %(e)s") % {"e": _form_errors(form)})


@login_required
def nominee_add(request, pk):
    dossier = _scoped(request, pk)
    if not rules.can_prepare_for(request.user, dossier.unit):
        raise PermissionDenied
    form = NomineeForm(request.POST or None, dossier=dossier, user=request.user)
    return form_page(request, form, lambda **data: services.nominee_add(dossier=dossier, by=request.user, **data),
                     lambda saved: _("Đã thêm đối tượng đề nghị."), "awards/nominee_form.html", {"dossier": dossier},
                     then=lambda saved: dossier)


@login_required
def nominee_edit(request, pk, nominee_pk):
    dossier = _scoped(request, pk)
    nominee = get_object_or_404(Nominee.objects.select_related("dossier__unit", "unit", "person"), dossier=dossier,
                                pk=nominee_pk)
    if not rules.can_prepare_for(request.user, dossier.unit):
        raise PermissionDenied
    initial = {"summary": nominee.summary, "achievements": nominee.achievements.all(),
               "initiatives": nominee.initiatives.all(), "grounds": nominee.grounds.all()}
    form = NomineeEditForm(request.POST or None, nominee=nominee, initial=initial, user=request.user)
    return form_page(request, form, lambda **data: services.nominee_update(nominee=nominee, by=request.user, **data),
                     lambda saved: _("Đã lưu đối tượng đề nghị."), "awards/nominee_form.html",
                     {"dossier": dossier, "nominee": nominee}, then=lambda saved: dossier)


def _part_removal(model, part, service, success):
    """A POST view removing one part of a dossier, a nominee or a document: the URL names it `<part>_pk`, the service
    takes it as `<part>=`; a message, then back to the dossier."""

    @login_required
    @require_POST
    def view(request, pk, **kwargs):
        dossier, row = _part_of(request, pk, model, kwargs[f"{part}_pk"])
        flash_service(request, lambda: service(**{part: row}, by=request.user), str(success))
        return redirect(dossier)

    return view


nominee_remove = _part_removal(Nominee, "nominee", services.nominee_remove, gettext_lazy("Đã bỏ đối tượng khỏi hồ sơ."))


@login_required
@require_POST
def document_upload(request, pk):
    dossier = _scoped(request, pk)
    return form_action(
        request, DocumentForm(request.POST, request.FILES), lambda data: services.document_upload(
            dossier=dossier, by=request.user, doc_type=data["doc_type"], upload=data["file"]),
        _("Đã tải lên tài liệu."), then=dossier,
        invalid=lambda form: _("Chưa tải lên được: %(e)s") % {"e": _form_errors(form)})


document_delete = _part_removal(DossierDocument, "document", services.document_delete,
                                gettext_lazy("Đã xóa tài liệu."))


@login_required
def document_download(request, pk, document_pk):
    _dossier, document = _part_of(request, pk, DossierDocument, document_pk)
    return attachment_response(document)


# Workflow actions: POST-only, one service each --------------------------------------------------------------------


def _act(request, pk, service, success, note_kw=None):
    dossier = _scoped(request, pk)
    kwargs = {"dossier": dossier, "by": request.user, "expected": request.POST.get("expected") or None}
    if note_kw:
        kwargs[note_kw] = request.POST.get(note_kw, request.POST.get("note", ""))
    flash_service(request, lambda: service(**kwargs), success)
    return redirect(dossier)


def _action(service, success, note_kw=None):
    @login_required
    @require_POST
    def view(request, pk):
        return _act(request, pk, service, str(success), note_kw)

    return view


dossier_submit = _action(services.dossier_submit, gettext_lazy("Đã nộp hồ sơ lên Sở Nội vụ."))
dossier_withdraw = _action(services.dossier_withdraw, gettext_lazy("Đã rút hồ sơ."), "note")
dossier_receive = _action(services.dossier_receive, gettext_lazy("Đã tiếp nhận hồ sơ."))
dossier_start = _action(services.dossier_start_appraisal, gettext_lazy("Đã bắt đầu thẩm định."))
dossier_return = _action(services.dossier_return, gettext_lazy("Đã trả lại hồ sơ để đơn vị bổ sung."), "reasons")
dossier_propose = _action(services.dossier_propose, gettext_lazy("Đã đề nghị khen thưởng."), "note")
dossier_not_propose = _action(services.dossier_not_propose, gettext_lazy("Đã ghi nhận không đề nghị khen thưởng."),
                              "note")
dossier_not_award = _action(services.dossier_not_award, gettext_lazy("Đã ghi nhận không khen thưởng."), "note")
dossier_reopen = _action(services.dossier_reopen, gettext_lazy("Đã mở lại hồ sơ."), "reason")


@login_required
@require_POST
def dossier_to_council(request, pk):
    dossier = _scoped(request, pk)
    flash_service(request, lambda: services.dossiers_put_to_council(dossiers=[dossier], by=request.user),
                  _("Đã trình Hội đồng."))
    return redirect(dossier)


def decider_form(form_class, service, success, *, invalid):
    """The view of a decider's form posted from the dossier page: scope, rule, form check (`invalid`: the message, or
    a function of the form), then `service(dossier=…, by=…, expected=<the state the page showed>, **the form's
    data)`; back to the dossier either way."""

    @login_required
    @require_POST
    def view(request, pk):
        dossier = _scoped(request, pk)
        if not rules.can_decide(request.user):
            raise PermissionDenied
        return form_action(request, form_class(request.POST), lambda data: service(
            dossier=dossier, by=request.user, expected=request.POST.get("expected") or None, **data), success,
            invalid=invalid, then=dossier)

    return view


def _decision_record(*, dossier, by, expected, **data):
    # A decision may award several dossiers at once, so it takes no one page's expected state: decision_record
    # locks every dossier and refuses one that is no longer in a decidable state.
    return services.decision_record(dossiers=[dossier], by=by, **data)


dossier_decide = decider_form(
    DecisionForm, _decision_record, gettext_lazy("Đã ghi nhận quyết định khen thưởng (số lấy từ sổ đăng ký văn bản)."),
    invalid=lambda form: _("Thông tin quyết định chưa hợp lệ: %(e)s") % {"e": _form_errors(form)})


# Bulk actions -----------------------------------------------------------------------------------------------------

BULK = {"council": (rules.can_manage, services.council_preview, gettext_lazy("Trình Hội đồng")),
        "publish": (rules.can_manage, services.posting_preview, gettext_lazy("Công khai danh sách để lấy ý kiến")),
        "decision": (rules.can_decide, services.decision_preview, gettext_lazy("Lập dự thảo quyết định khen thưởng"))}


def _bulk_selection(request):
    action = request.POST.get("action", "")
    if action not in BULK:
        raise PermissionDenied
    allowed, preview, label = BULK[action]
    if not allowed(request.user):
        raise PermissionDenied
    ids = numbers(request.POST.getlist("ids"))
    dossiers = list(selectors.dossiers_visible_to(request.user).filter(pk__in=ids)
                    .select_related("unit", "form").order_by("pk"))
    return action, preview, label, dossiers


@login_required
@require_POST
def bulk_preview(request):
    action, preview, label, dossiers = _bulk_selection(request)
    applicable, left_out = preview(dossiers, request.user)
    return render(request, "awards/bulk_preview.html", {
        "action": action, "label": label, "applicable": applicable, "left_out": left_out,
        "decision_form": DecisionForm() if action == "decision" else None,
        "session_form": SessionChoiceForm() if action == "council" else None,
        "posting_form": PostingForm() if action == "publish" else None})


@login_required
@require_POST
def bulk_apply(request):
    action, _preview, _label, dossiers = _bulk_selection(request)
    try:
        if action == "council":
            session = None
            if request.POST.get("session"):
                form = SessionChoiceForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("Phiên họp đã chọn không còn mở; hãy chọn phiên họp khác."))
                    return redirect("awards:list")
                session = form.cleaned_data["session"]
                services.council_session_add(session=session, dossiers=dossiers, by=request.user)
            else:  # without a session: the council's figures are the dossier's own (as before sessions)
                services.dossiers_put_to_council(dossiers=dossiers, by=request.user)
            messages.success(request, _("Đã trình Hội đồng %(n)s hồ sơ.") % {"n": len(dossiers)})
            return redirect(session or "awards:list")
        if action == "publish":
            form = PostingForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Hãy nhập tiêu đề và số ngày làm việc nhận ý kiến."))
                return redirect("awards:list")
            posting = services.posting_publish(dossiers=dossiers, by=request.user, title=form.cleaned_data["title"],
                                               working_days=form.cleaned_data["working_days"])
            messages.success(request, _("Đã công khai %(n)s hồ sơ đến hết ngày %(d)s.") % {
                "n": len(dossiers), "d": posting.closes_on.strftime("%d/%m/%Y")})
            return redirect(posting)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Thông tin quyết định chưa hợp lệ: %(e)s") % {"e": _form_errors(form)})
            return redirect("awards:list")
        decision = services.decision_prepare(dossiers=dossiers, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("awards:list")
    messages.success(request, _("Đã lập dự thảo quyết định cho %(n)s hồ sơ. Kiểm tra dự thảo rồi đăng ký số để ban "
                                "hành.") % {"n": len(dossiers)})
    return redirect(decision)


# Decisions, history, inbox ------------------------------------------------------------------------------------------


def _decision_for(request, pk):
    """A decision of the user's dossiers (an officer sees it once it is issued, never as a draft), or 404."""
    decision = get_object_or_404(Decision, pk=pk)
    if rules.can_see_all_dossiers(request.user):
        return decision
    if not decision.is_registered or not selectors.dossiers_visible_to(request.user).filter(
            decision=decision).exists():
        raise Http404
    return decision


@login_required
def decision_detail(request, pk):
    decision = _decision_for(request, pk)
    context = pdf.decision_context(decision)
    context["can_register"] = rules.can_decide(request.user) and not decision.is_registered and not decision.external
    context["register_form"] = RegisterForm() if context["can_register"] else None
    return render(request, "awards/decision_detail.html", context)


@login_required
def decision_pdf(request, pk):
    decision = _decision_for(request, pk)
    name = (download_name("quyet-dinh", decision.number, ext="pdf") if decision.is_registered
            else download_name("du-thao-quyet-dinh", f"{decision.date:%d-%m-%Y}", ext="pdf"))
    response = HttpResponse(pdf.decision_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def history(request):
    records = selectors.records_visible_to(request.user).select_related("form", "unit", "person__unit", "decision")
    unit = person = None
    if request.GET.get("unit"):
        unit = unit_for(request.user, request.GET["unit"])
        records = records.filter(unit=unit)
    if (person_pk := number_or_none(request.GET.get("person"))) is not None:
        person = get_object_or_404(people_visible_to(request.user), pk=person_pk)
        records = records.filter(person=person)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "awards/history.html", {"page": page, "unit": unit, "person": person,
                                                   "querystring": _querystring(request),
                                                   "can_manage": rules.can_manage(request.user)})


@login_required
def inbox(request):
    notes = Notification.objects.filter(user=request.user).select_related("dossier")[:200]
    return render(request, "awards/inbox.html", {"notes": notes})


@login_required
@require_POST
def inbox_read(request):
    services.notifications_mark_read(by=request.user)
    return redirect("awards:inbox")


# Public posting (công khai): readable and commentable without an account ------------------------------------------


def posting_list(request):
    postings = Posting.objects.all()
    if not rules.can_appraise(request.user):
        postings = selectors.open_postings()
    return render(request, "awards/posting_list.html", {"postings": postings[:100]})


def posting_detail(request, pk, form=None, form_dossier=None):
    posting = get_object_or_404(Posting, pk=pk)
    staff = rules.can_appraise(request.user)
    if not posting.is_open and not staff:
        raise Http404
    nominees = Nominee.objects.select_related("unit", "person__unit")
    dossiers = (posting.dossiers.select_related("form", "unit")
                .prefetch_related(Prefetch("nominees", queryset=nominees)).order_by("pk"))
    context = {"posting": posting, "dossiers": dossiers, "staff": staff, "can_close": rules.can_manage(request.user)
               and posting.closed_at is None, "form": form or CommentForm(), "form_dossier": form_dossier}
    if staff:
        context["comments"] = posting.comments.select_related("dossier")
    return render(request, "awards/posting_detail.html", context)


@require_POST
def comment_add(request, pk):
    posting = get_object_or_404(Posting, pk=pk)
    dossier = get_object_or_404(posting.dossiers.all(), pk=number_or_none(request.POST.get("dossier")) or 0)
    form = CommentForm(request.POST)
    if form.is_valid():
        saved = form_service(form, lambda: services.comment_add(
            posting=posting, dossier=dossier, text=form.cleaned_data["text"], name=form.cleaned_data["name"],
            source=request.META.get("REMOTE_ADDR", "")))
        if saved is not FAILED:
            messages.success(request, _("Cảm ơn bạn đã góp ý. Ý kiến đã được gửi tới Sở Nội vụ."))
            return redirect(posting)
    return posting_detail(request, pk, form=form, form_dossier=dossier.pk)


@login_required
@require_POST
def posting_close(request, pk):
    posting = get_object_or_404(Posting, pk=pk)
    flash_service(request, lambda: services.posting_close(posting=posting, by=request.user),
                  _("Đã đóng đợt công khai."))
    return redirect(posting)


# Earlier awards from Excel (Sở Nội vụ administrators) -------------------------------------------------------------


@login_required
def history_import(request):
    if not rules.can_manage(request.user):
        raise PermissionDenied
    if request.method == "GET" and request.GET.get("job"):
        return _history_import_job(request, request.GET["job"])
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid() and imports.runs_in_background(form.cleaned_data["file"]):
        upload = form.cleaned_data["file"]
        try:
            job = imports.enqueue(kind="commendations", by=request.user, upload=upload,
                                  original_name=clean_original_name(upload.name))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(f"{reverse('awards:history_import')}?job={job.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            created, skipped = history_import_service.commendations_import(upload=form.cleaned_data["file"],
                                                                            by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Đã nhập %(c)s khen thưởng; bỏ qua %(s)s dòng đã có.") % {
                "c": created, "s": skipped})
            return redirect("awards:history")
    return render(request, "awards/history_import.html", {"form": form, "errors": errors})


def _history_import_job(request, job_id):
    """A large import run by the worker: its progress, then the same errors or message as a small file's."""
    job = imports.job_for(request.user, job_id, kind="commendations")
    if imports.is_poll(request):
        return imports.poll_response(request, job)
    context = {"form": HistoryImportForm(), "job": job, "errors": []}
    if job.status == ImportJobStatus.DONE:
        context["errors"] = job.result["errors"]
        if not job.result["errors"]:
            context["done"] = _("Đã nhập %(c)s khen thưởng; bỏ qua %(s)s dòng đã có.") % {
                "c": job.result["created"], "s": job.result["skipped"]}
    return render(request, "awards/history_import.html", context)


@login_required
def history_template(request):
    if not rules.can_manage(request.user):
        raise PermissionDenied
    return xlsx_response(history_import_service.template_bytes(), "mau-lich-su-khen-thuong.xlsx")
