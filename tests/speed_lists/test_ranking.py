"""The PAR ranking reads its rows in one query (last year's index and rank included) and writes its table and chart
without the template loop (issue 18): the same ranks, comparisons and escaping as before, constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from par import charts, selectors, services
from par.models import CriteriaSet, ScoreSheet, SheetStatus, UnitGroup
from tests.fixtures.par import tree_rows
from units.models import Unit, UnitKind

D = Decimal


def _set(admin, year, scores, *, published, status=SheetStatus.PUBLISHED):
    """A district set of `year` whose sheets get {code: (index, appraised total)}; other sheets stay at 0."""
    criteria_set = services.set_create(by=admin, year=year, group=UnitGroup.DISTRICT, title=f"Bộ {year}")
    services.set_replace_tree(criteria_set=criteria_set, by=admin, rows=tree_rows())
    services.sheets_open(criteria_set=criteria_set, by=admin)
    for code, (index, total) in scores.items():
        ScoreSheet.objects.filter(criteria_set=criteria_set, unit__code=code).update(
            index_percent=D(index), total_appraised=D(total), total_self=D(total) + 1, max_applicable=D(100),
            band=criteria_set.band_for(D(index)), status=status)
    if published:
        CriteriaSet.objects.filter(pk=criteria_set.pk).update(
            published_at=timezone.make_aware(datetime.datetime(year + 1, 2, 1)))
    return CriteriaSet.objects.get(pk=criteria_set.pk)


@pytest.fixture
def districts(tree):
    for number in range(4):
        Unit.objects.create(code=f"Q{number}", name=f"UBND huyện {number}", kind=UnitKind.DISTRICT,
                            parent=tree["province"])
    # A name a template would escape: the hand-written rows must escape it too.
    Unit.objects.create(code="Q9", name='Huyện <b>"Núi" & Sông</b>', kind=UnitKind.DISTRICT, parent=tree["province"])


def _reference(criteria_set):
    """What the page showed before, computed the old way: ranks from `ranking`, last year's rank from ranking
    last year's set when it is published, last year's index from a published sheet."""
    previous = CriteriaSet.objects.filter(year=criteria_set.year - 1, group=criteria_set.group).first()
    ranks = {s.unit_id: s.rank for s in selectors.ranking(previous)} if previous and previous.is_published else {}
    indexes = {s.unit_id: s.index_percent for s in ScoreSheet.objects.filter(criteria_set=previous,
                                                                           status=SheetStatus.PUBLISHED)}
    return [(s.unit.code, s.rank, indexes.get(s.unit_id), ranks.get(s.unit_id))
            for s in selectors.ranking(criteria_set)]


LAST_YEAR = {"DM": ("70", "14"), "GN": ("90", "18"), "Q0": ("70", "15"), "Q1": ("50", "10"), "Q9": ("60", "12")}
THIS_YEAR = {"DM": ("80", "16"), "GN": ("80", "16"), "Q0": ("80", "15"), "Q1": ("95", "19"), "Q2": ("40", "8"),
             "Q9": ("60", "12")}


@pytest.mark.parametrize("published", [True, False])
def test_rows_rank_and_compare_as_before_in_one_query(published, par_users, districts):
    last = _set(par_users["admin"], 2023, LAST_YEAR, published=published)
    ScoreSheet.objects.filter(criteria_set=last, unit__code="Q2").delete()  # a unit new this year
    now = _set(par_users["admin"], 2024, THIS_YEAR, published=False, status=SheetStatus.APPRAISED)
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.ranking_table(now)
    assert len(queries) == 1
    assert [(r.unit_code, r.rank, r.previous_index, r.previous_rank) for r in rows] == _reference(now)
    by_code = {r.unit_code: r for r in rows}
    assert by_code["DM"].rank == by_code["GN"].rank == 2  # equal on index and total: shared rank
    assert by_code["Q2"].previous_index is None and by_code["Q2"].previous_rank is None  # no sheet last year
    assert (by_code["GN"].previous_rank == 1) is published


def test_last_year_index_only_from_a_published_sheet(par_users, districts):
    last = _set(par_users["admin"], 2023, LAST_YEAR, published=True)
    ScoreSheet.objects.filter(criteria_set=last, unit__code="Q1").update(status=SheetStatus.APPRAISED)
    now = _set(par_users["admin"], 2024, THIS_YEAR, published=False)
    rows = {r.unit_code: r for r in selectors.ranking_table(now)}
    assert rows["Q1"].previous_index is None and rows["Q1"].previous_rank == 5
    assert [(r.unit_code, r.rank, r.previous_index, r.previous_rank) for r in rows.values()] == _reference(now)


def _row(page, code):
    row = page[page.index(f'<tr data-unit="{code}">'):]
    return row[:row.index("</tr>")]


def test_page_table_chart_and_public_table(par_users, districts, client_for, client):
    _set(par_users["admin"], 2023, LAST_YEAR, published=True)
    now = _set(par_users["admin"], 2024, THIS_YEAR, published=False)
    page = client_for(par_users["leader"]).get(reverse("par:ranking", args=[now.pk])).content.decode()
    dm = ScoreSheet.objects.get(criteria_set=now, unit__code="DM")
    row = _row(page, "DM")
    assert f'<a href="{reverse("par:appraisal", args=[dm.pk])}">{dm.unit.name}</a>' in row
    assert '<td class="text-end">17,00</td>' in row  # the self total, localised
    assert '<td class="text-end fw-semibold">80,00</td>' in row
    assert '<span class="text-success">+10,00</span> <small class="text-muted">(↑1 bậc)</small>' in row
    assert "(↑4 bậc)" in _row(page, "Q1")  # 5th last year, 1st now
    assert '<span class="text-danger">-10,00</span> <small class="text-muted">(↓1 bậc)</small>' in _row(page, "GN")
    assert '<td class="text-end">—</td>' in _row(page, "Q2")
    escaped = "Huyện &lt;b&gt;&quot;Núi&quot; &amp; Sông&lt;/b&gt;"
    assert '<b>"Núi"' not in page
    assert page.count(escaped) == 3  # the table, the chart's label and its tooltip
    assert page.count("<rect") == ScoreSheet.objects.filter(criteria_set=now).count()

    _publish(par_users, now)
    public = client.get(reverse("par:public_ranking", args=[2024])).content.decode()
    table = public[public.index('<table class="table table-sm align-middle ranking">'):]
    table = table[:table.index("</table>")]
    assert "/tham-dinh/" not in table and "Tự chấm" not in table and "17,00" not in table
    assert table.count("<tr data-unit=") == ScoreSheet.objects.filter(criteria_set=now).count()
    assert escaped in table


def _publish(par_users, criteria_set):
    ScoreSheet.objects.filter(criteria_set=criteria_set).update(status=SheetStatus.APPRAISED)
    services.set_publish(criteria_set=criteria_set, by=par_users["admin"])


def test_chart_bars_in_rank_order(par_users, districts):
    now = _set(par_users["admin"], 2024, THIS_YEAR, published=False)
    rows = selectors.ranking_table(now)
    svg = charts.index_chart_svg(rows, title="Bộ <2024>")
    assert svg.count('<g class="bar">') == len(rows) and "<title>Bộ &lt;2024&gt;</title>" in svg
    assert '<text x="254" y="43" text-anchor="end">1. UBND huyện 1</text>' in svg
    assert 'width="399.0" height="16" fill="#198754"><title>1. UBND huyện 1: 95,00% (Tốt)</title>' in svg


@pytest.mark.django_db
def test_ranking_page_queries_do_not_grow_with_units_or_last_year(par_users, tree, client_for):
    client = client_for(par_users["leader"])
    few = _set(par_users["admin"], 2024, {"DM": ("80", "16")}, published=False)
    url = reverse("par:ranking", args=[few.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    CriteriaSet.objects.filter(pk=few.pk).delete()
    for number in range(30):
        Unit.objects.create(code=f"Q{number:02d}", name=f"UBND huyện {number}", kind=UnitKind.DISTRICT,
                            parent=tree["province"])
    _set(par_users["admin"], 2023, {f"Q{n:02d}": (str(n), "1") for n in range(30)}, published=True)
    many = _set(par_users["admin"], 2024, {f"Q{n:02d}": (str(90 - n), "1") for n in range(30)}, published=False)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("par:ranking", args=[many.pk]))
    assert response.content.decode().count('<tr data-unit="Q') == 30
    assert len(small) == len(large)
