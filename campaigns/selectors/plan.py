"""Reads for the plan side of a campaign: scoped querysets, registration status and the monitoring table.

Everything that counts is counted in SQL (grouped queries or correlated subqueries), so a page costs the same number
of queries for 3 units as for 3,000.
"""

import datetime

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core import versions
from units.models import Role, Unit, UnitKind, User
from units.selectors import scoped_to, unit_named, units_visible_to

from .. import rules
from ..models import (
    Achievement,
    AchievementStatus,
    Campaign,
    CampaignStatus,
    FollowUpTask,
    Initiative,
    Inspection,
    Milestone,
    MilestoneKind,
    Registration,
    ThemeDocument,
    YearlyTheme,
)

# Sort keys the monitoring page accepts (anything else falls back to the unit path): key → order_by fields.
MONITORING_SORTS = {
    "path": ["path"],
    "code": ["code"],
    "name": ["search_name", "code"],
    "kind": ["kind", "path"],
    "registered": ["registered", "path"],
    "accepted": ["accepted_total", "path"],
    "submitted": ["submitted_total", "path"],
    "initiatives": ["initiative_count", "path"],
    "behind": ["behind", "path"],
}


# Campaigns -------------------------------------------------------------------------------------------------


def campaigns_visible_to(user):
    """Launched and closed campaigns for everyone logged in; drafts for administrators only."""
    qs = Campaign.objects.select_related("organiser")
    if not user.is_authenticated:
        return qs.none()
    if rules.can_see_drafts(user):
        return qs
    return qs.exclude(status=CampaignStatus.DRAFT)


def campaign_for(user, pk):
    return get_object_or_404(campaigns_visible_to(user), pk=pk)


def milestones_visible_to(user):
    """The milestones of the campaigns the user may see (a draft plan's rounds stay with administrators)."""
    return Milestone.objects.filter(campaign__in=campaigns_visible_to(user).values("pk")).select_related("campaign")


# Which movement a page is about, when there are several ----------------------------------------------------

CHOSEN_CAMPAIGN_KEY = "campaigns.chosen"  # the session key of the movement the user last chose


def switchable_campaigns(user):
    """The movements a user can switch between: every one they may see except drafts (a draft has no work yet)."""
    return campaigns_visible_to(user).exclude(status=CampaignStatus.DRAFT).order_by("-starts_on", "number")


def default_campaign(campaigns, today=None):
    """The one running (launched, its period not over), else a launched one, else the latest."""
    campaigns = list(campaigns)
    running = [c for c in campaigns if c.is_running(today)]
    launched = [c for c in campaigns if c.status == CampaignStatus.LAUNCHED]
    return next(iter(running or launched or campaigns), None)


def chosen_campaign(request, campaigns=None):
    """The movement this user chose in this session (`remember_campaign`) if still among `campaigns` (by default
    `switchable_campaigns`), else `default_campaign`."""
    campaigns = list(switchable_campaigns(request.user) if campaigns is None else campaigns)
    pk = request.session.get(CHOSEN_CAMPAIGN_KEY)
    return next((c for c in campaigns if c.pk == pk), None) or default_campaign(campaigns)


def switcher(campaigns, current, then):
    """What the switcher shows (`campaigns/_switcher.html`): the movements when there are several, the one shown,
    and where to go once another is chosen."""
    campaigns = list(campaigns)
    return {"campaigns": campaigns if len(campaigns) > 1 else [], "current": current, "next": then}


def remember_campaign(request, campaign):
    """Keep `campaign` as the session's movement (a preference, not a record: nothing to audit)."""
    if campaign is not None and request.session.get(CHOSEN_CAMPAIGN_KEY) != campaign.pk:
        request.session[CHOSEN_CAMPAIGN_KEY] = campaign.pk


def current_year(campaign, today=None):
    """The campaign year that is "now": today's year, kept within the campaign's period."""
    year = (today or timezone.localdate()).year
    return min(max(year, campaign.starts_on.year), campaign.ends_on.year)


def open_years(campaign, today=None):
    """Years a unit may still register or edit its commitments: the current campaign year and later ones
    (none once the campaign is closed: its pages stay readable, new work goes to the next movement)."""
    if campaign.status != CampaignStatus.LAUNCHED:
        return []
    now = current_year(campaign, today)
    return [year for year in campaign.years if year >= now]


def closed_reason(campaign, work):
    """Why `campaign` takes no new `work` ("đăng ký thi đua", "minh chứng", "hồ sơ khen thưởng" …), or "".

    A draft is not open yet; a closed campaign stays readable but takes nothing new (units turn to the movement
    that runs now)."""
    if campaign.status == CampaignStatus.DRAFT:
        return _("Phong trào %(number)s chưa được phát động nên chưa nhận %(work)s.") % {
            "number": campaign.number, "work": work}
    if campaign.status == CampaignStatus.CLOSED:
        return _("Phong trào %(number)s đã kết thúc nên không nhận %(work)s mới; các trang của phong trào vẫn xem "
                 "được. Hãy chọn phong trào đang diễn ra.") % {"number": campaign.number, "work": work}
    return ""


def campaign_detail_data(campaign, today=None):
    milestones = list(campaign.milestones.order_by("due_on", "id"))
    return {
        "contents": list(campaign.contents.order_by("number")),
        "milestones": milestones,
        "period_over": campaign.period_over(today),
        # What the "period over" notice names as left to do: the plan's final review round(s).
        "final_reviews": [m for m in milestones if m.kind == MilestoneKind.FINAL_REVIEW],
    }


# Themes ----------------------------------------------------------------------------------------------------


def themes_visible_to(user, campaign=None):
    qs = YearlyTheme.objects.select_related("campaign")
    if not user.is_authenticated:
        return qs.none()
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if rules.can_see_drafts(user):
        return qs
    return qs.filter(published_at__isnull=False).exclude(campaign__status=CampaignStatus.DRAFT)


def theme_for(user, pk):
    return get_object_or_404(themes_visible_to(user), pk=pk)


def theme_document_for(user, pk):
    return get_object_or_404(ThemeDocument.objects.select_related("theme"),
                             pk=pk, theme__in=themes_visible_to(user))


def published_theme(campaign, year):
    return (YearlyTheme.objects.filter(campaign=campaign, year=year, published_at__isnull=False)
            .prefetch_related("documents").first())


# Units that take part --------------------------------------------------------------------------------------


def units_in_year(year):
    """Units that exist during `year` (not ended before it began, not created after it ended)."""
    return Unit.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(year, 1, 1)),
        Q(valid_from__isnull=True) | Q(valid_from__lte=datetime.date(year, 12, 31)),
    )


def participating_units(campaign, year, *, user=None):
    """Active units whose kind takes part in the campaign (within the user's scope when a user is given)."""
    qs = units_in_year(year)
    if user is not None:
        qs = qs.filter(pk__in=units_visible_to(user).values("pk"))
    kinds = campaign.participant_unit_kinds or [k.value for k in UnitKind]
    return qs.filter(kind__in=kinds)


def districts(user=None):
    """District committees by name (those within the user's scope when a user is given: a filter's choices)."""
    qs = Unit.objects.all() if user is None else units_visible_to(user)
    return qs.filter(kind=UnitKind.DISTRICT).order_by("name")


def _filter_units(qs, *, kind="", district=None, q=""):
    if kind:
        qs = qs.filter(kind=kind)
    if district is not None:
        qs = qs.filter(path__startswith=district.path)
    if q:
        qs = qs.filter(unit_named(q))  # by its name, its code or a predecessor's name
    return qs


def _registered(campaign, year):
    return Exists(Registration.objects.filter(campaign=campaign, year=year, unit=OuterRef("pk")))


def registration_status(user, campaign, year, *, kind="", district=None, registered=None, q=""):
    """Participating units in the user's scope with `registered` (bool) and `registration_id`, in tree order."""
    qs = _filter_units(participating_units(campaign, year, user=user), kind=kind, district=district, q=q)
    reg = Registration.objects.filter(campaign=campaign, year=year, unit=OuterRef("pk"))
    qs = qs.annotate(
        registered=_registered(campaign, year),
        registration_id=Subquery(reg.values("pk")[:1]),
        registered_at=Subquery(reg.values("registered_at")[:1]),
    )
    if registered is True:
        qs = qs.filter(registered=True)
    elif registered is False:
        qs = qs.filter(registered=False)
    return qs.select_related("parent").order_by("path")


def registration_counts(user, campaign, year):
    return participating_units(campaign, year, user=user).aggregate(
        total=Count("pk"), registered=Count("pk", filter=Q(_registered(campaign, year))))


def registrations_visible_to(user):
    return scoped_to(Registration.objects.select_related("campaign", "unit", "registered_by"), user)


def registration_for(user, pk):
    return get_object_or_404(registrations_visible_to(user), pk=pk)


def unit_registration(campaign, unit, year):
    return (Registration.objects.filter(campaign=campaign, unit=unit, year=year)
            .prefetch_related("commitments__content").first())


def officers_of(units):
    """Active officers with an e-mail address of these units."""
    return (User.objects.filter(role=Role.OFFICER, is_active=True, unit__in=units)
            .exclude(email="").select_related("unit"))


# Monitoring ------------------------------------------------------------------------------------------------


def _count(queryset):
    counted = queryset.order_by().values("unit").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def monitoring_rows(user, campaign, year, *, kind="", district=None, q="", sort="path", descending=False,
                    behind_only=False, contents=None):
    """One row per participating unit: registration, evidence submitted/accepted per content, initiatives.

    Attributes: registered, sub_<number>, acc_<number> per content, submitted_total, accepted_total,
    initiative_count, behind (not registered, or no accepted evidence for some content).
    The later apps' columns (awards: overdue dossiers) are not attributes here: they are registered with
    `core.panels.register_column("monitoring", …)` and answer for the page of rows in one query each.

    The table is read far more often than its figures change: the ordered unit ids and their figures are kept
    once per data version (`core.versions`), user and filters; only the units of the rows shown are read
    (`MonitoringRows`); the template keeps the rendered table under the same version.
    """
    contents = list(campaign.contents.order_by("number")) if contents is None else contents
    parts = [user.pk, campaign.pk, year, kind, district.pk if district is not None else "", q, sort, descending,
             behind_only, [content.pk for content in contents]]
    units = _filter_units(participating_units(campaign, year, user=user), kind=kind, district=district, q=q)
    version = versions.current()
    ordered = versions.cached("campaigns.monitoring", parts, lambda: _monitoring_figures(
        units, campaign, year, sort=sort, descending=descending, behind_only=behind_only, contents=contents),
        version=version)
    return MonitoringRows(ordered, _figure_names(contents), versions.key("campaigns.monitoring", parts,
                                                                         version=version), units)


def _figure_names(contents):
    return ["registered", *(f"{prefix}_{content.number}" for content in contents for prefix in ("sub", "acc")),
            "submitted_total", "accepted_total", "initiative_count", "behind"]


# Sorts on a figure: the rows are read in tree order and sorted (stably) on the figure, which gives the order the
# database would give for [figure, "path"]; the other sorts are the database's own order.
FIGURE_SORTS = {"registered", "accepted", "submitted", "initiatives", "behind"}


def _monitoring_figures(units, campaign, year, *, sort, descending, behind_only, contents):
    """[(unit id, figures in `_figure_names` order)] of the table's `units` in its order: the units in one query,
    the achievements, registrations and initiatives of the year in one grouped query each (whatever the units)."""
    sort = sort if sort in MONITORING_SORTS else "path"
    order = MONITORING_SORTS["path" if sort in FIGURE_SORTS else sort]
    if descending and sort not in FIGURE_SORTS:
        order = [f"-{order[0]}", *order[1:]]
    ids = list(units.order_by(*order).values_list("pk", flat=True))
    in_table = units.values("pk")
    counted = {}  # (unit id, content id) → [submitted, accepted]
    for unit_id, content_id, status, n in (Achievement.objects.filter(campaign=campaign, year=year,
                                                                     unit__in=in_table)
                                           .order_by().values_list("unit_id", "content_id", "status")
                                           .annotate(n=Count("pk"))):
        cell = counted.setdefault((unit_id, content_id), [0, 0])
        cell[0] += n
        if status == AchievementStatus.ACCEPTED:
            cell[1] += n
    totals = {}  # unit id → [submitted, accepted] over every content
    for (unit_id, _content_id), (submitted, accepted) in counted.items():
        total = totals.setdefault(unit_id, [0, 0])
        total[0] += submitted
        total[1] += accepted
    registered = set(Registration.objects.filter(campaign=campaign, year=year, unit__in=in_table)
                     .values_list("unit_id", flat=True))
    initiatives = dict(Initiative.objects.filter(campaign=campaign, year=year, unit__in=in_table).order_by()
                       .values_list("unit_id").annotate(n=Count("pk")))
    rows = []
    for pk in ids:
        cells = [counted.get((pk, content.pk), [0, 0]) for content in contents]
        behind = pk not in registered or any(accepted == 0 for _submitted, accepted in cells)
        if behind_only and not behind:
            continue
        submitted, accepted = totals.get(pk, [0, 0])
        rows.append((pk, pk in registered, *(n for cell in cells for n in cell), submitted, accepted,
                     initiatives.get(pk, 0), behind))
    if sort in FIGURE_SORTS:
        position = {"registered": 1, "submitted": -4, "accepted": -3, "initiatives": -2, "behind": -1}[sort]
        rows.sort(key=lambda row: row[position], reverse=descending)
    return rows


class MonitoringRows:
    """The monitoring table's rows in their order, from the kept (unit id, figures…) tuples: a slice (a page) reads
    its units in one query and gives each its figures as attributes; iterating reads them all (the export).
    `key` names this data version of the table, for the template's fragment cache; `units` is the table's
    queryset of units (all rows are read through it in one query, not by a list of ids)."""

    def __init__(self, ordered, names, key, units):
        self._ordered = ordered
        self._names = names
        self.key = key
        self._all = units

    def __len__(self):
        return len(self._ordered)

    def __getitem__(self, index):
        if isinstance(index, slice):
            figures = self._ordered[index]
            return self._units(figures, Unit.objects.filter(pk__in=[row[0] for row in figures]))
        return self[index:index + 1][0] if index >= 0 else self[len(self) + index]

    def __iter__(self):
        return iter(self._units(self._ordered, self._all))

    def _units(self, figures, queryset):
        units = {unit.pk: unit for unit in queryset.select_related("parent").order_by()}
        rows = []
        for pk, *values in figures:
            unit = units.get(pk)
            if unit is None:  # removed since the figures were kept (by a write this process did not see)
                continue
            for name, value in zip(self._names, values, strict=True):
                setattr(unit, name, value)
            rows.append(unit)
        return rows


def attach_cells(rows, contents, district_list):
    """Per-row content cells and the district name for a page of rows (no queries)."""
    by_path = {d.path: d for d in district_list}
    for row in rows:
        row.cells = [(content, getattr(row, f"sub_{content.number}"), getattr(row, f"acc_{content.number}"))
                     for content in contents]
        row.district = next((unit for path, unit in by_path.items() if row.path.startswith(path)), None)
    return rows


# Inspections -----------------------------------------------------------------------------------------------


def inspections_visible_to(user, campaign=None):
    qs = Inspection.objects.select_related("campaign", "unit", "created_by")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return scoped_to(qs, user)


def inspection_list(user, campaign, today=None):
    today = today or timezone.localdate()
    return inspections_visible_to(user, campaign).annotate(
        task_count=Count("tasks", distinct=True),
        open_count=Count("tasks", filter=Q(tasks__completed_on__isnull=True), distinct=True),
        overdue_count=Count("tasks", filter=Q(tasks__completed_on__isnull=True, tasks__deadline__lt=today),
                            distinct=True),
    ).order_by("-inspected_on", "id")


def inspection_for(user, pk):
    return get_object_or_404(inspections_visible_to(user), pk=pk)


def task_for(user, pk):
    return get_object_or_404(
        FollowUpTask.objects.select_related("inspection__unit", "inspection__campaign"),
        pk=pk, inspection__in=inspections_visible_to(user),
    )


def tasks_of(inspection):
    return inspection.tasks.order_by("deadline", "id")
