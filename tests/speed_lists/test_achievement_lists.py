"""The achievement list and the review queue page sorted keys, then read only the page's rows (issue 18): the same
order, pages, counts and scope as before, a query count that does not grow with rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Achievement, AchievementStatus
from tests.campaigns import test_work_support as support

officers = support.officers
work_files_in_test_storage = support.work_files_in_test_storage

STATES = [AchievementStatus.ACCEPTED, AchievementStatus.SUBMITTED, AchievementStatus.CLARIFICATION]


def test_state_codes_sort_backwards_in_review_order():
    """The review queue orders by the state's code descending (an index reads it in order): that is "submitted",
    then "clarification", then "accepted" only while every state's code sorts so. A new state must be placed."""
    assert sorted(AchievementStatus.values, reverse=True) == [
        AchievementStatus.SUBMITTED, AchievementStatus.CLARIFICATION, AchievementStatus.ACCEPTED]


def _many(campaign, contents, tree, people, by, n, *, start=0):
    """`n` achievements over two years, all five contents, three states and two units, each created and changed
    at its own time (minutes apart, in an order unlike the keys')."""
    rows = [Achievement(campaign=campaign, unit=tree["dm01"] if i % 2 else tree["gn01"], year=2023 + i % 2,
                        content=contents[1 + (i * 7) % 5], title=f"Thành tích số {i:03d}", status=STATES[i % 3],
                        person=people["an"] if i % 2 else None, created_by=by) for i in range(start, start + n)]
    Achievement.objects.bulk_create(rows)
    base = timezone.make_aware(datetime.datetime(2024, 3, 1, 8, 0))
    for row in rows:
        number = int(row.title[-3:])
        Achievement.objects.filter(pk=row.pk).update(created_at=base + datetime.timedelta(minutes=(number * 37) % 101),
                                                     updated_at=base + datetime.timedelta(minutes=(number * 13) % 97))
    return rows


def _titles(client, url, **params):
    return [a.title for a in client.get(url, params).context["page"]]


def _all_pages(client, url, **params):
    first = client.get(url, params)
    pages = first.context["page"].paginator.num_pages
    titles = [a.title for a in first.context["page"]]
    for number in range(2, pages + 1):
        titles += _titles(client, url, page=number, **params)
    return first.context["page"].paginator.count, titles


@pytest.fixture
def numbers_unlike_keys(contents):
    """Contents numbered in another order than their keys, so a list ordered by key instead of number fails."""
    order = [3, 5, 1, 4, 2]
    for content in contents.values():
        content.number += 100
        content.save(update_fields=["number"])
    for content, number in zip(contents.values(), order, strict=True):
        content.number = number
        content.save(update_fields=["number"])
    return contents


def test_list_order_pages_and_count(campaign, numbers_unlike_keys, tree, people, users, client_for):
    _many(campaign, numbers_unlike_keys, tree, people, users["admin"], 130)
    expected = sorted(Achievement.objects.select_related("content"),
                      key=lambda a: (-a.year, a.content.number, -a.created_at.timestamp(), -a.pk))
    client = client_for(users["admin"])
    count, titles = _all_pages(client, reverse("campaigns:achievement_list"))
    assert count == 130 and titles == [a.title for a in expected]
    # A filter keeps the same order among what it keeps.
    count, titles = _all_pages(client, reverse("campaigns:achievement_list"), status="clarification", year=2024)
    kept = [a.title for a in expected if a.status == "clarification" and a.year == 2024]
    assert count == len(kept) and titles == kept


def test_review_queue_order_pages_and_count(campaign, contents, tree, people, users, client_for):
    _many(campaign, contents, tree, people, users["admin"], 120)
    pending = {AchievementStatus.SUBMITTED: 0, AchievementStatus.CLARIFICATION: 1, AchievementStatus.ACCEPTED: 2}
    expected = sorted(Achievement.objects.all(), key=lambda a: (pending[a.status], a.updated_at, a.pk))
    count, titles = _all_pages(client_for(users["appraiser"]), reverse("campaigns:review_queue"))
    assert count == 120 and titles == [a.title for a in expected]


def test_officer_sees_its_subtree_in_order(campaign, contents, tree, people, users, officers, client_for):
    _many(campaign, contents, tree, people, users["admin"], 60)
    expected = sorted(Achievement.objects.filter(unit=tree["dm01"]).select_related("content"),
                      key=lambda a: (-a.year, a.content.number, -a.created_at.timestamp(), -a.pk))
    count, titles = _all_pages(client_for(officers["dm01"]), reverse("campaigns:achievement_list"))
    assert count == 30 and titles == [a.title for a in expected]


def test_rows_show_the_file_count_unit_person_and_content(campaign, contents, tree, people, officers, client_for):
    recorded = support.make_achievement(campaign, contents[2], tree["dm01"], officers["dm01"], person=people["an"],
                                        title="Có hai tệp", files=[support.upload("a.pdf", support.pdf_bytes()),
                                                                   support.upload("b.pdf", support.pdf_bytes("B"))])
    page = client_for(officers["dm01"]).get(reverse("campaigns:achievement_list")).content.decode()
    row = page[page.index(f'href="{recorded.get_absolute_url()}"'):]
    row = row[:row.index("</tr>")]
    assert '<td class="text-end">2</td>' in row and tree["dm01"].name in row and people["an"].full_name in row
    assert 'data-state="submitted"' in row
    assert f"(2) {contents[2].short_title}" in page


@pytest.mark.parametrize("name,who", [("campaigns:achievement_list", "admin"), ("campaigns:review_queue", "admin"),
                                      ("campaigns:achievement_list", "dm01")])
def test_query_count_does_not_grow_with_rows_or_pages(name, who, campaign, contents, tree, people, users, officers,
                                                      client_for):
    client = client_for(officers.get(who) or users[who])
    _many(campaign, contents, tree, people, users["admin"], 4)
    url = reverse(name)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(campaign, contents, tree, people, users["admin"], 200, start=4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"]) == 50
    with CaptureQueriesContext(connection) as later:
        response = client.get(url, {"page": 3})
    assert len(response.context["page"]) > 0
    assert len(few) == len(many) == len(later)
