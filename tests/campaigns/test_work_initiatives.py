"""Initiatives: proposal with authors, evaluation by Sở Nội vụ, scoped downloads, the person-page panel."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Initiative, InitiativeStatus
from campaigns.services import work as services
from core import panels
from core.models import AuditEntry

from . import test_work_support as support
from .test_work_support import (
    docx_bytes,
    pdf_bytes,
    stored_files,
    upload,
)

officers = support.officers
work_files_in_test_storage = support.work_files_in_test_storage


@pytest.fixture
def initiative(campaign, tree, people, officers):
    return services.initiative_propose(
        by=officers["dm01"], campaign=campaign, unit=tree["dm01"], year=2024, title="Phiếu hẹn điện tử",
        authors=[people["an"], people["binh"]], problem="Người dân chờ lâu", solution="Tin nhắn báo kết quả",
        effect="Giảm 30% thời gian chờ", files=[upload("Thuyết minh.pdf", pdf_bytes())])


def _audit(initiative, action):
    return AuditEntry.objects.filter(target_type="campaigns.initiative", target_id=str(initiative.pk), action=action)


def test_propose_needs_an_author_from_the_subtree(campaign, tree, people, officers):
    with pytest.raises(Exception, match="Tác giả phải thuộc"):
        services.initiative_propose(by=officers["dm01"], campaign=campaign, unit=tree["dm01"], year=2024,
                                    title="X", authors=[people["cuong"]], problem="p", solution="s", effect="e",
                                    files=[upload("a.pdf", pdf_bytes())])
    with pytest.raises(Exception, match="ít nhất một tác giả"):
        services.initiative_propose(by=officers["dm01"], campaign=campaign, unit=tree["dm01"], year=2024,
                                    title="X", authors=[], problem="p", solution="s", effect="e",
                                    files=[upload("a.pdf", pdf_bytes())])
    assert Initiative.objects.count() == 0 and stored_files() == []


def test_propose_through_the_page(campaign, tree, people, officers, client_for):
    client = client_for(officers["dm01"])
    form = client.get(reverse("campaigns:initiative_create")).content.decode()
    assert "Lê Văn Cường" not in form  # another district's person is not offered as an author
    response = client.post(reverse("campaigns:initiative_create"), {
        "campaign": campaign.pk, "year": 2024, "unit": tree["dm01"].pk, "title": "Số hóa hồ sơ",
        "authors": [people["an"].pk], "problem": "p", "solution": "s", "effect": "e",
        "files": [upload("Báo cáo.docx", docx_bytes())]})
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.status == InitiativeStatus.PROPOSED
    assert _audit(initiative, "initiative_propose").count() == 1


@pytest.mark.parametrize("who", ["appraiser", "admin"])
def test_recognise(who, initiative, users, client_for):
    url = reverse("campaigns:initiative_recognise", args=[initiative.pk])
    client = client_for(users[who])
    missing = client.post(url, {"level": "provincial", "decision_number": "", "decision_date": ""})
    assert missing.status_code == 400
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.PROPOSED
    response = client.post(url, {"level": "provincial", "decision_number": "123/QĐ-UBND",
                                 "decision_date": "15/12/2024"})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.RECOGNISED
    assert initiative.decision_date == datetime.date(2024, 12, 15) and initiative.level == "provincial"
    assert _audit(initiative, "initiative_recognise").get().changes == {"from": "proposed", "to": "recognised"}
    again = client.post(url, {"level": "grassroots", "decision_number": "9", "decision_date": "01/01/2025"},
                        follow=True)
    assert "vừa được người khác thay đổi" in again.content.decode()
    assert _audit(initiative, "initiative_recognise").count() == 1


def test_refuse_needs_a_reason(initiative, users, client_for):
    client = client_for(users["appraiser"])
    url = reverse("campaigns:initiative_refuse", args=[initiative.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Chưa có tính mới"}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.REFUSED and initiative.refusal_reason == "Chưa có tính mới"
    assert _audit(initiative, "initiative_refuse").count() == 1


@pytest.mark.parametrize("who,status", [("dm_officer", 403), ("leader", 403), ("gn_officer", 404)])
def test_evaluation_by_others(who, status, initiative, users, client_for):
    response = client_for(users[who]).post(reverse("campaigns:initiative_refuse", args=[initiative.pk]),
                                           {"reason": "x"})
    assert response.status_code == status
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.PROPOSED


def test_get_on_evaluation_is_405(initiative, users, client_for):
    client = client_for(users["admin"])
    assert client.get(reverse("campaigns:initiative_recognise", args=[initiative.pk])).status_code == 405
    assert client.get(reverse("campaigns:initiative_refuse", args=[initiative.pk])).status_code == 405


def test_scoped_download(initiative, users, client_for):
    document = initiative.files.get()
    url = reverse("campaigns:initiative_file_download", args=[initiative.pk, document.pk])
    assert client_for(users["gn_officer"]).get(url).status_code == 404
    assert client_for(users["gn_officer"]).get(initiative.get_absolute_url()).status_code == 404
    response = client_for(users["dm_officer"]).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == pdf_bytes()


def _panel(person, user):
    request = RequestFactory().get("/")
    request.user = user
    return panels.render("person", person, request=request, only={"campaigns.initiatives"})


def test_recognised_initiatives_on_the_authors_page(initiative, people, users, client_for):
    assert "Phiếu hẹn điện tử" not in _panel(people["an"], users["leader"])
    services.initiative_recognise(initiative=initiative, by=users["appraiser"], level="grassroots",
                                  decision_number="45/QĐ-UBND", decision_date=datetime.date(2024, 11, 2))
    panel = _panel(people["binh"], users["leader"])
    assert "Phiếu hẹn điện tử" in panel and "45/QĐ-UBND" in panel and "02/11/2024" in panel
    assert "Phiếu hẹn điện tử" not in _panel(people["cuong"], users["leader"])


def test_initiative_list_query_count(campaign, tree, people, officers, users, client_for):
    def bulk(n):
        for i in range(n):
            item = Initiative.objects.create(campaign=campaign, unit=tree["dm01"], year=2024, title=f"SK {i}",
                                             problem="p", solution="s", effect="e")
            item.authors.set([people["an"], people["binh"]])

    client = client_for(users["appraiser"])
    bulk(2)
    client.get(reverse("campaigns:initiative_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("campaigns:initiative_list"))
    bulk(20)
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("campaigns:initiative_list")).content.decode()
    assert "SK 19" in body and "Trần Thị Bình" in body
    assert len(few) == len(many)
