"""The checklist blocks submission and lists every missing part; the checks warn of duplicates and the rest."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import selectors, services
from awards.models import CommendationRecord, DocumentType
from tests.fixtures.awards import council, pdf


def test_incomplete_dossier_cannot_be_submitted_and_every_missing_part_is_listed(client_for, users, make_dossier):
    dossier = make_dossier("draft", complete=False)
    response = client_for(users["dm_officer"]).post(reverse("awards:submit", args=[dossier.pk]), follow=True)
    page = response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == "draft"
    for text in ["Chưa nộp được hồ sơ vì còn thiếu",
                 "Chưa có đối tượng đề nghị khen thưởng",
                 "Thiếu tài liệu: Tờ trình đề nghị khen thưởng (Mẫu 01).",
                 "Thiếu tài liệu: Biên bản họp Hội đồng Thi đua - Khen thưởng (ghi tỷ lệ phiếu).",
                 "Chưa nhập ngày họp Hội đồng Thi đua - Khen thưởng.",
                 "Chưa nhập tổng số thành viên Hội đồng.",
                 "Chưa nhập số thành viên có mặt tại cuộc họp Hội đồng.",
                 "Chưa nhập số phiếu đồng ý của Hội đồng."]:
        assert text in page, text


def test_missing_parts_follow_the_nominees_and_go_away_one_by_one(users, people, make_dossier):
    officer = users["dm_officer"]
    dossier = make_dossier("draft", complete=False)
    services.nominee_add(dossier=dossier, by=officer, person=people["an"], summary="")
    missing = selectors.missing_parts(dossier)
    assert "Chưa nhập tóm tắt thành tích của “Nguyễn Văn An”." in missing
    assert "Thiếu tài liệu: Báo cáo thành tích cá nhân (Mẫu 03)." in missing
    # No collective nominee: the collective report is not asked for.
    assert not any("tập thể (Mẫu 02)" in m for m in missing)
    with pytest.raises(ValidationError) as refused:
        services.dossier_submit(dossier=dossier, by=officer)
    assert set(missing) <= set(refused.value.messages)
    for code in ("TOTRINH", "BCTT_CN", "BIENBAN"):
        services.document_upload(dossier=dossier, by=officer, doc_type=DocumentType.objects.get(code=code),
                                 upload=pdf())
    council(dossier, officer)
    dossier.refresh_from_db()
    assert selectors.missing_parts(dossier) == ["Chưa nhập tóm tắt thành tích của “Nguyễn Văn An”."]


def test_individual_title_needs_a_recognised_initiative(users, people, make_dossier):
    dossier = make_dossier("draft", form="CSTD-TINH", nominees=[{"person": people["an"]}])
    missing = selectors.missing_parts(dossier)
    assert "“Nguyễn Văn An” chưa có sáng kiến được công nhận gắn kèm (bắt buộc với hình thức này)." in missing


def test_nominee_outside_the_unit_or_of_the_wrong_kind_is_refused(users, tree, people, make_dossier):
    officer = users["dm_officer"]
    dossier = make_dossier("draft", complete=False)
    with pytest.raises(ValidationError, match="không thuộc đơn vị trình"):
        services.nominee_add(dossier=dossier, by=officer, person=people["cuong"], summary="x")
    flag = make_dossier("draft", form="CO-TINH", complete=False)
    with pytest.raises(ValidationError, match="chỉ dành cho tập thể"):
        services.nominee_add(dossier=flag, by=officer, person=people["an"], summary="x")
    services.nominee_add(dossier=dossier, by=officer, unit=tree["dm01"], summary="x")
    with pytest.raises(ValidationError, match="đã có trong hồ sơ"):
        services.nominee_add(dossier=dossier, by=officer, unit=tree["dm01"], summary="x")


def test_duplicate_nominee_for_the_same_form_and_period_is_caught(users, people, tree, make_dossier):
    first = make_dossier("submitted")
    second = make_dossier("draft", nominees=[{"person": people["an"]}])
    warnings = selectors.dossier_checks(second)
    assert any("Nguyễn Văn An" in w and f"hồ sơ số {first.pk}" in w for w in warnings)
    # A different form for the same person is not a duplicate.
    other_form = make_dossier("draft", form="BK-TINH", nominees=[{"person": people["an"]}])
    assert not any("đã được đề nghị" in w for w in selectors.dossier_checks(other_form))


def test_earlier_award_in_history_for_the_same_period_is_caught(users, people, catalogue, make_dossier):
    CommendationRecord.objects.create(person=people["an"], form=catalogue["BK-TINH-CD"], year=2023,
                                      decision_number="99/QĐ-UBND", decision_date=datetime.date(2023, 12, 1))
    dossier = make_dossier("draft", nominees=[{"person": people["an"]}])
    assert any("99/QĐ-UBND" in w for w in selectors.dossier_checks(dossier))


def test_the_appraiser_sees_the_duplicate_on_the_page(client_for, users, people, make_dossier):
    make_dossier("proposed")
    second = make_dossier("submitted", nominees=[{"person": people["an"]}])
    page = client_for(users["appraiser"]).get(reverse("awards:detail", args=[second.pk])).content.decode()
    assert "Luật không khen nhiều lần cho một thành tích" in page


def test_vote_share_below_threshold_thematic_grounds_and_ended_unit(users, people, tree, catalogue, make_dossier):
    officer = users["dm_officer"]
    thematic = CommendationRecord.objects.create(
        person=people["an"], form=catalogue["BK-TINH-CD"], year=2021, decision_number="5/QĐ-UBND",
        decision_date=datetime.date(2021, 12, 1))
    dossier = make_dossier("draft", form="BK-TINH", complete=False)
    services.nominee_add(dossier=dossier, by=officer, person=people["an"], summary="x", grounds=[thematic])
    services.nominee_add(dossier=dossier, by=officer, unit=tree["dm01_vp"], summary="x")
    council(dossier, officer, votes=4, members=10)
    tree["dm01_vp"].valid_to = datetime.date(2025, 6, 30)
    tree["dm01_vp"].save()
    dossier.refresh_from_db()
    warnings = selectors.dossier_checks(dossier)
    assert any("Tỷ lệ phiếu đồng ý 40% thấp hơn mức tối thiểu 50%" in w for w in warnings)
    assert any("không được dùng làm căn cứ đề nghị khen thưởng công trạng" in w for w in warnings)
    assert any("không còn tồn tại" in w and "Văn phòng HĐND" in w for w in warnings)


def test_simplified_procedure_only_where_allowed(users, tree, catalogue, campaign, interim):
    with pytest.raises(ValidationError):
        services.dossier_create(by=users["dm_officer"], campaign=campaign, milestone=interim, unit=tree["dm"],
                                form=catalogue["CO-TINH"], simplified=True)
    dossier = services.dossier_create(by=users["dm_officer"], campaign=campaign, milestone=interim, unit=tree["dm"],
                                      form=catalogue["BK-TINH-DX"], simplified=True)
    missing = selectors.missing_parts(dossier)
    assert "Thiếu tài liệu: Báo cáo tóm tắt thành tích (thủ tục đơn giản)." in missing
    assert not any("Hội đồng" in m for m in missing)


def test_eligibility_reads_the_history(users, people, catalogue, make_dossier):
    def record(year, form="CSTD-CS", basis=None):
        CommendationRecord.objects.create(person=people["an"], form=catalogue[form], year=year,
                                          basis=basis or catalogue[form].basis, decision_number=f"{year}/QĐ",
                                          decision_date=datetime.date(year, 12, 20))

    record(2022)
    record(2023)
    dossier = make_dossier("draft", form="CSTD-TINH", nominees=[{"person": people["an"]}])
    warnings = selectors.dossier_checks(dossier)
    assert any("cần đạt “Chiến sĩ thi đua cơ sở” 3 năm liên tục (2021–2023)" in w and "thiếu năm 2021" in w
               for w in warnings)
    record(2021)
    assert not any("chưa đủ điều kiện" in w for w in selectors.dossier_checks(dossier))
