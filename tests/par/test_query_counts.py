"""Query counts of the ranking page, the appraisal sheet and the unit's sheet do not grow with units or criteria."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from par import services
from par.models import CriteriaSet, ParEvidenceFile, Score, ScoreSheet, SheetStatus
from units.models import Unit, UnitKind

D = Decimal


def _rows(areas, per_area):
    rows = []
    for area in range(1, areas + 1):
        rows.append({"code": str(area), "title": f"Lĩnh vực {area}", "max_points": D(per_area * 2)})
        for number in range(1, per_area + 1):
            rows.append({"code": f"{area}.{number}", "title": f"Tiêu chí {area}.{number}", "max_points": D(2),
                         "evidence_required": number == 1})
    return rows


def _build(admin, tree, *, year, units, areas, per_area, published_previous=False):
    """A set with `units` district sheets, every leaf scored and appraised, with evidence files."""
    criteria_set = services.set_create(by=admin, year=year, group="district", title=f"Bộ {year}")
    services.set_replace_tree(criteria_set=criteria_set, by=admin, rows=_rows(areas, per_area))
    for number in range(units):
        Unit.objects.get_or_create(code=f"Q{number:03d}", defaults={
            "name": f"UBND huyện {number}", "kind": UnitKind.DISTRICT, "parent": tree["province"]})
    services.sheets_open(criteria_set=criteria_set, by=admin)
    leaves = list(criteria_set.criteria.filter(is_leaf=True))
    sheets = list(ScoreSheet.objects.filter(criteria_set=criteria_set))
    Score.objects.bulk_create([Score(sheet=s, criterion=c, self_score=D(2), appraised_score=D("1.5"),
                                     appraisal_comment="Thiếu") for s in sheets for c in leaves])
    for score in Score.objects.filter(sheet__criteria_set=criteria_set, criterion__code__endswith=".1"):
        ParEvidenceFile.objects.create(score=score, original_name=f"minh-chung-{score.pk}.pdf")
    ScoreSheet.objects.filter(criteria_set=criteria_set).update(status=SheetStatus.UNDER_APPRAISAL)
    for sheet in ScoreSheet.objects.filter(criteria_set=criteria_set).select_related("criteria_set"):
        services.sheet_recompute(sheet)
    if published_previous:
        ScoreSheet.objects.filter(criteria_set=criteria_set).update(status=SheetStatus.APPRAISED)
        services.set_publish(criteria_set=criteria_set, by=admin)
    return CriteriaSet.objects.get(pk=criteria_set.pk)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
def test_ranking_page_queries_do_not_grow_with_units(par_users, tree, client_for):
    client = client_for(par_users["leader"])
    few = _build(par_users["admin"], tree, year=2023, units=2, areas=2, per_area=2, published_previous=True)
    few_now = _build(par_users["admin"], tree, year=2024, units=2, areas=2, per_area=2)
    few_count, response = _count(client, reverse("par:ranking", args=[few_now.pk]))
    assert response.content.decode().count('data-unit="Q') == 2
    CriteriaSet.objects.filter(pk__in=[few.pk, few_now.pk]).delete()

    _build(par_users["admin"], tree, year=2023, units=25, areas=4, per_area=5, published_previous=True)
    many_now = _build(par_users["admin"], tree, year=2024, units=25, areas=4, per_area=5)
    many_count, response = _count(client, reverse("par:ranking", args=[many_now.pk]))
    assert response.content.decode().count('data-unit="Q') == 25
    assert many_count == few_count


@pytest.mark.django_db
def test_appraisal_and_unit_sheet_queries_do_not_grow_with_criteria(par_users, tree, client_for):
    appraiser = client_for(par_users["appraiser"])
    few = _build(par_users["admin"], tree, year=2024, units=2, areas=1, per_area=2)
    sheet = few.sheets.first()
    few_appraisal, response = _count(appraiser, reverse("par:appraisal", args=[sheet.pk]))
    assert response.content.decode().count("differs") == 2
    few_sheet, _ = _count(appraiser, reverse("par:sheet", args=[sheet.pk]))
    few.delete()

    many = _build(par_users["admin"], tree, year=2024, units=6, areas=6, per_area=6)
    sheet = many.sheets.first()
    many_appraisal, response = _count(appraiser, reverse("par:appraisal", args=[sheet.pk]))
    assert response.content.decode().count("differs") == 36
    many_sheet, _ = _count(appraiser, reverse("par:sheet", args=[sheet.pk]))
    assert (many_appraisal, many_sheet) == (few_appraisal, few_sheet)
