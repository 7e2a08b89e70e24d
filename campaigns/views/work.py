"""Wiring for the units' work: load through the scoped selectors (outsiders get 404), call one service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.files import attachment_response
from core.views import error_text, flash_service, form_page, paginate, put_errors_on
from core.views import querystring as _querystring
from units.selectors import unit_for

from .. import rules
from ..forms import work as forms
from ..models import AchievementStatus, ExemplaryModel, InitiativeStatus
from ..selectors import plan as plan_selectors
from ..selectors import work as selectors
from ..services import work as services
from . import post_action

PAGE_SIZE = 50


def _page(request, queryset):
    return paginate(request, queryset, PAGE_SIZE)








# Achievements -----------------------------------------------------------------------------------------------


def _per_campaign(request):
    """The list's filters, on the session's movement unless the user chose one (or "all") in the filter."""
    data = request.GET.copy()
    if "campaign" not in data:
        chosen = plan_selectors.chosen_campaign(request)
        data["campaign"] = chosen.pk if chosen else ""
    return data


def _achievement_filters(request, *, per_campaign=True):
    data = _per_campaign(request) if per_campaign else (request.GET or None)
    form = forms.AchievementFilterForm(data, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = unit_for(request.user, filters["unit"]) if filters.get("unit") else None
    return form, {"campaign": filters.get("campaign"), "year": filters.get("year"), "content": filters.get("content"),
                  "status": filters.get("status", ""), "unit": unit}


def _keys_page(request, keys):
    """The page of the sorted keys, then its rows (selectors.work.achievement_list)."""
    page = _page(request, keys)
    page.object_list = selectors.achievement_rows(page.object_list)
    return page


@login_required
def achievement_list(request):
    form, filters = _achievement_filters(request)
    keys = selectors.achievement_list(request.user, **filters)
    return render(request, "campaigns/work/achievement_list.html", {
        "filter_form": form, "page": _keys_page(request, keys), "querystring": _querystring(request),
        "review_queue": False, "can_record": rules.is_officer(request.user),
        "title": _("Thành tích và minh chứng"),
    })


@login_required
def review_queue(request):
    if not rules.can_review(request.user):
        raise PermissionDenied
    form, filters = _achievement_filters(request, per_campaign=False)  # work waiting in any movement
    keys = selectors.achievement_list(request.user, review_order=True, **filters)
    return render(request, "campaigns/work/achievement_list.html", {
        "filter_form": form, "page": _keys_page(request, keys), "querystring": _querystring(request),
        "review_queue": True, "can_record": False, "title": _("Xem xét minh chứng"),
    })


@login_required
def achievement_create(request):
    if not rules.is_officer(request.user):
        raise PermissionDenied
    form = forms.AchievementForm(request.POST or None, request.FILES or None, user=request.user,
                                 initial={"content": request.GET.get("noi-dung")})
    return form_page(request, form, lambda **data: services.achievement_record(by=request.user, **data),
                     lambda achievement: _("Đã ghi nhận thành tích “%(title)s” với %(n)s tệp minh chứng.")
                     % {"title": achievement.title, "n": len(form.cleaned_data["files"])},
                     "campaigns/work/achievement_form.html")


def _achievement_page(request, achievement, status=200, **override):
    """The achievement's page; a refused form comes back in `override` (its errors shown, its panel open)."""
    user = request.user
    can_act = rules.can_act_for_unit(user, achievement.unit)
    can_review = rules.can_review(user)
    context = {
        "achievement": achievement,
        "files": achievement.files.select_related("uploaded_by"),
        "history": selectors.history_of(achievement),
        "can_review": can_review and achievement.status == AchievementStatus.SUBMITTED,
        "can_add_files": can_act and achievement.status != AchievementStatus.ACCEPTED,
        "can_answer": can_act and achievement.status == AchievementStatus.CLARIFICATION,
        "files_form": forms.FilesForm(),
        "clarify_form": forms.ClarificationForm(),
        "answer_form": forms.AnswerForm(),
    }
    return render(request, "campaigns/work/achievement_detail.html", {**context, **override}, status=status)


@login_required
def achievement_detail(request, pk):
    return _achievement_page(request, selectors.achievement_for(request.user, pk))


@login_required
def achievement_files(request, pk):
    achievement = selectors.achievement_for(request.user, pk)
    return render(request, "campaigns/work/achievement_files.html", {
        "achievement": achievement, "files": achievement.files.select_related("uploaded_by")})


@login_required
def evidence_download(request, pk, file_pk):
    _achievement, evidence = selectors.evidence_file_for(request.user, pk, file_pk)
    return attachment_response(evidence)


def _posted_form(request, target, form, service, success, page):
    """A form posted from `target`'s detail page: `service(target, data)`, a message and back to the page.

    When the form, or the service naming one of its fields, refused the data: `page()`, the detail page again
    with the errors on the form. A refusal that names no field is a message, like a success.
    """
    if form.is_valid():
        try:
            service(target, form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, error_text(error))
                return redirect(target)
            put_errors_on(form, error)
        else:
            messages.success(request, success)
            return redirect(target)
    return page()


def _achievement_form_action(request, pk, form_class, service, success, form_name, template_key):
    achievement = selectors.achievement_for(request.user, pk)
    form = form_class(request.POST, request.FILES)
    # The page is read again: a refused service may have changed the row in memory before the rollback.
    return _posted_form(request, achievement, form, service, success, lambda: _achievement_page(
        request, selectors.achievement_for(request.user, pk), 400, open_form=template_key, **{form_name: form}))


@login_required
@require_POST
def achievement_add_files(request, pk):
    return _achievement_form_action(
        request, pk, forms.FilesForm,
        lambda a, data: services.achievement_add_files(achievement=a, by=request.user, files=data["files"]),
        _("Đã bổ sung tệp minh chứng."), "files_form", "files")


@login_required
@require_POST
def achievement_accept(request, pk):
    achievement = selectors.achievement_for(request.user, pk)
    flash_service(request, lambda: services.achievement_accept(
        achievement=achievement, by=request.user, note=request.POST.get("note", "")),
                  _("Đã chấp nhận thành tích “%(title)s”.") % {"title": achievement.title})
    return redirect(achievement)


@login_required
@require_POST
def achievement_clarify(request, pk):
    return _achievement_form_action(
        request, pk, forms.ClarificationForm,
        lambda a, data: services.achievement_ask_clarification(achievement=a, by=request.user,
                                                               comment=data["comment"]),
        _("Đã gửi yêu cầu làm rõ cho đơn vị."), "clarify_form", "clarify")


@login_required
@require_POST
def achievement_resubmit(request, pk):
    return _achievement_form_action(
        request, pk, forms.AnswerForm,
        lambda a, data: services.achievement_resubmit(achievement=a, by=request.user, answer=data["answer"],
                                                      files=data["files"]),
        _("Đã gửi giải trình; thành tích chờ Sở Nội vụ xem xét lại."), "answer_form", "answer")


# Initiatives ------------------------------------------------------------------------------------------------


@login_required
def initiative_list(request):
    form = forms.InitiativeFilterForm(_per_campaign(request), user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    initiatives = selectors.initiative_list(request.user, campaign=filters.get("campaign"), year=filters.get("year"),
                                            status=filters.get("status", ""))
    return render(request, "campaigns/work/initiative_list.html", {
        "filter_form": form, "page": _page(request, initiatives), "querystring": _querystring(request),
        "can_propose": rules.is_officer(request.user),
    })


@login_required
def initiative_create(request):
    if not rules.is_officer(request.user):
        raise PermissionDenied
    form = forms.InitiativeForm(request.POST or None, request.FILES or None, user=request.user)
    return form_page(request, form, lambda **data: services.initiative_propose(by=request.user, **data),
                     lambda initiative: _("Đã đề xuất sáng kiến “%(title)s”.") % {"title": initiative.title},
                     "campaigns/work/initiative_form.html")


def _initiative_page(request, initiative, status=200, **override):
    """The initiative's page; a refused form comes back in `override` (its errors shown)."""
    context = {
        "initiative": initiative,
        "authors": initiative.authors.select_related("unit").order_by("search_name", "id"),
        "files": initiative.files.order_by("uploaded_at", "id"),
        "history": selectors.history_of(initiative),
        "can_evaluate": rules.can_review(request.user) and initiative.status == InitiativeStatus.PROPOSED,
        "recognise_form": forms.RecogniseForm(),
        "refuse_form": forms.RefuseForm(),
    }
    return render(request, "campaigns/work/initiative_detail.html", {**context, **override}, status=status)


@login_required
def initiative_detail(request, pk):
    return _initiative_page(request, selectors.initiative_for(request.user, pk))


@login_required
def initiative_file_download(request, pk, file_pk):
    _initiative, document = selectors.initiative_file_for(request.user, pk, file_pk)
    return attachment_response(document)


def _initiative_action(request, pk, form_class, service, success, form_name):
    initiative = selectors.initiative_for(request.user, pk)
    if not rules.can_review(request.user):
        raise PermissionDenied
    form = form_class(request.POST)
    return _posted_form(request, initiative, form, service, success,
                        lambda: _initiative_page(request, initiative, 400, **{form_name: form}))


@login_required
@require_POST
def initiative_recognise(request, pk):
    return _initiative_action(
        request, pk, forms.RecogniseForm,
        lambda i, data: services.initiative_recognise(initiative=i, by=request.user, **data),
        _("Đã ghi nhận quyết định công nhận sáng kiến."), "recognise_form")


@login_required
@require_POST
def initiative_refuse(request, pk):
    return _initiative_action(
        request, pk, forms.RefuseForm,
        lambda i, data: services.initiative_refuse(initiative=i, by=request.user, reason=data["reason"]),
        _("Đã ghi nhận sáng kiến không được công nhận."), "refuse_form")


# Exemplary models: management (Sở Nội vụ) -------------------------------------------------------------------


def _require_manager(request):
    if not rules.can_manage_campaign(request.user):
        raise PermissionDenied


def _managed_model(request, pk):
    _require_manager(request)
    return get_object_or_404(ExemplaryModel, pk=pk)


def _back_to_manage(_model):
    return reverse("campaigns:exemplary_manage")


@login_required
def exemplary_manage(request):
    _require_manager(request)
    return render(request, "campaigns/work/exemplary_manage.html", {"models": selectors.all_models()})


@login_required
def exemplary_create(request):
    _require_manager(request)
    form = forms.ExemplaryForm(request.POST or None, request.FILES or None, user=request.user)
    return form_page(request, form, lambda **data: services.exemplary_create(by=request.user, **data),
                     lambda model: _("Đã lưu gương điển hình “%(title)s” (chưa công bố).") % {"title": model.title},
                     "campaigns/work/exemplary_form.html", {"title": _("Thêm gương điển hình")},
                     then=_back_to_manage)


@login_required
def exemplary_edit(request, pk):
    model = _managed_model(request, pk)
    form = forms.ExemplaryForm(request.POST or None, request.FILES or None, instance=model, user=request.user)
    return form_page(request, form, lambda **data: services.exemplary_update(model=model, by=request.user, **data),
                     lambda saved: _("Đã lưu gương điển hình “%(title)s”.") % {"title": saved.title},
                     "campaigns/work/exemplary_form.html", {"model": model, "title": _("Sửa gương điển hình")},
                     then=_back_to_manage)


def _publish_action(service, success):
    """A POST-only view putting an exemplary model on the public pages or taking it off; back to the list."""
    return post_action(_managed_model, lambda model, by: service(model=model, by=by),
                       lambda model: success % {"title": model.title}, back="campaigns:exemplary_manage")


exemplary_publish = _publish_action(services.exemplary_publish,
                                    gettext_lazy("Đã công bố “%(title)s” trên trang công khai."))
exemplary_unpublish = _publish_action(services.exemplary_unpublish,
                                      gettext_lazy("Đã gỡ “%(title)s” khỏi trang công khai."))


@login_required
def exemplary_preview_photo(request, pk):
    return _inline_photo(_managed_model(request, pk))


# Exemplary models: the public pages (no login) --------------------------------------------------------------


def public_models(request):
    return render(request, "campaigns/work/public_list.html", {"models": selectors.published_models()})


def public_model(request, pk):
    return render(request, "campaigns/work/public_detail.html", {"model": selectors.published_model(pk)})


def public_photo(request, pk):
    return _inline_photo(selectors.published_model(pk))


def _inline_photo(model):
    if not model.file or not model.content_type.startswith("image/"):
        raise Http404
    response = FileResponse(model.file.open("rb"), content_type=model.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
