"""Two movements on the small tree: Plan 584 (tests/fixtures/campaigns.py, period over) and a running 2026–2030
one of the new province, with five contents."""

import datetime

import pytest

from campaigns.models import Campaign, CampaignStatus, EmulationContent, Milestone, MilestoneKind


@pytest.fixture
def next_plan(tree):
    plan = Campaign.objects.create(
        number="01/KH-UBND", issued_on=datetime.date(2026, 1, 15), issuer="Ủy ban nhân dân tỉnh Lâm Đồng",
        title="Cải cách hành chính tỉnh Lâm Đồng giai đoạn 2026 - 2030", starts_on=datetime.date(2026, 1, 15),
        ends_on=datetime.date(2030, 12, 31), participant_unit_kinds=["department", "district", "commune"],
        organiser=tree["snv"], status=CampaignStatus.LAUNCHED)
    for number in range(1, 6):
        EmulationContent.objects.create(campaign=plan, number=number, short_title=f"Nội dung mới {number}",
                                        text=f"Nội dung thi đua 2026 - 2030 số {number}")
    Milestone.objects.create(campaign=plan, kind=MilestoneKind.FINAL_REVIEW, title="Tổng kết 2030",
                             period_start=plan.starts_on, period_end=plan.ends_on, due_on=plan.ends_on)
    return plan


@pytest.fixture
def closed(campaign, users):
    """Plan 584 closed through the service, as Sở Nội vụ does after the final review."""
    from campaigns.services.plan import campaign_close

    return campaign_close(campaign=campaign, by=users["admin"])
