"""The demo holds two movements: Plan 584 closed after its final review, and a launched 2026–2030 sample plan of the
new Lâm Đồng with its own contents, themes and milestones."""

import pytest

from campaigns import demo_close, demo_movement, demo_plan
from campaigns.models import Campaign, CampaignStatus, EmulationContent, Milestone, Registration, YearlyTheme
from core import demo
from units.demo.builder import build_demo
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def _counts():
    return [model.objects.count() for model in (Campaign, EmulationContent, Milestone, YearlyTheme, Registration)]


def test_the_movement_and_the_closing_run_after_every_other_builder():
    order = demo.modules()
    assert order[-2:] == ["campaigns.demo_movement", "campaigns.demo_close"]
    assert order.index("reports.demo") < order.index("campaigns.demo_close")  # the final review exists first
    # The new province's units exist before the movement that belongs to them.
    assert order.index("awards.demo_restructuring") < order.index("campaigns.demo_movement")


def test_the_second_movement_is_data_and_plan_584_is_closed(db):
    build_demo()
    demo_plan.build()
    summary = demo_movement.build()
    demo_close.build()
    first = _counts()
    assert demo_movement.build() == summary and demo_close.build() == ""  # idempotent; closed stays closed
    assert _counts() == first

    plan_584 = Campaign.objects.get(number=demo_plan.NUMBER)
    assert plan_584.status == CampaignStatus.CLOSED and not plan_584.sample
    movement = Campaign.objects.get(number=demo_movement.NUMBER)
    assert movement.status == CampaignStatus.LAUNCHED and movement.sample  # number and date marked as sample
    assert (movement.starts_on.year, movement.ends_on.year) == (2026, 2030)
    assert movement.issuer == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert UnitKind.DISTRICT.value not in movement.participant_unit_kinds  # no district level after 1/7/2025
    titles = list(movement.contents.order_by("number").values_list("short_title", flat=True))
    assert len(titles) == 5 and not set(titles) & set(plan_584.contents.values_list("short_title", flat=True))
    assert movement.themes.get(year=2026).is_published
    kinds = sorted(movement.milestones.values_list("kind", flat=True))
    assert kinds.count("yearly") == 5 and "interim" in kinds and "final" in kinds
    registered = Registration.objects.filter(campaign=movement, year=2026)
    assert 0 < registered.count() and all(r.commitments.count() == 5 for r in registered[:5])
    assert not registered.filter(unit__kind=UnitKind.DISTRICT).exists()


def test_the_organiser_is_the_new_provinces_home_affairs_department_when_it_exists(db):
    build_demo()
    assert demo_movement.organiser().code == "SNV"  # before the restructuring is in the demo
    province = Unit.objects.create(code="LDG", name="Ủy ban nhân dân tỉnh Lâm Đồng", kind=UnitKind.PROVINCE)
    new_snv = Unit.objects.create(code="LDG-SNV", name="Sở Nội vụ tỉnh Lâm Đồng", kind=UnitKind.DEPARTMENT,
                                  parent=province)
    assert demo_movement.organiser() == new_snv


def test_without_any_home_affairs_department_the_top_unit_organises(tree):
    tree["snv"].delete()
    assert demo_movement.organiser() == tree["province"]
