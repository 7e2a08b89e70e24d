"""Reads for the reports: scoped querysets of drafts/versions and the aggregated figures of a period.

Every figure is aggregated in SQL (GROUP BY or correlated subqueries); the number of queries depends on the number
of years, contents and award forms of the plan, never on the number of units, dossiers or files.
"""

import datetime

from django.db.models import Avg, Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from awards.models import AwardForm, CommendationRecord, Dossier, DossierState, Nominee
from campaigns.models import (
    Achievement,
    AchievementStatus,
    Campaign,
    EmulationContent,
    EvidenceFile,
    ExemplaryModel,
    FollowUpTask,
    Initiative,
    InitiativeStatus,
    Inspection,
    Milestone,
    Registration,
    RegistrationCommitment,
    YearlyTheme,
)
from campaigns.selectors.plan import participating_units
from par.models import Band, CriteriaSet, ScoreSheet, SheetStatus, UnitGroup
from units.models import Unit, UnitKind

from . import rules
from .models import GeneratedReport, ReportDraft

S = DossierState
# Dossiers that count as "proposed" in the appendices: Sở Nội vụ proposed them, or they were awarded.
PROPOSED_OR_AWARDED = (S.PROPOSED, S.AT_COUNCIL, S.AWARDED)


# Scoping -------------------------------------------------------------------------------------------------------


def drafts_visible_to(user):
    if not rules.can_read_reports(user):
        return ReportDraft.objects.none()
    return ReportDraft.objects.all()


def draft_for(user, pk):
    return get_object_or_404(drafts_visible_to(user).select_related("campaign", "campaign__organiser__parent"), pk=pk)


def versions_visible_to(user):
    if not rules.can_read_reports(user):
        return GeneratedReport.objects.none()
    return GeneratedReport.objects.all()


def version_for(user, pk):
    return get_object_or_404(versions_visible_to(user).select_related("draft", "draft__campaign", "created_by"),
                             pk=pk)


def versions_of(draft):
    return GeneratedReport.objects.filter(draft=draft).select_related("created_by").order_by("-created_at", "-id")


def campaigns_for_reports(user):
    if not rules.can_read_reports(user):
        return Campaign.objects.none()
    return Campaign.objects.select_related("organiser", "organiser__parent").order_by("-issued_on")


def draft_list(campaign):
    return (ReportDraft.objects.filter(campaign=campaign)
            .annotate(version_count=Count("versions"))
            .order_by("kind", "-year"))


# Plan and participation --------------------------------------------------------------------------------------


def review_milestone(campaign, kind):
    """The plan's interim or final review milestone (its period is the report's period)."""
    return Milestone.objects.filter(campaign=campaign, kind=kind).order_by("-period_end").first()


def contents_of(campaign):
    return list(EmulationContent.objects.filter(campaign=campaign).order_by("number"))


def themes_of(campaign, years):
    return list(YearlyTheme.objects.filter(campaign=campaign, year__in=years).order_by("year"))


def _kinds(qs, kinds, field="unit__kind"):
    """Restrict to units of these kinds (the dashboard's unit-group filter); no filter when `kinds` is empty."""
    return qs.filter(**{f"{field}__in": kinds}) if kinds else qs


def participation_by_year(campaign, years, kinds=None):
    """[{year, units, registered}] — one query per year of the period (at most the plan's years)."""
    registered = dict(_kinds(Registration.objects.filter(campaign=campaign, year__in=years), kinds).order_by()
                      .values_list("year").annotate(n=Count("pk")))
    rows = []
    for year in years:
        total = _kinds(participating_units(campaign, year), kinds, "kind").count()
        rows.append({"year": year, "units": total, "registered": registered.get(year, 0)})
    return rows


def registered_unit_count(campaign, years, kinds=None):
    return (_kinds(Registration.objects.filter(campaign=campaign, year__in=years), kinds).order_by()
            .values("unit").distinct().count())


def content_figures(campaign, years, kinds=None):
    """Per content number: commitments, achievements recorded/accepted, units with accepted ones, accepted files."""
    commitments = dict(_kinds(RegistrationCommitment.objects.filter(
        registration__campaign=campaign, registration__year__in=years), kinds, "registration__unit__kind").order_by()
        .values_list("content__number").annotate(n=Count("pk")))
    accepted = Q(status=AchievementStatus.ACCEPTED)
    achievements = {
        row["content__number"]: row for row in _kinds(Achievement.objects.filter(campaign=campaign, year__in=years),
                                                      kinds).order_by().values("content__number").annotate(
            recorded=Count("pk"), accepted=Count("pk", filter=accepted),
            units=Count("unit", filter=accepted, distinct=True))
    }
    files = dict(_kinds(EvidenceFile.objects.filter(
        achievement__campaign=campaign, achievement__year__in=years,
        achievement__status=AchievementStatus.ACCEPTED), kinds, "achievement__unit__kind").order_by()
        .values_list("achievement__content__number").annotate(n=Count("pk")))
    figures = {}
    for content in contents_of(campaign):
        row = achievements.get(content.number, {})
        figures[content.number] = {
            "content": content,
            "commitments": commitments.get(content.number, 0),
            "recorded": row.get("recorded", 0),
            "accepted": row.get("accepted", 0),
            "units": row.get("units", 0),
            "files": files.get(content.number, 0),
        }
    return figures


def initiative_figures(campaign, years, kinds=None):
    rows = (_kinds(Initiative.objects.filter(campaign=campaign, year__in=years), kinds).order_by()
            .values("status", "level").annotate(n=Count("pk")))
    figures = {"proposed": 0, "recognised": 0, "refused": 0, "provincial": 0, "grassroots": 0, "total": 0}
    for row in rows:
        figures["total"] += row["n"]
        figures[row["status"]] = figures.get(row["status"], 0) + row["n"]
        if row["status"] == InitiativeStatus.RECOGNISED and row["level"]:
            figures[row["level"]] += row["n"]
    return figures


# PAR index ---------------------------------------------------------------------------------------------------


def par_results(years, kinds=None):
    """Published criteria sets of the period with sheet count, average index and units per band (two queries)."""
    sets = list(_kinds(CriteriaSet.objects.filter(year__in=years, published_at__isnull=False), kinds, "group")
                .order_by("year", "group"))
    bands = {}
    averages = {}
    for row in (ScoreSheet.objects.filter(criteria_set__in=sets, status=SheetStatus.PUBLISHED).order_by()
                .values("criteria_set", "band").annotate(n=Count("pk"), avg=Avg("index_percent"))):
        bands.setdefault(row["criteria_set"], {})[row["band"]] = row["n"]
    for row in (ScoreSheet.objects.filter(criteria_set__in=sets, status=SheetStatus.PUBLISHED).order_by()
                .values("criteria_set").annotate(n=Count("pk"), avg=Avg("index_percent"),
                                                 best=Coalesce(Subquery(_best_unit()), Value("")))):
        averages[row["criteria_set"]] = row
    results = []
    for criteria_set in sets:
        counts = bands.get(criteria_set.pk, {})
        summary = averages.get(criteria_set.pk, {})
        results.append({
            "set": criteria_set, "year": criteria_set.year, "group": str(criteria_set.get_group_display()),
            "group_code": criteria_set.group,
            "sheets": summary.get("n", 0),
            "average": round(float(summary["avg"]), 2) if summary.get("avg") is not None else None,
            "best": summary.get("best", ""),
            "bands": [{"band": str(band.label), "code": band.value, "n": counts.get(band.value, 0)} for band in Band],
        })
    return results


def _best_unit():
    return (ScoreSheet.objects.filter(criteria_set=OuterRef("criteria_set"), status=SheetStatus.PUBLISHED)
            .order_by("-index_percent", "-total_appraised", "unit__code").values("unit__name")[:1])


def par_latest_by_group(results):
    """The latest year's average index per unit group, for the chart."""
    latest = {}
    for row in results:
        latest[row["group_code"]] = row
    return [{"label": str(UnitGroup(code).label), "value": latest[code]["average"] or 0, "year": latest[code]["year"]}
            for code in UnitGroup.values if code in latest]


# Awards ------------------------------------------------------------------------------------------------------


def _dossiers_in(campaign, period):
    return Dossier.objects.filter(campaign=campaign, milestone__period_end__gte=period.start,
                                  milestone__period_end__lte=period.end)


def dossiers_by_state(campaign, period, kinds=None):
    counts = dict(_kinds(_dossiers_in(campaign, period), kinds).order_by().values_list("state").annotate(n=Count("pk")))
    return [{"state": str(state.label), "code": state.value, "n": counts.get(state.value, 0)}
            for state in DossierState if state != S.DRAFT]


def overdue_dossiers(campaign, period, today, kinds=None):
    return _kinds(_dossiers_in(campaign, period), kinds).filter(
        state__in=(S.SUBMITTED, S.RECEIVED, S.UNDER_APPRAISAL), due_on__lt=today).count()


def _records_in(campaign, period):
    return CommendationRecord.objects.filter(dossier__campaign=campaign, year__in=period.years)


def awards_by_form(campaign, period, kinds=None):
    """[{form, collectives, individuals, total}] for the forms that have records in the period (one query).

    With `kinds`, a collective counts when it is of those kinds, an individual when their unit is.
    """
    records = _records_in(campaign, period)
    if kinds:
        records = records.filter(Q(unit__kind__in=kinds) | Q(person__unit__kind__in=kinds))
    rows = (records.order_by().values("form", "form__name", "form__order")
            .annotate(collectives=Count("pk", filter=Q(unit__isnull=False)),
                      individuals=Count("pk", filter=Q(person__isnull=False)))
            .order_by("form__order", "form__name"))
    return [{"form": row["form__name"], "collectives": row["collectives"], "individuals": row["individuals"],
             "total": row["collectives"] + row["individuals"]} for row in rows]


def nominee_rows(campaign, period, *, collective):
    """Appendix rows: collectives (or individuals) proposed or awarded in the period, in a constant 1 query."""
    qs = (Nominee.objects.filter(dossier__in=_dossiers_in(campaign, period),
                                 dossier__state__in=PROPOSED_OR_AWARDED)
          .select_related("dossier__form", "dossier__decision"))
    if collective:
        qs = qs.filter(unit__isnull=False).select_related("unit").order_by("dossier__form__order", "unit__path", "id")
    else:
        qs = (qs.filter(person__isnull=False).select_related("person__unit")
              .order_by("dossier__form__order", "person__search_name", "id"))
    return qs


# Inspection and exemplary models --------------------------------------------------------------------------------


def inspection_figures(campaign, period):
    inspections = Inspection.objects.filter(campaign=campaign, inspected_on__gte=period.start,
                                            inspected_on__lte=period.end)
    totals = inspections.aggregate(n=Count("pk"), units=Count("unit", distinct=True))
    tasks = FollowUpTask.objects.filter(inspection__in=inspections).aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(completed_on__isnull=False)))
    return {"inspections": totals["n"], "units": totals["units"], "tasks": tasks["n"], "tasks_done": tasks["done"]}


def exemplary_figures(campaign, years, *, limit=30):
    qs = ExemplaryModel.objects.filter(campaign=campaign, year__in=years, published_at__isnull=False)
    counts = dict(qs.order_by().values_list("kind").annotate(n=Count("pk")))
    return {
        "by_kind": [{"kind": str(kind.label), "n": counts.get(kind.value, 0)} for kind in ExemplaryModel.Kind],
        "total": sum(counts.values()),
        "items": list(qs.select_related("unit", "person").order_by("year", "kind", "id")[:limit]),
    }


# Per-unit table ----------------------------------------------------------------------------------------------


def _count(queryset, key):
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def unit_rows(campaign, period, *, kinds=None):
    """Participating units (not divisions unless asked) with their figures for the period, in one query."""
    kinds = kinds or [k for k in (campaign.participant_unit_kinds or UnitKind.values) if k != UnitKind.DIVISION]
    end_year = period.years[-1]
    units = Unit.objects.filter(kind__in=kinds).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start),
        Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
    latest_sheet = (ScoreSheet.objects.filter(unit=OuterRef("pk"), status=SheetStatus.PUBLISHED,
                                              criteria_set__year__lte=end_year,
                                              criteria_set__year__in=period.years,
                                              criteria_set__published_at__isnull=False)
                    .order_by("-criteria_set__year"))
    records = _records_in(campaign, period)
    return units.annotate(
        n_registered_years=_count(Registration.objects.filter(campaign=campaign, year__in=period.years,
                                                            unit=OuterRef("pk")), "unit"),
        n_accepted=_count(Achievement.objects.filter(campaign=campaign, year__in=period.years, unit=OuterRef("pk"),
                                                   status=AchievementStatus.ACCEPTED), "unit"),
        n_initiatives=_count(Initiative.objects.filter(campaign=campaign, year__in=period.years, unit=OuterRef("pk"),
                                                     status=InitiativeStatus.RECOGNISED), "unit"),
        n_par_index=Subquery(latest_sheet.values("index_percent")[:1],
                           output_field=DecimalField(max_digits=6, decimal_places=2)),
        n_par_band=Subquery(latest_sheet.values("band")[:1]),
        n_dossiers=_count(_dossiers_in(campaign, period).filter(unit=OuterRef("pk")).exclude(state=S.DRAFT), "unit"),
        n_awards=_count(records.filter(unit=OuterRef("pk")), "unit"),
    ).select_related("parent").order_by("path")


# The statistical forms of Circular 02/2023/TT-BNV -----------------------------------------------------------------

DURATION_BUCKETS = (
    ("lt1", gettext_lazy("Dưới 1 năm")), ("1", gettext_lazy("1 năm")), ("1to3", gettext_lazy("Trên 1 năm đến 3 năm")),
    ("3to5", gettext_lazy("Trên 3 năm đến 5 năm")), ("ge5", gettext_lazy("Trên 5 năm")),
)


def duration_bucket(start, end):
    days = (end - start).days + 1
    if days < 365:
        return "lt1"
    if days <= 366:
        return "1"
    if days <= 3 * 366:
        return "1to3"
    if days <= 5 * 366:
        return "3to5"
    return "ge5"


def campaigns_in_year(year):
    """Movements running at some point in `year` (Biểu 0601.N): few rows, the province's plans."""
    return list(Campaign.objects.filter(starts_on__lte=datetime.date(year, 12, 31),
                                        ends_on__gte=datetime.date(year, 1, 1))
                .exclude(status="draft").order_by("starts_on"))


def provincial_awards(year):
    """Biểu 0603.N: every award decided in `year`, by form, recipient kind and basis (one query)."""
    rows = (CommendationRecord.objects.filter(decision_date__year=year).order_by()
            .values("form", "basis").annotate(collectives=Count("pk", filter=Q(unit__isnull=False)),
                                              individuals=Count("pk", filter=Q(person__isnull=False))))
    forms = list(AwardForm.objects.order_by("order", "name"))
    return forms, list(rows)
