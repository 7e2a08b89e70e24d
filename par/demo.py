"""Demo data for the PAR index: a criteria set per unit group for 2023 and 2024 (demo wording modelled on the
national areas of QĐ 876/QĐ-BNV), 2023 scored, appraised and published, 2024 self-assessments in progress.

Idempotent (sets by year and group, sheets by unit, scores by sheet and criterion) and fast (bulk inserts).
"""

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import audit
from core.files import bytes_upload, store_upload

from . import services
from .models import CriteriaSet, Criterion, ParEvidenceFile, Score, ScoreSheet, SheetStatus, UnitGroup

DEMO_ACCOUNT_UNITS = {"DM", "GN-01"}
DEMO_FILE_NAME = "Tài liệu kiểm chứng (mẫu).pdf"
# (area title, [(criterion title, [sub-criterion max points...] or max points, evidence required, may be N/A)])
AREAS = [
    ("Công tác chỉ đạo, điều hành cải cách hành chính", [
        ("Kế hoạch cải cách hành chính năm", [1, 1], True, False),
        ("Báo cáo cải cách hành chính định kỳ", 1.5, True, False),
        ("Kiểm tra công tác cải cách hành chính", 1.5, True, False),
        ("Công tác tuyên truyền cải cách hành chính", 2, False, False),
        ("Sáng kiến, giải pháp mới trong cải cách hành chính", 2, False, True),
    ]),
    ("Cải cách thể chế", [
        ("Xây dựng, ban hành văn bản theo thẩm quyền", [1.5, 1.5], True, True),
        ("Rà soát, hệ thống hóa văn bản quy phạm pháp luật", 2, True, False),
        ("Theo dõi thi hành pháp luật", 2, False, False),
    ]),
    ("Cải cách thủ tục hành chính", [
        ("Công khai thủ tục hành chính", 2, True, False),
        ("Giải quyết hồ sơ đúng hạn", [2, 2], True, False),
        ("Tiếp nhận, xử lý phản ánh, kiến nghị", 2, False, False),
        ("Thực hiện cơ chế một cửa, một cửa liên thông", 2, False, False),
    ]),
    ("Cải cách tổ chức bộ máy hành chính nhà nước", [
        ("Sắp xếp tổ chức bộ máy theo quy định", 2, True, False),
        ("Thực hiện biên chế được giao", 2, False, False),
        ("Phân cấp, ủy quyền", 2, False, True),
    ]),
    ("Cải cách chế độ công vụ", [
        ("Vị trí việc làm và cơ cấu ngạch công chức", 2, True, False),
        ("Tuyển dụng, bố trí, đánh giá công chức", 2, False, False),
        ("Kỷ luật, kỷ cương hành chính", 2, False, False),
    ]),
    ("Cải cách tài chính công", [
        ("Thực hiện dự toán ngân sách", 2, True, False),
        ("Cơ chế tự chủ tài chính", 2, False, True),
        ("Thực hành tiết kiệm, chống lãng phí", 2, False, False),
    ]),
    ("Xây dựng, phát triển Chính phủ điện tử, Chính phủ số", [
        ("Hệ thống quản lý văn bản và điều hành", 2, False, False),
        ("Dịch vụ công trực tuyến toàn trình", [1.5, 1.5], True, False),
        ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 2, False, False),
        ("Hệ thống quản lý chất lượng ISO", 2, True, True),
    ]),
]
IMPACT = "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội"
SURVEY = [("Mức độ hài lòng của người dân, tổ chức", 12), ("Đánh giá của cán bộ, công chức", 8),
          ("Đánh giá của lãnh đạo các cấp", 10)]
IMPACT_LOCAL = [("Thu hút đầu tư, thu ngân sách trên địa bàn", 4), ("Tỷ lệ hồ sơ trực tuyến tăng so với năm trước", 4)]


def demo_rows(group):
    """The tree as import rows (codes give the tree)."""
    rows = []
    for area_no, (area, criteria) in enumerate(AREAS, 1):
        area_row = {"code": str(area_no), "title": area, "max_points": Decimal(0)}
        rows.append(area_row)
        for c_no, (title, points, evidence, na) in enumerate(criteria, 1):
            code = f"{area_no}.{c_no}"
            if isinstance(points, list):
                subs = [{"code": f"{code}.{s_no}", "title": f"{title}: nội dung {s_no}",
                         "max_points": Decimal(str(p)), "evidence_required": evidence, "may_be_not_applicable": na,
                         "guidance": "Đạt đầy đủ: điểm tối đa; đạt một phần: một nửa số điểm; không đạt: 0 điểm."}
                        for s_no, p in enumerate(points, 1)]
                total = sum(s["max_points"] for s in subs)
                rows.append({"code": code, "title": title, "max_points": total})
                rows.extend(subs)
            else:
                total = Decimal(str(points))
                rows.append({"code": code, "title": title, "max_points": total, "evidence_required": evidence,
                             "may_be_not_applicable": na,
                             "guidance": "Hoàn thành đúng hạn, đủ nội dung: điểm tối đa; chậm hạn: trừ một nửa."})
            area_row["max_points"] += total
    area_no = len(AREAS) + 1
    items = SURVEY if group != UnitGroup.COMMUNE else IMPACT_LOCAL
    survey = group != UnitGroup.COMMUNE
    rows.append({"code": str(area_no), "title": IMPACT, "max_points": sum(Decimal(p) for _t, p in items)})
    for c_no, (title, points) in enumerate(items, 1):
        rows.append({"code": f"{area_no}.{c_no}", "title": title, "max_points": Decimal(points),
                     "is_survey": survey, "evidence_required": False})
    return rows


def _set(year, group, rng):
    survey = group != UnitGroup.COMMUNE
    criteria_set, created = CriteriaSet.objects.get_or_create(year=year, group=group, defaults={
        "title": f"Bộ chỉ số CCHC năm {year} – {UnitGroup(group).label}",
        "decision": f"QĐ {100 + year % 100}/QĐ-UBND (mẫu)",
        "survey_enabled": survey, "survey_weight": Decimal("30") if survey else Decimal("0"),
        "band_good_min": Decimal("90"), "band_fair_min": Decimal("80"), "band_average_min": Decimal("65"),
    })
    if not Criterion.objects.filter(criteria_set=criteria_set).exists():
        services._write_tree(criteria_set, demo_rows(group))
    return criteria_set


def sample_scores(rng, sheet, leaves, *, quality, share, surveyed, appraised, texts):
    """Plausible unsaved scores of one sheet (the demo's and the bench generator's): a survey score on each survey
    leaf when `surveyed`; a self-score on about `share` of the other leaves, in half points near `quality` of the
    maximum, some leaves not applicable, and when `appraised` one in five lowered by half a point.

    `texts`: the explanations (not applicable, done) and the comment on a lowered score.
    """
    not_applicable, done, lowered = texts
    scores = []
    for leaf in leaves:
        if leaf.is_survey:
            if surveyed:
                value = (leaf.max_points * Decimal(str(round(rng.uniform(0.7, 0.97), 2)))).quantize(Decimal("0.01"))
                scores.append(Score(sheet=sheet, criterion=leaf, survey_score=value))
            continue
        if rng.random() > share:
            continue
        if leaf.may_be_not_applicable and rng.random() < 0.1:
            scores.append(Score(sheet=sheet, criterion=leaf, not_applicable=True, explanation=not_applicable))
            continue
        steps = int(leaf.max_points / Decimal("0.5"))
        self_score = Decimal("0.5") * min(steps, max(0, round(steps * rng.uniform(quality - 0.1, 1.05))))
        score = Score(sheet=sheet, criterion=leaf, self_score=self_score, explanation=done)
        if appraised:
            lower = rng.random() < 0.2 and self_score >= Decimal("0.5")
            score.appraised_score = self_score - Decimal("0.5") if lower else self_score
            if lower:
                score.appraisal_comment = lowered
        scores.append(score)
    return scores


def _fill(criteria_set, rng, *, year_done):
    units = list(services.units_of_group(criteria_set))
    existing = set(ScoreSheet.objects.filter(criteria_set=criteria_set).values_list("unit_id", flat=True))
    leaves = list(Criterion.objects.filter(criteria_set=criteria_set, is_leaf=True).order_by("sort_key"))
    statuses = []
    for position, unit in enumerate(units):
        if year_done:
            statuses.append(SheetStatus.PUBLISHED)
        elif unit.code in DEMO_ACCOUNT_UNITS:
            statuses.append(SheetStatus.DRAFT)  # the demo officers find their own sheet still to finish
        else:
            statuses.append([SheetStatus.DRAFT, SheetStatus.DRAFT, SheetStatus.SUBMITTED,
                             SheetStatus.UNDER_APPRAISAL][position % 4])
    new_sheets = [ScoreSheet(criteria_set=criteria_set, unit=unit, status=status)
                  for unit, status in zip(units, statuses, strict=True) if unit.pk not in existing]
    ScoreSheet.objects.bulk_create(new_sheets)
    scores = []
    for sheet in new_sheets:
        quality = rng.uniform(0.62, 0.98)
        share = 1.0 if sheet.status != SheetStatus.DRAFT else rng.uniform(0.2, 0.8)
        scores += sample_scores(
            rng, sheet, leaves, quality=quality, share=share,
            surveyed=year_done or sheet.status != SheetStatus.DRAFT,
            appraised=sheet.status in (SheetStatus.PUBLISHED, SheetStatus.UNDER_APPRAISAL),
            texts=("Đơn vị không có nhiệm vụ này trong năm (mẫu).",
                   "Đã thực hiện theo kế hoạch; có văn bản kèm theo (mẫu).",
                   "Tài liệu kiểm chứng chưa đầy đủ, trừ 0,5 điểm (mẫu)."))
    Score.objects.bulk_create(scores, batch_size=2000)
    _attach_evidence([s for s in scores if s.self_score is not None and s.criterion.evidence_required])
    for sheet in new_sheets:
        sheet.criteria_set = criteria_set
        services.sheet_recompute(sheet)
    return len(new_sheets)


DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _attach_evidence(scores):
    """One stored demo PDF, referenced by an evidence row on every scored leaf that requires evidence."""
    if not scores:
        return
    template = ParEvidenceFile.objects.filter(original_name=DEMO_FILE_NAME).first()
    if template is None:
        template = ParEvidenceFile(score=scores[0])
        store_upload(template, bytes_upload(DEMO_FILE_NAME, DEMO_PDF), folder="par")
        template.save()
        scores = scores[1:]
    ParEvidenceFile.objects.bulk_create([
        ParEvidenceFile(score=score, file=template.file.name, original_name=template.original_name,
                        content_type=template.content_type, sha256=template.sha256, size=template.size)
        for score in scores], batch_size=2000)


@transaction.atomic
def _drop_old_marker(marker="[Mẫu] "):
    """Titles written by earlier versions of this demo began with a marker; the page frame's banner says it now."""
    for model in (CriteriaSet, Criterion):
        for pk, title in model.objects.filter(title__startswith=marker).values_list("pk", "title"):
            model.objects.filter(pk=pk).update(title=title.removeprefix(marker))


def build(seed=876):
    rng = random.Random(seed)
    created = 0
    _drop_old_marker()
    for group in UnitGroup.values:
        done = _set(2023, group, rng)
        created += _fill(done, rng, year_done=True)
        if done.published_at is None:
            CriteriaSet.objects.filter(pk=done.pk).update(published_at=timezone.now())
        current = _set(2024, group, rng)
        created += _fill(current, rng, year_done=False)
    if created:
        audit.record_bulk(actor=None, action="par_demo_load", label="Chỉ số CCHC (mẫu)",
                          changes={"sheets": created})
    sets = CriteriaSet.objects.filter(year__in=(2023, 2024)).count()
    sheets = ScoreSheet.objects.filter(criteria_set__year__in=(2023, 2024)).count()
    return (f"Chỉ số CCHC: {sets} bộ chỉ số (2023 đã công bố, 2024 đang tự chấm), {sheets} phiếu chấm điểm "
            f"({created} phiếu mới).")
