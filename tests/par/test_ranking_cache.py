"""The ranking's table and chart are kept under the data's version (core.versions; issue 18): served again without
their queries, rebuilt at once after a score changes through a service, never served to a reader who may not open
the page, and the public table never takes the private one's columns or links."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import localize

from par import services
from par.models import ScoreSheet
from tests.fixtures.par import full_run, leaf

FULL = {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5}
SHEET_READS = "par_scoresheet"  # the table the ranking's rows come from


@pytest.fixture
def scored(district_sheets, district_set, par_users):
    """Both district sheets appraised: DM at 18/20 (90 %), GN at 20/20 (100 %)."""
    full_run(district_sheets["DM"], par_users, FULL, {"2.1": "3"})
    full_run(district_sheets["GN"], par_users, FULL)
    return district_sheets


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [query["sql"] for query in queries]


def _row(page, code):
    row = page[page.index(f'<tr data-unit="{code}">'):]
    return row[:row.index("</tr>")]


def _public_table(page):
    table = page[page.index('<table class="table table-sm align-middle ranking">'):]
    return table[:table.index("</table>")]


def _pieces(page):
    """The table and the chart (the page around them holds a CSRF token, different at every request)."""
    start = page.index('<table class="table table-sm align-middle ranking">') if "<table" in page else 0
    return page[start:page.rindex("</svg>")]


def _reads_sheets(sqls):
    return any(SHEET_READS in sql for sql in sqls)


@pytest.mark.parametrize("name", ["par:ranking", "par:ranking_chart"])
def test_cached_ranking_is_served_again_without_its_queries(name, scored, district_set, par_users, client_for):
    client = client_for(par_users["leader"])
    url = reverse(name, args=[district_set.pk])
    first, first_sqls = _get(client, url)
    _get(client, url)  # the second request at this version keeps the pieces (core.versions.cached)
    again, again_sqls = _get(client, url)
    assert _pieces(again) == _pieces(first)
    assert _reads_sheets(first_sqls) and not _reads_sheets(again_sqls)
    assert len(again_sqls) < len(first_sqls)
    assert again.count("<rect") == 2


def test_public_ranking_is_served_again_without_its_queries(scored, district_set, par_users, client):
    services.set_publish(criteria_set=district_set, by=par_users["admin"])
    url = reverse("par:public_ranking", args=[2024])
    first, first_sqls = _get(client, url)
    _get(client, url)
    again, again_sqls = _get(client, url)
    assert _pieces(again) == _pieces(first) and again.count("<tr data-unit=") == 2
    assert _reads_sheets(first_sqls) and not _reads_sheets(again_sqls)
    assert len(again_sqls) < len(first_sqls)


def test_a_score_changed_through_the_service_shows_at_once(scored, district_set, par_users, client_for):
    url = reverse("par:ranking", args=[district_set.pk])
    chart_url = reverse("par:ranking_chart", args=[district_set.pk])
    client = client_for(par_users["leader"])
    for _ in range(3):  # cached from the second request on
        page, _sqls = _get(client, url)
        chart, _sqls = _get(client, chart_url)
    assert '<td class="text-end fw-semibold">90,00</td>' in _row(page, "DM") and "Tốt: 2" in page
    assert "2. Ủy ban nhân dân huyện Đắk Mil: 90,00%" in chart

    services.score_appraise(sheet=scored["DM"], criterion=leaf(district_set, "2.1"), by=par_users["appraiser"],
                            appraised_score=Decimal("0"), comment="Không có tài liệu")
    dm = ScoreSheet.objects.get(pk=scored["DM"].pk)
    assert dm.index_percent == Decimal("75.00")  # 15/20
    page, sqls = _get(client, url)
    assert _reads_sheets(sqls)  # rebuilt, not served from before the write
    assert '<td class="text-end fw-semibold">75,00</td>' in _row(page, "DM") and "90,00" not in page
    assert "Trung bình: 1" in page and "Tốt: 1" in page
    chart, _sqls = _get(client, chart_url)
    assert f"2. Ủy ban nhân dân huyện Đắk Mil: {localize(dm.index_percent)}%" in chart and "90,00" not in chart


def test_publish_and_reopen_move_the_public_page_at_once(scored, district_set, par_users, client):
    url = reverse("par:public_ranking", args=[2024])
    services.set_publish(criteria_set=district_set, by=par_users["admin"])
    for _ in range(3):
        page, _sqls = _get(client, url)
    assert "90,00" in _row(page, "DM")
    services.set_reopen(criteria_set=district_set, by=par_users["admin"], reason="Sửa điểm")
    assert client.get(url).status_code == 404  # not a cached table of a set no longer published
    services.score_appraise(sheet=ScoreSheet.objects.get(pk=scored["DM"].pk), criterion=leaf(district_set, "2.1"),
                            by=par_users["appraiser"], appraised_score=Decimal("4"), comment="Đã bổ sung")
    services.set_publish(criteria_set=district_set, by=par_users["admin"])
    page, _sqls = _get(client, url)
    assert '<td class="text-end fw-semibold">95,00</td>' in _row(page, "DM") and "90,00" not in page


def test_a_reader_who_may_not_read_the_set_is_refused_even_when_cached(scored, district_set, par_users, client_for,
                                                                       client):
    urls = [reverse("par:ranking", args=[district_set.pk]), reverse("par:ranking_chart", args=[district_set.pk])]
    leader = client_for(par_users["leader"])
    for url in urls:
        for _ in range(3):
            _get(leader, url)
    client.logout()
    for url in urls:  # anonymous: to the login page, nothing of the ranking
        response = client.get(url)
        assert response.status_code == 302 and "data-unit" not in response.content.decode()
    officer = client_for(par_users["dm_officer"])
    for url in urls:
        response = officer.get(url)
        assert response.status_code == 403 and b"<rect" not in response.content
        assert b"data-unit" not in response.content
    missing = district_set.pk + 1000
    leader = client_for(par_users["leader"])
    assert leader.get(reverse("par:ranking", args=[missing])).status_code == 404
    assert leader.get(reverse("par:ranking_chart", args=[missing])).status_code == 404


def test_public_page_never_shows_the_private_column_or_links(scored, district_set, par_users, client_for, client):
    services.set_publish(criteria_set=district_set, by=par_users["admin"])
    private_url, public_url = reverse("par:ranking", args=[district_set.pk]), reverse("par:public_ranking", args=[2024])
    leader = client_for(par_users["leader"])
    for _ in range(3):  # the private table cached first, at the same version
        private, _sqls = _get(leader, private_url)
    appraisal = reverse("par:appraisal", args=[scored["DM"].pk])
    assert "Tự chấm" in private and f'<a href="{appraisal}">' in _row(private, "DM")
    client.logout()
    for _ in range(3):
        public, _sqls = _get(client, public_url)
        table = _public_table(public)
        assert "Tự chấm" not in table and "/tham-dinh/" not in table and "<a " not in table
        assert table.count("<td") == 2 * 7  # rank, unit, appraised, maximum, index, band, comparison
    private, _sqls = _get(client_for(par_users["leader"]), private_url)  # and the other way round
    assert "Tự chấm" in private and f'<a href="{appraisal}">' in _row(private, "DM")
