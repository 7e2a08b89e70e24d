"""Browser import: upload → preview (dry run) → confirm, one view per model.

The uploaded file waits in private storage under a random name; the session maps a random token to it, so the
confirm step re-reads exactly the previewed file and nobody can name a file of their own choosing.

A large workbook (core.imports.runs_in_background) is previewed and then imported by the background worker: the
upload becomes an ImportJob and the page (`?job=<id>`, its owner only) shows the progress, then the same preview,
error list or result the small file shows at once. The job row plays the token's part: a clean preview keeps its
file until it is confirmed (once) or cancelled.
"""

import os
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core import imports
from core.forms import ExcelImportField, TextLimits
from core.models import ImportJobStatus
from core.text import nfc

from . import excel, rules

SESSION_KEY = "pending_imports"
IMPORT_DIR = "imports"
PREVIEW_LIMIT = excel.PREVIEW_ROWS


class UploadForm(TextLimits, forms.Form):
    # Every check of the file (empty, too large, not an .xlsx, zip bomb) is the shared one of all Excel imports:
    # core.forms.ExcelImportField. A damaged workbook that passes them is reported by the import service.
    file = ExcelImportField(label=gettext_lazy("Tệp Excel (.xlsx)"))


IMPORTS = {
    "units": {
        "service": excel.units_import,
        "allowed": rules.can_manage_unit_tree,
        "title": gettext_lazy("Nhập danh sách đơn vị từ Excel"),
        "url": "units:import",
        "export_url": "units:export",
        "list_url": "units:list",
        "done": gettext_lazy("Đã nhập danh sách đơn vị: %(new)s đơn vị mới, %(updated)s đơn vị cập nhật, "
                             "%(unchanged)s đơn vị không đổi."),
    },
    "people": {
        "service": excel.people_import,
        "allowed": rules.can_edit_people,
        "title": gettext_lazy("Nhập danh sách cá nhân từ Excel"),
        "url": "units:people_import",
        "export_url": "units:people_export",
        "list_url": "units:people",
        "done": gettext_lazy("Đã nhập danh sách cá nhân: %(new)s người mới, %(updated)s người cập nhật, "
                             "%(unchanged)s người không đổi."),
    },
}


@login_required
@require_http_methods(["GET", "POST"])
def unit_import(request):
    return _import(request, "units")


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request):
    return _import(request, "people")


def _import(request, kind):
    config = IMPORTS[kind]
    if not config["allowed"](request.user):
        raise PermissionDenied
    if request.method == "GET" and request.GET.get("job"):
        return _job_page(request, kind, request.GET["job"])
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request, kind, request.POST["confirm"])
    if request.method == "POST" and request.POST.get("confirm_job"):
        return _confirm_job(request, kind, request.POST["confirm_job"])
    if request.method == "POST" and (request.POST.get("cancel") or request.POST.get("cancel_job")):
        if request.POST.get("cancel"):
            _discard(request, kind, request.POST["cancel"])
        else:
            imports.discard(imports.job_for(request.user, request.POST["cancel_job"], kind=kind), by=request.user)
        messages.info(request, _("Đã hủy lần nhập dữ liệu này; không có dữ liệu nào được ghi."))
        return redirect(config["url"])
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        original = _original_name(upload.name)
        if imports.runs_in_background(upload):
            try:
                job = imports.enqueue(kind=kind, by=request.user, upload=upload, original_name=original,
                                      options={"dry_run": True})
            except ValidationError as error:
                form.add_error("file", error)
                return _render(request, kind, context)
            _forget_pending(request, kind)
            imports.discard_pending(by=request.user, kind=kind, keep=job)
            return redirect(_job_url(kind, job))
        storage = storages["private"]
        name = storage.save(f"{IMPORT_DIR}/{secrets.token_hex(16)}.xlsx", upload)
        with storage.open(name, "rb") as handle:
            result = config["service"](file=handle, by=request.user, dry_run=True, label=original)
        context.update(result=result, original=original)
        if result.ok:
            _forget_pending(request, kind)
            token = secrets.token_urlsafe(24)
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {"kind": kind, "name": name, "original": original}
            request.session[SESSION_KEY] = pending
            context["token"] = token
        else:
            storage.delete(name)
    return _render(request, kind, context)


def _confirm(request, kind, token):
    config = IMPORTS[kind]
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    storage = storages["private"]
    if not entry or entry.get("kind") != kind or not storage.exists(entry["name"]):
        messages.error(request, _("Phiên nhập dữ liệu đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại."))
        return redirect(config["url"])
    try:
        with storage.open(entry["name"], "rb") as handle:
            result = config["service"](file=handle, by=request.user, dry_run=False, label=entry["original"])
    finally:
        _discard(request, kind, token)
    if not result.ok:
        # The data changed since the preview (someone else edited it): nothing was written; show why.
        messages.error(request, _("Không nhập được: dữ liệu đã thay đổi kể từ lúc xem trước. Không có dữ "
                                  "liệu nào được ghi; hãy sửa tệp theo các lỗi dưới đây rồi tải lên lại."))
        return _render(request, kind, {"form": UploadForm(), "result": result, "original": entry["original"]})
    messages.success(request, config["done"] % {"new": result.new, "updated": result.updated,
                                                "unchanged": result.unchanged})
    return redirect(config["list_url"])


def _job_url(kind, job):
    return f"{reverse(IMPORTS[kind]['url'])}?job={job.pk}"


def _job_page(request, kind, job_id):
    """A background preview or import: its progress while it runs, then what the page shows for a small file."""
    config = IMPORTS[kind]
    job = imports.job_for(request.user, job_id, kind=kind)
    if imports.is_poll(request):
        return imports.poll_response(request, job)
    context = {"form": UploadForm(), "job": job, "original": job.original_name}
    if job.status == ImportJobStatus.DONE:
        result = excel.ImportResult.from_json(job.result)
        context["result"] = result
        if result.ok and result.dry_run:
            context["job_token"] = job.pk if job.consumed_at is None and job.file else None
        elif result.ok:
            context["done"] = config["done"] % {"new": result.new, "updated": result.updated,
                                                "unchanged": result.unchanged}
        elif not result.dry_run:
            context["changed"] = True  # the data changed since the preview: nothing was written
    return _render(request, kind, context)


def _confirm_job(request, kind, job_id):
    config = IMPORTS[kind]
    preview = imports.job_for(request.user, job_id, kind=kind)
    if preview.status != ImportJobStatus.DONE or not preview.result or not preview.result.get("dry_run") \
            or preview.result.get("errors"):
        messages.error(request, _("Phiên nhập dữ liệu đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại."))
        return redirect(config["url"])
    try:
        job = imports.confirm(preview, by=request.user, options={"dry_run": False})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(config["url"])
    return redirect(_job_url(kind, job))


def _discard(request, kind, token):
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    if entry and entry.get("kind") == kind:
        storages["private"].delete(entry["name"])
    elif entry:
        pending[token] = entry
    request.session[SESSION_KEY] = pending


def _forget_pending(request, kind):
    """One pending upload per kind and session: a new upload replaces (and deletes) the previous one."""
    for token, entry in list(request.session.get(SESSION_KEY, {}).items()):
        if entry.get("kind") == kind:
            _discard(request, kind, token)


def _original_name(name):
    base = nfc(os.path.basename(str(name or "").replace("\\", "/")))
    return "".join(ch for ch in base if ch.isprintable())[:255] or "import.xlsx"


def _render(request, kind, context):
    config = IMPORTS[kind]
    result = context.get("result")
    job = context.get("job")
    context.update(
        show_upload=not context.get("token") and not context.get("job_token")
        and (job is None or job.is_finished or job.is_stale),
        kind=kind,
        title=config["title"],
        headers=excel.UNIT_HEADERS if kind == "units" else excel.PEOPLE_HEADERS,
        action_url=reverse(config["url"]),
        export_url=reverse(config["export_url"]),
        list_url=reverse(config["list_url"]),
        preview_rows=result.rows[:PREVIEW_LIMIT] if result else [],
        preview_truncated=result is not None and (len(result.rows) > PREVIEW_LIMIT or result.more_rows > 0),
        preview_limit=PREVIEW_LIMIT,
    )
    return render(request, "units/import.html", context)
