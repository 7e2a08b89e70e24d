"""Reads: every query that starts from a user goes through the scoped querysets here (scope first, then fetch)."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core.text import fold, normalize_code

from .models import Person, Unit


def scoped_to(queryset, user, unit_field="unit"):
    """The one scoping rule, for every app's querysets: everything for province-wide roles (Sở Nội vụ, leaders),
    the rows whose `unit_field` lies in the officer's own subtree for an officer, nothing for anonymous users.

    `unit_field` is the lookup path to the row's unit ("unit", "score__sheet__unit"); "" scopes units themselves.
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.is_province_wide:
        return queryset
    if user.unit_id is None:
        return queryset.none()
    path_lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
    return queryset.filter(**{path_lookup: user.unit.path})


def units_visible_to(user):
    """All units for province-wide roles; the officer's own subtree otherwise; nothing for anonymous users."""
    return scoped_to(Unit.objects.all(), user, unit_field="")


def people_visible_to(user):
    return scoped_to(Person.objects.all(), user)


def unit_for(user, code):
    """The unit with this code if the user may see it, else 404."""
    return get_object_or_404(units_visible_to(user).select_related("parent", "block", "successor"),
                             code=normalize_code(code))


def person_for(user, pk):
    return get_object_or_404(people_visible_to(user).select_related("unit"), pk=pk)


def subtree(unit):
    return Unit.objects.filter(path__startswith=unit.path)


def unit_list(user, *, q="", kind="", block=None, within=None, status=""):
    """Units for the tree/list page, in tree order, with the counts the page shows (one query, any size)."""
    qs = units_visible_to(user)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    if q:
        folded = fold(q)
        qs = qs.filter(Q(search_name__contains=folded) | Q(code__icontains=q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    if block is not None:
        qs = qs.filter(block=block)
    if status == "active":
        qs = qs.filter(valid_to__isnull=True)
    elif status == "ended":
        qs = qs.filter(valid_to__isnull=False)
    return (
        with_counts(qs.select_related("parent", "block", "successor")).order_by("path")
    )


def children_of(unit):
    return (
        with_counts(Unit.objects.filter(parent=unit).select_related("block")).order_by("path")
    )


def _count_of(queryset, key):
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(units):
    """Direct sub-units and people per unit as correlated subqueries (no join fan-out, no N+1)."""
    return units.annotate(
        child_count=_count_of(Unit.objects.filter(parent=OuterRef("pk")), "parent"),
        people_count=_count_of(Person.objects.filter(unit=OuterRef("pk")), "unit"),
    )


def ancestors_of(unit):
    """Breadcrumb: the unit's ancestors from the root, in one query."""
    return list(Unit.objects.filter(code__in=unit.ancestor_codes).order_by("depth"))


def people_list(user, *, q="", unit=None, include_subunits=True, gender="", kind=""):
    qs = people_visible_to(user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path) if include_subunits else qs.filter(unit=unit)
    if q:
        folded = fold(q)
        qs = qs.filter(Q(search_name__contains=folded) | Q(staff_code__iexact=q.strip()))
    if gender:
        qs = qs.filter(gender=gender)
    if kind:
        qs = qs.filter(unit__kind=kind)
    return qs.select_related("unit").order_by("search_name", "id")
