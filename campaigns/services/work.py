"""Writes for the units' work: one function per user action, one transaction each, an audit row at the end.

Files: every upload goes through core.files (content check, random ASCII name, SHA-256, size). All files of one
action are validated first; if any is refused nothing is stored. If storing or saving fails part-way, the files
already written are removed again and the transaction rolls the rows back.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from core import audit
from core.files import discard_file, store_upload, validate_upload

from .. import rules
from ..models import (
    Achievement,
    AchievementStatus,
    CampaignStatus,
    EvidenceFile,
    ExemplaryModel,
    Initiative,
    InitiativeFile,
    InitiativeLevel,
    InitiativeStatus,
)

EVIDENCE_FOLDER = "minh-chung"
INITIATIVE_FOLDER = "sang-kien"
PHOTO_FOLDER = "guong-dien-hinh"
PHOTO_EXTENSIONS = {"jpg", "jpeg", "png"}


def _already_handled():
    return ValidationError(_("Thành tích đã được xử lý bởi người khác hoặc không còn ở trạng thái cho phép thao tác "
                             "này; hãy tải lại trang để xem trạng thái mới nhất."), code="stale")


def _validate_all(files, field="files"):
    """Check every upload before storing any, so the form can say what is wrong with each one."""
    errors = []
    for upload in files:
        try:
            validate_upload(upload)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({field: errors})


def _store_all(files, make, folder, by, stored):
    """Store each upload in a new file row built by `make()`; `stored` collects them for clean-up on failure."""
    for upload in files:
        instance = make()
        store_upload(instance, upload, folder=folder, by=by)
        stored.append(instance)
        instance.save()


def _cleaning_up(stored):
    for instance in stored:
        discard_file(instance)


def _check_campaign_year(campaign, year, field="year"):
    if campaign.status != CampaignStatus.LAUNCHED:
        raise ValidationError({"campaign": _("Phong trào này chưa được phát động hoặc đã kết thúc.")})
    if year not in campaign.years:
        raise ValidationError({field: _("Năm %(year)s không thuộc thời gian của phong trào (%(start)s–%(end)s).")
                               % {"year": year, "start": campaign.years[0], "end": campaign.years[-1]}})


# Achievements -----------------------------------------------------------------------------------------------


@transaction.atomic
def achievement_record(*, by, campaign, unit, year, content, title, files, description="", person=None):
    """A unit officer records an achievement with one or more evidence files (all accepted, or nothing kept)."""
    if not rules.can_act_for_unit(by, unit):
        raise PermissionDenied
    _check_campaign_year(campaign, year)
    if content.campaign_id != campaign.pk:
        raise ValidationError({"content": _("Nội dung thi đua không thuộc phong trào đã chọn.")})
    if person is not None and not person.unit.is_within(unit):
        raise ValidationError({"person": _("Cá nhân phải thuộc đơn vị đã chọn hoặc đơn vị cấp dưới của nó.")})
    files = list(files or [])
    if not files:
        raise ValidationError({"files": _("Hãy chọn ít nhất một tệp minh chứng.")})
    _validate_all(files)
    stored = []
    try:
        achievement = Achievement(campaign=campaign, unit=unit, year=year, content=content, title=title,
                                  description=description or "", person=person, created_by=by)
        achievement.save()
        _store_all(files, lambda: EvidenceFile(achievement=achievement), EVIDENCE_FOLDER, by, stored)
        audit.record(actor=by, action="achievement_record", target=achievement,
                     changes={"to": achievement.status, "files": [f.original_name for f in stored]})
    except BaseException:
        _cleaning_up(stored)
        raise
    return achievement


def _locked_achievement(achievement):
    return Achievement.objects.select_for_update().select_related("unit").get(pk=achievement.pk)


@transaction.atomic
def achievement_add_files(*, achievement, by, files):
    """More evidence for an achievement that is not accepted yet."""
    achievement = _locked_achievement(achievement)
    if not rules.can_act_for_unit(by, achievement.unit):
        raise PermissionDenied
    if achievement.status == AchievementStatus.ACCEPTED:
        raise ValidationError(_("Thành tích đã được chấp nhận nên không bổ sung tệp được nữa."), code="accepted")
    files = list(files or [])
    if not files:
        raise ValidationError({"files": _("Hãy chọn ít nhất một tệp minh chứng.")})
    _validate_all(files)
    stored = []
    try:
        _store_all(files, lambda: EvidenceFile(achievement=achievement), EVIDENCE_FOLDER, by, stored)
        achievement.save(update_fields=["updated_at"])
        audit.record(actor=by, action="achievement_add_files", target=achievement,
                     changes={"files": [f.original_name for f in stored]})
    except BaseException:
        _cleaning_up(stored)
        raise
    return achievement


def _transition(achievement, by, method, action, note=""):
    old = achievement.status
    getattr(achievement, method)()
    achievement.save()
    audit.record(actor=by, action=action, target=achievement, note=note,
                 changes={"from": old, "to": achievement.status})
    return achievement


@transaction.atomic
def achievement_accept(*, achievement, by, note=""):
    achievement = _locked_achievement(achievement)
    if not rules.can_review(by):
        raise PermissionDenied
    if not can_proceed(achievement.accept):
        raise _already_handled()
    return _transition(achievement, by, "accept", "achievement_accept", note)


@transaction.atomic
def achievement_ask_clarification(*, achievement, by, comment):
    achievement = _locked_achievement(achievement)
    if not rules.can_review(by):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Hãy ghi rõ nội dung đơn vị cần làm rõ.")})
    if not can_proceed(achievement.ask_clarification):
        raise _already_handled()
    achievement.review_comment = comment
    return _transition(achievement, by, "ask_clarification", "achievement_ask_clarification", comment)


@transaction.atomic
def achievement_resubmit(*, achievement, by, answer, files=()):
    """The unit answers the clarification request (optionally with more files) and sends it back for review."""
    achievement = _locked_achievement(achievement)
    if not rules.can_act_for_unit(by, achievement.unit):
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Hãy nhập nội dung giải trình của đơn vị.")})
    if not can_proceed(achievement.resubmit):
        raise _already_handled()
    files = list(files or [])
    _validate_all(files)
    stored = []
    try:
        _store_all(files, lambda: EvidenceFile(achievement=achievement), EVIDENCE_FOLDER, by, stored)
        achievement.unit_answer = answer
        _transition(achievement, by, "resubmit", "achievement_resubmit", answer)
    except BaseException:
        _cleaning_up(stored)
        raise
    return achievement


# Initiatives ------------------------------------------------------------------------------------------------


@transaction.atomic
def initiative_propose(*, by, campaign, unit, year, title, authors, problem, solution, effect, files):
    if not rules.can_act_for_unit(by, unit):
        raise PermissionDenied
    _check_campaign_year(campaign, year)
    authors = list(authors or [])
    if not authors:
        raise ValidationError({"authors": _("Hãy chọn ít nhất một tác giả.")})
    outsiders = [str(p) for p in authors if not p.unit.is_within(unit)]
    if outsiders:
        raise ValidationError({"authors": _("Tác giả phải thuộc đơn vị đề xuất hoặc đơn vị cấp dưới: %(names)s "
                                            "không thuộc.") % {"names": ", ".join(outsiders)}})
    files = list(files or [])
    if not files:
        raise ValidationError({"files": _("Hãy chọn ít nhất một tệp minh chứng cho sáng kiến.")})
    _validate_all(files)
    stored = []
    try:
        initiative = Initiative(campaign=campaign, unit=unit, year=year, title=title, problem=problem,
                                solution=solution, effect=effect, created_by=by)
        initiative.save()
        initiative.authors.set(authors)
        _store_all(files, lambda: InitiativeFile(initiative=initiative), INITIATIVE_FOLDER, by, stored)
        audit.record(actor=by, action="initiative_propose", target=initiative,
                     changes={"to": initiative.status, "authors": [str(p) for p in authors],
                              "files": [f.original_name for f in stored]})
    except BaseException:
        _cleaning_up(stored)
        raise
    return initiative


def _initiative_already_handled():
    return ValidationError(_("Sáng kiến đã được đánh giá bởi người khác; hãy tải lại trang để xem kết quả."),
                           code="stale")


@transaction.atomic
def initiative_recognise(*, initiative, by, level, decision_number, decision_date):
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not rules.can_review(by):
        raise PermissionDenied
    errors = {}
    if level not in InitiativeLevel.values:
        errors["level"] = _("Hãy chọn cấp công nhận (cơ sở hoặc tỉnh).")
    if not (decision_number or "").strip():
        errors["decision_number"] = _("Hãy nhập số quyết định công nhận.")
    if decision_date is None:
        errors["decision_date"] = _("Hãy nhập ngày quyết định (dd/mm/yyyy).")
    if errors:
        raise ValidationError(errors)
    if not can_proceed(initiative.recognise):
        raise _initiative_already_handled()
    old = initiative.status
    initiative.level, initiative.decision_number, initiative.decision_date = level, decision_number.strip(), \
        decision_date
    initiative.recognise()
    initiative.save()
    audit.record(actor=by, action="initiative_recognise", target=initiative,
                 note=f"{initiative.get_level_display()} · {initiative.decision_number} · "
                      f"{decision_date:%d/%m/%Y}",
                 changes={"from": old, "to": initiative.status})
    return initiative


@transaction.atomic
def initiative_refuse(*, initiative, by, reason):
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not rules.can_review(by):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do không công nhận.")})
    if not can_proceed(initiative.refuse):
        raise _initiative_already_handled()
    old = initiative.status
    initiative.refusal_reason = reason
    initiative.refuse()
    initiative.save()
    audit.record(actor=by, action="initiative_refuse", target=initiative, note=reason,
                 changes={"from": old, "to": initiative.status})
    return initiative


# Exemplary models -------------------------------------------------------------------------------------------

MODEL_FIELDS = ("campaign", "kind", "title", "story", "year", "unit", "person", "initiative")


def _check_photo(photo):
    name = str(getattr(photo, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in PHOTO_EXTENSIONS:
        raise ValidationError({"photo": _("Ảnh “%(name)s” phải là tệp JPG hoặc PNG.") % {"name": name}})
    _validate_all([photo], field="photo")


def _save_model(model, by, data, photo, action):
    if not rules.can_manage_campaign(by):
        raise PermissionDenied
    initiative = data.get("initiative")
    if initiative is not None and initiative.status != InitiativeStatus.RECOGNISED:
        raise ValidationError({"initiative": _("Chỉ liên kết với sáng kiến đã được công nhận.")})
    if photo:
        _check_photo(photo)
    changes = {name: [str(getattr(model, name, "") or ""), str(data[name] or "")] for name in MODEL_FIELDS
               if name in data and model.pk and getattr(model, name) != data[name]}
    for name in MODEL_FIELDS:
        if name in data:
            setattr(model, name, data[name])
    old_file = model.file.name if model.file else ""
    stored = []
    try:
        if photo:
            store_upload(model, photo, folder=PHOTO_FOLDER, by=by)
            stored.append(model)
            changes["photo"] = [old_file, model.original_name]
        model.full_clean(exclude=["file"])
        model.save()
        audit.record(actor=by, action=action, target=model, changes=changes)
    except BaseException:
        _cleaning_up(stored)
        raise
    if old_file and photo:
        transaction.on_commit(lambda: model.file.storage.delete(old_file))
    return model


@transaction.atomic
def exemplary_create(*, by, photo=None, **data):
    return _save_model(ExemplaryModel(), by, data, photo, "exemplary_create")


@transaction.atomic
def exemplary_update(*, model, by, photo=None, **data):
    model = ExemplaryModel.objects.select_for_update().get(pk=model.pk)
    return _save_model(model, by, data, photo, "exemplary_update")


@transaction.atomic
def exemplary_publish(*, model, by):
    model = ExemplaryModel.objects.select_for_update().get(pk=model.pk)
    if not rules.can_manage_campaign(by):
        raise PermissionDenied
    if model.published_at is not None:
        raise ValidationError(_("Gương điển hình này đã được công bố."))
    model.published_at = timezone.now()
    model.save(update_fields=["published_at"])
    audit.record(actor=by, action="exemplary_publish", target=model, changes={"from": "draft", "to": "published"})
    return model


@transaction.atomic
def exemplary_unpublish(*, model, by):
    model = ExemplaryModel.objects.select_for_update().get(pk=model.pk)
    if not rules.can_manage_campaign(by):
        raise PermissionDenied
    if model.published_at is None:
        raise ValidationError(_("Gương điển hình này chưa được công bố."))
    model.published_at = None
    model.save(update_fields=["published_at"])
    audit.record(actor=by, action="exemplary_unpublish", target=model, changes={"from": "published", "to": "draft"})
    return model
