"""A launched campaign with five contents and its milestones, on the small tree of tests/conftest.py."""

import datetime

import pytest

from campaigns.models import Campaign, CampaignStatus, EmulationContent, Milestone, MilestoneKind


@pytest.fixture
def campaign(tree):
    campaign = Campaign.objects.create(
        number="584/KH-UBND", issued_on=datetime.date(2022, 10, 14), issuer="Ủy ban nhân dân tỉnh Đắk Nông",
        title="Đẩy mạnh công tác cải cách hành chính trên địa bàn tỉnh Đắk Nông giai đoạn 2022 - 2025",
        starts_on=datetime.date(2022, 10, 14), ends_on=datetime.date(2025, 12, 31),
        participant_unit_kinds=["department", "district", "commune", "division"],
        organiser=tree["snv"], status=CampaignStatus.LAUNCHED,
    )
    for number, title in enumerate(["Trách nhiệm người đứng đầu", "Nhiệm vụ cải cách hành chính",
                                    "Bộ chỉ số CCHC", "Sáng kiến, giải pháp", "Chính quyền số"], start=1):
        EmulationContent.objects.create(campaign=campaign, number=number, short_title=title, text=title)
    Milestone.objects.create(campaign=campaign, kind=MilestoneKind.INTERIM_REVIEW, title="Sơ kết",
                             period_start=campaign.starts_on, period_end=datetime.date(2023, 12, 31),
                             due_on=datetime.date(2023, 12, 31))
    Milestone.objects.create(campaign=campaign, kind=MilestoneKind.FINAL_REVIEW, title="Tổng kết",
                             period_start=campaign.starts_on, period_end=campaign.ends_on,
                             due_on=datetime.date(2025, 12, 31))
    return campaign


@pytest.fixture
def contents(campaign):
    return {c.number: c for c in campaign.contents.all()}
