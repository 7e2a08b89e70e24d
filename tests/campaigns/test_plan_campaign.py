"""The plan as data: Sở Nội vụ administrators create, edit and launch a campaign in the application's pages."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign, CampaignStatus, EmulationContent, Milestone
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

FORM = {
    "number": "12/KH-UBND", "issued_on": "02/01/2026", "issuer": "Ủy ban nhân dân tỉnh Đắk Nông",
    "title": "Thi đua chuyển đổi số năm 2026", "kind": "regular", "starts_on": "02/01/2026",
    "ends_on": "31/12/2026", "purpose": "Mục đích", "requirements": "Yêu cầu",
    "participant_unit_kinds": ["department", "commune"], "individuals_take_part": "on",
    "individuals_note": "Cán bộ, công chức",
}


def test_admin_creates_edits_and_launches_a_campaign(users, tree, client_for):
    client = client_for(users["admin"])
    response = client.post(reverse("campaigns:create"), {**FORM, "organiser": tree["snv"].pk})
    campaign = Campaign.objects.get(number="12/KH-UBND")
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.participant_unit_kinds == ["department", "commune"]
    assert str(campaign.issued_on) == "2026-01-02"

    response = client.post(reverse("campaigns:edit", args=[campaign.pk]),
                           {**FORM, "title": "Thi đua chuyển đổi số 2026 (sửa)", "organiser": tree["snv"].pk})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Thi đua chuyển đổi số 2026 (sửa)"
    assert AuditEntry.objects.filter(action="campaign_update", target_id=str(campaign.pk)).exists()

    # Launching without contents is refused with a message saying what to do.
    response = client.post(reverse("campaigns:launch", args=[campaign.pk]), follow=True)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert "Phong trào chưa có nội dung thi đua" in response.content.decode()

    response = client.post(reverse("campaigns:content_create", args=[campaign.pk]), {
        "number": 1, "short_title": "Chính quyền số", "text": "Thi đua xây dựng chính quyền số.",
        "expected_evidence": "Báo cáo"})
    assert response.status_code == 302
    content = EmulationContent.objects.get(campaign=campaign)
    response = client.post(reverse("campaigns:content_edit", args=[campaign.pk, content.pk]), {
        "number": 1, "short_title": "Chính quyền số", "text": "Nội dung đã sửa.", "expected_evidence": ""})
    content.refresh_from_db()
    assert content.text == "Nội dung đã sửa."

    response = client.post(reverse("campaigns:milestone_create", args=[campaign.pk]), {
        "kind": "yearly", "title": "Báo cáo năm 2026", "year": 2026, "period_start": "02/01/2026",
        "period_end": "31/12/2026", "due_on": "15/12/2026"})
    assert response.status_code == 302
    assert Milestone.objects.get(campaign=campaign).due_on.month == 12

    client.post(reverse("campaigns:launch", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LAUNCHED
    entry = AuditEntry.objects.get(action="campaign_launch", target_id=str(campaign.pk))
    assert entry.changes == {"from": "draft", "to": "launched"}

    client.post(reverse("campaigns:close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_duplicate_content_number_is_refused_in_vietnamese(users, campaign, client_for):
    response = client_for(users["admin"]).post(reverse("campaigns:content_create", args=[campaign.pk]), {
        "number": 2, "short_title": "Trùng", "text": "Trùng số"})
    assert response.status_code == 200
    assert "Phong trào đã có nội dung số (2)" in response.content.decode()
    assert campaign.contents.count() == 5


@pytest.mark.parametrize("role", ["appraiser", "leader", "dm_officer"])
def test_others_cannot_create_edit_or_launch(role, users, campaign, client_for):
    client = client_for(users[role])
    draft = Campaign.objects.create(number="1/KH", issued_on=campaign.issued_on, issuer="UBND", title="Nháp",
                                    starts_on=campaign.starts_on, ends_on=campaign.ends_on)
    assert client.get(reverse("campaigns:create")).status_code == 403
    assert client.post(reverse("campaigns:create"), FORM).status_code == 403
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 403
    assert client.post(reverse("campaigns:close", args=[campaign.pk])).status_code == 403
    assert client.get(reverse("campaigns:content_create", args=[campaign.pk])).status_code == 403
    assert client.get(reverse("campaigns:theme_create", args=[campaign.pk])).status_code == 403
    # A draft is invisible to everyone but administrators.
    assert client.get(reverse("campaigns:detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("campaigns:launch", args=[draft.pk])).status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LAUNCHED
    assert not Campaign.objects.filter(number="12/KH-UBND").exists()


def test_everyone_reads_a_launched_campaign_and_drafts_stay_hidden(users, campaign, client_for):
    Campaign.objects.create(number="9/KH", issued_on=campaign.issued_on, issuer="UBND", title="Bản nháp bí mật",
                            starts_on=campaign.starts_on, ends_on=campaign.ends_on)
    client = client_for(users["dm_officer"])
    page = client.get(reverse("campaigns:list")).content.decode()
    assert "584/KH-UBND" in page and "Bản nháp bí mật" not in page
    detail = client.get(campaign.get_absolute_url()).content.decode()
    assert "Chính quyền số" in detail and "Phát động" not in detail
    assert "Bản nháp bí mật" in client_for(users["admin"]).get(reverse("campaigns:list")).content.decode()


@pytest.mark.parametrize("name", ["launch", "close", "theme_publish", "registration_remind", "monitoring_remind",
                                  "task_complete", "theme_upload"])
def test_action_views_refuse_get(name, users, campaign, client_for):
    response = client_for(users["admin"]).get(reverse(f"campaigns:{name}", args=[campaign.pk]))
    assert response.status_code == 405


def test_transitions_follow_the_workflow(users, campaign, client_for):
    client = client_for(users["admin"])
    page = client.post(reverse("campaigns:launch", args=[campaign.pk]), follow=True).content.decode()
    assert "vừa được người khác thay đổi" in page
    client.post(reverse("campaigns:close", args=[campaign.pk]))
    page = client.post(reverse("campaigns:launch", args=[campaign.pk]), follow=True).content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED and "Đã kết thúc" in page
    assert AuditEntry.objects.filter(action="campaign_launch").count() == 0
