"""Wiring only: load through the scoped selectors (outsiders get 404), check the rule (403), call one service."""

import functools
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import imports, versions
from core.files import attachment_response, clean_original_name
from core.models import ImportJobStatus
from core.spreadsheet import xlsx_response
from core.text import download_name, numbers
from core.views import FAILED, flash_service, form_action, form_page, form_service

from . import charts, excel, rules, selectors, services
from .forms import (
    AppraiseForm,
    CriterionForm,
    ReasonForm,
    ReturnForm,
    SelfScoreForm,
    SetCreateForm,
    SetForm,
    UploadForm,
)
from .models import CriteriaSet, Criterion, ParEvidenceFile, Score, UnitGroup

# The group in a downloaded file's name ("xep-hang-cchc-2023-cap-huyen.xlsx"): short, ASCII, not the database code.
GROUP_FILE_WORDS = {UnitGroup.DEPARTMENT: "so-ban-nganh", UnitGroup.DISTRICT: "cap-huyen", UnitGroup.COMMUNE: "cap-xa"}


def _require(allowed):
    if not allowed:
        raise PermissionDenied


# Home -------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    user = request.user
    if not rules.can_read_all(user):
        sheets = selectors.sheets_of_user(user)
        return render(request, "par/my_sheets.html", {"own": sheets.filter(unit_id=user.unit_id),
                                                      "below": sheets.exclude(unit_id=user.unit_id)})
    return render(request, "par/set_list.html", {
        "sets": selectors.set_list(), "can_manage": rules.can_manage_sets(user),
        "published_years": sorted({s.year for s in CriteriaSet.objects.filter(published_at__isnull=False)},
                                  reverse=True),
    })


# Criteria sets ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def set_create(request):
    _require(rules.can_manage_sets(request.user))
    form = SetCreateForm(request.POST or None, initial={"title": _("Bộ chỉ số cải cách hành chính")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        copy = data.pop("copy_previous")
        previous = CriteriaSet.objects.filter(year=data["year"] - 1, group=data["group"]).first() if copy else None
        if copy and previous is None:
            form.add_error("copy_previous", _("Không có bộ chỉ số năm trước của nhóm này để sao chép."))
        else:
            criteria_set = form_service(form, lambda: services.set_create(by=request.user, copy_from=previous,
                                                                          **data))
            if criteria_set is not FAILED:
                messages.success(request, _("Đã tạo bộ chỉ số %(set)s.") % {"set": criteria_set})
                return redirect(criteria_set)
    return render(request, "par/form.html", {"form": form, "title": _("Tạo bộ chỉ số CCHC")})


@login_required
@require_GET
def set_detail(request, pk):
    criteria_set = selectors.set_for(request.user, pk)
    locked = selectors.set_is_locked(criteria_set)
    can_manage = rules.can_manage_sets(request.user)
    sheets = []
    # The appraiser's list opens on the sheets waiting for it ("Việc cần làm"); viec=0 shows them all.
    todo = rules.can_appraise(request.user) and request.GET.get("viec", "1") == "1"
    if rules.can_read_all(request.user):
        sheets = criteria_set.sheets.select_related("unit").order_by("unit__code")
        if todo:
            sheets = sheets.filter(status__in=selectors.APPRAISAL_TODO)
    return render(request, "par/set_detail.html", {"todo": todo,
        "set": criteria_set, "criteria": selectors.criteria_of(criteria_set), "locked": locked,
        "can_manage": can_manage, "can_edit": can_manage and not locked and not criteria_set.is_published,
        "can_appraise": rules.can_appraise(request.user), "can_read_all": rules.can_read_all(request.user),
        "sheets": sheets, "reason_form": ReasonForm(), "upload_form": UploadForm(),
        "has_next": CriteriaSet.objects.filter(year=criteria_set.year + 1, group=criteria_set.group).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def set_edit(request, pk):
    criteria_set = selectors.set_for(request.user, pk)
    _require(rules.can_manage_sets(request.user))
    form = SetForm(request.POST or None, instance=CriteriaSet.objects.get(pk=criteria_set.pk))
    return form_page(request, form, lambda **data: services.set_update(criteria_set=criteria_set, by=request.user,
                                                                       **data),
                     lambda saved: _("Đã lưu cài đặt của bộ chỉ số."),
                     "par/form.html", {"title": _("Sửa cài đặt bộ chỉ số"), "set": criteria_set},
                     then=lambda saved: criteria_set)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk, criterion_pk=None):
    criteria_set = selectors.set_for(request.user, pk)
    _require(rules.can_manage_sets(request.user))
    criterion = get_object_or_404(Criterion, pk=criterion_pk, criteria_set=criteria_set) if criterion_pk else None
    form = CriterionForm(request.POST or None, instance=criterion, initial={"code": request.GET.get("code", "")})
    title = _("Sửa tiêu chí %(code)s") % {"code": criterion.code} if criterion else _("Thêm tiêu chí")
    return form_page(request, form, lambda **data: services.criterion_save(criteria_set=criteria_set, by=request.user,
                                                                           criterion=criterion, **data),
                     lambda saved: _("Đã lưu tiêu chí %(code)s.") % {"code": form.cleaned_data["code"]},
                     "par/form.html", {"title": title, "set": criteria_set}, then=lambda saved: criteria_set)


@login_required
@require_POST
def criterion_delete(request, pk, criterion_pk):
    criteria_set = selectors.set_for(request.user, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, criteria_set=criteria_set)
    flash_service(request, lambda: services.criterion_delete(criterion=criterion, by=request.user),
                  _("Đã xóa tiêu chí %(code)s và các mục con.") % {"code": criterion.code})
    return redirect(criteria_set)


def _import_view(kind, allowed, service, done, **page):
    """The page of one of the two imports into a criteria set: scope, the rule `allowed(user)`, then
    `_excel_import` with the import's `kind`, `service`, success message and `page` texts."""
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        criteria_set = selectors.set_for(request.user, pk)
        _require(allowed(request.user))
        return _excel_import(request, criteria_set, kind=kind, service=service, done=str(done), page=page)

    return view


set_import = _import_view(
    "par_set", rules.can_manage_sets, services.criteria_set_import, gettext_lazy("Đã nhập %(count)s dòng tiêu chí."),
    headers=excel.SET_HEADERS, title=gettext_lazy("Nhập tiêu chí từ Excel"),
    help=gettext_lazy("Mỗi dòng một lĩnh vực/tiêu chí/tiêu chí thành phần; mã (1, 1.1, 1.1.1) cho biết vị trí trong "
                      "cây; các dòng có thể theo thứ tự bất kỳ. Toàn bộ tiêu chí hiện có sẽ được thay thế; nếu có "
                      "dòng lỗi thì không dòng nào được ghi."))


@login_required
@require_GET
def set_export(request, pk):
    criteria_set = selectors.set_for(request.user, pk)
    return xlsx_response(excel.export_set(criteria_set), download_name(
        "bo-chi-so-cchc", criteria_set.year, GROUP_FILE_WORDS.get(criteria_set.group, criteria_set.group), ext="xlsx"))


@login_required
@require_POST
def set_copy(request, pk):
    criteria_set = selectors.set_for(request.user, pk)
    _require(rules.can_manage_sets(request.user))
    new = flash_service(request, lambda: services.set_copy_to_next_year(criteria_set=criteria_set, by=request.user),
                        lambda new: _("Đã tạo bộ chỉ số năm %(year)s từ bộ năm %(old)s.")
                        % {"year": new.year, "old": criteria_set.year})
    return redirect(new or criteria_set)


def _set_action(request, pk, service, success, **data):
    """A Sở Nội vụ administrator's POST on a criteria set: `service(criteria_set=…, by=…, **data)`, the message
    `success` (text, or a function of what the service returns), back to the set."""
    criteria_set = selectors.set_for(request.user, pk)
    _require(rules.can_manage_sets(request.user))
    flash_service(request, lambda: service(criteria_set=criteria_set, by=request.user, **data), success)
    return redirect(criteria_set)


@login_required
@require_POST
def sheets_open(request, pk):
    return _set_action(request, pk, services.sheets_open,
                       lambda created: _("Đã mở chấm điểm: tạo %(n)s phiếu mới.") % {"n": created})


survey_import = _import_view(
    "par_survey", rules.can_appraise, services.survey_scores_import,
    gettext_lazy("Đã nhập %(count)s điểm điều tra xã hội học."), headers=excel.SURVEY_HEADERS,
    title=gettext_lazy("Nhập điểm điều tra xã hội học"),
    help=gettext_lazy("Mỗi dòng một đơn vị và một tiêu chí điều tra xã hội học của bộ chỉ số; nếu có dòng lỗi thì "
                      "không dòng nào được ghi."))


def _excel_import(request, criteria_set, *, kind, service, done, page):
    """The two PAR imports: a small file is checked and written at once; a large one by the background worker, its
    progress and then its result shown at `?job=<id>` (core.imports)."""
    form = UploadForm(request.POST or None, request.FILES or None)
    result = job = finished = None
    if request.method == "GET" and request.GET.get("job"):
        job = imports.job_for(request.user, request.GET["job"], kind=kind, criteria_set=criteria_set.pk)
        if imports.is_poll(request):
            return imports.poll_response(request, job)
        if job.status == ImportJobStatus.DONE:
            result = excel.ImportResult.from_json(job.result)
            finished = done % {"count": result.count} if result.ok else None
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if imports.runs_in_background(upload):
            try:
                job = imports.enqueue(kind=kind, by=request.user, upload=upload,
                                      original_name=clean_original_name(upload.name),
                                      options={"criteria_set": criteria_set.pk})
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect(f"{request.path}?job={job.pk}")
        else:
            result = service(criteria_set=criteria_set, by=request.user, file=upload)
            if result.ok:
                messages.success(request, done % {"count": result.count})
                return redirect(criteria_set)
    return render(request, "par/import.html", {"form": form, "result": result, "job": job, "done": finished,
                                               "set": criteria_set, **page})


@login_required
@require_POST
def set_publish(request, pk):
    return _set_action(request, pk, services.set_publish,
                       lambda published: _("Đã công bố kết quả Chỉ số CCHC năm %(year)s.") % {"year": published.year})


@login_required
@require_POST
def set_reopen(request, pk):
    return _set_action(request, pk, services.set_reopen,
                       _("Đã mở lại kết quả để chỉnh sửa; nhớ công bố lại sau khi sửa."),
                       reason=request.POST.get("reason", ""))


# Ranking ----------------------------------------------------------------------------------------------------


def _ranking_rows(criteria_set):
    rows = selectors.ranking_table(criteria_set)
    for row in rows:
        if row.previous_index is not None:
            row.previous_index = row.previous_index.quantize(services.CENT)
        row.change = (row.index_percent - row.previous_index) if row.previous_index is not None else None
        row.rank_change = (row.previous_rank - row.rank) if row.previous_rank else None
    return rows


# A set's ranking changes only when a score or the set changes, and every such write goes through a service that
# leaves an audit row: its table and its chart are built once per data version (core.versions: also per language
# and day) and served from the cache, always after the view has checked the reader (scope, then rule). Both are
# rendered without the request, so nothing of a user (CSRF token, who they are) can be in them; the private
# table's links (each sheet's appraisal page) are the same for every reader of the private page (`can_read_all`
# is the rule of both pages, and such a reader's scope is every sheet), so the table is keyed on public or not.
def _ranking_table(criteria_set, rows, *, public):
    """{"html": the rendered _ranking_table.html, "bands": {band: sheets}}; `rows()` reads the rows if needed."""
    def build():
        read = rows()
        html = render_to_string("par/_ranking_table.html", {"set": criteria_set, "rows": read, "public": public})
        return {"html": str(html), "bands": dict(Counter(row.band for row in read))}

    table = versions.cached("par.ranking.table", [criteria_set.pk, criteria_set.survey_enabled, public], build)
    return {"html": mark_safe(table["html"]), "bands": table["bands"]}  # our own template's output


def _ranking_chart(criteria_set, rows):
    """The SVG chart (the same for the private and the public page: rank, unit, index, band)."""
    return mark_safe(versions.cached("par.ranking.chart", [criteria_set.pk, str(criteria_set)],
                                     lambda: str(charts.index_chart_svg(rows(), title=str(criteria_set)))))


def _rows_once(criteria_set):
    """The rows read at most once per request, only when a piece has to be built."""
    return functools.cache(lambda: _ranking_rows(criteria_set))


def _ranking_set(request, pk):
    """The criteria set, for those who read every unit (scope, then the rule): before anything cached is used."""
    criteria_set = selectors.set_for(request.user, pk)
    _require(rules.can_read_all(request.user))
    return criteria_set


@login_required
@require_GET
def ranking(request, pk):
    criteria_set = _ranking_set(request, pk)
    rows = _rows_once(criteria_set)
    table = _ranking_table(criteria_set, rows, public=False)
    return render(request, "par/ranking.html", {
        "set": criteria_set, "table": table["html"], "bands": table["bands"],
        "chart": _ranking_chart(criteria_set, rows),
    })


@login_required
@require_GET
def ranking_export(request, pk):
    criteria_set = _ranking_set(request, pk)
    rows = _ranking_rows(criteria_set)
    return xlsx_response(excel.export_ranking(criteria_set, rows), download_name(
        "xep-hang-cchc", criteria_set.year, GROUP_FILE_WORDS.get(criteria_set.group, criteria_set.group), ext="xlsx"))


@login_required
@require_GET
def ranking_chart(request, pk):
    criteria_set = _ranking_set(request, pk)
    svg = _ranking_chart(criteria_set, _rows_once(criteria_set))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@require_GET
def public_ranking(request, year):
    """The published results of a year, for everybody (no login): only published sets, read on every request
    (a set reopened is off the page at once); their tables and charts from the cache (`_ranking_table`)."""
    sets = list(selectors.published_sets(year))
    if not sets:  # a plain page naming the years that have results, not the generic "not found"
        return render(request, "par/public_ranking.html",
                      {"year": year, "tables": [], "years": selectors.published_years()}, status=404)
    tables = []
    for criteria_set in sets:
        rows = _rows_once(criteria_set)
        tables.append({"set": criteria_set, "table": _ranking_table(criteria_set, rows, public=True)["html"],
                       "chart": _ranking_chart(criteria_set, rows)})
    return render(request, "par/public_ranking.html", {"year": year, "tables": tables})


# Sheets -----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def sheet_detail(request, pk):
    sheet = selectors.sheet_for(request.user, pk)
    return render(request, "par/sheet.html", {
        "sheet": sheet, "set": sheet.criteria_set, "rows": selectors.sheet_rows(sheet),
        "can_self_assess": rules.can_self_assess(request.user, sheet) and sheet.self_editable,
        "show_appraisal": rules.can_see_appraisal(request.user, sheet),
        "can_appraise": rules.can_appraise(request.user),
        "can_read_all": rules.can_read_all(request.user),
    })


@login_required
@require_GET
def sheet_appraisal(request, pk):
    sheet = selectors.sheet_for(request.user, pk)
    _require(rules.can_read_all(request.user))
    editable = rules.can_appraise(request.user) and sheet.status in services.APPRAISABLE
    return render(request, "par/appraisal.html", {
        "sheet": sheet, "set": sheet.criteria_set, "rows": selectors.sheet_rows(sheet), "editable": editable,
        "can_appraise": rules.can_appraise(request.user), "return_form": ReturnForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def score_edit(request, pk, criterion_pk):
    sheet = selectors.sheet_for(request.user, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, criteria_set_id=sheet.criteria_set_id, is_leaf=True,
                                  is_survey=False)
    _require(rules.can_self_assess(request.user, sheet))
    if not sheet.self_editable:
        messages.error(request, _("Phiếu đang ở trạng thái “%(status)s”; đơn vị không sửa được điểm tự chấm.")
                       % {"status": sheet.get_status_display()})
        return redirect(sheet)
    score = Score.objects.filter(sheet=sheet, criterion=criterion).prefetch_related("files", "evidence_links").first()
    initial = {}
    if score:
        initial = {"self_score": score.self_score, "not_applicable": score.not_applicable,
                   "explanation": score.explanation, "links": list(score.evidence_links.all())}
    form = SelfScoreForm(request.POST or None, request.FILES or None, criterion=criterion, sheet=sheet,
                         initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = form_service(form, lambda: services.score_self_assess(
                    sheet=sheet, criterion=criterion, by=request.user, self_score=data.get("self_score"),
                    explanation=data.get("explanation", ""), not_applicable=data.get("not_applicable", False),
                    uploads=data.get("uploads") or [], link_ids=[f.pk for f in data.get("links") or []],
                    remove_file_ids=numbers(request.POST.getlist("remove_file"))))
        if saved is not FAILED:
            messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": criterion.code})
            return redirect(sheet)
    return render(request, "par/score_form.html", {"sheet": sheet, "criterion": criterion, "score": score,
                                                   "form": form})


@login_required
@require_POST
def score_appraise(request, pk, criterion_pk):
    sheet = selectors.sheet_for(request.user, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, criteria_set_id=sheet.criteria_set_id)
    _require(rules.can_appraise(request.user))
    return form_action(
        request, AppraiseForm(request.POST),
        lambda data: services.score_appraise(sheet=sheet, criterion=criterion, by=request.user, **data),
        _("Đã lưu điểm thẩm định tiêu chí %(code)s.") % {"code": criterion.code},
        invalid=_("Tiêu chí %(code)s: điểm thẩm định không hợp lệ.") % {"code": criterion.code},
        then=f"{sheet_url(sheet)}#c{criterion.pk}")


def sheet_url(sheet):
    return reverse("par:appraisal", args=[sheet.pk])


def _sheet_action(service, done, *, back="sheet", with_note=False):
    """A POST-only view running one step of a sheet (with the posted note when `with_note`), then back to the
    sheet or its appraisal page (`back`)."""
    @login_required
    @require_POST
    def view(request, pk):
        sheet = selectors.sheet_for(request.user, pk)
        note = {"note": request.POST.get("note", "")} if with_note else {}
        flash_service(request, lambda: service(sheet=sheet, by=request.user, **note), str(done))
        return redirect(f"par:{back}", pk=sheet.pk)

    return view


sheet_submit = _sheet_action(services.sheet_submit, gettext_lazy("Đã nộp phiếu tự chấm cho Sở Nội vụ."))
sheet_resubmit = _sheet_action(services.sheet_resubmit, gettext_lazy("Đã nộp lại phiếu sau khi giải trình."))
sheet_start_appraisal = _sheet_action(services.sheet_start_appraisal, gettext_lazy("Đã nhận phiếu để thẩm định."),
                                      back="appraisal")
sheet_return = _sheet_action(services.sheet_return, gettext_lazy("Đã trả phiếu cho đơn vị để giải trình."),
                             back="appraisal", with_note=True)
sheet_complete_appraisal = _sheet_action(services.sheet_complete_appraisal,
                                         gettext_lazy("Đã hoàn thành thẩm định phiếu."), back="appraisal")


@login_required
@require_GET
def evidence_download(request, pk, file_pk):
    sheet = selectors.sheet_for(request.user, pk)
    evidence = get_object_or_404(ParEvidenceFile, pk=file_pk, score__sheet=sheet)
    return attachment_response(evidence)


@login_required
@require_GET
def linked_evidence_download(request, pk, file_pk):
    sheet = selectors.sheet_for(request.user, pk)
    score = Score.objects.filter(sheet=sheet, evidence_links__pk=file_pk).first()
    if score is None:
        raise Http404
    return attachment_response(score.evidence_links.get(pk=file_pk))
