"""Wiring for the plan side: load through the scoped selectors (outsiders get 404), check the rule (403),
call one service, add a message, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.files import attachment_response
from core.spreadsheet import xlsx_response
from core.text import codes, number_or_none
from core.views import flash_service, form_action, form_page, form_service, local_url, paginate, picker
from core.views import querystring as _querystring
from units.models import UnitKind
from units.selectors import unit_for

from .. import excel, rules
from ..forms import plan as forms
from ..models import EmulationContent, Milestone
from ..selectors import plan as selectors
from ..services import plan as services
from . import post_action

PAGE_SIZE = 50


def _page(request, queryset, size=PAGE_SIZE):
    return paginate(request, queryset, size)






def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _manage_campaign(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    _require(rules.can_manage_campaign(request.user))
    return campaign


# Campaigns -------------------------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    return render(request, "campaigns/plan/campaign_list.html", {
        "campaigns": selectors.campaigns_visible_to(request.user),
        "can_manage": rules.can_manage_campaign(request.user),
    })


@login_required
def campaign_create(request):
    _require(rules.can_manage_campaign(request.user))
    form = forms.CampaignForm(request.POST or None, user=request.user)
    return form_page(request, form, lambda **data: services.campaign_create(by=request.user, **data),
                     lambda campaign: _("Đã tạo phong trào %(number)s (dự thảo). Hãy thêm nội dung thi đua rồi "
                                        "phát động.") % {"number": campaign.number},
                     "campaigns/plan/form.html", {"title": _("Thêm phong trào thi đua")})


@login_required
def campaign_detail(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    user = request.user
    themes = selectors.themes_visible_to(user, campaign).order_by("year")
    return render(request, "campaigns/plan/campaign_detail.html", {
        "campaign": campaign, **selectors.campaign_detail_data(campaign),
        "themes": themes,
        "can_manage": rules.can_manage_campaign(user),
        "can_read_all": rules.can_read_all(user),
        "current_year": selectors.current_year(campaign),
        "is_officer": rules.is_officer(user),
        "participant_kinds": [UnitKind(kind).label for kind in campaign.participant_unit_kinds],
    })


@login_required
def campaign_edit(request, pk):
    campaign = _manage_campaign(request, pk)
    form = forms.CampaignForm(request.POST or None, instance=campaign, user=request.user)
    return form_page(request, form, lambda **data: services.campaign_update(campaign=campaign, by=request.user, **data),
                     lambda saved: _("Đã lưu phong trào %(number)s.") % {"number": saved.number},
                     "campaigns/plan/form.html", {"campaign": campaign, "title": _("Sửa phong trào thi đua")})


def _transition_view(service, success):
    """A POST-only view running one transition of the campaign: the message names it, the user goes back to it."""
    return post_action(_manage_campaign, lambda campaign, by: service(campaign=campaign, by=by),
                       lambda campaign: success % {"number": campaign.number})


campaign_launch = _transition_view(services.campaign_launch, gettext_lazy("Đã phát động phong trào %(number)s."))
campaign_close = _transition_view(services.campaign_close, gettext_lazy("Đã kết thúc phong trào %(number)s."))


def _part_page(request, pk, model, part_pk, form_class, save, success, titles):
    """The add (part_pk None) or edit page of a content or a milestone of a campaign the user manages.

    `save(campaign, part, **data)` calls the service, `success(saved)` is the message, `titles` the (add, edit)
    page titles; once saved, back to the campaign.
    """
    campaign = _manage_campaign(request, pk)
    part = get_object_or_404(model, pk=part_pk, campaign=campaign) if part_pk else None
    form = form_class(request.POST or None, instance=part, campaign=campaign)
    return form_page(request, form, lambda **data: save(campaign, part, **data), success, "campaigns/plan/form.html",
                     {"campaign": campaign, "title": titles[1] if part else titles[0]}, then=lambda saved: campaign)


@login_required
def content_edit(request, pk, content_pk=None):
    return _part_page(
        request, pk, EmulationContent, content_pk, forms.ContentForm,
        lambda campaign, content, **data: services.content_save(campaign=campaign, content=content, by=request.user,
                                                                **data),
        lambda saved: _("Đã lưu nội dung thi đua (%(n)s).") % {"n": saved.number},
        (_("Thêm nội dung thi đua"), _("Sửa nội dung thi đua")))


@login_required
def milestone_edit(request, pk, milestone_pk=None):
    return _part_page(
        request, pk, Milestone, milestone_pk, forms.MilestoneForm,
        lambda campaign, milestone, **data: services.milestone_save(campaign=campaign, milestone=milestone,
                                                                    by=request.user, **data),
        lambda saved: _("Đã lưu mốc “%(title)s”.") % {"title": saved.title},
        (_("Thêm mốc thời gian"), _("Sửa mốc thời gian")))


# Yearly themes ---------------------------------------------------------------------------------------------


def _theme_page(theme):
    return reverse("campaigns:theme_detail", args=[theme.pk])


@login_required
def theme_create(request, pk):
    campaign = _manage_campaign(request, pk)
    form = forms.ThemeForm(request.POST or None, campaign=campaign,
                           initial={"year": selectors.current_year(campaign)})
    return form_page(request, form, lambda **data: services.theme_save(campaign=campaign, by=request.user, **data),
                     lambda theme: _("Đã tạo chủ đề năm %(year)s (chưa công bố).") % {"year": theme.year},
                     "campaigns/plan/form.html", {"campaign": campaign, "title": _("Thêm chủ đề thi đua năm")},
                     then=_theme_page)


@login_required
def theme_edit(request, pk):
    theme = selectors.theme_for(request.user, pk)
    _require(rules.can_manage_campaign(request.user))
    form = forms.ThemeForm(request.POST or None, instance=theme, campaign=theme.campaign)
    return form_page(
        request, form,
        lambda **data: services.theme_save(campaign=theme.campaign, theme=theme, by=request.user, **data),
        lambda saved: _("Đã lưu chủ đề năm %(year)s.") % {"year": saved.year}, "campaigns/plan/form.html",
        {"campaign": theme.campaign, "title": _("Sửa chủ đề thi đua năm")}, then=_theme_page)


@login_required
def theme_detail(request, pk):
    theme = selectors.theme_for(request.user, pk)
    can_manage = rules.can_manage_campaign(request.user)
    return render(request, "campaigns/plan/theme_detail.html", {
        "theme": theme, "campaign": theme.campaign, "documents": theme.documents.order_by("uploaded_at", "id"),
        "can_manage": can_manage, "upload_form": forms.DocumentForm() if can_manage else None,
    })


@login_required
@require_POST
def theme_upload(request, pk):
    theme = selectors.theme_for(request.user, pk)
    _require(rules.can_manage_campaign(request.user))
    return form_action(
        request, forms.DocumentForm(request.POST, request.FILES),
        lambda data: services.theme_document_upload(theme=theme, upload=data["file"], by=request.user),
        lambda document: _("Đã tải lên tài liệu “%(name)s”.") % {"name": document.original_name},
        invalid=_("Hãy chọn tệp tài liệu hướng dẫn để tải lên."),
        then=reverse("campaigns:theme_detail", args=[theme.pk]))


@login_required
@require_POST
def theme_publish(request, pk):
    theme = selectors.theme_for(request.user, pk)
    _require(rules.can_manage_campaign(request.user))
    flash_service(request, lambda: services.theme_publish(theme=theme, by=request.user),
                  _("Đã công bố chủ đề thi đua năm %(year)s; các đơn vị thấy chủ đề trên trang chủ.")
                  % {"year": theme.year})
    return redirect("campaigns:theme_detail", theme.pk)


@login_required
def theme_document_download(request, pk):
    return attachment_response(selectors.theme_document_for(request.user, pk))


# Registration ----------------------------------------------------------------------------------------------


def _latest_launched(request):
    """The movement the user is working on (chosen in this session, else the one running)."""
    campaign = selectors.chosen_campaign(request)
    if campaign is None:
        messages.info(request, _("Chưa có phong trào nào đang được phát động."))
    return campaign


@login_required
@require_POST
def campaign_choose(request):
    """The campaign switcher: remember the movement chosen for this session, then back where the user was."""
    key = number_or_none(request.POST.get("campaign"))
    campaign = selectors.switchable_campaigns(request.user).filter(pk=key).first() if key is not None else None
    if campaign is None:
        messages.error(request, _("Hãy chọn một phong trào trong danh sách."))
    else:
        selectors.remember_campaign(request, campaign)
    return HttpResponseRedirect(local_url(request, request.POST.get("next", ""), reverse("home")))


@login_required
def registration_go(request):
    campaign = _latest_launched(request)
    return redirect("campaigns:registrations", campaign.pk) if campaign else redirect("campaigns:list")


@login_required
def registration_overview(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    user = request.user
    form = forms.RegistrationFilterForm(request.GET or None, campaign=campaign, user=user)
    values = form.values()
    units = selectors.registration_status(user, campaign, values["year"], kind=values["kind"],
                                          district=values["district"], registered=values["registered"],
                                          q=values["q"])
    return render(request, "campaigns/plan/registration_overview.html", {
        "campaign": campaign, "filter_form": form, "year": values["year"], "page": _page(request, units),
        "counts": selectors.registration_counts(user, campaign, values["year"]),
        "can_remind": rules.can_remind(user), "is_officer": rules.is_officer(user),
        "year_open": values["year"] in selectors.open_years(campaign),
        "querystring": _querystring(request),
        "switch": selectors.switcher(selectors.switchable_campaigns(user), campaign,
                                     reverse("campaigns:registration_go")),
    })


def _registration_open(request, campaign, unit, year):
    """None when the unit may register/edit for the year, else a redirect back with the reason."""
    back = redirect(f"{reverse('campaigns:registrations', args=[campaign.pk])}?year={year}")
    closed = selectors.closed_reason(campaign, _("đăng ký thi đua"))
    if closed:
        messages.error(request, closed)
        return back
    if not campaign.takes_part(unit):
        messages.error(request, _("Đơn vị “%(unit)s” (%(kind)s) không thuộc đối tượng thi đua của phong trào này.")
                       % {"unit": unit.name, "kind": unit.get_kind_display()})
        return back
    if year not in selectors.open_years(campaign):
        messages.error(request, _("Năm %(year)s không còn mở đăng ký thi đua.") % {"year": year})
        return back
    return None


@login_required
def registration_register(request, pk, code, year):
    """Register a unit of the officer's subtree for a year, with a commitment per content."""
    campaign = selectors.campaign_for(request.user, pk)
    unit = unit_for(request.user, code)
    _require(rules.can_act_for_unit(request.user, unit))
    refused = _registration_open(request, campaign, unit, year)
    if refused:
        return refused
    existing = selectors.unit_registration(campaign, unit, year)
    if existing is not None:
        messages.warning(request, _("Đơn vị “%(unit)s” đã đăng ký thi đua năm %(year)s; mỗi đơn vị chỉ đăng ký một "
                                    "lần mỗi năm. Anh/chị có thể sửa cam kết dưới đây.")
                         % {"unit": unit.name, "year": year})
        return redirect("campaigns:registration_edit", existing.pk)
    contents = list(campaign.contents.order_by("number"))
    form = forms.RegistrationForm(request.POST or None, contents=contents)
    if request.method == "POST" and form.is_valid():
        saved = form_service(form, lambda: services.registration_create(
            campaign=campaign, unit=unit, year=year, commitments=form.commitments,
            note=form.cleaned_data["note"], by=request.user))
        if saved:
            messages.success(request, _("Đã đăng ký thi đua năm %(year)s cho %(unit)s.")
                             % {"year": year, "unit": unit.name})
            return redirect("campaigns:registration_detail", saved.pk)
    return render(request, "campaigns/plan/registration_form.html", {
        "campaign": campaign, "unit": unit, "year": year, "form": form,
        "theme": selectors.published_theme(campaign, year),
    })


@login_required
def registration_edit(request, pk):
    registration = selectors.registration_for(request.user, pk)
    campaign, unit, year = registration.campaign, registration.unit, registration.year
    _require(rules.can_act_for_unit(request.user, unit))
    refused = _registration_open(request, campaign, unit, year)
    if refused:
        return refused
    contents = list(campaign.contents.order_by("number"))
    form = forms.RegistrationForm(request.POST or None, contents=contents, registration=registration)
    if request.method == "POST" and form.is_valid():
        saved = form_service(form, lambda: services.registration_update(
            registration=registration, commitments=form.commitments, note=form.cleaned_data["note"],
            by=request.user))
        if saved:
            messages.success(request, _("Đã lưu cam kết thi đua năm %(year)s của %(unit)s.")
                             % {"year": year, "unit": unit.name})
            return redirect("campaigns:registration_detail", saved.pk)
    return render(request, "campaigns/plan/registration_form.html", {
        "campaign": campaign, "unit": unit, "year": year, "form": form, "registration": registration,
        "theme": selectors.published_theme(campaign, year),
    })


@login_required
def registration_detail(request, pk):
    registration = selectors.registration_for(request.user, pk)
    return render(request, "campaigns/plan/registration_detail.html", {
        "registration": registration, "campaign": registration.campaign,
        "commitments": registration.commitments.select_related("content").order_by("content__number"),
        "can_edit": (rules.can_act_for_unit(request.user, registration.unit)
                     and registration.year in selectors.open_years(registration.campaign)),
    })


def _selected_units(request, campaign, year):
    chosen = codes(request.POST.getlist("units"))
    return selectors.participating_units(campaign, year, user=request.user).filter(code__in=chosen)


def _remind(request, campaign, year, units, reason):
    units = list(units)
    if not units:
        messages.error(request, _("Hãy chọn ít nhất một đơn vị để nhắc."))
        return
    reminded, sent = services.units_remind(campaign=campaign, year=year, units=units, by=request.user,
                                           reason=reason)
    messages.success(request, _("Đã nhắc %(units)s đơn vị (%(mails)s thư điện tử đã gửi tới cán bộ đầu mối).")
                     % {"units": reminded, "mails": sent})


def _back(request):
    """The list's filters to return to, re-encoded (never raw user text in a header)."""
    return QueryDict(request.POST.get("back", "")).urlencode()


def _post_filters(request, campaign, form_class):
    form = form_class(request.POST, campaign=campaign, user=request.user)
    return form.values()


@login_required
@require_POST
def registration_remind(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    _require(rules.can_remind(request.user))
    values = _post_filters(request, campaign, forms.RegistrationFilterForm)
    year = values["year"]
    if request.POST.get("all"):
        units = selectors.registration_status(request.user, campaign, year, kind=values["kind"],
                                              district=values["district"], registered=False, q=values["q"])
    else:
        units = _selected_units(request, campaign, year)
    _remind(request, campaign, year, units, services.REMIND_REGISTRATION)
    return redirect(f"{reverse('campaigns:registrations', args=[campaign.pk])}?{_back(request)}")


# Monitoring ------------------------------------------------------------------------------------------------


@login_required
def monitoring_go(request):
    _require(rules.can_read_all(request.user))
    campaign = _latest_launched(request)
    return redirect("campaigns:monitoring", campaign.pk) if campaign else redirect("campaigns:list")


def _monitoring_rows(request, campaign, data):
    form = forms.MonitoringFilterForm(data or None, campaign=campaign, user=request.user)
    values = form.values()
    contents = list(campaign.contents.order_by("number"))
    rows = selectors.monitoring_rows(request.user, campaign, values["year"], kind=values["kind"],
                                     district=values["district"], q=values["q"], sort=values["sort"],
                                     descending=values["descending"], behind_only=values["behind_only"],
                                     contents=contents)
    return form, values, contents, rows


def _sort_links(request, current, descending):
    links = {}
    for key in selectors.MONITORING_SORTS:
        params = request.GET.copy()
        params.pop("page", None)
        params["sort"] = key
        params.pop("desc", None)
        if key == current and not descending:
            params["desc"] = "1"
        arrow = ("▼" if descending else "▲") if key == current else ""
        links[key] = {"query": params.urlencode(), "arrow": arrow}
    return links


def _monitoring_read(request, pk):
    """The campaign (for those who read every unit) and its monitoring table as the filters in the URL ask."""
    campaign = selectors.campaign_for(request.user, pk)
    _require(rules.can_read_all(request.user))
    return (campaign, *_monitoring_rows(request, campaign, request.GET))


@login_required
def monitoring(request, pk):
    campaign, form, values, contents, rows = _monitoring_read(request, pk)
    page = _page(request, rows)
    selectors.attach_cells(page.object_list, contents, list(selectors.districts()))
    return render(request, "campaigns/plan/monitoring.html", {
        "campaign": campaign, "filter_form": form, "values": values, "contents": contents, "page": page,
        "sort_links": _sort_links(request, values["sort"], values["descending"]),
        "can_remind": rules.can_remind(request.user), "querystring": _querystring(request),
        "filters_only": _querystring(request, drop=("page", "sort", "desc")),
        "switch": selectors.switcher(selectors.switchable_campaigns(request.user), campaign,
                                     reverse("campaigns:monitoring_go")),
    })


@login_required
def monitoring_export(request, pk):
    _campaign, _form, values, contents, rows = _monitoring_read(request, pk)
    rows = selectors.attach_cells(list(rows), contents, list(selectors.districts()))
    return xlsx_response(excel.monitoring_workbook(values["year"], contents, rows),
                         f'theo-doi-{values["year"]}-{timezone.localdate():%Y%m%d}.xlsx')


@login_required
@require_POST
def monitoring_remind(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    _require(rules.can_remind(request.user))
    if request.POST.get("all"):
        _form, values, _contents, rows = _monitoring_rows(request, campaign, {**request.POST.dict(), "behind": "1"})
        units = rows
    else:
        values = _post_filters(request, campaign, forms.MonitoringFilterForm)
        units = _selected_units(request, campaign, values["year"])
    _remind(request, campaign, values["year"], units, services.REMIND_PROGRESS)
    return redirect(f"{reverse('campaigns:monitoring', args=[campaign.pk])}?{_back(request)}")


# Inspections -----------------------------------------------------------------------------------------------


@login_required
def inspection_list(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    return render(request, "campaigns/plan/inspection_list.html", {
        "campaign": campaign, "page": _page(request, selectors.inspection_list(request.user, campaign)),
        "can_record": rules.can_record_inspection(request.user),
    })


@login_required
def inspection_create(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    _require(rules.can_record_inspection(request.user))
    form = forms.InspectionForm(request.POST or None, campaign=campaign, user=request.user)
    tasks = forms.TaskFormSet(request.POST or None, prefix="tasks")
    if (options := picker(request, form)) is not None:
        return options
    if request.method == "POST" and form.is_valid() and tasks.is_valid():
        rows = [t.cleaned_data for t in tasks if t.cleaned_data.get("description")]
        inspection = form_service(form, lambda: services.inspection_create(
            campaign=campaign, by=request.user, tasks=rows, **form.cleaned_data))
        if inspection:
            messages.success(request, _("Đã ghi nhận đợt kiểm tra %(unit)s.") % {"unit": inspection.unit.name})
            return redirect("campaigns:inspection_detail", inspection.pk)
    return render(request, "campaigns/plan/inspection_form.html", {"campaign": campaign, "form": form,
                                                                   "tasks": tasks})


@login_required
def inspection_detail(request, pk):
    inspection = selectors.inspection_for(request.user, pk)
    user = request.user
    return render(request, "campaigns/plan/inspection_detail.html", {
        "inspection": inspection, "campaign": inspection.campaign, "tasks": selectors.tasks_of(inspection),
        "today": timezone.localdate(), "can_complete": rules.can_act_for_unit(user, inspection.unit),
        "complete_form": forms.TaskCompleteForm(),
    })


@login_required
@require_POST
def task_complete(request, pk):
    task = selectors.task_for(request.user, pk)
    _require(rules.can_complete_task(request.user, task))
    return form_action(request, forms.TaskCompleteForm(request.POST),
                       lambda data: services.task_complete(task=task, by=request.user, note=data["note"]),
                       _("Đã đánh dấu hoàn thành việc khắc phục."),
                       invalid=_("Hãy ghi kết quả khắc phục trước khi đánh dấu hoàn thành."),
                       then=reverse("campaigns:inspection_detail", args=[task.inspection_id]))
