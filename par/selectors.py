"""Reads for the PAR index: scoped querysets (outsiders get 404), the sheet table, rankings in SQL."""

from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, Rank
from django.shortcuts import get_object_or_404

from campaigns.models import EvidenceFile
from units.selectors import scoped_to

from .models import Band, CriteriaSet, Criterion, ParEvidenceFile, Score, ScoreSheet, SheetStatus


def sets_visible_to(user):
    """Criteria sets are configuration: every signed-in user may read them."""
    if not user.is_authenticated:
        return CriteriaSet.objects.none()
    return CriteriaSet.objects.all()


def set_for(user, pk):
    return get_object_or_404(sets_visible_to(user), pk=pk)


def sheets_visible_to(user):
    """All sheets for Sở Nội vụ and leaders; the sheets of the officer's own subtree otherwise."""
    return scoped_to(ScoreSheet.objects.all(), user)


def sheet_for(user, pk):
    return get_object_or_404(sheets_visible_to(user).select_related("unit", "criteria_set"), pk=pk)


def set_list():
    """Sets with the number of sheets and of non-draft sheets (one query)."""
    return CriteriaSet.objects.annotate(
        sheet_count=Count("sheets", distinct=True),
        started_count=Count("sheets", filter=~Q(sheets__status=SheetStatus.DRAFT), distinct=True),
    ).order_by("-year", "group")


def set_is_locked(criteria_set):
    """Scoring has started once any sheet of the set has been submitted."""
    return criteria_set.sheets.exclude(status=SheetStatus.DRAFT).exists()


def criteria_of(criteria_set):
    return list(Criterion.objects.filter(criteria_set=criteria_set).order_by("sort_key"))


def sheet_rows(sheet):
    """The sheet criterion by criterion: every node of the tree with, for leaves, its score and evidence.

    A constant number of queries whatever the number of criteria: criteria, scores, uploaded files, links.
    """
    criteria = criteria_of(sheet.criteria_set)
    scores = {
        s.criterion_id: s for s in Score.objects.filter(sheet=sheet).prefetch_related(
            Prefetch("files", queryset=ParEvidenceFile.objects.order_by("uploaded_at", "id")),
            Prefetch("evidence_links", queryset=EvidenceFile.objects.select_related("achievement")),
        )
    }
    rows = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        differs = bool(score and score.differs)
        rows.append({"criterion": criterion, "score": score, "differs": differs,
                     "difference": (score.appraised_score - (score.self_score or 0)) if differs else None})
    return rows


def linkable_evidence(sheet):
    """Evidence already uploaded for achievements of the sheet's unit subtree."""
    return (EvidenceFile.objects.filter(achievement__unit__path__startswith=sheet.unit.path)
            .select_related("achievement", "achievement__unit").order_by("-uploaded_at", "-id"))


def missing_evidence(sheet):
    """Applicable leaves that require evidence but have neither an uploaded file nor a linked one."""
    with_files = Score.objects.filter(sheet=sheet).filter(
        Q(files__isnull=False) | Q(evidence_links__isnull=False)).values("criterion_id")
    not_applicable = Score.objects.filter(sheet=sheet, not_applicable=True).values("criterion_id")
    return list(
        Criterion.objects.filter(criteria_set_id=sheet.criteria_set_id, is_leaf=True, is_survey=False,
                                 evidence_required=True)
        .exclude(pk__in=with_files).exclude(pk__in=not_applicable).order_by("sort_key")
    )


def unscored(sheet):
    """Non-survey leaves with neither a self-score nor a "not applicable" mark."""
    done = Score.objects.filter(sheet=sheet).filter(Q(self_score__isnull=False) | Q(not_applicable=True))
    return list(Criterion.objects.filter(criteria_set_id=sheet.criteria_set_id, is_leaf=True, is_survey=False)
                .exclude(pk__in=done.values("criterion_id")).order_by("sort_key"))


def _rank():
    """RANK() within each set: higher index first; equal index → higher appraised total first; units equal on both
    share the rank (so the next rank is skipped) and are listed by unit code."""
    return Window(Rank(), partition_by=[F("criteria_set_id")],
                  order_by=[F("index_percent").desc(), F("total_appraised").desc()])


RANKING_ORDER = ("-index_percent", "-total_appraised", "unit__code")


def ranking(criteria_set):
    """The sheets of a set with their rank (SQL window function), best first."""
    return (ScoreSheet.objects.filter(criteria_set=criteria_set).annotate(rank=_rank()).select_related("unit")
            .order_by(*RANKING_ORDER))


# What a ranking row shows besides the rank; `ranking_table` reads them as plain values.
RANKING_FIGURES = ("total_self", "total_appraised", "survey_points", "max_applicable", "index_percent", "band")


class RankingRow:
    """One ranked sheet as the ranking pages, the chart and the export read it: plain attributes (`pk`, `rank`,
    `unit_code`, `unit_name`, the figures, `previous_index`, `previous_rank`), because building a model instance
    and its unit for each row cost more than the query itself."""

    def __init__(self, values):
        self.__dict__.update(values)

    def get_band_display(self):
        return Band(self.band).label if self.band else ""


def ranking_table(criteria_set):
    """The set's ranking (`ranking`'s order and ranks) with each unit's index and rank of last year, in one query.

    The set's sheets and those of last year's set of the same group are ranked together, RANK() per set; last
    year's index is that of a published sheet, last year's rank is given once that set is published.
    """
    sheets = (
        ScoreSheet.objects.filter(criteria_set__group=criteria_set.group,
                                  criteria_set__year__in=(criteria_set.year, criteria_set.year - 1))
        .annotate(rank=_rank())
        .order_by("-criteria_set__year", *RANKING_ORDER)
        .values("pk", "criteria_set_id", "unit_id", "status", "rank", *RANKING_FIGURES, unit_code=F("unit__code"),
                unit_name=F("unit__name"), set_published=F("criteria_set__published_at"))
    )
    rows, last_year = [], {}
    for values in sheets:
        if values["criteria_set_id"] == criteria_set.pk:
            rows.append(RankingRow(values))
        else:
            last_year[values["unit_id"]] = values
    for row in rows:
        before = last_year.get(row.unit_id)
        row.previous_index = before["index_percent"] if before and before["status"] == SheetStatus.PUBLISHED else None
        row.previous_rank = before["rank"] if before and before["set_published"] is not None else None
    return rows


def published_sets(year):
    return CriteriaSet.objects.filter(year=year, published_at__isnull=False).order_by("group")


def published_years():
    """The years with at least one published criteria set, newest first (the public pages' index)."""
    return list(CriteriaSet.objects.filter(published_at__isnull=False).order_by("-year")
                .values_list("year", flat=True).distinct())


def published_results_for_unit(unit):
    """The unit's published sheets, newest first, with their rank among their set's sheets, in one query.

    The rank is the one `ranking` gives (RANK() over index, then appraised total): 1 + the sheets of the set
    strictly ahead, counted in SQL for this unit's sheets only, so a unit page never ranks whole sets.
    """
    same_set = ScoreSheet.objects.filter(criteria_set=OuterRef("criteria_set")).order_by()
    mine = OuterRef("index_percent")
    ahead = same_set.filter(Q(index_percent__gt=mine)
                            | Q(index_percent=mine, total_appraised__gt=OuterRef("total_appraised")))

    def count(queryset):
        return Coalesce(Subquery(queryset.values("criteria_set").annotate(n=Count("pk")).values("n")), 0)

    sheets = (ScoreSheet.objects.filter(unit=unit, status=SheetStatus.PUBLISHED,
                                        criteria_set__published_at__isnull=False)
              .select_related("criteria_set", "unit").annotate(ahead=count(ahead), of=count(same_set))
              .order_by("-criteria_set__year"))
    return [{"sheet": sheet, "rank": sheet.ahead + 1, "of": sheet.of} for sheet in sheets]


def sheets_of_user(user):
    return (sheets_visible_to(user).select_related("unit", "criteria_set")
            .order_by("-criteria_set__year", "unit__code"))


# The sheets Sở Nội vụ's appraisers act on: the "Việc cần làm" tab of a set's sheets and their home page's to-do.
APPRAISAL_TODO = (SheetStatus.SUBMITTED, SheetStatus.UNDER_APPRAISAL)
