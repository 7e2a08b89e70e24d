"""Writes for the plan side of a campaign: one function per user action, one transaction, one audit row each."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, workflow
from core.files import stored_batch

from .. import rules
from ..models import (
    Campaign,
    CampaignStatus,
    EmulationContent,
    FollowUpTask,
    Inspection,
    Milestone,
    Registration,
    RegistrationCommitment,
    ThemeDocument,
    YearlyTheme,
)
from ..selectors import plan as selectors

CAMPAIGN_FIELDS = ("number", "issued_on", "issuer", "title", "kind", "starts_on", "ends_on", "purpose",
                   "requirements", "participant_unit_kinds", "individuals_take_part", "individuals_note", "organiser")
CONTENT_FIELDS = ("number", "short_title", "text", "expected_evidence")
MILESTONE_FIELDS = ("kind", "title", "year", "period_start", "period_end", "due_on")
THEME_FIELDS = ("year", "title", "guidance")


def _apply(instance, fields, data):
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def _require(allowed):
    if not allowed:
        raise PermissionDenied


# Campaign --------------------------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, by, **data):
    _require(rules.can_manage_campaign(by))
    campaign = Campaign(status=CampaignStatus.DRAFT)
    _apply(campaign, CAMPAIGN_FIELDS, data)
    return audit.save_recorded(campaign, by=by, action="campaign_create")


@transaction.atomic
def campaign_update(*, campaign, by, **data):
    _require(rules.can_manage_campaign(by))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    return audit.update_recorded(campaign, data, CAMPAIGN_FIELDS, by=by, action="campaign_update")


def _ready_to_launch(campaign):
    if not campaign.contents.exists():
        raise ValidationError(_("Phong trào chưa có nội dung thi đua nào; hãy thêm nội dung trước khi phát động."))


@transaction.atomic
def campaign_launch(*, campaign, by):
    _require(rules.can_manage_campaign(by))
    campaign = workflow.lock(campaign)
    with workflow.transition(campaign, "launch", by=by, action="campaign_launch", update_fields=["status"]):
        _ready_to_launch(campaign)
    return campaign


@transaction.atomic
def campaign_close(*, campaign, by):
    _require(rules.can_manage_campaign(by))
    campaign = workflow.lock(campaign)
    workflow.run(campaign, "close", by=by, action="campaign_close", update_fields=["status"])
    return campaign


def _part(model, campaign, part, name, fields, data):
    """What a content, milestone or theme save writes: (row, action, changes).

    part=None: a new row of the campaign (`<name>_create`); otherwise that row of this campaign, locked for update,
    with the diff of `fields` (`<name>_update`). `data` is applied to it; the caller validates and saves.
    """
    if part is None:
        row, action, changes = model(campaign=campaign), f"{name}_create", {}
    else:
        row = model.objects.select_for_update().get(pk=part.pk, campaign=campaign)
        action, changes = f"{name}_update", audit.changes(row, data, fields)
    _apply(row, fields, data)
    return row, action, changes


@transaction.atomic
def content_save(*, campaign, by, content=None, **data):
    """Add a content to the campaign (content=None) or change one of its contents."""
    _require(rules.can_manage_campaign(by))
    content, action, changes = _part(EmulationContent, campaign, content, "content", CONTENT_FIELDS, data)
    return audit.save_recorded(content, by=by, action=action, changes=changes)


@transaction.atomic
def milestone_save(*, campaign, by, milestone=None, **data):
    _require(rules.can_manage_campaign(by))
    milestone, action, changes = _part(Milestone, campaign, milestone, "milestone", MILESTONE_FIELDS, data)
    return audit.save_recorded(milestone, by=by, action=action, changes=changes)


# Yearly themes ---------------------------------------------------------------------------------------------


def _check_year(campaign, year):
    if year not in campaign.years:
        raise ValidationError({"year": _("Năm %(year)s nằm ngoài thời gian của phong trào (%(first)s–%(last)s).")
                               % {"year": year, "first": campaign.starts_on.year, "last": campaign.ends_on.year}})


@transaction.atomic
def theme_save(*, campaign, by, theme=None, **data):
    _require(rules.can_manage_campaign(by))
    _check_year(campaign, data.get("year", theme.year if theme else None))
    theme, action, changes = _part(YearlyTheme, campaign, theme, "theme", THEME_FIELDS, data)
    try:
        return audit.save_recorded(theme, by=by, action=action, changes=changes)
    except ValidationError as error:
        if "__all__" in getattr(error, "error_dict", {}):
            raise ValidationError({"year": _("Năm %(year)s đã có chủ đề thi đua; hãy sửa chủ đề đã có.")
                                   % {"year": theme.year}}) from None
        raise


@transaction.atomic
def theme_document_upload(*, theme, upload, by):
    _require(rules.can_manage_campaign(by))
    with stored_batch() as batch:
        document = batch.store(ThemeDocument(theme=theme), upload, folder="themes", by=by)
        audit.record(actor=by, action="theme_document_upload", target=theme, note=document.original_name)
    return document


@transaction.atomic
def theme_publish(*, theme, by):
    _require(rules.can_manage_campaign(by))
    theme = YearlyTheme.objects.select_for_update().get(pk=theme.pk)
    if theme.published_at is not None:
        raise ValidationError(_("Chủ đề năm %(year)s đã được công bố từ trước.") % {"year": theme.year})
    theme.published_at = timezone.now()
    theme.save(update_fields=["published_at"])
    audit.record(actor=by, action="theme_publish", target=theme, changes={"from": "draft", "to": "published"})
    return theme


# Registration ----------------------------------------------------------------------------------------------


def _check_registrable(campaign, unit, year, by):
    _require(rules.can_act_for_unit(by, unit))
    closed = selectors.closed_reason(campaign, _("đăng ký thi đua"))
    if closed:
        raise ValidationError(closed)
    if not campaign.takes_part(unit):
        raise ValidationError(_("Đơn vị “%(unit)s” (%(kind)s) không thuộc đối tượng thi đua của phong trào này.")
                              % {"unit": unit.name, "kind": unit.get_kind_display()})
    if year not in selectors.open_years(campaign):
        raise ValidationError(_("Năm %(year)s không còn mở đăng ký thi đua.") % {"year": year})


def _save_commitments(registration, commitments):
    contents = {c.pk: c for c in registration.campaign.contents.all()}
    missing = [c for c in contents.values() if not (commitments.get(c.pk) or "").strip()]
    if missing:
        numbers = ", ".join(f"({c.number})" for c in sorted(missing, key=lambda c: c.number))
        raise ValidationError(_("Hãy nhập cam kết cho nội dung %(numbers)s.") % {"numbers": numbers})
    existing = {c.content_id: c for c in registration.commitments.all()}
    for content_id, text in commitments.items():
        if content_id not in contents:
            continue
        row = existing.get(content_id) or RegistrationCommitment(registration=registration, content_id=content_id)
        row.commitment = text.strip()
        row.save()


@transaction.atomic
def registration_create(*, campaign, unit, year, commitments, by, note=""):
    """Register `unit` for `year` with a commitment text per content ({content_id: text})."""
    _check_registrable(campaign, unit, year, by)
    duplicate = ValidationError(_("Đơn vị “%(unit)s” đã đăng ký thi đua năm %(year)s; hãy sửa bản đăng ký đã có "
                                  "thay vì đăng ký lại.") % {"unit": unit.name, "year": year}, code="duplicate")
    if Registration.objects.filter(campaign=campaign, unit=unit, year=year).exists():
        raise duplicate
    try:
        with transaction.atomic():
            registration = Registration.objects.create(campaign=campaign, unit=unit, year=year, registered_by=by,
                                                       note=note)
    except IntegrityError:
        raise duplicate from None
    _save_commitments(registration, commitments)
    audit.record(actor=by, action="registration_create", target=registration, changes={"year": year})
    return registration


@transaction.atomic
def registration_update(*, registration, commitments, by, note=None):
    registration = Registration.objects.select_for_update().select_related("campaign", "unit").get(
        pk=registration.pk)
    _check_registrable(registration.campaign, registration.unit, registration.year, by)
    if note is not None:
        registration.note = note
        registration.save(update_fields=["note"])
    _save_commitments(registration, commitments)
    audit.record(actor=by, action="registration_update", target=registration)
    return registration


# Reminders -------------------------------------------------------------------------------------------------

REMIND_REGISTRATION = "registration"
REMIND_PROGRESS = "progress"


def _reminder_text(campaign, year, reason, unit):
    if reason == REMIND_REGISTRATION:
        subject = _("[Thi đua CCHC] Nhắc đăng ký thi đua năm %(year)s") % {"year": year}
        body = _("Kính gửi %(unit)s,\n\nĐến nay đơn vị chưa đăng ký thi đua năm %(year)s trong phong trào "
                 "“%(title)s” (%(number)s). Đề nghị đơn vị đăng nhập hệ thống và đăng ký thi đua, nêu cam kết cho "
                 "từng nội dung thi đua.\n\nSở Nội vụ")
    else:
        subject = _("[Thi đua CCHC] Nhắc tiến độ thực hiện phong trào năm %(year)s") % {"year": year}
        body = _("Kính gửi %(unit)s,\n\nTheo dõi của Sở Nội vụ, đơn vị còn chậm trong phong trào “%(title)s” "
                 "(%(number)s) năm %(year)s (chưa đăng ký hoặc còn nội dung thi đua chưa có minh chứng được chấp "
                 "nhận). Đề nghị đơn vị cập nhật kết quả và minh chứng trên hệ thống.\n\nSở Nội vụ")
    params = {"unit": unit.name, "year": year, "title": campaign.title, "number": campaign.number}
    return subject, body % params


@transaction.atomic
def units_remind(*, campaign, year, units, by, reason=REMIND_REGISTRATION):
    """E-mail the officers of `units` (registration reminders skip units that have registered meanwhile).

    One audit row per reminded unit. Returns (units reminded, e-mails sent).
    """
    _require(rules.can_remind(by))
    units = list(units)
    if reason == REMIND_REGISTRATION:
        registered = set(Registration.objects.filter(campaign=campaign, year=year, unit__in=units)
                         .values_list("unit_id", flat=True))
        units = [unit for unit in units if unit.pk not in registered]
    by_unit = {}
    for officer in selectors.officers_of(units):
        by_unit.setdefault(officer.unit_id, []).append(officer.email)
    messages = []
    for unit in units:
        subject, body = _reminder_text(campaign, year, reason, unit)
        if by_unit.get(unit.pk):
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, by_unit[unit.pk]))
        audit.record(actor=by, action=f"remind_{reason}", target=unit,
                     note=_("Gửi tới: %(to)s") % {"to": ", ".join(by_unit.get(unit.pk, [])) or "—"},
                     changes={"campaign": campaign.pk, "year": year})
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    return len(units), sent


# Inspections -----------------------------------------------------------------------------------------------


@transaction.atomic
def inspection_create(*, campaign, by, unit, inspected_on, inspectors, findings, tasks=()):
    """Record an inspection with its follow-up tasks ([{"description":…, "deadline":…}])."""
    _require(rules.can_record_inspection(by))
    inspection = Inspection(campaign=campaign, unit=unit, inspected_on=inspected_on, inspectors=inspectors,
                            findings=findings, created_by=by)
    inspection.full_clean()
    inspection.save()
    for task in tasks:
        row = FollowUpTask(inspection=inspection, description=task["description"], deadline=task["deadline"])
        row.full_clean()
        row.save()
    audit.record(actor=by, action="inspection_create", target=inspection, changes={"tasks": len(tasks)})
    return inspection


@transaction.atomic
def task_add(*, inspection, by, description, deadline):
    _require(rules.can_record_inspection(by))
    task = FollowUpTask(inspection=inspection, description=description, deadline=deadline)
    return audit.save_recorded(task, by=by, action="task_add")


@transaction.atomic
def task_complete(*, task, by, note, completed_on=None):
    task = FollowUpTask.objects.select_for_update().select_related("inspection__unit").get(pk=task.pk)
    _require(rules.can_complete_task(by, task))
    if task.completed_on is not None:
        raise ValidationError(_("Việc này đã được đánh dấu hoàn thành ngày %(date)s.")
                              % {"date": task.completed_on.strftime("%d/%m/%Y")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Hãy ghi kết quả khắc phục trước khi đánh dấu hoàn thành.")})
    task.completed_on = completed_on or timezone.localdate()
    task.completion_note = note.strip()
    task.save(update_fields=["completed_on", "completion_note"])
    audit.record(actor=by, action="task_complete", target=task, note=task.completion_note,
                 changes={"from": "open", "to": "done"})
    return task
