"""The demo loads Plan 584/KH-UBND in full and can be run again without changing anything."""

import datetime

import pytest

from campaigns import demo_plan
from campaigns.models import (
    Campaign,
    CampaignStatus,
    FollowUpTask,
    Inspection,
    Milestone,
    Registration,
    RegistrationCommitment,
    YearlyTheme,
)
from campaigns.selectors.plan import participating_units
from units.demo.builder import build_demo

pytestmark = pytest.mark.django_db

PLAN_CONTENT_2 = (
    "Thi đua thực hiện các nhiệm vụ cải cách hành chính theo Chương trình tổng thể cải cách hành chính nhà nước của "
    "Chính phủ, Nghị quyết cải cách hành chính của Tỉnh ủy; Kế hoạch cải cách hành chính hàng năm, giai đoạn của "
    "UBND tỉnh, trong đó tập trung vào các nội dung: Công tác chỉ đạo, điều hành cải cách hành chính, cải cách thể "
    "chế, cải cách thủ tục hành chính, cải cách tổ chức bộ máy hành chính nhà nước, cải cách chế độ công vụ, cải "
    "cách tài chính công, xây dựng và phát triển chính quyền điện tử, chính quyền số."
)


def _counts():
    return [model.objects.count() for model in (Campaign, Milestone, YearlyTheme, Registration,
                                                RegistrationCommitment, Inspection, FollowUpTask)]


def test_build_is_idempotent_and_loads_plan_584(db):
    build_demo()
    summary = demo_plan.build()
    first = _counts()
    assert demo_plan.build() == summary
    assert _counts() == first
    assert "584/KH-UBND" in summary and "5 nội dung" in summary

    campaign = Campaign.objects.get(number="584/KH-UBND")
    assert campaign.status == CampaignStatus.LAUNCHED
    assert campaign.issued_on == datetime.date(2022, 10, 14) and campaign.ends_on == datetime.date(2025, 12, 31)
    assert campaign.issuer == "Ủy ban nhân dân tỉnh Đắk Nông"
    assert campaign.organiser.code == "SNV"
    assert campaign.purpose.startswith("Nhằm tạo khí thế thi đua sôi nổi")
    contents = list(campaign.contents.order_by("number"))
    assert [c.number for c in contents] == [1, 2, 3, 4, 5]
    assert contents[0].text == ("Thi đua nâng cao trách nhiệm của người đứng đầu các cơ quan, đơn vị trong lãnh đạo, "
                                "chỉ đạo triển khai thực hiện các nhiệm vụ cải cách hành chính.")
    assert contents[1].text == PLAN_CONTENT_2
    assert contents[4].text.startswith("Huy động và sử dụng có hiệu quả các nguồn lực")
    assert "Cá nhân thuộc các Sở, Ban, ngành" in campaign.individuals_note

    yearly = campaign.milestones.filter(kind="yearly").order_by("year")
    assert [(m.year, m.period_start, m.due_on) for m in yearly][0] == (
        2022, datetime.date(2022, 10, 14), datetime.date(2022, 12, 31))
    assert yearly.count() == 4
    interim = campaign.milestones.get(kind="interim")
    assert interim.period_end == datetime.date(2023, 12, 31) and interim.due_on.month in (10, 11, 12)
    assert campaign.milestones.get(kind="final").period_start == campaign.starts_on

    themes = campaign.themes.order_by("year")
    assert [t.year for t in themes] == [2023, 2024, 2025]
    # Sample data, said in the guidance shown on the theme's page; the title (printed in reports) carries no marker.
    assert all(t.published_at and t.guidance.startswith("Văn bản mẫu") and "[" not in t.title for t in themes)

    for year in (2023, 2024, 2025):
        eligible = participating_units(campaign, year).count()
        registered = Registration.objects.filter(campaign=campaign, year=year).count()
        assert eligible * 0.7 < registered < eligible  # most, not all
    assert Inspection.objects.filter(campaign=campaign).count() == 2
    assert FollowUpTask.objects.filter(completed_on__isnull=True).exists()
