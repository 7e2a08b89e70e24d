"""Writes: one function per user action. Each runs in one transaction with the dossier row locked, checks the
actor's role and scope, runs the declared transition and leaves an activity row (core.audit.record)."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import InitiativeStatus
from core import audit, workflow
from core.files import stored_batch
from units.models import Role, User

from . import rules, selectors
from .models import (
    CommendationRecord,
    Decision,
    Dossier,
    DossierDocument,
    DossierState,
    DossierSubmission,
    Nominee,
    Notification,
    Posting,
    PublicComment,
    RecipientKind,
)
from .workdays import add_working_days

S = DossierState
COUNCIL_FIELDS = ("council_date", "council_members", "council_present", "council_votes")


def _lock(dossier):
    return workflow.lock(dossier)


def _step(dossier, method, by, action, expected=None, note=""):
    """The dossier's transition `method` (see core.workflow): saved and recorded as `action` when the block ends."""
    return workflow.transition(dossier, method, by=by, action=action, expected=expected, note=note)


def _require_editable(by, dossier):
    if not rules.can_prepare_for(by, dossier.unit):
        raise PermissionDenied
    if not dossier.is_editable:
        raise ValidationError(_("Hồ sơ đang ở trạng thái “%(state)s” nên không sửa được.")
                              % {"state": dossier.get_state_display()}, code="not_editable")


# Notifications ------------------------------------------------------------------------------------------------


def _unit_contacts(dossier):
    users = list(User.objects.filter(is_active=True, role=Role.OFFICER, unit=dossier.unit))
    if dossier.created_by_id and all(u.pk != dossier.created_by_id for u in users):
        users += list(User.objects.filter(pk=dossier.created_by_id, is_active=True))
    return users


def _appraisers():
    return list(User.objects.filter(is_active=True, role=Role.APPRAISER))


def _notify(users, dossier, text):
    """An inbox row for each user now; the email once the transaction has committed."""
    Notification.objects.bulk_create([Notification(user=u, dossier=dossier, text=text) for u in users])
    emails = sorted({u.email for u in users if u.email})
    if emails:
        subject = _("[Thi đua - Khen thưởng] Hồ sơ số %(pk)s") % {"pk": dossier.pk}
        transaction.on_commit(lambda: send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, emails,
                                                fail_silently=True))


# Preparing a dossier --------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_create(*, by, campaign, milestone, unit, form, simplified=False):
    if not rules.can_prepare_for(by, unit):
        raise PermissionDenied
    if milestone.campaign_id != campaign.pk:
        raise ValidationError({"milestone": _("Đợt khen thưởng không thuộc phong trào đã chọn.")})
    rule = selectors.rule_for(form, timezone.localdate())
    if rule is None:
        raise ValidationError({"form": _("Hình thức này chưa có quy định áp dụng tại ngày hôm nay.")})
    if simplified and not rule.simplified_allowed:
        raise ValidationError({"simplified": _("Hình thức này không được áp dụng thủ tục đơn giản.")})
    dossier = Dossier.objects.create(campaign=campaign, milestone=milestone, unit=unit, form=form, rule=rule,
                                     simplified=simplified, created_by=by)
    audit.record(actor=by, action="dossier_create", target=dossier, changes={"from": "", "to": dossier.state})
    return dossier


@transaction.atomic
def dossier_update(*, dossier, by, **data):
    """Edit the council meeting and the procedure of a draft or returned dossier."""
    dossier = _lock(dossier)
    _require_editable(by, dossier)
    changes = audit.changes(dossier, data, (*COUNCIL_FIELDS, "simplified"))
    for name in changes:
        setattr(dossier, name, data[name])
    if dossier.simplified and dossier.rule and not dossier.rule.simplified_allowed:
        raise ValidationError({"simplified": _("Hình thức này không được áp dụng thủ tục đơn giản.")})
    dossier.save()
    if changes:
        audit.record(actor=by, action="dossier_update", target=dossier, changes=changes)
    return dossier


@transaction.atomic
def nominee_add(*, dossier, by, unit=None, person=None, summary="", achievements=(), initiatives=(), grounds=()):
    dossier = _lock(dossier)
    _require_editable(by, dossier)
    if (unit is None) == (person is None):
        raise ValidationError(_("Chọn đúng một tập thể hoặc một cá nhân."))
    nominee_unit = unit if unit is not None else person.unit
    if not nominee_unit.is_within(dossier.unit):
        raise ValidationError(_("“%(who)s” không thuộc đơn vị trình hồ sơ hoặc các đơn vị cấp dưới của nó.")
                              % {"who": unit or person})
    kind = RecipientKind.COLLECTIVE if unit is not None else RecipientKind.INDIVIDUAL
    if not dossier.form.accepts(kind):
        raise ValidationError(_("Hình thức “%(form)s” chỉ dành cho %(allowed)s.") % {
            "form": dossier.form, "allowed": RecipientKind(dossier.form.recipient_kind).label.lower()})
    own = {"unit": unit, "person": person}
    allowed_achievements = set(selectors.achievements_for(dossier, **own).values_list("pk", flat=True))
    allowed_initiatives = set(selectors.initiatives_for(dossier, **own).values_list("pk", flat=True))
    if any(a.pk not in allowed_achievements for a in achievements):
        raise ValidationError(_("Chỉ gắn các thành tích đã ghi nhận của chính đối tượng này trong phong trào."))
    if any(i.pk not in allowed_initiatives or i.status != InitiativeStatus.RECOGNISED for i in initiatives):
        raise ValidationError(_("Chỉ gắn các sáng kiến đã được công nhận của chính đối tượng này."))
    if any((g.unit_id, g.person_id) != (getattr(unit, "pk", None), getattr(person, "pk", None)) for g in grounds):
        raise ValidationError(_("Chỉ chọn các khen thưởng của chính đối tượng này làm căn cứ."))
    try:
        with transaction.atomic():
            nominee = Nominee.objects.create(dossier=dossier, unit=unit, person=person, summary=summary)
    except IntegrityError:
        raise ValidationError(_("“%(who)s” đã có trong hồ sơ này.") % {"who": unit or person}) from None
    nominee.achievements.set(achievements)
    nominee.initiatives.set(initiatives)
    nominee.grounds.set(grounds)
    audit.record(actor=by, action="nominee_add", target=dossier, note=str(nominee))
    return nominee


@transaction.atomic
def nominee_update(*, nominee, by, summary, achievements=(), initiatives=(), grounds=()):
    """Edit a nominee's summary and links (the nominee itself stays; remove and add to change it)."""
    dossier = _lock(nominee.dossier)
    _require_editable(by, dossier)
    nominee = Nominee.objects.select_related("unit", "person").get(pk=nominee.pk, dossier=dossier)
    own = {"unit": nominee.unit, "person": nominee.person}
    allowed_achievements = set(selectors.achievements_for(dossier, **own).values_list("pk", flat=True))
    allowed_initiatives = set(selectors.initiatives_for(dossier, **own).values_list("pk", flat=True))
    if any(a.pk not in allowed_achievements for a in achievements):
        raise ValidationError(_("Chỉ gắn các thành tích đã ghi nhận của chính đối tượng này trong phong trào."))
    if any(i.pk not in allowed_initiatives for i in initiatives):
        raise ValidationError(_("Chỉ gắn các sáng kiến đã được công nhận của chính đối tượng này."))
    if any((g.unit_id, g.person_id) != (nominee.unit_id, nominee.person_id) for g in grounds):
        raise ValidationError(_("Chỉ chọn các khen thưởng của chính đối tượng này làm căn cứ."))
    nominee.summary = summary
    nominee.save(update_fields=["summary"])
    nominee.achievements.set(achievements)
    nominee.initiatives.set(initiatives)
    nominee.grounds.set(grounds)
    audit.record(actor=by, action="nominee_update", target=dossier, note=str(nominee))
    return nominee


@transaction.atomic
def nominee_remove(*, nominee, by):
    dossier = _lock(nominee.dossier)
    _require_editable(by, dossier)
    label = str(nominee)
    nominee.delete()
    audit.record(actor=by, action="nominee_remove", target=dossier, note=label)


def document_upload(*, dossier, by, doc_type, upload):
    """Content-checked upload into private storage; the stored file is removed again if the transaction fails."""
    with stored_batch() as batch:
        locked = _lock(dossier)
        _require_editable(by, locked)
        document = batch.store(DossierDocument(doc_type=doc_type, dossier=locked), upload, folder="awards", by=by)
        audit.record(actor=by, action="document_upload", target=locked,
                     note=f"{doc_type.name}: {document.original_name}")
    return document


@transaction.atomic
def document_delete(*, document, by):
    dossier = _lock(document.dossier)
    _require_editable(by, dossier)
    label = f"{document.doc_type.name}: {document.original_name}"
    name = document.file.name
    storage = document.file.storage
    document.delete()
    audit.record(actor=by, action="document_delete", target=dossier, note=label)
    transaction.on_commit(lambda: storage.delete(name) if name else None)


# Submission snapshots --------------------------------------------------------------------------------------------


def snapshot(dossier):
    nominees = {}
    for n in dossier.nominees.select_related("unit", "person").prefetch_related("achievements", "initiatives"):
        nominees[n.key] = {"label": str(n), "summary": n.summary,
                           "achievements": sorted(a.title for a in n.achievements.all()),
                           "initiatives": sorted(i.title for i in n.initiatives.all())}
    documents = {str(d.pk): {"type": d.doc_type.name, "name": d.original_name, "sha256": d.sha256}
                 for d in dossier.documents.select_related("doc_type")}
    council = {name: (str(getattr(dossier, name)) if getattr(dossier, name) is not None else "")
               for name in COUNCIL_FIELDS}
    return {"nominees": nominees, "documents": documents, "council": council, "simplified": dossier.simplified}


COUNCIL_LABELS = {"council_date": "Ngày họp Hội đồng", "council_members": "Tổng số thành viên",
                  "council_present": "Số thành viên có mặt", "council_votes": "Số phiếu đồng ý"}


def diff(old, new):
    """What changed between two submissions, as Vietnamese lines for the appraiser."""
    lines = []
    old_n, new_n = old.get("nominees", {}), new.get("nominees", {})
    for key in new_n.keys() - old_n.keys():
        lines.append(_("Thêm đối tượng: %(x)s") % {"x": new_n[key]["label"]})
    for key in old_n.keys() - new_n.keys():
        lines.append(_("Bỏ đối tượng: %(x)s") % {"x": old_n[key]["label"]})
    for key in old_n.keys() & new_n.keys():
        for part, label in (("summary", _("tóm tắt thành tích")), ("achievements", _("thành tích gắn kèm")),
                            ("initiatives", _("sáng kiến gắn kèm"))):
            if old_n[key][part] != new_n[key][part]:
                lines.append(_("Sửa %(part)s của %(x)s") % {"part": label, "x": new_n[key]["label"]})
    old_d, new_d = old.get("documents", {}), new.get("documents", {})
    for key in sorted(new_d.keys() - old_d.keys()):
        lines.append(_("Thêm tài liệu: %(type)s — %(name)s") % new_d[key])
    for key in sorted(old_d.keys() - new_d.keys()):
        lines.append(_("Xóa tài liệu: %(type)s — %(name)s") % old_d[key])
    for name, label in COUNCIL_LABELS.items():
        before, after = old.get("council", {}).get(name, ""), new.get("council", {}).get(name, "")
        if before != after:
            lines.append(_("%(label)s: %(before)s → %(after)s") % {"label": _(label), "before": before or "—",
                                                                   "after": after or "—"})
    if old.get("simplified") != new.get("simplified"):
        lines.append(_("Đổi thủ tục (đơn giản/đầy đủ)"))
    return lines


# The workflow --------------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_submit(*, dossier, by, expected=None):
    dossier = _lock(dossier)
    if not rules.can_prepare_for(by, dossier.unit):
        raise PermissionDenied
    today = timezone.localdate()
    rule = selectors.rule_for(dossier.form, today)
    if dossier.state in (S.DRAFT, S.RETURNED):
        missing = selectors.missing_parts(dossier, rule)
        if missing:
            raise ValidationError([_("Chưa nộp được hồ sơ vì còn thiếu:")] + missing, code="incomplete")
    with _step(dossier, "submit", by, "dossier_submit", expected=expected) as step:
        dossier.rule = rule
        dossier.submission_count += 1
        dossier.submitted_at = timezone.now()
        dossier.due_on = add_working_days(today, rule.appraisal_working_days)
        current = snapshot(dossier)
        previous = DossierSubmission.objects.filter(dossier=dossier).order_by("-number").first()
        changes = diff(previous.snapshot, current) if previous else []
        DossierSubmission.objects.create(dossier=dossier, number=dossier.submission_count, by=by, snapshot=current,
                                         changes=changes)
        step.note = "\n".join(changes)
    verb = _("nộp lại") if step.before == S.RETURNED else _("nộp")
    _notify(_appraisers(), dossier, _("%(unit)s đã %(verb)s hồ sơ số %(pk)s (%(form)s).") % {
        "unit": dossier.unit, "verb": verb, "pk": dossier.pk, "form": dossier.form})
    return dossier


@transaction.atomic
def dossier_receive(*, dossier, by, expected=None):
    dossier = _lock(dossier)
    if not rules.can_appraise(by):
        raise PermissionDenied
    with _step(dossier, "receive", by, "dossier_receive", expected=expected):
        missing = selectors.missing_parts(dossier, dossier.rule)
        if missing:
            raise ValidationError([_("Hồ sơ chưa đủ thành phần, hãy trả lại để đơn vị bổ sung:")] + missing,
                                  code="incomplete")
        dossier.received_on = timezone.localdate()
        dossier.due_on = add_working_days(dossier.received_on, dossier.rule.appraisal_working_days)
    return dossier


@transaction.atomic
def dossier_start_appraisal(*, dossier, by, expected=None):
    dossier = _lock(dossier)
    if not rules.can_appraise(by):
        raise PermissionDenied
    workflow.run(dossier, "start_appraisal", by=by, action="dossier_start_appraisal", expected=expected)
    return dossier


@transaction.atomic
def dossier_return(*, dossier, by, reasons, expected=None):
    dossier = _lock(dossier)
    if not rules.can_appraise(by):
        raise PermissionDenied
    if not (reasons or "").strip():
        raise ValidationError({"reasons": _("Hãy ghi rõ lý do trả lại và những gì đơn vị cần bổ sung.")})
    with _step(dossier, "return_for_supplement", by, "dossier_return", expected=expected) as step:
        dossier.return_reasons = reasons.strip()
        step.note = dossier.return_reasons
    _notify(_unit_contacts(dossier), dossier, _("Hồ sơ số %(pk)s (%(form)s) bị trả lại để bổ sung: %(reasons)s") % {
        "pk": dossier.pk, "form": dossier.form, "reasons": dossier.return_reasons})
    return dossier


@transaction.atomic
def dossier_propose(*, dossier, by, note="", expected=None):
    dossier = _lock(dossier)
    if not rules.can_appraise(by):
        raise PermissionDenied
    with _step(dossier, "propose", by, "dossier_propose", expected=expected) as step:
        dossier.appraisal_note = note.strip()
        step.note = dossier.appraisal_note
    return dossier


@transaction.atomic
def dossier_not_propose(*, dossier, by, note, expected=None):
    dossier = _lock(dossier)
    if not rules.can_appraise(by):
        raise PermissionDenied
    if not (note or "").strip():
        raise ValidationError({"note": _("Hãy ghi rõ lý do không đề nghị khen thưởng.")})
    with _step(dossier, "not_propose", by, "dossier_not_propose", expected=expected) as step:
        dossier.appraisal_note = note.strip()
        step.note = dossier.appraisal_note
    _notify(_unit_contacts(dossier), dossier, _("Hồ sơ số %(pk)s không được đề nghị khen thưởng: %(note)s") % {
        "pk": dossier.pk, "note": dossier.appraisal_note})
    return dossier


@transaction.atomic
def dossier_withdraw(*, dossier, by, note="", expected=None):
    dossier = _lock(dossier)
    if not rules.can_prepare_for(by, dossier.unit):
        raise PermissionDenied
    workflow.run(dossier, "withdraw", by=by, action="dossier_withdraw", expected=expected, note=note)
    return dossier


@transaction.atomic
def dossier_reopen(*, dossier, by, reason, expected=None):
    dossier = _lock(dossier)
    if not rules.can_manage(by):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi rõ lý do mở lại hồ sơ.")})
    method = "reopen_withdrawn" if dossier.state == S.WITHDRAWN else "reopen_appraisal"
    workflow.run(dossier, method, by=by, action="dossier_reopen", expected=expected, note=reason.strip())
    return dossier


@transaction.atomic
def dossier_not_award(*, dossier, by, note, expected=None):
    dossier = _lock(dossier)
    if not rules.can_decide(by):
        raise PermissionDenied
    if not (note or "").strip():
        raise ValidationError({"note": _("Hãy ghi rõ lý do không khen thưởng.")})
    workflow.run(dossier, "not_award", by=by, action="dossier_not_award", expected=expected, note=note.strip())
    _notify(_unit_contacts(dossier), dossier, _("Hồ sơ số %(pk)s không được khen thưởng: %(note)s") % {
        "pk": dossier.pk, "note": note.strip()})
    return dossier


# Bulk actions (preview, then all or none) ------------------------------------------------------------------------


def council_preview(dossiers, by):
    """(applicable, [(dossier, reason)]) for putting the selected dossiers to the council."""
    return _preview(dossiers, S.PROPOSED, _("chưa ở trạng thái “Đề nghị khen thưởng”"))


def decision_preview(dossiers, by):
    return _preview(dossiers, S.AT_COUNCIL, _("chưa được trình Hội đồng"))


def _preview(dossiers, state, reason):
    applicable, left_out = [], []
    for dossier in dossiers:
        if dossier.state == state:
            applicable.append(dossier)
        else:
            left_out.append((dossier, _("%(reason)s (hiện tại: %(state)s)") % {
                "reason": reason, "state": dossier.get_state_display()}))
    return applicable, left_out


def _lock_all(dossiers, state):
    ids = sorted({d.pk for d in dossiers})
    if not ids:
        raise ValidationError(_("Chưa chọn hồ sơ nào."))
    locked = list(Dossier.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    wrong = [d for d in locked if d.state != state]
    if wrong or len(locked) != len(ids):
        raise ValidationError(_("Không thực hiện thao tác nào vì %(n)s hồ sơ không còn ở trạng thái phù hợp "
                                "(số %(pks)s). Hãy xem lại danh sách rồi chọn lại.") % {
            "n": len(wrong) or len(ids) - len(locked), "pks": ", ".join(str(d.pk) for d in wrong)})
    return locked


@transaction.atomic
def dossiers_put_to_council(*, dossiers, by, note=""):
    if not rules.can_manage(by):
        raise PermissionDenied
    locked = _lock_all(dossiers, S.PROPOSED)
    for dossier in locked:
        workflow.run(dossier, "put_to_council", by=by, action="dossier_put_to_council", note=note)
    return locked


@transaction.atomic
def decision_record(*, dossiers, by, number, date, signer, signer_title="", authority=""):
    """One decision for the selected dossiers: every one awarded with history rows, or none at all."""
    if not rules.can_decide(by):
        raise PermissionDenied
    if Decision.objects.filter(number=number).exists():
        raise ValidationError({"number": _("Đã có quyết định số %(n)s.") % {"n": number}})
    locked = _lock_all(dossiers, S.AT_COUNCIL)
    decision = Decision.objects.create(number=number, date=date, signer=signer, signer_title=signer_title,
                                       authority=authority, created_by=by)
    records = []
    for dossier in locked:
        with _step(dossier, "award", by, "dossier_award", note=_("Quyết định số %(n)s") % {"n": number}):
            dossier.decision = decision
        period = dossier.milestone
        for nominee in dossier.nominees.all():
            records.append(CommendationRecord(
                unit_id=nominee.unit_id, person_id=nominee.person_id, form=dossier.form, year=date.year,
                period_start=period.period_start, period_end=period.period_end, basis=dossier.form.basis,
                decision_number=number, decision_date=date, decision=decision, dossier=dossier))
        _notify(_unit_contacts(dossier), dossier, _("Hồ sơ số %(pk)s đã được khen thưởng theo Quyết định số %(n)s "
                                                    "ngày %(d)s.") % {"pk": dossier.pk, "n": number,
                                                                      "d": date.strftime("%d/%m/%Y")})
    CommendationRecord.objects.bulk_create(records)
    audit.record(actor=by, action="decision_record", target=decision,
                 changes={"dossiers": [d.pk for d in locked]})
    return decision


@transaction.atomic
def notifications_mark_read(*, by, ids=None):
    qs = Notification.objects.filter(user=by, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


# Public posting (công khai) --------------------------------------------------------------------------------------

POSTABLE_STATES = (S.PROPOSED, S.AT_COUNCIL)
COMMENTS_PER_HOUR = 5


def posting_working_days():
    return getattr(settings, "AWARD_POSTING_WORKING_DAYS", 10)


def posting_preview(dossiers, by):
    applicable, left_out = [], []
    for dossier in dossiers:
        if dossier.state in POSTABLE_STATES:
            applicable.append(dossier)
        else:
            left_out.append((dossier, _("chỉ công khai hồ sơ đã được đề nghị khen thưởng hoặc đã trình Hội đồng "
                                        "(hiện tại: %(state)s)") % {"state": dossier.get_state_display()}))
    return applicable, left_out


@transaction.atomic
def posting_publish(*, dossiers, by, title, working_days=None):
    """Publish the nominees of the selected dossiers for public comments; all of them or none."""
    if not rules.can_manage(by):
        raise PermissionDenied
    ids = sorted({d.pk for d in dossiers})
    locked = list(Dossier.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    wrong = [d for d in locked if d.state not in POSTABLE_STATES]
    if not ids or wrong or len(locked) != len(ids):
        raise ValidationError(_("Không công khai hồ sơ nào vì có hồ sơ không còn ở trạng thái được công khai "
                                "(số %(pks)s).") % {"pks": ", ".join(str(d.pk) for d in wrong) or "—"})
    days = working_days or posting_working_days()
    posting = Posting.objects.create(title=title.strip(), created_by=by,
                                     closes_on=add_working_days(timezone.localdate(), days))
    posting.dossiers.set(locked)
    audit.record(actor=by, action="posting_publish", target=posting,
                 changes={"dossiers": ids, "closes_on": posting.closes_on.isoformat(), "working_days": days})
    return posting


@transaction.atomic
def posting_close(*, posting, by):
    if not rules.can_manage(by):
        raise PermissionDenied
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if posting.closed_at is not None:
        raise ValidationError(_("Đợt công khai này đã đóng."))
    posting.closed_at = timezone.now()
    posting.save(update_fields=["closed_at"])
    audit.record(actor=by, action="posting_close", target=posting)
    return posting


def source_hash(address):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


@transaction.atomic
def comment_add(*, posting, dossier, text, name="", source=""):
    """A public comment (no account). At most COMMENTS_PER_HOUR per source address, counted in the database so
    the limit holds across every app server."""
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if not posting.is_open:
        raise ValidationError(_("Đợt công khai này đã hết hạn nhận ý kiến."))
    if not posting.dossiers.filter(pk=dossier.pk).exists():
        raise ValidationError(_("Hồ sơ này không thuộc đợt công khai."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung ý kiến.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("Ý kiến dài quá 2000 ký tự; hãy rút gọn.")})
    digest = source_hash(source)
    recent = PublicComment.objects.filter(source_hash=digest,
                                          created_at__gte=timezone.now() - datetime.timedelta(hours=1)).count()
    if recent >= COMMENTS_PER_HOUR:
        raise ValidationError(_("Bạn đã gửi %(n)s ý kiến trong một giờ qua; hãy thử lại sau.") % {"n": recent})
    comment = PublicComment.objects.create(posting=posting, dossier=dossier, text=text, name=(name or "").strip()[:150],
                                           source_hash=digest)
    audit.record(actor=None, action="public_comment", target=dossier, note=text[:255])
    return comment
