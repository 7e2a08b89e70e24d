"""A unit page's PAR results rank the unit in SQL, in one query, the same rank the ranking page gives (issue 18:
`published_results_for_unit` no longer rebuilds whole rankings per unit page)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from par import selectors, services
from par.models import CriteriaSet, ScoreSheet, SheetStatus, UnitGroup
from tests.fixtures.par import tree_rows
from units.models import Unit, UnitKind

D = Decimal


@pytest.mark.django_db
def test_unit_results_rank_as_the_ranking_does_in_one_query(par_users, tree):
    admin = par_users["admin"]
    for n in range(6):
        Unit.objects.create(code=f"Q{n}", name=f"UBND huyện {n}", kind=UnitKind.DISTRICT, parent=tree["province"])
    # (index, appraised total) per unit code: GN ties DM on both (shared rank), Q0 ties on the index only.
    scores = {"DM": ("80", "16"), "GN": ("80", "16"), "Q0": ("80", "15"), "Q1": ("90", "18"), "Q2": ("50", "10"),
              "Q3": ("80", "17"), "Q4": ("10", "2"), "Q5": ("60", "12")}
    for year in (2022, 2023):
        criteria_set = services.set_create(by=admin, year=year, group=UnitGroup.DISTRICT, title=f"Bộ {year}")
        services.set_replace_tree(criteria_set=criteria_set, by=admin, rows=tree_rows())
        services.sheets_open(criteria_set=criteria_set, by=admin)
        for code, (index, total) in scores.items():
            if year == 2022 and code == "Q1":
                index = "5"  # another order in the earlier year
            ScoreSheet.objects.filter(criteria_set=criteria_set, unit__code=code).update(
                index_percent=D(index), total_appraised=D(total), status=SheetStatus.PUBLISHED)
        CriteriaSet.objects.filter(pk=criteria_set.pk).update(
            published_at=timezone.make_aware(datetime.datetime(year + 1, 2, 1)))
    for code in scores:
        unit = Unit.objects.get(code=code)
        with CaptureQueriesContext(connection) as queries:
            results = selectors.published_results_for_unit(unit)
        assert len(queries) == 1
        assert [r["sheet"].criteria_set.year for r in results] == [2023, 2022]
        for result in results:
            expected = {s.unit_id: s.rank for s in selectors.ranking(result["sheet"].criteria_set)}
            assert result["rank"] == expected[unit.pk] and result["of"] == 8
    dm = selectors.published_results_for_unit(tree["dm"])
    assert [r["rank"] for r in dm] == [3, 2]  # behind Q1 and Q3 in 2023; behind Q3 only in 2022
