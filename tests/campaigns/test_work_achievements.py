"""Achievements: scope (404 outside the subtree), downloads, the review workflow, audit rows, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Achievement, AchievementStatus
from campaigns.services import work as services
from core.models import AuditEntry

from . import test_work_support as support
from .test_work_support import (
    image_bytes,
    make_achievement,
    pdf_bytes,
    stored_files,
    upload,
)

officers = support.officers
work_files_in_test_storage = support.work_files_in_test_storage


@pytest.fixture
def achievement(campaign, contents, tree, officers, people):
    return make_achievement(campaign, contents[2], tree["dm01"], officers["dm01"], person=people["an"],
                            files=[upload("Quyết định số 12.pdf", pdf_bytes())])


def _audit(achievement, action=None):
    rows = AuditEntry.objects.filter(target_type="campaigns.achievement", target_id=str(achievement.pk))
    return rows.filter(action=action) if action else rows


def test_record_leaves_row_files_and_audit(achievement, officers):
    assert achievement.status == AchievementStatus.SUBMITTED
    assert achievement.files.count() == 1 and len(stored_files()) == 1
    entry = _audit(achievement).get()
    assert entry.action == "achievement_record" and entry.actor == officers["dm01"]


# Scope ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["gn01", "gn_officer"])
def test_other_district_officer_gets_404_everywhere(who, achievement, officers, users, client_for):
    user = officers.get(who) or users[who]
    client = client_for(user)
    evidence = achievement.files.get()
    assert client.get(reverse("campaigns:achievement_detail", args=[achievement.pk])).status_code == 404
    assert client.get(reverse("campaigns:achievement_files", args=[achievement.pk])).status_code == 404
    assert client.get(reverse("campaigns:evidence_download", args=[achievement.pk, evidence.pk])).status_code == 404
    assert achievement.title not in client.get(reverse("campaigns:achievement_list")).content.decode()


def test_file_of_another_achievement_is_404_through_this_one(achievement, campaign, contents, tree, users,
                                                             client_for):
    other = make_achievement(campaign, contents[1], tree["gn01"], users["gn_officer"])
    url = reverse("campaigns:evidence_download", args=[achievement.pk, other.files.get().pk])
    assert client_for(users["dm_officer"]).get(url).status_code == 404


def test_anonymous_is_sent_to_login(achievement, client):
    response = client.get(reverse("campaigns:achievement_detail", args=[achievement.pk]))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("who", ["dm_officer", "appraiser", "leader", "admin"])
def test_download_is_an_attachment_with_vietnamese_name(who, achievement, users, client_for):
    evidence = achievement.files.get()
    response = client_for(users[who]).get(reverse("campaigns:evidence_download", args=[achievement.pk, evidence.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20s%E1%BB%91%2012.pdf" in disposition
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_detail_shows_files_history_and_person(achievement, users, client_for):
    body = client_for(users["dm_officer"]).get(reverse("campaigns:achievement_detail", args=[achievement.pk]))
    text = body.content.decode()
    assert "Quyết định số 12.pdf" in text and "Nguyễn Văn An" in text and "ghi nhận thành tích" in text


# Review workflow --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["appraiser", "admin"])
def test_snv_accepts(who, achievement, users, client_for):
    response = client_for(users[who]).post(reverse("campaigns:achievement_accept", args=[achievement.pk]))
    assert response.status_code == 302
    achievement.refresh_from_db()
    assert achievement.status == AchievementStatus.ACCEPTED
    entry = _audit(achievement, "achievement_accept").get()
    assert entry.actor == users[who] and entry.changes == {"from": "submitted", "to": "accepted"}


@pytest.mark.parametrize("who", ["dm_officer", "leader"])
def test_wrong_role_cannot_accept(who, achievement, users, client_for):
    response = client_for(users[who]).post(reverse("campaigns:achievement_accept", args=[achievement.pk]))
    assert response.status_code == 403
    achievement.refresh_from_db()
    assert achievement.status == AchievementStatus.SUBMITTED
    assert not _audit(achievement, "achievement_accept").exists()


def test_out_of_scope_officer_gets_404_on_actions(achievement, users, client_for):
    client = client_for(users["gn_officer"])
    for name in ["achievement_accept", "achievement_clarify", "achievement_resubmit", "achievement_add_files"]:
        assert client.post(reverse(f"campaigns:{name}", args=[achievement.pk]), {"answer": "x"}).status_code == 404
    assert _audit(achievement).count() == 1


@pytest.mark.parametrize("name", ["achievement_accept", "achievement_clarify", "achievement_resubmit",
                                  "achievement_add_files"])
def test_get_on_actions_is_405(name, achievement, users, client_for):
    assert client_for(users["admin"]).get(reverse(f"campaigns:{name}", args=[achievement.pk])).status_code == 405


def test_clarification_round_trip(achievement, users, client_for, officers):
    appraiser = client_for(users["appraiser"])
    url = reverse("campaigns:achievement_clarify", args=[achievement.pk])
    empty = appraiser.post(url, {"comment": "  "})
    assert empty.status_code == 400
    achievement.refresh_from_db()
    assert achievement.status == AchievementStatus.SUBMITTED
    assert not _audit(achievement, "achievement_ask_clarification").exists()

    assert appraiser.post(url, {"comment": "Bổ sung quyết định công nhận"}).status_code == 302
    achievement.refresh_from_db()
    assert achievement.status == AchievementStatus.CLARIFICATION
    assert achievement.review_comment == "Bổ sung quyết định công nhận"
    assert _audit(achievement, "achievement_ask_clarification").get().changes == {
        "from": "submitted", "to": "clarification"}

    officer = client_for(officers["dm01"])
    page = officer.get(reverse("campaigns:achievement_detail", args=[achievement.pk])).content.decode()
    assert "Bổ sung quyết định công nhận" in page and 'id="answer-actions"' in page

    resubmit = reverse("campaigns:achievement_resubmit", args=[achievement.pk])
    assert officer.post(resubmit, {"answer": ""}).status_code == 400
    response = officer.post(resubmit, {"answer": "Đã bổ sung quyết định",
                                       "files": [upload("QĐ bổ sung.png", image_bytes())]})
    assert response.status_code == 302
    achievement.refresh_from_db()
    assert achievement.status == AchievementStatus.SUBMITTED and achievement.unit_answer == "Đã bổ sung quyết định"
    assert achievement.files.count() == 2
    assert _audit(achievement, "achievement_resubmit").get().changes == {"from": "clarification", "to": "submitted"}


def test_appraiser_cannot_resubmit_for_the_unit(achievement, users, client_for):
    services.achievement_ask_clarification(achievement=achievement, by=users["appraiser"], comment="Làm rõ")
    response = client_for(users["appraiser"]).post(reverse("campaigns:achievement_resubmit", args=[achievement.pk]),
                                                   {"answer": "x"})
    assert response.status_code == 403
    achievement.refresh_from_db()
    assert achievement.status == AchievementStatus.CLARIFICATION


def test_second_accept_is_refused_politely(achievement, users, client_for):
    client = client_for(users["appraiser"])
    url = reverse("campaigns:achievement_accept", args=[achievement.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "vừa được người khác thay đổi" in response.content.decode()
    assert _audit(achievement, "achievement_accept").count() == 1


def test_stale_accept_on_clarification_changes_nothing(achievement, users):
    services.achievement_ask_clarification(achievement=achievement, by=users["admin"], comment="Làm rõ")
    with pytest.raises(Exception, match="vừa được người khác thay đổi"):
        services.achievement_accept(achievement=achievement, by=users["appraiser"])
    achievement.refresh_from_db()
    assert achievement.status == AchievementStatus.CLARIFICATION


def test_no_more_files_once_accepted(achievement, users, officers, client_for):
    services.achievement_accept(achievement=achievement, by=users["appraiser"])
    response = client_for(officers["dm01"]).post(reverse("campaigns:achievement_add_files", args=[achievement.pk]),
                                                 {"files": [upload("them.pdf", pdf_bytes())]}, follow=True)
    assert response.status_code == 200
    assert "đã được chấp nhận nên không bổ sung" in response.content.decode()
    assert achievement.files.count() == 1 and len(stored_files()) == 1


def test_officer_adds_files_while_submitted(achievement, officers, client_for):
    response = client_for(officers["dm01"]).post(reverse("campaigns:achievement_add_files", args=[achievement.pk]),
                                                 {"files": [upload("them 1.pdf", pdf_bytes("1")),
                                                            upload("them 2.pdf", pdf_bytes("2"))]})
    assert response.status_code == 302
    assert achievement.files.count() == 3 and len(stored_files()) == 3
    assert _audit(achievement, "achievement_add_files").count() == 1


def test_officer_cannot_record_for_unit_outside_subtree(officers, campaign, contents, tree, client_for):
    response = client_for(officers["dm01"]).post(reverse("campaigns:achievement_create"), {
        "campaign": campaign.pk, "year": 2024, "content": contents[2].pk, "unit": tree["gn01"].pk, "title": "X",
        "files": [upload("a.pdf", pdf_bytes())]})
    assert response.status_code == 200
    assert Achievement.objects.count() == 0 and stored_files() == []


def test_person_must_belong_to_the_unit(officers, campaign, contents, tree, people):
    with pytest.raises(Exception, match="Cá nhân phải thuộc"):
        make_achievement(campaign, contents[2], tree["dm01_vp"], officers["dm01"], person=people["an"])
    assert stored_files() == []


# Lists and query counts -------------------------------------------------------------------------------------


def _bulk(campaign, contents, tree, people, officer, n):
    rows = [Achievement(campaign=campaign, unit=tree["dm01"] if i % 2 else tree["dm01_vp"], year=2024,
                        content=contents[1 + i % 5], title=f"Thành tích {i}", person=people["an"] if i % 2 else None,
                        created_by=officer) for i in range(n)]
    Achievement.objects.bulk_create(rows)


@pytest.mark.parametrize("name,who", [("campaigns:achievement_list", "dm01"),
                                      ("campaigns:review_queue", "appraiser")])
def test_list_query_count_does_not_grow(name, who, campaign, contents, tree, people, officers, users, client_for):
    user = officers.get(who) or users[who]
    client = client_for(user)
    _bulk(campaign, contents, tree, people, officers["dm01"], 2)
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse(name))
    assert response.status_code == 200 and "Thành tích 1" in response.content.decode()
    _bulk(campaign, contents, tree, people, officers["dm01"], 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(name))
    assert response.content.decode().count('href="/thanh-tich/') >= 42
    assert len(few) == len(many)


def test_review_queue_puts_submitted_first_and_filters(achievement, campaign, contents, tree, users, officers,
                                                       client_for):
    accepted = make_achievement(campaign, contents[1], tree["dm01"], officers["dm01"], title="Đã xong")
    services.achievement_accept(achievement=accepted, by=users["appraiser"])
    later = make_achievement(campaign, contents[3], tree["gn01"], users["gn_officer"], title="Chờ thêm")
    client = client_for(users["appraiser"])
    page = client.get(reverse("campaigns:review_queue"))
    titles = [a.title for a in page.context["page"]]
    assert titles.index("Đã xong") == 2
    assert set(titles[:2]) == {achievement.title, later.title}
    filtered = client.get(reverse("campaigns:review_queue"), {"status": "accepted"})
    assert [a.title for a in filtered.context["page"]] == ["Đã xong"]
    by_content = client.get(reverse("campaigns:review_queue"), {"content": contents[3].pk, "year": 2024})
    assert [a.title for a in by_content.context["page"]] == ["Chờ thêm"]


def test_officer_list_is_its_subtree_only(achievement, campaign, contents, tree, users, client_for):
    make_achievement(campaign, contents[1], tree["gn01"], users["gn_officer"], title="Của Gia Nghĩa")
    page = client_for(users["dm_officer"]).get(reverse("campaigns:achievement_list"))
    assert [a.title for a in page.context["page"]] == [achievement.title]


def test_officer_cannot_open_review_queue(users, client_for):
    assert client_for(users["dm_officer"]).get(reverse("campaigns:review_queue")).status_code == 403
