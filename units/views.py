"""Wiring only: load through the scoped selectors (outsiders get 404), call one service, redirect."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from core import versions
from core.spreadsheet import xlsx_response
from core.views import form_page, linker, paginate
from core.views import querystring as _querystring

from . import excel, lineage, rules, selectors, services
from .forms import PeopleFilterForm, PersonForm, UnitFilterForm, UnitForm
from .models import Unit

PAGE_SIZE = 100


def _page(request, queryset):
    return paginate(request, queryset, PAGE_SIZE)


def _xlsx_response(content, stem):
    return xlsx_response(content, f"{stem}-{timezone.localdate():%Y%m%d}.xlsx")


@require_GET
def health(request):
    """For a load balancer or monitor (and the benchmark's trivial view): the application and its database answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def home(request):
    """A signed-in user's home; an anonymous visitor gets the public portal (what other apps publish)."""
    if not request.user.is_authenticated:
        return render(request, "units/portal.html", {"issuer": selectors.issuing_authority()})
    user = request.user
    # The counts and the user's unit once per data version (core.versions; the page's to-do reads the version
    # anyway): an officer's subtree count joins thousands of people on every visit otherwise. Keyed by what the
    # scope depends on.
    unit_count, people_count, own_unit = versions.cached(
        "units.home", [user.pk, user.role, user.is_superuser, user.unit_id],
        lambda: (selectors.units_visible_to(user).count(), selectors.people_visible_to(user).count(), user.unit))
    if own_unit is not None:
        user.unit = own_unit  # the same row, as read at this version: the page frame shows its code without a query
    context = {"unit_count": unit_count, "people_count": people_count, "own_unit": own_unit}
    return render(request, "units/home.html", context)


# Units ------------------------------------------------------------------------------------------------------


def _unit_filters(request):
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {"q": filters.get("q", ""), "kind": filters.get("kind", ""), "block": filters.get("block"),
                  "status": filters.get("status", "")}


def _filtered_units(request):
    form, filters = _unit_filters(request)
    return form, selectors.unit_list(request.user, **filters)


@login_required
def unit_list(request):
    form, filters = _unit_filters(request)
    page = _page(request, selectors.unit_tree_rows(request.user, **filters))
    page.object_list = selectors.unit_rows_complete(page.object_list)
    unit_link = linker("units:detail")
    for row in page.object_list:
        row["url"] = unit_link(row["code"])
    return render(request, "units/unit_list.html", {
        "filter_form": form, "page": page,
        "can_manage": rules.can_manage_unit_tree(request.user),
        "can_restructure": rules.can_restructure(request.user),
        "querystring": _querystring(request),
    })


@login_required
def unit_export(request):
    _form, units = _filtered_units(request)
    return _xlsx_response(excel.export_units(units), "don-vi")


@login_required
def unit_detail(request, code):
    unit = selectors.unit_for(request.user, code)
    people = _page(request, unit.people.order_by("search_name", "id"))
    return render(request, "units/unit_detail.html", {
        "unit": unit,
        "ancestors": [a for a in selectors.ancestors_of(unit) if a.is_within(_scope_root(request.user, a))],
        "children": selectors.children_of(unit),
        "formed_from": lineage.predecessors_of(unit), "merged_into": lineage.successors_of(unit),
        "page": people,
        "can_edit": rules.can_edit_unit(request.user, unit),
        "can_add_child": rules.can_add_unit_under(request.user, unit),
        "can_add_person": rules.can_edit_people(request.user, unit),
    })


def _scope_root(user, fallback):
    """Officers see breadcrumbs only from their own unit down."""
    return fallback if rules.can_see_whole_province(user) else user.unit


@login_required
def unit_create(request):
    parent = selectors.unit_for(request.user, request.GET["parent"]) if request.GET.get("parent") else None
    if not rules.can_add_unit_under(request.user, parent) and not rules.can_manage_unit_tree(request.user):
        raise PermissionDenied
    form = UnitForm(request.POST or None, user=request.user, initial={"parent": parent})
    return form_page(request, form, lambda **data: services.unit_create(by=request.user, **data),
                     lambda unit: _("Đã thêm đơn vị %(name)s.") % {"name": unit.name},
                     "units/unit_form.html", {"title": _("Thêm đơn vị")})


@login_required
def unit_edit(request, code):
    unit = selectors.unit_for(request.user, code)
    if not rules.can_edit_unit(request.user, unit):
        raise PermissionDenied
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk), user=request.user)
    return form_page(request, form, lambda **data: services.unit_update(unit=unit, by=request.user, **data),
                     lambda saved: _("Đã lưu thay đổi của đơn vị %(name)s.") % {"name": saved.name},
                     "units/unit_form.html", {"unit": unit, "title": _("Sửa đơn vị")})


# People -----------------------------------------------------------------------------------------------------


def _people_filters(request):
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = selectors.unit_for(request.user, filters["unit"]) if filters.get("unit") else None
    return form, unit, {"q": filters.get("q", ""), "unit": unit, "include_subunits": not filters.get("only_direct"),
                        "gender": filters.get("gender", ""), "kind": filters.get("kind", "")}


def _filtered_people(request):
    form, unit, filters = _people_filters(request)
    return form, unit, selectors.people_list(request.user, **filters)


@login_required
def people_list(request):
    form, unit, filters = _people_filters(request)
    page = _page(request, selectors.people_rows(request.user, **filters))
    page.object_list = selectors.people_rows_complete(page.object_list, offset=page.start_index() - 1)
    person_link, unit_link = linker("units:person_detail"), linker("units:detail")
    for person in page.object_list:
        person.url, person.unit_url = person_link(person.pk), unit_link(person.unit.code)
    return render(request, "units/people_list.html", {
        "filter_form": form, "unit": unit, "page": page,
        "can_edit": rules.can_edit_people(request.user, unit),
        "querystring": _querystring(request),
    })


@login_required
def people_export(request):
    _form, _unit, people = _filtered_people(request)
    return _xlsx_response(excel.export_people(people), "ca-nhan")


@login_required
def person_detail(request, pk):
    person = selectors.person_for(request.user, pk)
    return render(request, "units/person_detail.html", {
        "person": person, "can_edit": rules.can_edit_people(request.user, person.unit),
    })


@login_required
def person_create(request):
    unit = selectors.unit_for(request.user, request.GET["unit"]) if request.GET.get("unit") else None
    if not rules.can_edit_people(request.user, unit):
        raise PermissionDenied
    form = PersonForm(request.POST or None, user=request.user, initial={"unit": unit})
    return form_page(request, form, lambda **data: services.person_create(by=request.user, **data),
                     lambda person: _("Đã thêm %(name)s.") % {"name": person.full_name},
                     "units/person_form.html", {"title": _("Thêm cá nhân")})


@login_required
def person_edit(request, pk):
    person = selectors.person_for(request.user, pk)
    if not rules.can_edit_people(request.user, person.unit):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=selectors.person_for(request.user, pk), user=request.user)
    return form_page(request, form, lambda **data: services.person_update(person=person, by=request.user, **data),
                     lambda saved: _("Đã lưu thông tin của %(name)s.") % {"name": saved.full_name},
                     "units/person_form.html", {"person": person, "title": _("Sửa thông tin cá nhân")})
