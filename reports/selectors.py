"""Reads for the reports: scoped querysets of drafts/versions and the aggregated figures of a period.

Every figure is aggregated in SQL (GROUP BY or correlated subqueries); the number of queries depends on the number
of years, contents and award forms of the plan, never on the number of units, dossiers or files.
"""

import datetime

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from awards.models import PROPOSED_STATES, CommendationRecord, Dossier, DossierState, Nominee
from campaigns.models import (
    Achievement,
    AchievementStatus,
    Campaign,
    EmulationContent,
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
from core.models import Signer
from par.models import Band, CriteriaSet, ScoreSheet, SheetStatus, UnitGroup
from units import lineage
from units.models import Unit, UnitKind

from . import rules
from .models import GeneratedReport, ReportDraft

S = DossierState


# Scoping -------------------------------------------------------------------------------------------------------


def drafts_visible_to(user):
    if not rules.can_read_reports(user):
        return ReportDraft.objects.none()
    return ReportDraft.objects.all()


def draft_for(user, pk):
    return get_object_or_404(drafts_visible_to(user).select_related("campaign", "campaign__organiser__parent",
                                                                    "signer__body", "entry"), pk=pk)


def signers_for(draft):
    """The signers of the draft's issuing body (every period: a registered report keeps the one who signed)."""
    organiser = draft.campaign.organiser
    if organiser is None:
        return Signer.objects.none()
    # The organiser and the units that carried it on after a restructuring (a report issued after it is signed
    # by the successor body's people).
    codes = Unit.objects.filter(pk__in=lineage.successor_ids([organiser.pk])).values("code")
    return Signer.objects.filter(body__key__in=codes).select_related("body").order_by("position", "-valid_from")


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
    # Files are the accepted achievements' evidence counters (Achievement.evidence_count): the evidence table is
    # not read, and the achievement_figures index covers this query.
    achievements = {
        row["content__number"]: row for row in _kinds(Achievement.objects.filter(campaign=campaign, year__in=years),
                                                      kinds).order_by().values("content__number").annotate(
            recorded=Count("pk"), accepted=Count("pk", filter=accepted),
            units=Count("unit", filter=accepted, distinct=True), files=Sum("evidence_count", filter=accepted))
    }
    figures = {}
    for content in contents_of(campaign):
        row = achievements.get(content.number, {})
        figures[content.number] = {
            "content": content,
            "commitments": commitments.get(content.number, 0),
            "recorded": row.get("recorded", 0),
            "accepted": row.get("accepted", 0),
            "units": row.get("units", 0),
            "files": row.get("files") or 0,
        }
    return figures


def content_figures_by_year(campaign, years, kinds=None):
    """{content number: {year: {commitments, recorded, accepted, units, files}}} for the years of the period
    (three queries, grouped by content and year); years without any figure are left out."""
    figures = {}

    def put(number, year, name, value):
        figures.setdefault(number, {}).setdefault(year, {"commitments": 0, "recorded": 0, "accepted": 0, "units": 0,
                                                         "files": 0})[name] = value

    for number, year, n in (_kinds(RegistrationCommitment.objects.filter(
            registration__campaign=campaign, registration__year__in=years), kinds, "registration__unit__kind")
            .order_by().values_list("content__number", "registration__year").annotate(n=Count("pk"))):
        put(number, year, "commitments", n)
    accepted = Q(status=AchievementStatus.ACCEPTED)
    for row in (_kinds(Achievement.objects.filter(campaign=campaign, year__in=years), kinds).order_by()
                .values("content__number", "year").annotate(recorded=Count("pk"), accepted=Count("pk", filter=accepted),
                                                            units=Count("unit", filter=accepted, distinct=True),
                                                            files=Sum("evidence_count", filter=accepted))):
        for name in ("recorded", "accepted", "units"):
            put(row["content__number"], row["year"], name, row[name])
        if row["files"]:
            put(row["content__number"], row["year"], "files", row["files"])
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
# One rule for "awarded in the period", used by the body, the appendices, the workbook and the dashboard alike: an
# award of the plan (a history row of one of its dossiers) whose decision is dated within the period. A dossier
# decided after the period's end was still a proposal when the period closed (the interim review of 2022-2023
# proposed what the Chairman decided in January 2024), so it is listed with the period's proposals.


def _dossiers_in(campaign, period):
    return Dossier.objects.filter(campaign=campaign, milestone__period_end__gte=period.start,
                                  milestone__period_end__lte=period.end)


def awarded_in(campaign, period, kinds=None):
    """THE selector of the awards decided in the period: the plan's commendation rows with a decision number whose
    decision date lies in [period.start, period.end]. With `kinds`, a collective counts when it is of those kinds,
    an individual when their unit is."""
    records = (CommendationRecord.objects
               .filter(dossier__campaign=campaign, decision_date__gte=period.start, decision_date__lte=period.end)
               .exclude(decision_number=""))
    if kinds:
        records = records.filter(Q(unit__kind__in=kinds) | Q(person__unit__kind__in=kinds))
    return records


def dossiers_by_state(campaign, period, kinds=None):
    """Dossier counts by state (the dashboard's table; documents print `dossier_figures` instead)."""
    counts = dict(_kinds(_dossiers_in(campaign, period), kinds).order_by().values_list("state").annotate(n=Count("pk")))
    return [{"state": str(state.label), "code": state.value, "n": counts.get(state.value, 0)}
            for state in DossierState if state != S.DRAFT]


# How a document tells the dossiers of the period: what the units sent, what Sở Nội vụ put before the competent
# authority (or the authority decided), what it found not eligible, what was still being appraised or completed,
# what the units withdrew. A dossier decided after the period's end counts as put before the authority.
DOSSIER_GROUPS = {
    "submitted": (S.SUBMITTED, S.RECEIVED, S.UNDER_APPRAISAL, S.RETURNED, S.PROPOSED, S.NOT_PROPOSED, S.AT_COUNCIL,
                  S.PASSED, S.PROPOSED_CENTRAL, S.AWARDED, S.NOT_AWARDED, S.WITHDRAWN),
    "forwarded": (*PROPOSED_STATES, S.AWARDED),
    "decided": (S.AWARDED,),
    "refused": (S.NOT_PROPOSED, S.NOT_AWARDED),
    "pending": (S.SUBMITTED, S.RECEIVED, S.UNDER_APPRAISAL, S.RETURNED),
    "withdrawn": (S.WITHDRAWN,),
}


def dossier_figures(campaign, period, kinds=None):
    """{group: number of dossiers} for the groups of `DOSSIER_GROUPS` (one query); "decided" only counts the
    dossiers whose decision is dated within the period."""
    qs = _kinds(_dossiers_in(campaign, period), kinds)
    in_time = Q(decision__date__gte=period.start, decision__date__lte=period.end)
    aggregates = {name: Count("pk", filter=Q(state__in=states)) for name, states in DOSSIER_GROUPS.items()}
    aggregates["decided"] = Count("pk", filter=Q(state=S.AWARDED) & in_time)
    return qs.aggregate(**aggregates)


def overdue_dossiers(campaign, period, today, kinds=None):
    return _kinds(_dossiers_in(campaign, period), kinds).filter(
        state__in=(S.SUBMITTED, S.RECEIVED, S.UNDER_APPRAISAL), due_on__lt=today).count()


def awards_by_form(campaign, period, kinds=None):
    """[{form, authority, collectives, individuals, total}] awarded in the period, by form (one query); the
    authority is the form's deciding level ("Chủ tịch UBND tỉnh")."""
    rows = (awarded_in(campaign, period, kinds).order_by().values("form", "form__name", "form__order",
                                                                  "form__authority")
            .annotate(collectives=Count("pk", filter=Q(unit__isnull=False)),
                      individuals=Count("pk", filter=Q(person__isnull=False)))
            .order_by("form__order", "form__name"))
    return [{"form": row["form__name"], "authority": row["form__authority"], "collectives": row["collectives"],
             "individuals": row["individuals"], "total": row["collectives"] + row["individuals"]} for row in rows]


def award_decisions(campaign, period, kinds=None):
    """The decisions of the period's awards: [{number, date, collectives, individuals}] by date (one query)."""
    rows = (awarded_in(campaign, period, kinds).order_by().values("decision_number", "decision_date")
            .annotate(collectives=Count("pk", filter=Q(unit__isnull=False)),
                      individuals=Count("pk", filter=Q(person__isnull=False)))
            .order_by("decision_date", "decision_number"))
    return [{"number": row["decision_number"], "date": row["decision_date"], "collectives": row["collectives"],
             "individuals": row["individuals"]} for row in rows]


def _nominee_summary():
    """The summary the proposing unit wrote for this recipient in the record's dossier."""
    return (Nominee.objects.filter(dossier=OuterRef("dossier")).filter(
        Q(unit=OuterRef("unit"), unit__isnull=False) | Q(person=OuterRef("person"), person__isnull=False))
        .values("summary")[:1])


def awarded_rows(campaign, period, *, collective):
    """Appendix rows of the awards decided in the period: collectives (or individuals), one query, as dicts (a
    province's thousands of rows: no model instances)."""
    qs = (awarded_in(campaign, period)
          .annotate(summary=Coalesce(Subquery(_nominee_summary()), Value(""), output_field=TextField())))
    fields = ("form__name", "decision_number", "decision_date", "summary")
    if collective:
        return (qs.filter(unit__isnull=False).order_by("form__order", "decision_date", "unit__path", "id")
                .values("unit__name", *fields))
    return (qs.filter(person__isnull=False).order_by("form__order", "decision_date", "person__search_name", "id")
            .values("person__full_name", "person__position", "person__unit__name", *fields))


def proposal_rows(campaign, period):
    """Nominees still proposed when the period closed, collectives first (one query, dicts): dossiers of the period
    that Sở Nội vụ proposed or put before the council, or that were awarded by a decision dated after the period,
    less any nominee the plan already awarded the same form by a decision dated within or before the period."""
    awarded = CommendationRecord.objects.filter(
        dossier__campaign=campaign, form=OuterRef("dossier__form"), decision_date__lte=period.end).exclude(
        decision_number="")
    open_ = Q(dossier__state__in=PROPOSED_STATES) & ~Q(council_passed=False)  # proposed until decided
    decided_later = Q(dossier__state=S.AWARDED, dossier__decision__date__gt=period.end)
    # "Already awarded" as two EXISTS, one per kind of recipient, not one EXISTS over "same unit OR same person":
    # the OR kept SQLite from the records' unit and person indexes (it read every record of the form for each
    # nominee: most of the final review's time at scale 1); a nominee is a unit or a person, so the two say the same.
    return (Nominee.objects.filter(dossier__in=_dossiers_in(campaign, period)).filter(open_ | decided_later)
            .exclude(Exists(awarded.filter(unit=OuterRef("unit"))))
            .exclude(Exists(awarded.filter(person=OuterRef("person"))))
            .annotate(individual=Case(When(unit__isnull=False, then=Value(0)), default=Value(1)))
            .order_by("individual", "dossier__form__order", "unit__path", "person__search_name", "id")
            .values("unit_id", "unit__name", "person__full_name", "person__position", "person__unit__name",
                    "dossier__form__name", "dossier__form__authority", "summary"))


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


ROLLED_FIGURES = ("n_registered_years", "n_accepted", "n_initiatives", "n_dossiers", "n_awards",
                  "n_awards_individual")


def _per_unit(queryset, key="unit"):
    """{unit id: number of rows} of a queryset, grouped in SQL (one query)."""
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk")))


def _per_unit_and_parent(records, key):
    """{unit id: number of records} where a record counts at its unit (`key`) and, when that unit is a division
    (phòng, ban), at the division's parent too (one query, grouped by unit)."""
    counts = {}
    for unit_id, kind, parent_id, n in (records.order_by().values_list(key, f"{key}__kind", f"{key}__parent")
                                        .annotate(n=Count("pk"))):
        counts[unit_id] = counts.get(unit_id, 0) + n
        if kind == UnitKind.DIVISION and parent_id is not None:
            counts[parent_id] = counts.get(parent_id, 0) + n
    return counts


def _unit_figures(campaign, period):
    """Every unit's figures of the period: {figure: {unit id: value}}, a few GROUP BY queries over the plan's rows
    (whatever the number of units), shared by the table's units of every kind. `n_par` is the unit's latest
    published sheet of the period, (index, band)."""
    years = period.years
    records = awarded_in(campaign, period)
    figures = {
        "n_registered_years": _per_unit(Registration.objects.filter(campaign=campaign, year__in=years)),
        "n_accepted": _per_unit(Achievement.objects.filter(campaign=campaign, year__in=years,
                                                           status=AchievementStatus.ACCEPTED)),
        "n_initiatives": _per_unit(Initiative.objects.filter(campaign=campaign, year__in=years,
                                                             status=InitiativeStatus.RECOGNISED)),
        "n_dossiers": _per_unit(_dossiers_in(campaign, period).exclude(state=S.DRAFT)),
        "n_awards": _per_unit_and_parent(records.filter(unit__isnull=False), "unit"),
        "n_awards_individual": _per_unit_and_parent(records.filter(person__isnull=False), "person__unit"),
    }
    latest = {}
    for unit_id, index, band in (ScoreSheet.objects.filter(status=SheetStatus.PUBLISHED, criteria_set__year__in=years,
                                                           criteria_set__published_at__isnull=False)
                                 .order_by("unit", "-criteria_set__year", "id")
                                 .values_list("unit", "index_percent", "band")):
        latest.setdefault(unit_id, (index, band))  # the first is the latest year's
    figures["n_par"] = latest
    return figures


def unit_rows(campaign, period, *, kinds=None, figures=None):
    """Participating units (not divisions unless asked) with their figures for the period (`_unit_figures`, or
    the `figures` already read), in path order.

    The awards are those of `awarded_in`: `n_awards` the collective awards of the unit or of its divisions (phòng,
    ban), `n_awards_individual` the individual awards of people working in the unit or in its divisions."""
    kinds = kinds or [k for k in (campaign.participant_unit_kinds or UnitKind.values) if k != UnitKind.DIVISION]
    figures = figures if figures is not None else _unit_figures(campaign, period)
    units = list(Unit.objects.filter(kind__in=kinds).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start),
        Q(valid_from__isnull=True) | Q(valid_from__lte=period.end)).select_related("parent").order_by("path"))
    for unit in units:
        for name in ROLLED_FIGURES:
            setattr(unit, name, figures[name].get(unit.pk, 0))
        unit.n_par_index, unit.n_par_band = figures["n_par"].get(unit.pk, (None, None))
    return units


def _count_moved_since(campaign, period, rows, by_pk):
    """The period's individual awards and dossiers whose person or unit was moved after the period's end to a unit
    formed by a later restructuring (so not in this table) are counted at the unit they came from: the predecessor
    in the table within the dossier's unit (or the first one). Few rows: those of one restructuring's movers."""
    in_table = set(by_pk)
    if not in_table:
        return
    later = list(Unit.objects.filter(valid_from__gt=period.end).values_list("pk", flat=True))
    if not later:  # no unit formed after the period (most reports): nobody moved to one
        return
    people = (awarded_in(campaign, period).filter(person__unit__in=later)
              .select_related("dossier__unit").values_list("person__unit_id", "dossier__unit__path"))
    dossiers = (_dossiers_in(campaign, period).filter(unit__in=later).exclude(state=S.DRAFT)
                .values_list("unit_id", "unit__path"))
    origins = {}  # unit id → its lineage in the table (one read of the links per unit, not per moved row)
    for figure, moved in (("n_awards_individual", people), ("n_dossiers", dossiers)):
        for unit_id, proposer_path in moved:
            if unit_id not in origins:
                origins[unit_id] = sorted(lineage.lineage_ids([unit_id]) & in_table)
            candidates = [by_pk[pk] for pk in origins[unit_id]]
            if not candidates:
                continue
            within = [row for row in candidates if proposer_path and row.path.startswith(proposer_path)]
            row = (within or candidates)[0]
            setattr(row, figure, getattr(row, figure) + 1)


def unit_rows_by_structure(campaign, period, *, kinds=None):
    """`unit_rows` grouped by the structure in force on the period's last day: a unit that ended by a
    restructuring during the period adds its figures to the unit that carries it on then (its successor's
    successor …), which lists it in `rolled_up`; its PAR index is that of the successor's own latest sheet, or
    else the predecessors' average. A unit that ended with nobody to carry it on keeps its own row."""
    figures = _unit_figures(campaign, period)
    rows = unit_rows(campaign, period, kinds=kinds, figures=figures)
    structure = lineage.structure_on(period.end, rows)
    by_pk = {row.pk: row for row in rows}
    _count_moved_since(campaign, period, rows, by_pk)
    missing = {structure.of(row.pk) for row in rows} - set(by_pk) - {None}
    if missing:  # a successor of another kind than the table's (rare): its own figures are counted too
        by_pk.update({row.pk: row for row in unit_rows(campaign, period, kinds=list(
            Unit.objects.filter(pk__in=missing).values_list("kind", flat=True).distinct()), figures=figures)
            if row.pk in missing})
    kept = {}
    for row in rows:
        target = structure.of(row.pk) or row.pk
        kept.setdefault(target, []).append(row)
    result = []
    for target, members in kept.items():
        head = by_pk[target]
        head.rolled_up = [row for row in members if row.pk != target]
        for row in head.rolled_up:
            for name in ROLLED_FIGURES:
                setattr(head, name, getattr(head, name) + getattr(row, name))
        if head.n_par_index is None:
            indexes = [row.n_par_index for row in head.rolled_up if row.n_par_index is not None]
            head.n_par_index = sum(indexes) / len(indexes) if indexes else None
        result.append(head)
    return sorted(result, key=lambda row: row.path)


# The sector's statistical forms (reports.statistics) -------------------------------------------------------------


def campaigns_in_year(year):
    """Movements running at some point in `year` (Biểu 0601.N): few rows, the province's plans."""
    return list(Campaign.objects.filter(starts_on__lte=datetime.date(year, 12, 31),
                                        ends_on__gte=datetime.date(year, 1, 1))
                .exclude(status="draft").order_by("starts_on"))


def decided_awards(year):
    """Biểu 0602.N / 0603.N: every award decided in `year` (by its decision date), by form, authority and type of
    commendation, with the collectives and individuals (one query)."""
    return list(CommendationRecord.objects.filter(decision_date__year=year).exclude(decision_number="").order_by()
                .values("form__name", "form__authority", "form__decided_above", "basis")
                .annotate(collectives=Count("pk", filter=Q(unit__isnull=False)),
                          individuals=Count("pk", filter=Q(person__isnull=False)))
                .order_by("form__name", "basis"))
