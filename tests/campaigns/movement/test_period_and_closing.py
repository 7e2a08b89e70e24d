"""A campaign past its end date says so and what remains; once closed it stays readable and takes no new work."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import services as award_services
from campaigns.models import Achievement, CampaignStatus, Registration
from campaigns.services import plan as plan_services
from campaigns.services import work as work_services
from tests.campaigns.test_work_support import pdf_bytes, upload

pytestmark = pytest.mark.django_db

CLOSED_WORDS = "đã kết thúc nên không nhận"


def test_period_over_is_a_phase_of_the_calendar_not_a_state(campaign):
    assert campaign.period_over(datetime.date(2026, 1, 1))
    assert not campaign.period_over(datetime.date(2025, 12, 31))
    assert campaign.status == CampaignStatus.LAUNCHED  # nothing was written


def test_detail_of_a_campaign_past_its_period_shows_what_remains_and_prompts_the_admin(client_for, users, campaign):
    page = client_for(users["admin"]).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert 'id="campaign-ended"' in page
    assert "Phong trào đã hết thời gian thi đua ngày 31/12/2025." in page
    assert "Tổng kết phong trào: Tổng kết (hạn 31/12/2025)" in page  # the plan's final-review round
    assert "Sở Nội vụ:" in page and "bấm “Kết thúc” để đóng phong trào" in page
    badge = page.split('id="campaign-status">', 1)[1].split("<", 1)[0]
    assert badge == "Hết thời gian thi đua, chờ tổng kết"

    officer_page = client_for(users["dm_officer"]).get(reverse("campaigns:detail", args=[campaign.pk]))
    assert "Sở Nội vụ đang tổng kết phong trào." in officer_page.content.decode()
    assert "bấm “Kết thúc”" not in officer_page.content.decode()


def test_a_running_campaign_reads_launched_with_no_end_notice(client_for, users, next_plan):
    page = client_for(users["admin"]).get(reverse("campaigns:detail", args=[next_plan.pk])).content.decode()
    assert page.split('id="campaign-status">', 1)[1].split("<", 1)[0] == "Đã phát động"
    assert 'id="campaign-ended"' not in page and 'id="campaign-closed"' not in page


def test_list_and_home_say_the_period_is_over(client_for, users, campaign):
    client = client_for(users["admin"])
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert "Hết thời gian thi đua, chờ tổng kết" in listing
    home = client.get(reverse("home")).content.decode()
    assert f'id="campaign-ended-{campaign.pk}"' in home
    assert "Sở Nội vụ: tổng kết và kết thúc phong trào" in home


def test_closed_campaign_refuses_registration_with_a_clear_message(closed, users, tree, client_for):
    with pytest.raises(ValidationError) as refused:
        plan_services.registration_create(campaign=closed, unit=tree["dm"], year=2025,
                                          commitments={}, by=users["dm_officer"])
    assert "Phong trào 584/KH-UBND đã kết thúc nên không nhận đăng ký thi đua mới" in refused.value.messages[0]
    response = client_for(users["dm_officer"]).get(
        reverse("campaigns:register", args=[closed.pk, "DM", 2025]), follow=True)
    assert "Phong trào 584/KH-UBND đã kết thúc nên không nhận đăng ký thi đua mới" in response.content.decode()
    assert not Registration.objects.exists()


def test_closed_campaign_refuses_new_evidence_more_files_and_initiatives(closed, contents, users, tree, people):
    officer = users["dm_officer"]
    with pytest.raises(ValidationError) as refused:
        work_services.achievement_record(by=officer, campaign=closed, unit=tree["dm"], year=2025,
                                         content=contents[1], title="Muộn", files=[upload("a.pdf", pdf_bytes())])
    assert CLOSED_WORDS in refused.value.message_dict["campaign"][0]
    assert "minh chứng mới" in refused.value.message_dict["campaign"][0]
    with pytest.raises(ValidationError) as refused:
        work_services.initiative_propose(by=officer, campaign=closed, unit=tree["dm"], year=2025, title="Muộn",
                                         authors=[people["an"]], problem="p", solution="s", effect="e",
                                         files=[upload("a.pdf", pdf_bytes())])
    assert "sáng kiến mới" in refused.value.message_dict["campaign"][0]

    # Evidence recorded while it ran cannot be topped up once it is closed.
    recorded = Achievement.objects.create(campaign=closed, unit=tree["dm"], year=2025, content=contents[1],
                                          title="Đã ghi", created_by=officer)
    with pytest.raises(ValidationError) as refused:
        work_services.achievement_add_files(achievement=recorded, by=officer, files=[upload("b.pdf", pdf_bytes())])
    assert CLOSED_WORDS in refused.value.messages[0]
    assert recorded.files.count() == 0


def test_closed_campaign_refuses_a_new_dossier_and_its_rounds_leave_the_form(closed, users, tree, catalogue,
                                                                             client_for):
    from awards.forms import DossierCreateForm

    milestone = closed.milestones.get(kind="interim")
    with pytest.raises(ValidationError) as refused:
        award_services.dossier_create(by=users["dm_officer"], campaign=closed, milestone=milestone, unit=tree["dm"],
                                      form=catalogue["BK-TINH-CD"])
    assert "không nhận hồ sơ khen thưởng mới" in refused.value.message_dict["milestone"][0]
    form = DossierCreateForm(user=users["dm_officer"])
    assert milestone not in form.fields["milestone"].queryset


def test_closed_campaign_pages_still_work(closed, contents, users, tree, client_for):
    Achievement.objects.create(campaign=closed, unit=tree["dm"], year=2024, content=contents[2], title="Năm 2024",
                               created_by=users["dm_officer"])
    client = client_for(users["appraiser"])
    for name in ("campaigns:detail", "campaigns:registrations", "campaigns:monitoring", "campaigns:inspections"):
        assert client.get(reverse(name, args=[closed.pk])).status_code == 200, name
    detail = client.get(reverse("campaigns:detail", args=[closed.pk])).content.decode()
    assert 'id="campaign-closed"' in detail and "Đã kết thúc" in detail
    # A closed plan's content is still a valid filter (the dashboard links to it).
    listing = client.get(reverse("campaigns:achievement_list"),
                         {"campaign": closed.pk, "content": contents[2].pk}).content.decode()
    assert "Năm 2024" in listing


def test_the_end_notice_says_where_the_final_review_stands(client_for, users, campaign):
    from reports.models import ReportDraft

    url = reverse("campaigns:detail", args=[campaign.pk])
    admin = client_for(users["admin"])
    assert "Chưa có dự thảo báo cáo tổng kết." in admin.get(url).content.decode()
    draft = ReportDraft.objects.create(campaign=campaign, kind="final")
    page = admin.get(url).content.decode()
    assert "Báo cáo tổng kết đang ở dạng dự thảo." in page and draft.get_absolute_url() in page
    officer = client_for(users["dm_officer"]).get(url).content.decode()
    assert 'id="final-review-state"' not in officer  # officers have no report pages
