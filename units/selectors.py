"""Reads: every query that starts from a user goes through the scoped querysets here (scope first, then fetch)."""

import datetime
from dataclasses import dataclass, field

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import CharField, Count, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core import lockout, roles
from core.models import AuditEntry
from core.text import code_or_none, fold

from . import rules
from .models import Person, Unit, UnitKind, UnitLink, User


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


def unit_code_clash(user, code, *, exclude=None):
    """None when no other unit has `code`; else the refusal. It names the code only to a user who may see the unit
    holding it: an officer is never told that a unit outside its subtree exists (it is told to ask Sở Nội vụ)."""
    clash = Unit.objects.filter(code=code).exclude(pk=exclude)
    if not clash.exists():
        return None
    if units_visible_to(user).filter(pk__in=clash.values("pk")).exists():
        return _("Đã có đơn vị mang mã %(code)s.") % {"code": code}
    return _("Mã đơn vị này không dùng được; nếu cần, hãy liên hệ Sở Nội vụ.")


def staff_code_clash(user, code, *, exclude=None):
    """None when nobody else has the staff code; else the refusal, specific only to a user who may see the person
    holding it (an officer learns nothing of the staff of units outside its subtree)."""
    clash = Person.objects.filter(staff_code=code).exclude(pk=exclude)
    if not clash.exists():
        return None
    if people_visible_to(user).filter(pk__in=clash.values("pk")).exists():
        return _("Mã cán bộ %(code)s đã được dùng cho người khác.") % {"code": code}
    return _("Mã cán bộ này không dùng được; nếu cần, hãy liên hệ Sở Nội vụ.")


def unit_for(user, code):
    """The unit with this code if the user may see it, else 404."""
    if (code := code_or_none(code)) is None:
        raise Http404
    return get_object_or_404(units_visible_to(user).select_related("parent", "block"), code=code)


def person_for(user, pk):
    return get_object_or_404(people_visible_to(user).select_related("unit"), pk=pk)


def subtree(unit):
    return Unit.objects.filter(path__startswith=unit.path)


def unit_list(user, *, q="", kind="", block=None, within=None, status=""):
    """Units for the tree/list filters (the Excel export), in tree order, with the counts (one query, any size)."""
    return (
        with_counts(_units_matching(user, q=q, kind=kind, block=block, within=within, status=status)
                    .select_related("parent", "block")).prefetch_related("successors").order_by("path")
    )


def unit_tree_rows(user, **filters):
    """The tree page's rows as dicts (the columns it shows, counts included), in tree order: paginate it, then
    complete one page with `unit_rows_complete`. Dicts, not models, for the 100 rows a page renders: no instances
    to build, no parent and successor managers, no get_kind_display() (which rebuilds the choices and translates
    every label on each call) – together more than a third of the page's time at province scale (issue 18)."""
    return (
        with_counts(_units_matching(user, **filters)).order_by("path")
        .values("pk", "code", "name", "kind", "depth", "valid_to", "block__name", "child_count", "people_count")
    )


def unit_rows_complete(rows):
    """One page of `unit_tree_rows` as a list, each row with its kind's label and the names of the units that carry
    it on (`successors`, tree order): one query for the page when it shows an ended unit, none otherwise."""
    rows = list(rows)
    labels = {value: str(label) for value, label in UnitKind.choices}  # one translation per kind, not per row
    successors = {}
    ended = [row["pk"] for row in rows if row["valid_to"]]
    if ended:
        links = (UnitLink.objects.filter(predecessor__in=ended)
                 .order_by("successor__path").values_list("predecessor_id", "successor__name"))
        for predecessor, name in links:
            successors.setdefault(predecessor, []).append(name)
    for row in rows:
        row["kind_label"] = labels.get(row["kind"], row["kind"])
        row["successors"] = successors.get(row["pk"], ())
    return rows


def _units_matching(user, *, q="", kind="", block=None, within=None, status=""):
    qs = units_visible_to(user)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    if q:
        qs = qs.filter(unit_named(q))
    if kind:
        qs = qs.filter(kind=kind)
    if block is not None:
        qs = qs.filter(block=block)
    if status == "active":
        qs = qs.filter(valid_to__isnull=True)
    elif status == "ended":
        qs = qs.filter(valid_to__isnull=False)
    return qs


def unit_named(q):
    """The filter of a unit search: its name (without diacritics) or code, or the name or code of a unit it took
    over in a restructuring ("Nghĩa Đức" finds phường Bắc Gia Nghĩa, formed from it)."""
    folded, code = fold(q), q.strip()
    took_over = UnitLink.objects.filter(Q(predecessor__search_name__contains=folded)
                                        | Q(predecessor__code__iexact=code)).values("successor_id")
    return Q(search_name__contains=folded) | Q(code__icontains=code) | Q(pk__in=took_over)


def children_of(unit):
    return (
        with_counts(Unit.objects.filter(parent=unit).select_related("block")).order_by("path")
    )


def _count_of(queryset, key):
    # COUNT(*), not COUNT(id): PostgreSQL then counts from the index on `key` alone (an index-only scan), without
    # reading each row from the table (a 100-unit page: 7 ms → 0.7 ms at scale 1).
    counted = queryset.order_by().values(key).annotate(n=Count("*")).values("n")
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
    """People for the list filters (the Excel export), by name, with their units."""
    return (_people_matching(user, q=q, unit=unit, include_subunits=include_subunits, gender=gender, kind=kind)
            .select_related("unit").order_by("search_name", "id"))


def people_rows(user, **filters):
    """The people page's rows, by name: paginate it, then read one page with `people_rows_complete`."""
    return _people_matching(user, **filters).order_by("search_name", "id")


# From this offset on, a page of people is read by ids first (below it, reading the slice directly is cheaper).
DEEP_PAGE_OFFSET = 1000


def people_rows_complete(page_rows, offset):
    """One page (the slice of `people_rows` that starts at `offset`) as a list of people with only the columns the
    page shows, their units' code and name, and `gender_label`.

    A deep page picks its ids first, so that its offset walks the name index (`person_name_order`) instead of
    reading and joining every row it skips: page 150 of 15,000 people then costs about what page 1 costs (SQLite
    0.15 ms instead of 6.6 ms, PostgreSQL 17 ms instead of 40 ms). Early pages read the slice itself: for them the
    sub-select makes PostgreSQL hash the whole table (2.5 ms instead of 0.65 ms for page 1). The label comes from
    one dict: get_gender_display() rebuilds the choices and translates every label on each call.
    """
    if offset >= DEEP_PAGE_OFFSET:
        page_rows = Person.objects.filter(pk__in=page_rows.values("pk")).order_by("search_name", "id")
    rows = list(page_rows.select_related("unit")
                .only("full_name", "gender", "position", "staff_code", "unit__code", "unit__name"))
    labels = {value: str(label) for value, label in Person.Gender.choices}
    for person in rows:
        person.gender_label = labels.get(person.gender, person.gender)
    return rows


def _people_matching(user, *, q="", unit=None, include_subunits=True, gender="", kind=""):
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
    return qs


# Accounts -------------------------------------------------------------------------------------------------------


def accounts_visible_to(user):
    """Every account for Sở Nội vụ administrators; the accounts attached to a unit of the officer's subtree for an
    officer (read-only); nothing for the other roles."""
    if rules.can_manage_accounts(user):
        return User.objects.all()
    if roles.is_officer(user):
        return User.objects.filter(unit__path__startswith=user.unit.path)
    return User.objects.none()


def account_for(user, pk):
    """The account if the user may see it, else 404."""
    return get_object_or_404(accounts_visible_to(user).select_related("unit"), pk=pk)


def account_list(user, *, q="", role="", status="", unit=None):
    accounts = accounts_visible_to(user)
    if unit is not None:
        accounts = accounts.filter(unit__path__startswith=unit.path)
    if q:
        q = q.strip()
        accounts = accounts.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q))
    if role:
        accounts = accounts.filter(role=role)
    if status == "active":
        accounts = accounts.filter(is_active=True)
    elif status == "inactive":
        accounts = accounts.filter(is_active=False)
    elif status == "must_change":
        accounts = accounts.filter(is_active=True, must_change_password=True)
    return accounts.select_related("unit").order_by("username", "id")


@dataclass
class LoginState:
    """The failed logins remembered for a user name (django-axes' AccessAttempt rows, as core.lockout reads them)."""

    failures: int = 0
    last_failure: datetime.datetime | None = None
    wait: datetime.timedelta = datetime.timedelta(0)  # what a login from an address not yet used must still wait
    addresses: list = field(default_factory=list)  # [(address, failures, last failure)], most recent first

    @property
    def locked(self):
        return self.wait > datetime.timedelta(0)

    @property
    def locked_until(self):
        return timezone.now() + self.wait if self.locked else None


def login_states(usernames):
    """{username: LoginState} for the user names that have failed logins remembered, in one query (a list page's
    column, whatever its length).

    The wait is core.lockout's for the user name counted over every address (a login from an address the person
    has not signed in from); from the person's own usual address only that address's failures count, so they may
    still get in from there. Unlocking (units.services.account_unlock) clears them all.
    """
    now = timezone.now()
    since = now - datetime.timedelta(hours=settings.LOGIN_FAILURE_MEMORY_HOURS)
    rows = (AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
            .values_list("username", "ip_address").annotate(failures=Sum("failures_since_start"),
                                                            last=Max("attempt_time")).order_by("-last"))
    states = {}
    for username, address, failures, last in rows:
        state = states.setdefault(username, LoginState())
        state.failures += failures
        state.last_failure = max(state.last_failure or last, last)
        state.addresses.append((address, failures, last))
    for state in states.values():
        delay = lockout.delay_after(state.failures, settings.LOGIN_FAILURE_LIMIT)
        state.wait = max(datetime.timedelta(0), state.last_failure + delay - now) if delay else datetime.timedelta(0)
    return states


# The activity page (core.models.AuditEntry) ------------------------------------------------------------------


def _targets(model, queryset):
    """Rows about the objects of `queryset` (audit rows name their target by type and id as text)."""
    keys = queryset.order_by().annotate(target_key=Cast("pk", CharField())).values("target_key")
    return Q(target_type=model._meta.label_lower, target_id__in=keys)


def activity_visible_to(user):
    """The activity rows a user may read.

    Sở Nội vụ administrators read every row. An officer reads the rows whose actor is an account of its subtree
    (whatever they did, in any app), and the rows about a unit, a person or an account of its subtree (whoever did
    it, Sở Nội vụ included). Rows about another app's object (a dossier, an evidence file) done by someone outside
    the subtree are not shown to the officer: that app's own page shows its history. Other roles read none.
    """
    entries = AuditEntry.objects.all()
    if rules.sees_all_activity(user):
        return entries
    if not roles.is_officer(user):
        return entries.none()
    path = user.unit.path
    return entries.filter(
        Q(actor__unit__path__startswith=path)
        | _targets(Unit, Unit.objects.filter(path__startswith=path))
        | _targets(Person, Person.objects.filter(unit__path__startswith=path))
        | _targets(User, User.objects.filter(unit__path__startswith=path))
    )


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def activity_list(user, *, actor="", action="", since=None, until=None, q=""):
    """The activity rows for the page, newest first, with their actors (one query for a page of any length)."""
    entries = activity_visible_to(user)
    if actor:
        actor = actor.strip()
        entries = entries.filter(Q(actor__username__icontains=actor) | Q(actor__full_name__icontains=actor))
    if action:
        entries = entries.filter(action=action)
    if since is not None:
        entries = entries.filter(at__gte=_day_start(since))
    if until is not None:
        entries = entries.filter(at__lt=_day_start(until + datetime.timedelta(days=1)))
    if q:
        entries = entries.filter(target_label__icontains=q.strip())
    return entries.select_related("actor").order_by("-at", "-id")


def activity_actions():
    """The actions the activity trail holds, for the page's filter (names of actions, not rows: not scoped)."""
    return sorted(AuditEntry.objects.order_by().values_list("action", flat=True).distinct())


def activity_entry_for(user, pk):
    """The activity row if the user may read it, else 404."""
    return get_object_or_404(activity_visible_to(user).select_related("actor"), pk=pk)


def activity_about(user, account, limit=20):
    """The latest rows done by or about `account` that the user may read."""
    return list(activity_visible_to(user).filter(Q(actor=account) | Q(target_type=User._meta.label_lower,
                                                                      target_id=str(account.pk)))
                .select_related("actor").order_by("-at", "-id")[:limit])


def unit_codes(entries):
    """{unit pk as text: code} for the rows about units, to link them (one query)."""
    ids = {entry.target_id for entry in entries if entry.target_type == Unit._meta.label_lower}
    if not ids:
        return {}
    return {str(pk): code for pk, code in Unit.objects.filter(pk__in=[i for i in ids if i.isdigit()])
            .order_by().values_list("pk", "code")}


def issuing_authority():
    """The names the login page and the public portal are signed with: the province's people's committee (the root
    of the tree) and its Sở Nội vụ (the department named so), read from the unit tree; either may be None."""
    province = Unit.objects.filter(parent__isnull=True, kind="province").order_by("path").first()
    department = None
    if province is not None:
        department = (Unit.objects.filter(parent=province, kind="department", search_name="so noi vu")
                      .order_by("path").first())
    return {"province": province, "department": department}
