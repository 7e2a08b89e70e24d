"""A tree to restructure: three communes (two of Gia Nghĩa, one of Đắk Mil with its division), the Gia Nghĩa
district with two divisions, people everywhere, and rows of the later apps that follow or stay."""

import datetime

import pytest

from awards.catalogue import ensure_catalogue
from awards.models import AwardForm, CommendationRecord
from campaigns.models import Achievement, AchievementStatus, Registration
from par.models import CriteriaSet, ScoreSheet, SheetStatus
from units.models import Person, Unit, UnitKind

ON = datetime.date(2025, 7, 1)


@pytest.fixture
def more(tree, people, users, campaign):
    gn = tree["gn"]
    gn02 = Unit.objects.create(code="GN-02", name="Ủy ban nhân dân phường Nghĩa Phú", kind=UnitKind.COMMUNE,
                               parent=gn)
    gn_vp = Unit.objects.create(code="GN.VP", name="Văn phòng HĐND và UBND thành phố Gia Nghĩa",
                                kind=UnitKind.DIVISION, parent=gn)
    gn_pnv = Unit.objects.create(code="GN.PNV", name="Phòng Nội vụ thành phố Gia Nghĩa", kind=UnitKind.DIVISION,
                                 parent=gn)
    staff = {
        "dung": Person.objects.create(full_name="Phạm Văn Dũng", gender="male", unit=gn02),
        "hoa": Person.objects.create(full_name="Đỗ Thị Hoa", gender="female", unit=gn),
        "lan": Person.objects.create(full_name="Vũ Thị Lan", gender="female", unit=gn_vp),
        "minh": Person.objects.create(full_name="Hồ Văn Minh", gender="male", unit=gn_pnv),
    }
    contents = {c.number: c for c in campaign.contents.all()}
    registrations = [Registration.objects.create(campaign=campaign, unit=unit, year=year)
                     for unit, year in ((tree["gn01"], 2025), (gn02, 2025), (tree["dm01"], 2025),
                                        (tree["gn01"], 2023))]
    under_review = Achievement.objects.create(campaign=campaign, unit=tree["gn01"], year=2025, content=contents[2],
                                              title="Một cửa điện tử", status=AchievementStatus.SUBMITTED)
    accepted = Achievement.objects.create(campaign=campaign, unit=gn02, year=2024, content=contents[1],
                                          title="Đối thoại", status=AchievementStatus.ACCEPTED)
    current = CriteriaSet.objects.create(year=2025, group="commune", title="Bộ chỉ số 2025 cấp xã")
    earlier = CriteriaSet.objects.create(year=2023, group="commune", title="Bộ chỉ số 2023 cấp xã")
    sheets = {code: ScoreSheet.objects.create(criteria_set=current, unit=unit) for code, unit in
              (("GN-01", tree["gn01"]), ("GN-02", gn02))}
    published = ScoreSheet.objects.create(criteria_set=earlier, unit=tree["gn01"], status=SheetStatus.PUBLISHED)
    ensure_catalogue()
    record = CommendationRecord.objects.create(unit=tree["gn01"], form=AwardForm.objects.get(code="TTLDXS"),
                                               year=2022, decision_number="88/QĐ-UBND",
                                               decision_date=datetime.date(2023, 1, 16), basis="regular")
    return {"gn02": gn02, "gn_vp": gn_vp, "gn_pnv": gn_pnv, "staff": staff, "registrations": registrations,
            "under_review": under_review, "accepted": accepted, "sheets": sheets, "published": published,
            "record": record, "current_set": current}
