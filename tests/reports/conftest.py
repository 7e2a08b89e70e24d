"""A small, hand-countable campaign dataset for the reports: registrations, evidence, initiatives, PAR, awards.

Known figures (final review, whole period):
- registered units: DM, GN, DM-01 (2023) and GN-01 (2024) → 4;
- content (1): 2 accepted achievements (DM, GN) with 1 file each + 1 submitted; content (2): 1 accepted (DM-01) with
  2 files; contents (3)–(5): nothing;
- 1 recognised initiative (provincial), 1 proposed;
- PAR 2023 district set (published): DM 92.50 (Tốt), GN 85.00 (Khá);
- awards: one awarded dossier (Bằng khen) for the collective DM-01 and the individual Nguyễn Văn An, one proposed
  dossier (Giấy khen) for the collective GN-01 and the collective whose name looks like a formula.
"""

import datetime
from decimal import Decimal

import pytest

from awards.models import AwardForm, CommendationRecord, Decision, Dossier, Nominee
from campaigns.models import (
    Achievement,
    EvidenceFile,
    ExemplaryModel,
    Initiative,
    Inspection,
    Registration,
    RegistrationCommitment,
    YearlyTheme,
)
from core.models import IssuingBody, Signer
from par.models import CriteriaSet, ScoreSheet
from reports.models import ReportDraft
from units.models import Unit, UnitKind

FORMULA_NAME = "=HYPERLINK(\"http://x\",\"Bấm\") Xã Thử"
TASKS_IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                               "QUEUES": ["default", "reports"]}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = TASKS_IMMEDIATE


def _achievement(plan, unit, content, status, files, year=2023):
    achievement = Achievement.objects.create(campaign=plan, unit=unit, year=year, content=content,
                                             title=f"Thành tích {unit.code} {content.number}", status=status)
    for index in range(files):
        EvidenceFile.objects.create(achievement=achievement, original_name=f"minh-chung-{index}.pdf", size=10)
    return achievement


@pytest.fixture
def dataset(tree, people, users, campaign, contents):
    odd = Unit.objects.create(code="DM-02", name=FORMULA_NAME, kind=UnitKind.COMMUNE, parent=tree["dm"])
    YearlyTheme.objects.create(campaign=campaign, year=2023, title="Năm chuyển đổi số",
                               published_at=datetime.datetime(2023, 2, 1, tzinfo=datetime.UTC))
    for unit in (tree["dm"], tree["gn"], tree["dm01"]):
        registration = Registration.objects.create(campaign=campaign, unit=unit, year=2023)
        RegistrationCommitment.objects.create(registration=registration, content=contents[1], commitment="Cam kết")
    Registration.objects.create(campaign=campaign, unit=tree["gn01"], year=2024)
    _achievement(campaign, tree["dm"], contents[1], "accepted", 1)
    _achievement(campaign, tree["gn"], contents[1], "accepted", 1)
    _achievement(campaign, tree["gn01"], contents[1], "submitted", 3)
    _achievement(campaign, tree["dm01"], contents[2], "accepted", 2, year=2024)
    initiative = Initiative.objects.create(campaign=campaign, unit=tree["dm"], year=2023, title="Một cửa số",
                                           problem="p", solution="s", effect="e", status="recognised",
                                           level="provincial", decision_number="1/QĐ", decision_date="2023-11-01")
    initiative.authors.add(people["an"])
    Initiative.objects.create(campaign=campaign, unit=tree["gn"], year=2024, title="Ý tưởng", problem="p",
                              solution="s", effect="e")
    district_set = CriteriaSet.objects.create(year=2023, group="district", title="Bộ chỉ số cấp huyện 2023",
                                              published_at=datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC))
    ScoreSheet.objects.create(criteria_set=district_set, unit=tree["dm"], status="published",
                              index_percent=Decimal("92.50"), total_appraised=Decimal("92.5"), band="good")
    ScoreSheet.objects.create(criteria_set=district_set, unit=tree["gn"], status="published",
                              index_percent=Decimal("85.00"), total_appraised=Decimal("85"), band="fair")
    Inspection.objects.create(campaign=campaign, unit=tree["dm"], inspected_on=datetime.date(2023, 9, 1),
                              inspectors="Đoàn Sở Nội vụ", findings="Tốt")
    ExemplaryModel.objects.create(campaign=campaign, kind="practice", title="Cách làm hay Đắk Mil", story="…",
                                  year=2023, unit=tree["dm"],
                                  published_at=datetime.datetime(2023, 12, 1, tzinfo=datetime.UTC))
    interim = campaign.milestones.get(kind="interim")
    bk = AwardForm.objects.create(code="BK", name="Bằng khen của Chủ tịch UBND tỉnh", recipient_kind="both",
                                  authority="Chủ tịch UBND tỉnh", basis="thematic", order=1)
    gk = AwardForm.objects.create(code="GK", name="Giấy khen của Giám đốc Sở Nội vụ", recipient_kind="both",
                                  authority="Giám đốc Sở Nội vụ", basis="thematic", order=2)
    decision = Decision.objects.create(number="99/QĐ-UBND", date=datetime.date(2023, 12, 20), signer="Hồ Văn Mười")
    awarded = Dossier.objects.create(campaign=campaign, milestone=interim, unit=tree["dm"], form=bk,
                                     state="awarded", decision=decision)
    Nominee.objects.create(dossier=awarded, unit=tree["dm01"], summary="Dẫn đầu cải cách thủ tục hành chính")
    Nominee.objects.create(dossier=awarded, person=people["an"], summary="Chỉ đạo quyết liệt")
    for recipient in ({"unit": tree["dm01"]}, {"person": people["an"]}):
        CommendationRecord.objects.create(form=bk, year=2023, basis="thematic", decision_number=decision.number,
                                          decision_date=decision.date, decision=decision, dossier=awarded,
                                          **recipient)
    proposed = Dossier.objects.create(campaign=campaign, milestone=interim, unit=tree["gn"], form=gk,
                                      state="proposed")
    Nominee.objects.create(dossier=proposed, unit=tree["gn01"], summary="Chính quyền số")
    Nominee.objects.create(dossier=proposed, unit=odd, summary="=1+1")
    Dossier.objects.create(campaign=campaign, milestone=interim, unit=tree["gn"], form=gk, state="submitted",
                           due_on=datetime.date(2024, 1, 5))
    return {"campaign": campaign, "odd": odd, "bk": bk, "gk": gk}


@pytest.fixture
def body(tree):
    """Sở Nội vụ in the shared register (core.register), with its director and a deputy as signers."""
    snv = IssuingBody.objects.create(key="SNV", name="Sở Nội vụ", abbreviation="SNV", governing="UBND TỈNH ĐẮK NÔNG",
                                     place="Đắk Nông", head_title="Giám đốc", deputy_title="Phó Giám đốc")
    Signer.objects.create(body=snv, full_name="Trần Văn Tám", position="head", valid_from=datetime.date(2021, 1, 1))
    Signer.objects.create(body=snv, full_name="Lê Thị Chín", position="deputy", valid_from=datetime.date(2021, 1, 1),
                          valid_to=datetime.date(2024, 12, 31))
    return snv


@pytest.fixture
def final_draft(dataset, users):
    """A final review typed on an older draft (number, date and signer typed, not registered nor chosen)."""
    return ReportDraft.objects.create(
        campaign=dataset["campaign"], kind="final", number="7", issued_on=datetime.date(2025, 12, 5),
        situation="Tỉnh có 08 đơn vị hành chính cấp huyện.",
        direction="Sở Nội vụ tham mưu ban hành kế hoạch và hướng dẫn.", strengths="Các đơn vị hưởng ứng tích cực.",
        limitations="Một số đơn vị chậm nộp minh chứng.", causes="Nhân lực hạn chế.",
        lessons="Phát huy người đứng đầu.",
        next_steps="Nhân rộng mô hình.", proposals="Đề nghị UBND tỉnh khen thưởng.",
        signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", signer_name="Nguyễn Văn Bảy",
        recipients="UBND tỉnh (b/c)\nCác sở, ban, ngành\nLưu: VT, TĐKT", updated_by=users["admin"])
