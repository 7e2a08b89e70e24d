"""Pages and actions: scoping (404), roles (403), POST-only (405), public ranking, every page renders."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.files import bytes_upload
from core.models import AuditEntry
from par import services
from par.models import CriteriaSet, ParEvidenceFile, Score, ScoreSheet, SheetStatus
from tests.fixtures.par import full_run, leaf, self_assess
from units.models import Role, User

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FULL = {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5}


@pytest.fixture
def gn_officer(par_users):
    return par_users["gn_officer"]


def _status(sheet):
    return ScoreSheet.objects.get(pk=sheet.pk).status


def test_out_of_scope_officer_gets_404_on_sheet_and_evidence(district_sheets, par_users, client_for):
    dm = district_sheets["DM"]
    score = services.score_self_assess(sheet=dm, criterion=leaf(dm.criteria_set, "1.1"), by=par_users["dm_officer"],
                                       self_score=D(4), uploads=[bytes_upload("Kế hoạch.pdf", PDF)])
    evidence = ParEvidenceFile.objects.get(score=score)
    client = client_for(par_users["gn_officer"])
    for url in (reverse("par:sheet", args=[dm.pk]), reverse("par:evidence_download", args=[dm.pk, evidence.pk]),
                reverse("par:score_edit", args=[dm.pk, score.criterion_id]),
                reverse("par:appraisal", args=[dm.pk])):
        assert client.get(url).status_code == 404, url
    # the evidence cannot be reached through the officer's own sheet either
    gn = district_sheets["GN"]
    assert client.get(reverse("par:evidence_download", args=[gn.pk, evidence.pk])).status_code == 404

    own = client_for(par_users["dm_officer"])
    response = own.get(reverse("par:evidence_download", args=[dm.pk, evidence.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    assert own.get(reverse("par:sheet", args=[dm.pk])).status_code == 200


def test_officer_scores_through_the_page(district_sheets, par_users, client_for):
    dm = district_sheets["DM"]
    client = client_for(par_users["dm_officer"])
    url = reverse("par:score_edit", args=[dm.pk, leaf(dm.criteria_set, "1.1").pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"self_score": "3.5", "explanation": "Đã ban hành kế hoạch",
                                 "uploads": [bytes_upload("KH.pdf", PDF), bytes_upload("BC.pdf", PDF)]})
    assert response.status_code == 302
    score = Score.objects.get(sheet=dm, criterion__code="1.1")
    assert score.self_score == D("3.5") and score.files.count() == 2
    response = client.post(url, {"self_score": "5", "explanation": ""})
    assert response.status_code == 200 and "từ 0 đến 4" in response.content.decode().replace("4,00", "4")
    bad = client.post(url, {"self_score": "2", "uploads": [bytes_upload("virus.pdf", b"MZ\x90\x00 not a pdf")]})
    assert bad.status_code == 200 and "không phải là tệp PDF thật" in bad.content.decode()
    assert Score.objects.get(pk=score.pk).self_score == D("3.5")
    page = client.get(reverse("par:sheet", args=[dm.pk])).content.decode()
    assert "1/5" in page and "KH.pdf" in page


def test_officer_links_existing_campaign_evidence_of_its_subtree_only(district_sheets, par_users, campaign, contents,
                                                                      client_for, tree):
    from campaigns.models import Achievement, EvidenceFile

    own = Achievement.objects.create(campaign=campaign, unit=tree["dm01"], year=2024, content=contents[3],
                                     title="Một cửa liên thông")
    other = Achievement.objects.create(campaign=campaign, unit=tree["gn"], year=2024, content=contents[3],
                                       title="Của Gia Nghĩa")
    mine = EvidenceFile.objects.create(achievement=own, original_name="Minh chứng.pdf")
    theirs = EvidenceFile.objects.create(achievement=other, original_name="Khác.pdf")
    dm = district_sheets["DM"]
    services.score_self_assess(sheet=dm, criterion=leaf(dm.criteria_set, "2.2"), by=par_users["dm_officer"],
                               self_score=D(5), link_ids=[mine.pk, theirs.pk])
    assert list(Score.objects.get(sheet=dm, criterion__code="2.2").evidence_links.all()) == [mine]
    outsider = client_for(par_users["gn_officer"])
    assert outsider.get(reverse("par:linked_evidence_download", args=[dm.pk, mine.pk])).status_code == 404
    own = client_for(par_users["dm_officer"])
    # a file that is not linked to this sheet cannot be fetched through it
    assert own.get(reverse("par:linked_evidence_download", args=[dm.pk, theirs.pk])).status_code == 404


TRANSITIONS = [
    # (url name, state before, allowed user, wrong-role user, state after)
    ("par:submit", SheetStatus.DRAFT, "dm_officer", "appraiser", SheetStatus.SUBMITTED),
    ("par:start_appraisal", SheetStatus.SUBMITTED, "appraiser", "dm_officer", SheetStatus.UNDER_APPRAISAL),
    ("par:return", SheetStatus.UNDER_APPRAISAL, "appraiser", "leader", SheetStatus.RETURNED),
    ("par:resubmit", SheetStatus.RETURNED, "dm_officer", "appraiser", SheetStatus.SUBMITTED),
    ("par:complete_appraisal", SheetStatus.UNDER_APPRAISAL, "appraiser", "dm_officer", SheetStatus.APPRAISED),
]


@pytest.mark.parametrize(("name", "before", "allowed", "wrong", "after"), TRANSITIONS)
def test_every_sheet_transition(name, before, allowed, wrong, after, district_sheets, par_users, client_for):
    dm = district_sheets["DM"]
    self_assess(dm, par_users["dm_officer"], FULL)
    ScoreSheet.objects.filter(pk=dm.pk).update(status=before)
    if before == SheetStatus.UNDER_APPRAISAL:
        Score.objects.filter(sheet=dm).update(appraised_score=D(1))
    url = reverse(name, args=[dm.pk])
    data = {"note": "Giải trình tiêu chí 2.1"}

    assert client_for(par_users[allowed]).get(url).status_code == 405
    assert client_for(par_users[wrong]).post(url, data).status_code == 403
    if allowed == "dm_officer":
        assert client_for(par_users["gn_officer"]).post(url, data).status_code == 404
    assert _status(dm) == before

    response = client_for(par_users[allowed]).post(url, data)
    assert response.status_code == 302
    assert _status(dm) == after
    assert AuditEntry.objects.filter(target_id=str(dm.pk), changes={"from": before, "to": after}).count() == 1


@pytest.mark.parametrize("name", ["par:set_publish", "par:set_reopen", "par:sheets_open", "par:set_copy"])
def test_set_actions_are_admin_only_and_post_only(name, district_sheets, district_set, par_users, client_for):
    url = reverse(name, args=[district_set.pk])
    assert client_for(par_users["admin"]).get(url).status_code == 405
    for role in ("appraiser", "leader", "dm_officer"):
        assert client_for(par_users[role]).post(url, {"reason": "x"}).status_code == 403


def test_publish_and_reopen_through_the_pages(district_sheets, district_set, par_users, client_for):
    for sheet in district_sheets.values():
        full_run(sheet, par_users, FULL)
    admin = client_for(par_users["admin"])
    assert admin.post(reverse("par:set_publish", args=[district_set.pk])).status_code == 302
    assert CriteriaSet.objects.get(pk=district_set.pk).is_published
    assert set(ScoreSheet.objects.filter(criteria_set=district_set).values_list("status", flat=True)) == {"published"}
    assert AuditEntry.objects.filter(action="par_sheet_publish").count() == 2
    admin.post(reverse("par:set_reopen", args=[district_set.pk]), {"reason": ""})
    assert CriteriaSet.objects.get(pk=district_set.pk).is_published  # no reason → refused
    admin.post(reverse("par:set_reopen", args=[district_set.pk]), {"reason": "Sửa điểm tiêu chí 2.1"})
    assert not CriteriaSet.objects.get(pk=district_set.pk).is_published
    assert AuditEntry.objects.filter(action="par_sheet_reopen", note="Sửa điểm tiêu chí 2.1").count() == 2


def test_unit_sees_appraised_scores_only_after_publication(district_sheets, district_set, par_users, client_for):
    dm = district_sheets["DM"]
    full_run(dm, par_users, FULL, {"2.1": "3.5"})
    client = client_for(par_users["dm_officer"])
    page = client.get(reverse("par:sheet", args=[dm.pk])).content.decode()
    assert "Thiếu tài liệu kiểm chứng" not in page
    full_run(district_sheets["GN"], par_users, FULL)
    services.set_publish(criteria_set=district_set, by=par_users["admin"])
    page = client.get(reverse("par:sheet", args=[dm.pk])).content.decode()
    assert "Thiếu tài liệu kiểm chứng" in page and "table-warning" in page


def test_ranking_pages_need_province_wide_role(district_set, par_users, client_for):
    url = reverse("par:ranking", args=[district_set.pk])
    assert client_for(par_users["dm_officer"]).get(url).status_code == 403
    assert client_for(par_users["leader"]).get(url).status_code == 200


def test_public_ranking_shows_only_published_sets(district_sheets, district_set, par_users, client, tree):
    for sheet in district_sheets.values():
        full_run(sheet, par_users, FULL)
    commune = services.set_create(by=par_users["admin"], year=2024, group="commune", title="Bộ chỉ số cấp xã")
    url = reverse("par:public_ranking", args=[2024])
    assert client.get(url).status_code == 404  # nothing published yet
    services.set_publish(criteria_set=district_set, by=par_users["admin"])
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "UBND cấp huyện" in text and tree["dm"].name in text and "<svg" in text
    assert "UBND cấp xã" not in text and commune.title not in text
    assert client.get(reverse("par:public_ranking", args=[2023])).status_code == 404
    services.set_reopen(criteria_set=district_set, by=par_users["admin"], reason="Sửa")
    assert client.get(url).status_code == 404


def test_every_page_renders(district_sheets, district_set, par_users, client_for):
    dm = district_sheets["DM"]
    full_run(dm, par_users, FULL, {"2.1": "4.5"})
    pages = {
        "admin": [reverse("par:index"), reverse("par:set_create"), reverse("par:set_detail", args=[district_set.pk]),
                  reverse("par:set_edit", args=[district_set.pk]), reverse("par:criterion_add", args=[district_set.pk]),
                  reverse("par:criterion_edit", args=[district_set.pk, leaf(district_set, "1.1").pk]),
                  reverse("par:set_import", args=[district_set.pk]), reverse("par:set_export", args=[district_set.pk]),
                  reverse("par:ranking", args=[district_set.pk]), reverse("par:ranking_chart", args=[district_set.pk]),
                  reverse("par:appraisal", args=[dm.pk]), reverse("par:sheet", args=[dm.pk])],
        "appraiser": [reverse("par:survey_import", args=[district_set.pk]), reverse("par:appraisal", args=[dm.pk])],
        "dm_officer": [reverse("par:index"), reverse("par:sheet", args=[dm.pk]),
                       reverse("par:set_detail", args=[district_set.pk])],
    }
    for role, urls in pages.items():
        client = client_for(par_users[role])
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    chart = client_for(par_users["leader"]).get(reverse("par:ranking_chart", args=[district_set.pk]))
    assert chart["Content-Type"].startswith("image/svg+xml") and chart.content.count(b"<rect") == 2
    appraisal = client_for(par_users["appraiser"]).get(reverse("par:appraisal", args=[dm.pk])).content.decode()
    assert appraisal.count("differs") == 1  # 2.1: self 5, appraised 4.5


def test_admin_only_configuration_pages(district_set, par_users, client_for):
    for role in ("appraiser", "leader", "dm_officer"):
        client = client_for(par_users[role])
        assert client.get(reverse("par:set_edit", args=[district_set.pk])).status_code == 403
        assert client.get(reverse("par:set_import", args=[district_set.pk])).status_code == 403
        assert client.get(reverse("par:set_create")).status_code == 403


def test_admin_edits_a_criterion_and_copies_the_set(district_set, par_users, client_for):
    client = client_for(par_users["admin"])
    response = client.post(reverse("par:criterion_add", args=[district_set.pk]),
                           {"code": "2.3", "title": "Dịch vụ công trực tuyến", "max_points": "2.5"})
    assert response.status_code == 302
    assert district_set.criteria.get(code="2").max_points == D("12.5")
    response = client.post(reverse("par:criterion_add", args=[district_set.pk]),
                           {"code": "5.1", "title": "Không có cấp trên", "max_points": "1"})
    assert response.status_code == 200 and "Chưa có tiêu chí cấp trên" in response.content.decode()
    response = client.post(reverse("par:set_copy", args=[district_set.pk]))
    copy = CriteriaSet.objects.get(year=2025, group="district")
    assert response.status_code == 302
    assert sorted(copy.criteria.values_list("code", "max_points")) == sorted(
        district_set.criteria.values_list("code", "max_points"))


def test_leader_reads_but_cannot_appraise(district_sheets, par_users, client_for):
    dm = district_sheets["DM"]
    self_assess(dm, par_users["dm_officer"], FULL)
    services.sheet_submit(sheet=dm, by=par_users["dm_officer"])
    services.sheet_start_appraisal(sheet=dm, by=par_users["appraiser"])
    client = client_for(par_users["leader"])
    url = reverse("par:score_appraise", args=[dm.pk, leaf(dm.criteria_set, "1.1").pk])
    assert client.post(url, {"appraised_score": "1", "comment": "x"}).status_code == 403
    officer = User.objects.create_user(username="x", password="x", role=Role.OFFICER, unit=dm.unit)
    assert client_for(officer).post(url, {"appraised_score": "1", "comment": "x"}).status_code == 403
    response = client_for(par_users["appraiser"]).post(url, {"appraised_score": "3", "comment": ""})
    assert response.status_code == 302
    assert Score.objects.get(sheet=dm, criterion__code="1.1").appraised_score == D("4")  # refused: no comment


def test_officer_above_a_unit_reads_its_sheet_but_cannot_act_for_it(par_users, client_for, tree):
    from tests.fixtures.par import tree_rows

    communes = services.set_create(by=par_users["admin"], year=2024, group="commune", title="Bộ chỉ số cấp xã")
    services.set_replace_tree(criteria_set=communes, by=par_users["admin"], rows=tree_rows())
    services.sheets_open(criteria_set=communes, by=par_users["admin"])
    sheet = ScoreSheet.objects.get(criteria_set=communes, unit=tree["dm01"])
    client = client_for(par_users["dm_officer"])
    assert client.get(reverse("par:sheet", args=[sheet.pk])).status_code == 200
    assert client.get(reverse("par:score_edit", args=[sheet.pk, leaf(communes, "1.1").pk])).status_code == 403
    assert client.post(reverse("par:submit", args=[sheet.pk])).status_code == 403
    assert client_for(par_users["gn_officer"]).get(reverse("par:sheet", args=[sheet.pk])).status_code == 404
