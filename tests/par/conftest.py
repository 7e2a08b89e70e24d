"""PAR fixtures: a small district criteria set (hand-checkable), sheets and a helper that scores a sheet."""

from decimal import Decimal

import pytest

from par import services
from par.models import CriteriaSet, ScoreSheet, UnitGroup
from tests.campaigns.conftest import campaign, contents  # noqa: F401  (campaign evidence fixtures)
from units.models import Role, User

D = Decimal

# code, title, max, evidence required, may be N/A  (leaves: 1.1, 1.2.1, 1.2.2, 2.1, 2.2; maximum 20)
TREE = [
    ("1", "Công tác chỉ đạo, điều hành", "10", False, False),
    ("1.1", "Kế hoạch cải cách hành chính", "4", False, False),
    ("1.2", "Kiểm tra cải cách hành chính", "6", False, False),
    ("1.2.1", "Kiểm tra tại các phòng", "3", False, True),
    ("1.2.2", "Xử lý sau kiểm tra", "3", False, False),
    ("2", "Cải cách thủ tục hành chính", "10", False, False),
    ("2.1", "Công khai thủ tục hành chính", "5", False, False),
    ("2.2", "Một cửa liên thông", "5", False, True),
]


def tree_rows(tree=TREE):
    return [{"code": code, "title": title, "max_points": D(points), "guidance": "", "evidence_required": evidence,
             "may_be_not_applicable": na, "is_survey": False} for code, title, points, evidence, na in tree]


@pytest.fixture
def par_users(users, tree):
    return users


def officer_for(unit):
    """The focal officer of `unit` (created on first use)."""
    officer = User.objects.filter(role=Role.OFFICER, unit=unit).order_by("pk").first()
    return officer or User.objects.create_user(username=f"cb_{unit.code}", password="x", role=Role.OFFICER,
                                               unit=unit)


@pytest.fixture
def district_set(par_users):
    criteria_set = services.set_create(by=par_users["admin"], year=2024, group=UnitGroup.DISTRICT,
                                       title="Bộ chỉ số CCHC cấp huyện 2024")
    services.set_replace_tree(criteria_set=criteria_set, by=par_users["admin"], rows=tree_rows())
    return CriteriaSet.objects.get(pk=criteria_set.pk)


@pytest.fixture
def district_sheets(district_set, par_users, tree):
    services.sheets_open(criteria_set=district_set, by=par_users["admin"])
    return {s.unit.code: s for s in ScoreSheet.objects.filter(criteria_set=district_set).select_related("unit")}


def leaf(criteria_set, code):
    return criteria_set.criteria.get(code=code)


def self_assess(sheet, officer, values):
    """values: {code: Decimal-able or "NA"}"""
    for code, value in values.items():
        criterion = leaf(sheet.criteria_set, code)
        if value == "NA":
            services.score_self_assess(sheet=sheet, criterion=criterion, by=officer, not_applicable=True)
        else:
            services.score_self_assess(sheet=sheet, criterion=criterion, by=officer, self_score=D(str(value)),
                                       explanation=f"Giải trình {code}")


def appraise(sheet, appraiser, changes):
    """Take the sheet, change the given appraised scores (with a comment), complete the appraisal."""
    services.sheet_start_appraisal(sheet=sheet, by=appraiser)
    for code, value in changes.items():
        services.score_appraise(sheet=sheet, criterion=leaf(sheet.criteria_set, code), by=appraiser,
                                appraised_score=D(str(value)), comment="Thiếu tài liệu kiểm chứng")
    services.sheet_complete_appraisal(sheet=sheet, by=appraiser)
    sheet.refresh_from_db()
    return sheet


def full_run(sheet, users, values, changes=None):
    self_assess(sheet, officer_for(sheet.unit), values)
    services.sheet_submit(sheet=sheet, by=officer_for(sheet.unit))
    return appraise(sheet, users["appraiser"], changes or {})
