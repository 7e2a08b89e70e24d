"""Writes for the PAR index: one function per user action, one transaction, select_for_update, an audit row.

The totals and the index of a sheet are computed by ONE function, `sheet_recompute`, called by every service
that changes a score. The index formula:

- appraisal part: Σ appraised scores (the self-score where the appraiser has not entered one) of the applicable
  non-survey leaves ÷ their maximum (not-applicable leaves leave the maximum);
- without a survey part: index % = appraisal part × 100;
- with a survey part of weight w %: index % = appraisal part × (100 − w) + Σ survey scores ÷ Σ survey maxima × w.

The index is rounded to two decimals (half up); the band comes from the set's thresholds.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import EvidenceFile
from core import audit, imports, workflow
from core.files import discard_file, stored_batch
from units.models import Unit

from . import excel, rules, selectors
from .models import CriteriaSet, Criterion, ParEvidenceFile, Score, ScoreSheet, SheetStatus

HALF = Decimal("0.5")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
ZERO = Decimal("0")
# Appraised scores can change while appraising and after, until the results are published (then: reopen first).
APPRAISABLE = (SheetStatus.UNDER_APPRAISAL, SheetStatus.APPRAISED)


# The one computation ----------------------------------------------------------------------------------------


def compute_index(*, appraised, max_applicable, survey=ZERO, survey_max=ZERO, survey_enabled=False,
                  survey_weight=ZERO):
    """The index (%) from totals, rounded to 0.01 (half up)."""
    appraisal_part = (appraised / max_applicable) if max_applicable else ZERO
    if survey_enabled and survey_max:
        value = appraisal_part * (HUNDRED - survey_weight) + (survey / survey_max) * survey_weight
    else:
        value = appraisal_part * HUNDRED
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


TOTAL_FIELDS = ("total_self", "total_appraised", "survey_points", "max_applicable", "survey_max", "index_percent",
                "band", "done_count", "leaf_count", "updated_at")


def _leaf_totals(criteria_set):
    return Criterion.objects.filter(criteria_set=criteria_set, is_leaf=True).aggregate(
        appraisal_max=Sum("max_points", filter=Q(is_survey=False)),
        survey_max=Sum("max_points", filter=Q(is_survey=True)),
        appraisal_leaves=Count("pk", filter=Q(is_survey=False)),
    )


def _score_totals():
    """The per-sheet aggregates of its leaf scores (keyword arguments of `aggregate` / `annotate`)."""
    applicable = Q(criterion__is_survey=False, not_applicable=False)
    return {
        "total_self": Sum("self_score", filter=applicable),
        "total_appraised": Sum(_appraised_or_self(), filter=applicable),
        "survey": Sum("survey_score", filter=Q(criterion__is_survey=True)),
        "na_max": Sum("criterion__max_points", filter=Q(criterion__is_survey=False, not_applicable=True)),
        "done": Count("pk", filter=Q(criterion__is_survey=False) & (Q(not_applicable=True)
                                                                   | Q(self_score__isnull=False))),
    }


def _apply_totals(sheet, criteria_set, leaf_totals, totals, now):
    """Set the stored totals, index and band of `sheet` from the two aggregates (no query)."""
    max_applicable = (leaf_totals["appraisal_max"] or ZERO) - (totals.get("na_max") or ZERO)
    sheet.total_self = totals.get("total_self") or ZERO
    sheet.total_appraised = totals.get("total_appraised") or ZERO
    sheet.survey_points = totals.get("survey") or ZERO
    sheet.max_applicable = max_applicable
    sheet.survey_max = leaf_totals["survey_max"] or ZERO
    sheet.index_percent = compute_index(
        appraised=sheet.total_appraised, max_applicable=max_applicable, survey=sheet.survey_points,
        survey_max=sheet.survey_max, survey_enabled=criteria_set.survey_enabled,
        survey_weight=criteria_set.survey_weight)
    sheet.band = criteria_set.band_for(sheet.index_percent)
    sheet.done_count = totals.get("done") or 0
    sheet.leaf_count = leaf_totals["appraisal_leaves"] or 0
    sheet.updated_at = now


def sheet_recompute(sheet):
    """Recompute and store the sheet's totals, progress, index and band (SQL aggregates, three queries)."""
    criteria_set = sheet.criteria_set
    totals = Score.objects.filter(sheet=sheet, criterion__is_leaf=True).aggregate(**_score_totals())
    _apply_totals(sheet, criteria_set, _leaf_totals(criteria_set), totals, timezone.now())
    ScoreSheet.objects.filter(pk=sheet.pk).update(**{name: getattr(sheet, name) for name in TOTAL_FIELDS})
    return sheet


RECOMPUTE_BATCH = 500


def sheets_recompute(criteria_set, sheets=None):
    """`sheet_recompute` for every sheet of the set (or the given ones) in a constant number of queries: the leaf
    totals once, the score totals of all sheets in one grouped query, one UPDATE per batch of sheets."""
    if sheets is None:
        sheets = list(ScoreSheet.objects.filter(criteria_set=criteria_set).only("pk", "criteria_set_id"))
    sheets = list(sheets)
    if not sheets:
        return sheets
    leaf_totals = _leaf_totals(criteria_set)
    scores = Score.objects.filter(criterion__is_leaf=True)
    scores = (scores.filter(sheet__criteria_set=criteria_set) if len(sheets) > RECOMPUTE_BATCH
              else scores.filter(sheet__in=[s.pk for s in sheets]))
    by_sheet = {row["sheet_id"]: row for row in scores.values("sheet_id").annotate(**_score_totals())
                .order_by("sheet_id")}
    now = timezone.now()
    for sheet in sheets:
        _apply_totals(sheet, criteria_set, leaf_totals, by_sheet.get(sheet.pk, {}), now)
    ScoreSheet.objects.bulk_update(sheets, TOTAL_FIELDS, batch_size=RECOMPUTE_BATCH)
    return sheets


def _appraised_or_self():
    return Coalesce("appraised_score", "self_score")


def _check_points(value, maximum, label):
    if value is None:
        return
    if value < 0 or value > maximum:
        raise ValidationError({label: _("Điểm phải từ 0 đến %(max)s.") % {"max": _fmt(maximum)}})
    if (value / HALF) != (value / HALF).to_integral_value():
        raise ValidationError({label: _("Điểm chấm theo bước 0,5 (ví dụ 1; 1,5; 2).")})


def _fmt(value):
    text = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",")


# Criteria sets ----------------------------------------------------------------------------------------------

SET_FIELDS = ("title", "decision", "band_good_min", "band_fair_min", "band_average_min", "survey_enabled",
              "survey_weight")


def _require_manager(by):
    if not rules.can_manage_sets(by):
        raise PermissionDenied


def _lock_set(criteria_set):
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if locked.is_published:
        raise ValidationError(_("Kết quả của bộ chỉ số này đã công bố; muốn sửa phải mở lại (quản trị viên)."))
    return locked


def _refuse_if_scoring_started(criteria_set):
    if selectors.set_is_locked(criteria_set):
        raise ValidationError(_("Bộ chỉ số đã khóa vì đã có đơn vị nộp phiếu tự chấm; không thể sửa tiêu chí, "
                                "thang điểm hay ngưỡng xếp loại nữa."))


def _check_set_settings(data):
    good, fair, average = data["band_good_min"], data["band_fair_min"], data["band_average_min"]
    if not (HUNDRED >= good >= fair >= average >= 0):
        raise ValidationError(_("Ngưỡng xếp loại phải giảm dần: 100 ≥ Tốt ≥ Khá ≥ Trung bình ≥ 0."))
    weight = data.get("survey_weight") or ZERO
    if data.get("survey_enabled") and not (ZERO < weight < HUNDRED):
        raise ValidationError(_("Tỷ trọng điều tra xã hội học phải lớn hơn 0 và nhỏ hơn 100 (%)."))


@transaction.atomic
def set_create(*, by, year, group, copy_from=None, **data):
    _require_manager(by)
    if CriteriaSet.objects.filter(year=year, group=group).exists():
        raise ValidationError(_("Đã có bộ chỉ số năm %(year)s cho nhóm này.") % {"year": year})
    if copy_from is not None:
        for name in SET_FIELDS:
            data.setdefault(name, getattr(copy_from, name))
    data = {k: v for k, v in data.items() if k in SET_FIELDS}
    defaults = {f: CriteriaSet._meta.get_field(f).get_default() for f in SET_FIELDS}
    _check_set_settings({**defaults, **data})
    if (copy_from is not None and not data.get("survey_enabled")
            and Criterion.objects.filter(criteria_set=copy_from, is_survey=True).exists()):
        raise ValidationError({"survey_enabled": _("Bộ chỉ số năm %(year)s có tiêu chí điều tra xã hội học; hãy bật "
                                                   "phần điều tra xã hội học để sao chép.") % {"year": copy_from.year}})
    criteria_set = CriteriaSet.objects.create(year=year, group=group, **data)
    if copy_from is not None:
        _copy_criteria(copy_from, criteria_set)
    audit.record(actor=by, action="par_set_create", target=criteria_set,
                 changes={"copied_from": copy_from.pk} if copy_from else None)
    return criteria_set


@transaction.atomic
def set_copy_to_next_year(*, criteria_set, by):
    """Start next year's set of the same group as a copy of this one (settings and the whole tree)."""
    return set_create(by=by, year=criteria_set.year + 1, group=criteria_set.group, copy_from=criteria_set,
                      title=criteria_set.title.replace(str(criteria_set.year), str(criteria_set.year + 1)))


def _copy_criteria(source, target):
    rows = list(Criterion.objects.filter(criteria_set=source).order_by("sort_key").values(
        "code", "title", "max_points", "guidance", "evidence_required", "may_be_not_applicable", "is_survey"))
    _write_tree(target, rows)


def _write_tree(criteria_set, rows):
    """Replace the set's tree with `rows` (dicts with a dotted code each) using bulk inserts per level."""
    Criterion.objects.filter(criteria_set=criteria_set).delete()
    codes = {row["code"] for row in rows}
    parents = {code.rsplit(".", 1)[0] for code in codes if "." in code}
    by_code = {}
    for level in (1, 2, 3):
        batch = []
        for row in rows:
            code = row["code"]
            if code.count(".") + 1 != level:
                continue
            parent = by_code.get(code.rsplit(".", 1)[0]) if level > 1 else None
            batch.append(Criterion(
                criteria_set=criteria_set, parent=parent, code=code, sort_key=Criterion.sort_key_for(code),
                level=level, is_leaf=code not in parents, title=row["title"], max_points=row["max_points"],
                guidance=row.get("guidance", ""), evidence_required=row.get("evidence_required", False),
                may_be_not_applicable=row.get("may_be_not_applicable", False),
                is_survey=row.get("is_survey", False)))
        for criterion in Criterion.objects.bulk_create(batch):
            by_code[criterion.code] = criterion
    return by_code


@transaction.atomic
def set_update(*, criteria_set, by, **data):
    _require_manager(by)
    criteria_set = _lock_set(criteria_set)
    _refuse_if_scoring_started(criteria_set)
    merged = {f: data.get(f, getattr(criteria_set, f)) for f in SET_FIELDS}
    _check_set_settings(merged)
    if not merged["survey_enabled"] and criteria_set.criteria.filter(is_survey=True).exists():
        raise ValidationError({"survey_enabled": _("Bộ chỉ số đang có tiêu chí điều tra xã hội học; hãy xóa hoặc sửa "
                                                   "các tiêu chí đó trước khi tắt phần điều tra.")})
    changes = audit.changes(criteria_set, merged)
    for name, value in merged.items():
        setattr(criteria_set, name, value)
    criteria_set.save()
    if changes:
        audit.record(actor=by, action="par_set_update", target=criteria_set, changes=changes)
    return criteria_set


@transaction.atomic
def set_replace_tree(*, criteria_set, by, rows, label=""):
    """Replace the whole tree (the Excel import's write step); rows are already validated. What may have changed
    since they were (the set published, scoring started, the survey part turned off) is checked again here."""
    _require_manager(by)
    criteria_set = _lock_set(criteria_set)
    _refuse_if_scoring_started(criteria_set)
    if not criteria_set.survey_enabled and any(row.get("is_survey") for row in rows):
        raise _changed_meanwhile()
    _write_tree(criteria_set, rows)
    _recompute_all(criteria_set)
    audit.record(actor=by, action="par_set_import", target=criteria_set, note=label,
                 changes={"criteria": len(rows)})
    return criteria_set


def _file_label(file, label):
    return str(label or getattr(file, "name", "") or "")[:255]


def _changed_meanwhile():
    return ValidationError(_("Bộ chỉ số vừa được thay đổi trong lúc kiểm tra tệp; không có dòng nào được ghi. Hãy tải "
                             "tệp lên lại."))


def criteria_set_import(*, criteria_set, by, file, label="", progress=None):
    """The Excel import of a criteria set: check every row of `file`, then replace the whole tree, all or nothing.

    Returns par.excel.ImportResult; when it has errors (each with its Excel row number) nothing was written. The
    file is read and checked outside any transaction; `set_replace_tree` writes in one short one (and checks again
    what may have changed meanwhile). `progress`, if given, is called with a percentage as the import goes.
    """
    _require_manager(by)
    progress = progress or (lambda percent: None)
    result, rows = excel.parse_set_file(file, survey_enabled=criteria_set.survey_enabled,
                                        progress=lambda share: progress(5 + 70 * share))
    progress(80)
    if result.ok:
        try:
            set_replace_tree(criteria_set=criteria_set, by=by, rows=rows, label=_file_label(file, label))
        except ValidationError as error:
            result.errors.append((None, " ".join(error.messages)))
    return result


CRITERION_FIELDS = ("title", "max_points", "guidance", "evidence_required", "may_be_not_applicable", "is_survey")


def _check_criterion(criteria_set, code, data, *, existing=None):
    import re

    if not re.fullmatch(r"[1-9]\d{0,2}(\.[1-9]\d{0,2}){0,2}", code or ""):
        raise ValidationError({"code": _("Mã tiêu chí phải dạng 1, 1.2 hoặc 1.2.3 (tối đa 3 cấp).")})
    points = data["max_points"]
    if points < 0 or (points / HALF) != (points / HALF).to_integral_value():
        raise ValidationError({"max_points": _("Điểm tối đa phải ≥ 0 và theo bước 0,5.")})
    if data.get("is_survey") and not criteria_set.survey_enabled:
        raise ValidationError({"is_survey": _("Bộ chỉ số này không có phần điều tra xã hội học.")})
    if data.get("is_survey") and data.get("may_be_not_applicable"):
        raise ValidationError({"is_survey": _("Tiêu chí điều tra xã hội học không thể “không áp dụng”.")})
    parent = None
    if "." in code:
        parent = Criterion.objects.filter(criteria_set=criteria_set, code=code.rsplit(".", 1)[0]).first()
        if parent is None:
            raise ValidationError({"code": _("Chưa có tiêu chí cấp trên “%(code)s”; hãy thêm tiêu chí cấp trên "
                                             "trước.") % {"code": code.rsplit(".", 1)[0]}})
    clash = Criterion.objects.filter(criteria_set=criteria_set, code=code)
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if clash.exists():
        raise ValidationError({"code": _("Mã “%(code)s” đã có trong bộ chỉ số.") % {"code": code}})
    return parent


def _refresh_inner_nodes(criteria_set):
    """Inner nodes: is_leaf False and maximum = Σ children (bottom up, a few queries)."""
    parents = set(Criterion.objects.filter(criteria_set=criteria_set, parent__isnull=False)
                  .values_list("parent_id", flat=True))
    Criterion.objects.filter(criteria_set=criteria_set).update(is_leaf=True)
    Criterion.objects.filter(pk__in=parents).update(is_leaf=False)
    for level in (2, 1):  # bottom up: a level-1 sum reads the level-2 maxima just written
        sums = (Criterion.objects.filter(criteria_set=criteria_set, level=level + 1).values("parent_id")
                .annotate(total=Sum("max_points")).order_by("parent_id"))
        Criterion.objects.bulk_update([Criterion(pk=row["parent_id"], max_points=row["total"]) for row in sums],
                                      ["max_points"], batch_size=RECOMPUTE_BATCH)


@transaction.atomic
def criterion_save(*, criteria_set, by, code, criterion=None, **data):
    """Add (criterion=None) or edit one criterion from the set's own pages."""
    _require_manager(by)
    criteria_set = _lock_set(criteria_set)
    _refuse_if_scoring_started(criteria_set)
    data = {k: v for k, v in data.items() if k in CRITERION_FIELDS}
    if criterion is not None:
        criterion = Criterion.objects.select_for_update().get(pk=criterion.pk, criteria_set=criteria_set)
        if code != criterion.code and criterion.children.exists():
            raise ValidationError({"code": _("Không đổi mã được cho tiêu chí đang có tiêu chí con.")})
    parent = _check_criterion(criteria_set, code, data, existing=criterion)
    action = "par_criterion_update" if criterion else "par_criterion_create"
    if criterion is None:
        criterion = Criterion(criteria_set=criteria_set)
    criterion.code, criterion.parent = code, parent
    for name, value in data.items():
        setattr(criterion, name, value)
    criterion.save()
    _refresh_inner_nodes(criteria_set)
    _recompute_all(criteria_set)
    audit.record(actor=by, action=action, target=criterion)
    return criterion


@transaction.atomic
def criterion_delete(*, criterion, by):
    _require_manager(by)
    criteria_set = _lock_set(criterion.criteria_set)
    _refuse_if_scoring_started(criteria_set)
    audit.record(actor=by, action="par_criterion_delete", target=criterion)
    criterion.delete()
    _refresh_inner_nodes(criteria_set)
    _recompute_all(criteria_set)


def _recompute_all(criteria_set):
    sheets_recompute(criteria_set)


# Sheets -----------------------------------------------------------------------------------------------------


def units_of_group(criteria_set):
    """Units of the set's group active at some time in its year."""
    start, end = datetime.date(criteria_set.year, 1, 1), datetime.date(criteria_set.year, 12, 31)
    return (Unit.objects.filter(kind=criteria_set.group)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start)).order_by("code"))


@transaction.atomic
def sheets_open(*, criteria_set, by):
    """Open scoring: create the missing sheet of every unit of the group active in the set's year."""
    _require_manager(by)
    criteria_set = _lock_set(criteria_set)
    if not Criterion.objects.filter(criteria_set=criteria_set).exists():
        raise ValidationError(_("Bộ chỉ số chưa có tiêu chí nào; hãy nhập tiêu chí trước khi mở chấm điểm."))
    existing = set(criteria_set.sheets.values_list("unit_id", flat=True))
    leaves = Criterion.objects.filter(criteria_set=criteria_set, is_leaf=True, is_survey=False).count()
    new = [ScoreSheet(criteria_set=criteria_set, unit=unit, leaf_count=leaves)
           for unit in units_of_group(criteria_set) if unit.pk not in existing]
    ScoreSheet.objects.bulk_create(new)
    audit.record(actor=by, action="par_sheets_open", target=criteria_set, changes={"created": len(new)})
    return len(new)


def _lock_sheet(sheet):
    return workflow.lock(sheet, related=["unit", "criteria_set"])


def _score_for(sheet, criterion):
    score, _created = Score.objects.select_for_update().get_or_create(sheet=sheet, criterion=criterion)
    return score


def _leaf_of(sheet, criterion):
    if criterion.criteria_set_id != sheet.criteria_set_id or not criterion.is_leaf:
        raise ValidationError(_("Chỉ chấm điểm ở tiêu chí cấp cuối của bộ chỉ số của phiếu này."))


@transaction.atomic
def score_self_assess(*, sheet, criterion, by, self_score=None, explanation="", not_applicable=False,
                      uploads=(), link_ids=None, remove_file_ids=()):
    """The unit's self-score, explanation and evidence for one leaf criterion."""
    sheet = _lock_sheet(sheet)
    if not rules.can_self_assess(by, sheet):
        raise PermissionDenied
    if not sheet.self_editable:
        raise ValidationError(_("Phiếu đang ở trạng thái “%(status)s”; đơn vị không sửa được điểm tự chấm.")
                              % {"status": sheet.get_status_display()})
    _leaf_of(sheet, criterion)
    if criterion.is_survey:
        raise ValidationError(_("Tiêu chí này chấm bằng điều tra xã hội học; đơn vị không tự chấm."))
    if not_applicable and not criterion.may_be_not_applicable:
        raise ValidationError({"not_applicable": _("Tiêu chí %(code)s không được đánh dấu “không áp dụng”.")
                               % {"code": criterion.code}})
    if not_applicable:
        self_score = None
    _check_points(self_score, criterion.max_points, "self_score")
    score = _score_for(sheet, criterion)
    before = {"self_score": str(score.self_score or ""), "not_applicable": score.not_applicable}
    score.self_score, score.explanation, score.not_applicable = self_score, explanation, not_applicable
    score.save()
    if link_ids is not None:
        allowed = selectors.linkable_evidence(sheet).filter(pk__in=link_ids)
        score.evidence_links.set(list(EvidenceFile.objects.filter(pk__in=allowed.values("pk"))))
    for file_id in remove_file_ids:
        file = score.files.filter(pk=file_id).first()
        if file is not None:
            file.delete()  # the stored file goes only once the deletion is committed (a rollback keeps both)
            transaction.on_commit(lambda file=file: discard_file(file))
    with stored_batch() as batch:
        batch.store_all(uploads, lambda: ParEvidenceFile(score=score), folder="par", by=by)
        sheet_recompute(sheet)
        audit.record(actor=by, action="par_self_score", target=sheet,
                     changes={"criterion": criterion.code, "from": before,
                              "to": {"self_score": str(self_score or ""), "not_applicable": not_applicable},
                              "files": len(batch.instances)})
    return score


def _transition(sheet, by, method, action, *, note=""):
    workflow.run(sheet, method, by=by, action=action, note=note)
    return sheet


def _refuse_missing_evidence(sheet, text):
    """Refuse with `text` (it names the %(codes)s) while a criterion that requires evidence has none."""
    missing = selectors.missing_evidence(sheet)
    if missing:
        raise ValidationError(text % {"codes": ", ".join(c.code for c in missing)})


@transaction.atomic
def sheet_submit(*, sheet, by):
    """Officer submits the self-assessment; refused while required evidence is missing."""
    sheet = _lock_sheet(sheet)
    if not rules.can_self_assess(by, sheet):
        raise PermissionDenied
    if sheet.status == SheetStatus.DRAFT:
        blank = selectors.unscored(sheet)
        if blank:
            raise ValidationError(
                _("Chưa nộp được: còn %(n)s tiêu chí chưa chấm điểm (hoặc chưa đánh dấu “không áp dụng”): "
                  "%(codes)s.") % {"n": len(blank), "codes": ", ".join(c.code for c in blank)})
        _refuse_missing_evidence(sheet, _(
            "Chưa nộp được: các tiêu chí sau bắt buộc có tài liệu kiểm chứng nhưng chưa có: %(codes)s. "
            "Hãy tải lên hoặc liên kết minh chứng rồi nộp lại."))
    sheet = _transition(sheet, by, "submit", "par_sheet_submit")
    ScoreSheet.objects.filter(pk=sheet.pk).update(submitted_at=timezone.now())
    return sheet


@transaction.atomic
def sheet_resubmit(*, sheet, by):
    """Officer sends the sheet back after explaining (returned → submitted)."""
    sheet = _lock_sheet(sheet)
    if not rules.can_self_assess(by, sheet):
        raise PermissionDenied
    if sheet.status == SheetStatus.RETURNED:
        _refuse_missing_evidence(sheet, _(
            "Chưa nộp lại được: các tiêu chí sau bắt buộc có tài liệu kiểm chứng nhưng chưa có: %(codes)s."))
    return _transition(sheet, by, "resubmit", "par_sheet_resubmit")


@transaction.atomic
def sheet_start_appraisal(*, sheet, by):
    """Appraiser takes the sheet; appraised scores start equal to the self-scores (where none yet)."""
    sheet = _lock_sheet(sheet)
    if not rules.can_appraise(by):
        raise PermissionDenied
    sheet = _transition(sheet, by, "start_appraisal", "par_sheet_start_appraisal")
    Score.objects.filter(sheet=sheet, appraised_score__isnull=True, self_score__isnull=False).update(
        appraised_score=F("self_score"))
    sheet_recompute(sheet)
    return sheet


@transaction.atomic
def sheet_return(*, sheet, by, note):
    """Appraiser returns the sheet to the unit for explanation; the unit then sees the differences."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Hãy ghi rõ nội dung đơn vị cần giải trình.")})
    sheet = _lock_sheet(sheet)
    if not rules.can_appraise(by):
        raise PermissionDenied
    sheet = _transition(sheet, by, "return_for_explanation", "par_sheet_return", note=note)
    ScoreSheet.objects.filter(pk=sheet.pk).update(return_note=note)
    sheet.return_note = note
    return sheet


@transaction.atomic
def score_appraise(*, sheet, criterion, by, appraised_score, comment=""):
    """The appraised score of one leaf; a comment is required where it differs from the self-score."""
    sheet = _lock_sheet(sheet)
    if not rules.can_appraise(by):
        raise PermissionDenied
    if sheet.status not in APPRAISABLE:
        raise ValidationError(_("Phiếu đang ở trạng thái “%(status)s”; chỉ chấm thẩm định khi phiếu đang thẩm "
                                "định hoặc đã thẩm định nhưng chưa công bố (kết quả đã công bố phải được mở lại "
                                "trước).") % {"status": sheet.get_status_display()})
    _leaf_of(sheet, criterion)
    if criterion.is_survey:
        raise ValidationError(_("Tiêu chí này chấm bằng điều tra xã hội học; hãy nhập điểm điều tra từ Excel."))
    if appraised_score is None:
        raise ValidationError({"appraised_score": _("Hãy nhập điểm thẩm định.")})
    _check_points(appraised_score, criterion.max_points, "appraised_score")
    score = _score_for(sheet, criterion)
    if score.not_applicable:
        raise ValidationError(_("Đơn vị đã đánh dấu tiêu chí này “không áp dụng”; không chấm điểm thẩm định."))
    if appraised_score != (score.self_score or ZERO) and not (comment or "").strip():
        raise ValidationError({"comment": _("Điểm thẩm định (%(appraised)s) khác điểm tự chấm (%(self)s) của "
                                            "tiêu chí %(code)s: hãy ghi ý kiến thẩm định giải thích lý do.")
                               % {"appraised": _fmt(appraised_score), "self": _fmt(score.self_score or ZERO),
                                  "code": criterion.code}})
    before = str(score.appraised_score or "")
    score.appraised_score, score.appraisal_comment = appraised_score, comment
    score.save()
    sheet_recompute(sheet)
    audit.record(actor=by, action="par_appraise_score", target=sheet,
                 changes={"criterion": criterion.code, "from": before, "to": str(appraised_score)})
    return score


@transaction.atomic
def sheet_complete_appraisal(*, sheet, by):
    sheet = _lock_sheet(sheet)
    if not rules.can_appraise(by):
        raise PermissionDenied
    missing = list(
        Score.objects.filter(sheet=sheet, not_applicable=False, criterion__is_survey=False,
                             appraised_score__isnull=True).values_list("criterion__code", flat=True))
    unscored = Criterion.objects.filter(criteria_set=sheet.criteria_set, is_leaf=True, is_survey=False).exclude(
        scores__sheet=sheet).values_list("code", flat=True)
    codes = sorted(set(missing) | set(unscored), key=Criterion.sort_key_for)
    if codes and sheet.status == SheetStatus.UNDER_APPRAISAL:
        raise ValidationError(_("Còn tiêu chí chưa có điểm thẩm định: %(codes)s.") % {"codes": ", ".join(codes)})
    sheet = _transition(sheet, by, "complete_appraisal", "par_sheet_complete_appraisal")
    sheet_recompute(sheet)
    return sheet


# Publication ------------------------------------------------------------------------------------------------


@transaction.atomic
def set_publish(*, criteria_set, by):
    """Publish a set's results: every sheet must be appraised; all become published (frozen)."""
    _require_manager(by)
    criteria_set = _lock_set(criteria_set)
    sheets = list(ScoreSheet.objects.select_for_update(of=("self",)).filter(criteria_set=criteria_set)
                  .select_related("unit", "criteria_set").order_by("unit__code"))
    if not sheets:
        raise ValidationError(_("Bộ chỉ số chưa có phiếu chấm nào để công bố."))
    pending = [s.unit.code for s in sheets if s.status != SheetStatus.APPRAISED]
    if pending:
        raise ValidationError(_("Chưa công bố được: các đơn vị sau chưa thẩm định xong: %(units)s.")
                              % {"units": ", ".join(pending)})
    sheets_recompute(criteria_set, sheets)
    workflow.transition_all(sheets, "publish", by=by, action="par_sheet_publish")
    criteria_set.published_at, criteria_set.published_by = timezone.now(), by
    criteria_set.save(update_fields=["published_at", "published_by"])
    audit.record(actor=by, action="par_set_publish", target=criteria_set, changes={"sheets": len(sheets)})
    return criteria_set


@transaction.atomic
def set_reopen(*, criteria_set, by, reason):
    """Unfreeze a published set (admin, with a reason): sheets go back to appraised."""
    _require_manager(by)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại kết quả đã công bố.")})
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if not criteria_set.is_published:
        raise ValidationError(_("Bộ chỉ số này chưa công bố nên không cần mở lại."))
    sheets = list(ScoreSheet.objects.select_for_update(of=("self",)).filter(
        criteria_set=criteria_set, status=SheetStatus.PUBLISHED).select_related("unit", "criteria_set"))
    workflow.transition_all(sheets, "reopen", by=by, action="par_sheet_reopen", note=reason)
    criteria_set.published_at = None
    criteria_set.save(update_fields=["published_at"])
    audit.record(actor=by, action="par_set_reopen", target=criteria_set, note=reason,
                 changes={"sheets": len(sheets)})
    return criteria_set


@transaction.atomic
def survey_apply(*, criteria_set, by, entries, label=""):
    """Store validated survey scores [(sheet_id, criterion_id, score)] and recompute the sheets touched."""
    if not rules.can_appraise(by):
        raise PermissionDenied
    criteria_set = _lock_set(criteria_set)
    sheet_ids = {sheet_id for sheet_id, _c, _s in entries}
    sheets = {s.pk: s for s in ScoreSheet.objects.select_for_update()
              .filter(pk__in=sheet_ids, criteria_set=criteria_set).select_related("criteria_set")}
    # The file was checked before this transaction: its sheets and survey criteria must still be the set's.
    maxima = dict(Criterion.objects.filter(criteria_set=criteria_set, is_leaf=True, is_survey=True,
                                           pk__in={criterion_id for _s, criterion_id, _v in entries})
                  .values_list("pk", "max_points"))
    if len(sheets) != len(sheet_ids) or any(criterion_id not in maxima or not 0 <= value <= maxima[criterion_id]
                                            for _s, criterion_id, value in entries):
        raise _changed_meanwhile()
    existing = {(s.sheet_id, s.criterion_id): s for s in Score.objects.filter(sheet_id__in=sheet_ids)}
    new, changed = [], []
    for sheet_id, criterion_id, value in entries:
        score = existing.get((sheet_id, criterion_id))
        if score is None:
            new.append(Score(sheet_id=sheet_id, criterion_id=criterion_id, survey_score=value))
        else:
            score.survey_score = value
            changed.append(score)
    Score.objects.bulk_create(new)
    Score.objects.bulk_update(changed, ["survey_score"])
    sheets_recompute(criteria_set, sheets.values())
    audit.record(actor=by, action="par_survey_import", target=criteria_set, note=label,
                 changes={"scores": len(entries), "sheets": len(sheets)})
    return len(entries)


def survey_scores_import(*, criteria_set, by, file, label="", progress=None):
    """The Excel import of survey scores: check every row of `file`, then store them all, or nothing.

    Returns par.excel.ImportResult; when it has errors (each with its Excel row number) nothing was written. Read
    and checked outside any transaction; `survey_apply` writes in one short one, checking the sheets and criteria
    again. `progress`, if given, is called with a percentage as the import goes.
    """
    if not rules.can_appraise(by):
        raise PermissionDenied
    progress = progress or (lambda percent: None)
    result, entries = excel.parse_survey_file(file, criteria_set=criteria_set,
                                              progress=lambda share: progress(5 + 70 * share))
    progress(80)
    if result.ok:
        try:
            survey_apply(criteria_set=criteria_set, by=by, entries=entries, label=_file_label(file, label))
        except ValidationError as error:
            result.errors.append((None, " ".join(error.messages)))
    return result


# Background jobs (core.imports): a large file is read and written by the worker -----------------------------------


def _job(service):
    def run(*, job, file, by, progress):
        criteria_set = CriteriaSet.objects.get(pk=job.options["criteria_set"])
        result = service(criteria_set=criteria_set, by=by, file=file, label=job.original_name, progress=progress)
        progress(100)
        return result.as_json()
    return run


def register_jobs():
    imports.register("par_set", run=_job(criteria_set_import))
    imports.register("par_survey", run=_job(survey_scores_import))
