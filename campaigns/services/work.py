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

from core import audit, workflow
from core.files import stored_batch, validate_uploads

from .. import rules
from ..models import (
    Achievement,
    AchievementStatus,
    EvidenceFile,
    ExemplaryModel,
    Initiative,
    InitiativeFile,
    InitiativeLevel,
    InitiativeStatus,
)
from ..selectors.plan import closed_reason

EVIDENCE_FOLDER = "minh-chung"
INITIATIVE_FOLDER = "sang-kien"
PHOTO_FOLDER = "guong-dien-hinh"
PHOTO_EXTENSIONS = {"jpg", "jpeg", "png"}


def _check_open(campaign, work):
    """Refuse new work on a draft or closed campaign with the reason (a message, not a field error)."""
    closed = closed_reason(campaign, work)
    if closed:
        raise ValidationError(closed, code="closed")


def _check_campaign_year(campaign, year, field="year", work=None):
    closed = closed_reason(campaign, work or _("minh chứng"))
    if closed:
        raise ValidationError({"campaign": closed})
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
    files = _required_files(files, _("Hãy chọn ít nhất một tệp minh chứng."))
    with stored_batch() as batch:
        achievement = Achievement.objects.create(campaign=campaign, unit=unit, year=year, content=content,
                                                 title=title, description=description or "", person=person,
                                                 created_by=by)
        batch.store_all(files, lambda: EvidenceFile(achievement=achievement), folder=EVIDENCE_FOLDER, by=by)
        audit.record(actor=by, action="achievement_record", target=achievement,
                     changes={"to": achievement.status, "files": batch.names})
    return achievement


def _required_files(files, message):
    files = list(files or [])
    if not files:
        raise ValidationError({"files": message})
    validate_uploads(files)
    return files


def _locked_achievement(achievement):
    return workflow.lock(achievement, related=["unit"])


@transaction.atomic
def achievement_add_files(*, achievement, by, files):
    """More evidence for an achievement that is not accepted yet."""
    achievement = _locked_achievement(achievement)
    if not rules.can_act_for_unit(by, achievement.unit):
        raise PermissionDenied
    if achievement.status == AchievementStatus.ACCEPTED:
        raise ValidationError(_("Thành tích đã được chấp nhận nên không bổ sung tệp được nữa."), code="accepted")
    _check_open(achievement.campaign, _("minh chứng"))
    files = _required_files(files, _("Hãy chọn ít nhất một tệp minh chứng."))
    with stored_batch() as batch:
        batch.store_all(files, lambda: EvidenceFile(achievement=achievement), folder=EVIDENCE_FOLDER, by=by)
        achievement.save(update_fields=["updated_at"])
        audit.record(actor=by, action="achievement_add_files", target=achievement, changes={"files": batch.names})
    return achievement


@transaction.atomic
def achievement_accept(*, achievement, by, note=""):
    achievement = _locked_achievement(achievement)
    if not rules.can_review(by):
        raise PermissionDenied
    workflow.run(achievement, "accept", by=by, action="achievement_accept", note=note)
    return achievement


@transaction.atomic
def achievement_ask_clarification(*, achievement, by, comment):
    achievement = _locked_achievement(achievement)
    if not rules.can_review(by):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Hãy ghi rõ nội dung đơn vị cần làm rõ.")})
    with workflow.transition(achievement, "ask_clarification", by=by, action="achievement_ask_clarification",
                             note=comment):
        achievement.review_comment = comment
    return achievement


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
        raise workflow.changed_meanwhile(achievement)
    _check_open(achievement.campaign, _("minh chứng"))
    files = list(files or [])
    validate_uploads(files)
    with stored_batch() as batch:
        batch.store_all(files, lambda: EvidenceFile(achievement=achievement), folder=EVIDENCE_FOLDER, by=by)
        with workflow.transition(achievement, "resubmit", by=by, action="achievement_resubmit", note=answer):
            achievement.unit_answer = answer
    return achievement


# Initiatives ------------------------------------------------------------------------------------------------


@transaction.atomic
def initiative_propose(*, by, campaign, unit, year, title, authors, problem, solution, effect, files):
    if not rules.can_act_for_unit(by, unit):
        raise PermissionDenied
    _check_campaign_year(campaign, year, work=_("sáng kiến"))
    authors = list(authors or [])
    if not authors:
        raise ValidationError({"authors": _("Hãy chọn ít nhất một tác giả.")})
    outsiders = [str(p) for p in authors if not p.unit.is_within(unit)]
    if outsiders:
        raise ValidationError({"authors": _("Tác giả phải thuộc đơn vị đề xuất hoặc đơn vị cấp dưới: %(names)s "
                                            "không thuộc.") % {"names": ", ".join(outsiders)}})
    files = _required_files(files, _("Hãy chọn ít nhất một tệp minh chứng cho sáng kiến."))
    with stored_batch() as batch:
        initiative = Initiative.objects.create(campaign=campaign, unit=unit, year=year, title=title,
                                               problem=problem, solution=solution, effect=effect, created_by=by)
        initiative.authors.set(authors)
        batch.store_all(files, lambda: InitiativeFile(initiative=initiative), folder=INITIATIVE_FOLDER, by=by)
        audit.record(actor=by, action="initiative_propose", target=initiative,
                     changes={"to": initiative.status, "authors": [str(p) for p in authors], "files": batch.names})
    return initiative


@transaction.atomic
def initiative_recognise(*, initiative, by, level, decision_number, decision_date):
    initiative = workflow.lock(initiative)
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
    with workflow.transition(initiative, "recognise", by=by, action="initiative_recognise") as step:
        initiative.level, initiative.decision_number = level, decision_number.strip()
        initiative.decision_date = decision_date
        step.note = f"{initiative.get_level_display()} · {initiative.decision_number} · {decision_date:%d/%m/%Y}"
    return initiative


@transaction.atomic
def initiative_refuse(*, initiative, by, reason):
    initiative = workflow.lock(initiative)
    if not rules.can_review(by):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do không công nhận.")})
    with workflow.transition(initiative, "refuse", by=by, action="initiative_refuse", note=reason):
        initiative.refusal_reason = reason
    return initiative


# Exemplary models -------------------------------------------------------------------------------------------

MODEL_FIELDS = ("campaign", "kind", "title", "story", "year", "unit", "person", "initiative")


def _check_photo(photo):
    name = str(getattr(photo, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in PHOTO_EXTENSIONS:
        raise ValidationError({"photo": _("Ảnh “%(name)s” phải là tệp JPG hoặc PNG.") % {"name": name}})
    validate_uploads([photo], field="photo")


def _save_model(model, by, data, photo, action):
    if not rules.can_manage_campaign(by):
        raise PermissionDenied
    initiative = data.get("initiative")
    if initiative is not None and initiative.status != InitiativeStatus.RECOGNISED:
        raise ValidationError({"initiative": _("Chỉ liên kết với sáng kiến đã được công nhận.")})
    if photo:
        _check_photo(photo)
    changes = audit.changes(model, data, MODEL_FIELDS) if model.pk else {}
    for name in MODEL_FIELDS:
        if name in data:
            setattr(model, name, data[name])
    old_file = model.file.name if model.file else ""
    with stored_batch() as batch:
        if photo:
            batch.store(model, photo, folder=PHOTO_FOLDER, by=by, save=False)
            changes["photo"] = [old_file, model.original_name]
        model.full_clean(exclude=["file"])
        model.save()
        audit.record(actor=by, action=action, target=model, changes=changes)
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
