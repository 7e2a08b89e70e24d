"""The awards demo: the catalogue and interim-review dossiers in every state, council sessions, one registered
decision with prize money; idempotent."""

import pytest

from awards import demo
from awards.models import AwardForm, CommendationRecord, CouncilSession, Decision, Dossier, DossierState
from campaigns import demo_plan, demo_work
from units.demo.builder import build_demo


@pytest.mark.django_db
def test_demo_builds_every_state_once():
    assert demo.build() == ""  # no Plan 584 yet
    build_demo()
    demo_plan.build()
    demo_work.build()
    summary = demo.build()
    assert summary.startswith("Khen thưởng sơ kết 584/KH-UBND")
    counts = (Dossier.objects.count(), CommendationRecord.objects.count(), Decision.objects.count())
    assert demo.build() == summary
    assert (Dossier.objects.count(), CommendationRecord.objects.count(), Decision.objects.count()) == counts
    assert set(Dossier.objects.values_list("state", flat=True)) == set(DossierState.values)
    assert AwardForm.objects.filter(code="CSTD-TINH").exists()
    # The decision took the next number of the province's 2024 register (which had reached 149 before the
    # application); its prize money is stored on each award (Bằng khen, 22/01/2024: 1.0 or 2.0 × 1,800,000).
    decision = Decision.objects.get(number="150/QĐ-UBND")
    assert decision.dossiers.count() == 2
    records = CommendationRecord.objects.filter(decision=decision)
    assert records.count() == 3
    assert sorted(r.amount for r in records) == [1800000, 1800000, 3600000]
    # One closed session (its minutes and ballot-count record on each of its dossiers), one still open.
    closed = CouncilSession.objects.get(state="closed")
    assert closed.minutes.reference == "01/BB-HĐTĐKT" and closed.tally.reference == "02/BB-HĐTĐKT"
    for item in closed.items.all():
        assert set(item.dossier.documents.values_list("doc_type__code", flat=True)) >= {"BB_HOP_TINH",
                                                                                       "BB_KIEMPHIEU"}
    assert CouncilSession.objects.filter(state="open").count() == 1
    assert not Dossier.objects.exclude(nominees__person__staff_code__startswith="DEMO-").filter(
        nominees__unit__isnull=True).exists()
    resubmitted = Dossier.objects.filter(submission_count=2).first()
    assert resubmitted is not None and resubmitted.submissions.get(number=2).changes


@pytest.mark.django_db
def test_the_demo_decision_pdf_is_final_with_its_signer_bases_and_totals(tmp_path):
    import re
    import subprocess

    from awards import pdf

    build_demo()
    demo_plan.build()
    demo_work.build()
    demo.build()
    decision = Decision.objects.get(number="150/QĐ-UBND")
    path = tmp_path / "qd.pdf"
    path.write_bytes(pdf.decision_pdf(decision))
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], capture_output=True, check=True,
                         text=True).stdout
    text = " ".join(re.sub(r"(?<=\S)([-/])\n", r"\1", raw).split())
    assert "DỰ THẢO" not in text
    for expected in ["Số: 150/QĐ-UBND", "Đắk Nông, ngày 22 tháng 01 năm 2024",
                     "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG",
                     "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
                     "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                     "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023",
                     "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 15/TTr-SNV ngày 18 tháng 01 năm 2024.",
                     "Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 01 tập thể và 02 cá nhân",
                     "Điều 2. Tiền thưởng", "CHỦ TỊCH Hồ Văn Mười",
                     "Kèm theo Quyết định số 150/QĐ-UBND ngày 22/01/2024 của Chủ tịch Ủy ban nhân dân tỉnh Đắk Nông",
                     "Tổng cộng tiền thưởng: 7.200.000 đồng"]:
        assert expected in text, expected
    annex = text[text.index("DANH SÁCH KHEN THƯỞNG"):text.index("Tổng cộng tiền thưởng")]
    amounts = [int(m.replace(".", "")) for m in re.findall(r"\b\d{1,3}(?:\.\d{3})+\b", annex)]
    assert sum(amounts) == sum(r.amount for r in decision.records.all()) == 7200000
