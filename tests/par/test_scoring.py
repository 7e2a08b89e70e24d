"""Totals, index, band and rank against a hand-computed example; the rules of the workflow."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.files import bytes_upload
from core.models import AuditEntry
from par import selectors, services
from par.models import Band, Criterion, Score, ScoreSheet, SheetStatus
from tests.fixtures.par import appraise, full_run, leaf, officer_for, self_assess
from units.models import Unit, UnitKind

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _district(code, tree, **extra):
    return Unit.objects.create(code=code, name=f"UBND huyện {code}", kind=UnitKind.DISTRICT,
                               parent=tree["province"], **extra)


@pytest.fixture
def seven(district_set, tree):
    """Seven district sheets H1…H7 (and no others) for the hand-computed example."""
    sheets = {}
    for number in range(1, 8):
        unit = _district(f"H{number}", tree)
        sheets[unit.code] = ScoreSheet.objects.create(criteria_set=district_set, unit=unit)
    return sheets


def test_totals_index_band_and_rank_match_hand_computed_example(seven, par_users):
    # Leaves (max): 1.1 (4), 1.2.1 (3, may be N/A), 1.2.2 (3), 2.1 (5), 2.2 (5, may be N/A); maximum 20.
    full_run(seven["H1"], par_users, {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5}, {"1.2.2": "2.5"})
    full_run(seven["H2"], par_users, {"1.1": 4, "1.2.1": "NA", "1.2.2": 3, "2.1": 5, "2.2": 4})
    full_run(seven["H3"], par_users, {"1.1": "3.5", "1.2.1": "NA", "1.2.2": 3, "2.1": 4, "2.2": "NA"})
    full_run(seven["H4"], par_users, {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 3}, {"2.1": "4.5"})
    full_run(seven["H5"], par_users, {"1.1": 4, "1.2.1": "NA", "1.2.2": "2.5", "2.1": 4, "2.2": "NA"})
    full_run(seven["H6"], par_users, {"1.1": 3, "1.2.1": 2, "1.2.2": 2, "2.1": 3, "2.2": 3})
    full_run(seven["H7"], par_users, {"1.1": 1, "1.2.1": 1, "1.2.2": 1, "2.1": 2, "2.2": 1})

    expected = {
        # code: (self total, appraised total, max applicable, index %, band)
        "H1": ("20", "19.5", "20", "97.50", Band.GOOD),      # 19.5 / 20
        "H2": ("16", "16", "17", "94.12", Band.GOOD),        # 16 / 17 = 94.1176… (1.2.1 not applicable)
        "H3": ("10.5", "10.5", "12", "87.50", Band.FAIR),    # 10.5 / 12 (two not applicable)
        "H4": ("18", "17.5", "20", "87.50", Band.FAIR),      # 17.5 / 20
        "H5": ("10.5", "10.5", "12", "87.50", Band.FAIR),    # 10.5 / 12
        "H6": ("13", "13", "20", "65.00", Band.AVERAGE),     # exactly the Trung bình threshold
        "H7": ("6", "6", "20", "30.00", Band.WEAK),
    }
    for code, (total_self, total_appraised, maximum, index, band) in expected.items():
        sheet = ScoreSheet.objects.get(pk=seven[code].pk)
        assert (sheet.total_self, sheet.total_appraised, sheet.max_applicable, sheet.index_percent, sheet.band) == (
            D(total_self), D(total_appraised), D(maximum), D(index), band), code

    ranked = [(s.unit.code, s.rank) for s in selectors.ranking(seven["H1"].criteria_set)]
    # H4 ties H3/H5 on the index but has the higher appraised total; H3 and H5 tie on both → shared rank 4.
    assert ranked == [("H1", 1), ("H2", 2), ("H4", 3), ("H3", 4), ("H5", 4), ("H6", 6), ("H7", 7)]


def test_not_applicable_leaves_the_maximum_and_is_only_allowed_where_permitted(district_sheets, par_users):
    sheet = district_sheets["DM"]
    officer = officer_for(sheet.unit)
    self_assess(sheet, officer, {"1.2.1": "NA", "2.2": "NA"})
    sheet.refresh_from_db()
    assert sheet.max_applicable == D("12")  # 20 − 3 − 5
    assert sheet.done_count == 2 and sheet.leaf_count == 5
    with pytest.raises(ValidationError, match="không áp dụng"):
        self_assess(sheet, officer, {"1.1": "NA"})
    self_assess(sheet, officer, {"2.2": 4})  # back to applicable
    sheet.refresh_from_db()
    assert sheet.max_applicable == D("17")


def test_scores_must_be_half_points_within_the_maximum(district_sheets, par_users):
    sheet, officer = district_sheets["DM"], officer_for(district_sheets["DM"].unit)
    with pytest.raises(ValidationError, match="bước 0,5"):
        self_assess(sheet, officer, {"1.1": "1.2"})
    with pytest.raises(ValidationError, match="từ 0 đến 4"):
        self_assess(sheet, officer, {"1.1": "4.5"})
    self_assess(sheet, officer, {"1.1": "3.5"})
    assert Score.objects.get(sheet=sheet, criterion__code="1.1").self_score == D("3.5")


def test_different_appraised_score_without_comment_is_refused(district_sheets, par_users):
    sheet = district_sheets["DM"]
    self_assess(sheet, officer_for(sheet.unit), {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5})
    services.sheet_submit(sheet=sheet, by=officer_for(sheet.unit))
    services.sheet_start_appraisal(sheet=sheet, by=par_users["appraiser"])
    criterion = leaf(sheet.criteria_set, "2.1")
    with pytest.raises(ValidationError, match="ý kiến thẩm định"):
        services.score_appraise(sheet=sheet, criterion=criterion, by=par_users["appraiser"],
                                appraised_score=D("4"), comment="  ")
    assert Score.objects.get(sheet=sheet, criterion=criterion).appraised_score == D("5")
    services.score_appraise(sheet=sheet, criterion=criterion, by=par_users["appraiser"], appraised_score=D("5"))
    services.score_appraise(sheet=sheet, criterion=criterion, by=par_users["appraiser"], appraised_score=D("4"),
                            comment="Kế hoạch ban hành chậm")
    sheet.refresh_from_db()
    assert sheet.total_appraised == D("19") and sheet.index_percent == D("95.00")


def test_submit_refused_while_required_evidence_missing(district_sheets, district_set, par_users):
    Criterion.objects.filter(criteria_set=district_set, code__in=["1.1", "2.1"]).update(evidence_required=True)
    sheet, officer = district_sheets["DM"], officer_for(district_sheets["DM"].unit)
    self_assess(sheet, officer, {"1.1": 4, "1.2.1": 3, "2.1": 5})
    with pytest.raises(ValidationError, match="còn 2 tiêu chí chưa chấm điểm .*: 1.2.2, 2.2"):
        services.sheet_submit(sheet=sheet, by=officer)
    self_assess(sheet, officer, {"1.2.2": 3, "2.2": "NA"})
    with pytest.raises(ValidationError) as refused:
        services.sheet_submit(sheet=sheet, by=officer)
    assert "1.1, 2.1" in " ".join(refused.value.messages)
    services.score_self_assess(sheet=sheet, criterion=leaf(district_set, "1.1"), by=officer, self_score=D(4),
                               uploads=[bytes_upload("Kế hoạch CCHC.pdf", PDF)])
    with pytest.raises(ValidationError, match="2.1"):
        services.sheet_submit(sheet=sheet, by=officer)
    services.score_self_assess(sheet=sheet, criterion=leaf(district_set, "2.1"), by=officer, self_score=D(5),
                               uploads=[bytes_upload("Công khai TTHC.pdf", PDF)])
    services.sheet_submit(sheet=sheet, by=officer)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert AuditEntry.objects.filter(action="par_sheet_submit", target_id=str(sheet.pk),
                                     changes={"from": "draft", "to": "submitted"}).count() == 1


def test_published_year_cannot_be_edited_until_reopened(district_sheets, district_set, par_users):
    for sheet in district_sheets.values():
        full_run(sheet, par_users, {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5})
    services.set_publish(criteria_set=district_set, by=par_users["admin"])
    sheet = ScoreSheet.objects.get(pk=district_sheets["DM"].pk)
    assert sheet.status == SheetStatus.PUBLISHED
    with pytest.raises(ValidationError):
        services.score_appraise(sheet=sheet, criterion=leaf(district_set, "1.1"), by=par_users["appraiser"],
                                appraised_score=D(3), comment="Sửa")
    with pytest.raises(ValidationError, match="mở lại"):
        services.set_update(criteria_set=district_set, by=par_users["admin"], title="Đổi tên")
    with pytest.raises(ValidationError, match="lý do"):
        services.set_reopen(criteria_set=district_set, by=par_users["admin"], reason=" ")

    services.set_reopen(criteria_set=district_set, by=par_users["admin"], reason="Đơn vị khiếu nại tiêu chí 1.1")
    assert AuditEntry.objects.filter(action="par_set_reopen", note="Đơn vị khiếu nại tiêu chí 1.1").count() == 1
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.APPRAISED
    # reopened: the appraiser may correct the appraised score again, then the admin publishes again
    services.score_appraise(sheet=sheet, criterion=leaf(district_set, "1.1"), by=par_users["appraiser"],
                            appraised_score=D(3), comment="Kế hoạch thiếu nội dung")
    sheet.refresh_from_db()
    assert sheet.total_appraised == D("19") and sheet.index_percent == D("95.00")
    services.set_publish(criteria_set=district_set, by=par_users["admin"])
    assert ScoreSheet.objects.get(pk=sheet.pk).status == SheetStatus.PUBLISHED


def test_set_is_locked_once_a_sheet_is_submitted(district_sheets, district_set, par_users):
    services.criterion_save(criteria_set=district_set, by=par_users["admin"], code="2.3",
                            title="Tiêu chí mới", max_points=D("2"))
    assert Criterion.objects.get(criteria_set=district_set, code="2").max_points == D("12")
    self_assess(district_sheets["DM"], officer_for(district_sheets["DM"].unit),
                {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5, "2.3": 2})
    services.sheet_submit(sheet=district_sheets["DM"], by=officer_for(district_sheets["DM"].unit))
    with pytest.raises(ValidationError, match="đã khóa"):
        services.criterion_save(criteria_set=district_set, by=par_users["admin"], code="2.4",
                                title="Tiêu chí khác", max_points=D("1"))
    with pytest.raises(ValidationError, match="đã khóa"):
        services.set_update(criteria_set=district_set, by=par_users["admin"], band_good_min=D("95"))


def test_open_scoring_creates_sheets_for_active_units_of_the_group_only(district_set, par_users, tree):
    _district("CU", tree, valid_to=datetime.date(2023, 12, 31))  # ended before 2024
    _district("MOI", tree, valid_from=datetime.date(2024, 7, 1))  # active during 2024
    created = services.sheets_open(criteria_set=district_set, by=par_users["admin"])
    codes = set(ScoreSheet.objects.filter(criteria_set=district_set).values_list("unit__code", flat=True))
    assert created == 3 and codes == {"DM", "GN", "MOI"}
    assert services.sheets_open(criteria_set=district_set, by=par_users["admin"]) == 0


def test_return_for_explanation_shows_differences_then_resubmit(district_sheets, par_users):
    sheet = district_sheets["GN"]
    self_assess(sheet, officer_for(sheet.unit), {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5})
    services.sheet_submit(sheet=sheet, by=officer_for(sheet.unit))
    services.sheet_start_appraisal(sheet=sheet, by=par_users["appraiser"])
    with pytest.raises(ValidationError):
        services.sheet_return(sheet=sheet, by=par_users["appraiser"], note="")
    services.sheet_return(sheet=sheet, by=par_users["appraiser"], note="Giải trình tiêu chí 2.1")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.RETURNED and sheet.appraisal_visible_to_unit
    self_assess(sheet, officer_for(sheet.unit), {"2.1": "4.5"})
    services.sheet_resubmit(sheet=sheet, by=officer_for(sheet.unit))
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    sheet = appraise(sheet, par_users["appraiser"], {})
    assert sheet.status == SheetStatus.APPRAISED
    # the earlier appraised score (5, copied from the first self-score) is kept, not overwritten
    assert Score.objects.get(sheet=sheet, criterion__code="2.1").appraised_score == D("5")


def test_survey_part_uses_the_weight(par_users, tree):
    from tests.fixtures.par import tree_rows

    criteria_set = services.set_create(by=par_users["admin"], year=2024, group="district", title="Có điều tra",
                                       survey_enabled=True, survey_weight=D("30"))
    rows = tree_rows() + [
        {"code": "3", "title": "Điều tra xã hội học", "max_points": D("10")},
        {"code": "3.1", "title": "Hài lòng của người dân", "max_points": D("10"), "is_survey": True},
    ]
    services.set_replace_tree(criteria_set=criteria_set, by=par_users["admin"], rows=rows)
    services.sheets_open(criteria_set=criteria_set, by=par_users["admin"])
    sheet = ScoreSheet.objects.get(criteria_set=criteria_set, unit__code="DM")
    full_run(sheet, par_users, {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 3})  # 18 / 20
    services.survey_apply(criteria_set=criteria_set, by=par_users["appraiser"],
                          entries=[(sheet.pk, leaf(criteria_set, "3.1").pk, D("8"))])
    sheet.refresh_from_db()
    # 18/20 × 70 + 8/10 × 30 = 63 + 24 = 87
    assert (sheet.survey_points, sheet.survey_max, sheet.index_percent) == (D("8"), D("10"), D("87.00"))


def test_second_submit_gets_a_clear_message_not_a_second_transition(district_sheets, par_users):
    sheet = district_sheets["DM"]
    officer = officer_for(sheet.unit)
    self_assess(sheet, officer, {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5})
    services.sheet_submit(sheet=sheet, by=officer)
    with pytest.raises(ValidationError, match="Đã nộp, chờ thẩm định"):
        services.sheet_submit(sheet=sheet, by=officer)  # the stale object still says "draft"
    assert AuditEntry.objects.filter(action="par_sheet_submit").count() == 1
    with pytest.raises(ValidationError, match="không sửa được"):
        self_assess(sheet, officer, {"1.1": 3})


def test_survey_settings_stay_consistent_with_the_criteria(par_users, district_set):
    from par.models import CriteriaSet

    services.set_update(criteria_set=district_set, by=par_users["admin"], survey_enabled=True, survey_weight=D("30"))
    services.criterion_save(criteria_set=district_set, by=par_users["admin"], code="3", title="Điều tra",
                            max_points=D("10"))
    services.criterion_save(criteria_set=district_set, by=par_users["admin"], code="3.1", title="Người dân",
                            max_points=D("10"), is_survey=True)
    with pytest.raises(ValidationError, match="tắt phần điều tra"):
        services.set_update(criteria_set=district_set, by=par_users["admin"], survey_enabled=False)
    with pytest.raises(ValidationError, match="bật phần điều tra"):
        services.set_create(by=par_users["admin"], year=2025, group="district", title="2025", copy_from=district_set)
    copy = services.set_copy_to_next_year(criteria_set=CriteriaSet.objects.get(pk=district_set.pk),
                                          by=par_users["admin"])
    assert copy.survey_enabled and copy.criteria.filter(is_survey=True).count() == 1
