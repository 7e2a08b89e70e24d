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
from campaigns.selectors.plan import campaigns_visible_to, closed_reason
from core import audit, register, workflow
from core.files import bytes_upload, stored_batch
from core.text import fold
from units.models import Role, User

from . import rules, selectors
from .models import (
    DECIDABLE_STATES,
    AwardForm,
    Ballot,
    CertificateBlank,
    CertificateField,
    CertificateLayout,
    CertificateSlot,
    CommendationRecord,
    CouncilItem,
    CouncilMember,
    CouncilRole,
    CouncilSession,
    Decision,
    DocumentType,
    Dossier,
    DossierDocument,
    DossierState,
    DossierSubmission,
    Nominee,
    Notification,
    Posting,
    Printer,
    PublicComment,
    RecipientKind,
    SessionState,
)
from .workdays import add_working_days

S = DossierState
DOSSIER_SERIES = ("awards", "HS")  # the yearly series of dossier numbers ("HS-2025-0042") in core.register
COUNCIL_FIELDS = ("council_date", "council_members", "council_present", "council_votes")


def _lock(dossier):
    return workflow.lock(dossier)


def _lock_for_appraisal(dossier, by):
    """The dossier locked for one of the appraisal steps (receive, start, return, propose or not), which are Sở Nội
    vụ appraisers' only."""
    dossier = _lock(dossier)
    if not rules.can_appraise(by):
        raise PermissionDenied
    return dossier


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


def _contacts_of(dossiers):
    """{dossier pk: its unit's active officers and its author}, as `_unit_contacts` gives, in two queries."""
    dossiers = list(dossiers)
    officers = {}
    for user in User.objects.filter(is_active=True, role=Role.OFFICER, unit__in={d.unit_id for d in dossiers}):
        officers.setdefault(user.unit_id, []).append(user)
    authors = User.objects.in_bulk({d.created_by_id for d in dossiers if d.created_by_id})
    contacts = {}
    for dossier in dossiers:
        users = list(officers.get(dossier.unit_id, ()))
        author = authors.get(dossier.created_by_id)
        if author is not None and author.is_active and all(u.pk != author.pk for u in users):
            users.append(author)
        contacts[dossier.pk] = users
    return contacts


def _appraisers():
    return list(User.objects.filter(is_active=True, role=Role.APPRAISER))


def _notify(users, dossier, text):
    """An inbox row for each user now; the email once the transaction has committed."""
    _notify_many([(users, dossier, text)])


def _notify_many(messages):
    """`_notify` for many (users, dossier, text) at once: one INSERT per batch of inbox rows."""
    Notification.objects.bulk_create([Notification(user=u, dossier=dossier, text=text)
                                      for users, dossier, text in messages for u in users], batch_size=1000)
    for users, dossier, text in messages:
        emails = sorted({u.email for u in users if u.email})
        if emails:
            subject = _("[Thi đua - Khen thưởng] Hồ sơ số %(pk)s") % {"pk": dossier.pk}
            transaction.on_commit(lambda subject=subject, text=text, emails=emails: send_mail(
                subject, text, settings.DEFAULT_FROM_EMAIL, emails, fail_silently=True))


# Preparing a dossier --------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_create(*, by, campaign, milestone, unit, form, simplified=False):
    if not rules.can_prepare_for(by, unit):
        raise PermissionDenied
    if milestone.campaign_id != campaign.pk:
        raise ValidationError({"milestone": _("Đợt khen thưởng không thuộc phong trào đã chọn.")})
    if not campaigns_visible_to(by).filter(pk=campaign.pk).exists():  # a draft plan: not yet open to units
        raise ValidationError({"milestone": _("Hãy chọn một đợt khen thưởng trong danh sách.")})
    closed = closed_reason(campaign, _("hồ sơ khen thưởng"))
    if closed:  # a closed plan's dossiers stay readable; a new one belongs to the movement that runs now
        raise ValidationError({"milestone": closed})
    ended = selectors.ended_by_restructuring(unit, timezone.localdate())
    if ended:
        raise ValidationError({"unit": ended})
    rule = selectors.rule_for(form, timezone.localdate())
    if rule is None:
        raise ValidationError({"form": _("Hình thức này chưa có quy định áp dụng tại ngày hôm nay.")})
    if simplified and not rule.simplified_allowed:
        raise ValidationError({"simplified": _("Hình thức này không được áp dụng thủ tục đơn giản.")})
    year = timezone.localdate().year
    number = register.next_number(issuer=DOSSIER_SERIES[0], kind=DOSSIER_SERIES[1], year=year)
    dossier = Dossier.objects.create(campaign=campaign, milestone=milestone, unit=unit, form=form, rule=rule,
                                     simplified=simplified, created_by=by, year=year, number=number)
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
    errors = selectors.council_figure_errors(dossier.council_members, dossier.council_present, dossier.council_votes)
    if errors:
        raise ValidationError(errors)
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
    ended = selectors.ended_by_restructuring(unit, timezone.localdate())
    if ended:
        raise ValidationError(ended)
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
    for unit in [dossier.unit] + [nominee.unit for nominee in dossier.nominees.select_related("unit") if nominee.unit]:
        ended = selectors.ended_by_restructuring(unit, today)
        if ended:
            raise ValidationError(ended)
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
    dossier = _lock_for_appraisal(dossier, by)
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
    dossier = _lock_for_appraisal(dossier, by)
    workflow.run(dossier, "start_appraisal", by=by, action="dossier_start_appraisal", expected=expected)
    return dossier


@transaction.atomic
def dossier_return(*, dossier, by, reasons, expected=None):
    dossier = _lock_for_appraisal(dossier, by)
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
    dossier = _lock_for_appraisal(dossier, by)
    with _step(dossier, "propose", by, "dossier_propose", expected=expected) as step:
        dossier.appraisal_note = note.strip()
        step.note = dossier.appraisal_note
    return dossier


@transaction.atomic
def dossier_not_propose(*, dossier, by, note, expected=None):
    dossier = _lock_for_appraisal(dossier, by)
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
    if dossier.in_open_session:
        raise ValidationError(_("Hồ sơ đang chờ kết quả của phiên họp Hội đồng; kết quả do phiên họp quyết định."))
    if dossier.decision_id and not Decision.objects.filter(pk=dossier.decision_id,
                                                           registered_at__isnull=False).exists():
        dossier.decision = None  # leaves the draft decision it was in
    workflow.run(dossier, "not_award", by=by, action="dossier_not_award", expected=expected, note=note.strip())
    _notify(_unit_contacts(dossier), dossier, _("Hồ sơ số %(pk)s không được khen thưởng: %(note)s") % {
        "pk": dossier.pk, "note": note.strip()})
    return dossier


# Bulk actions (preview, then all or none) ------------------------------------------------------------------------


def council_preview(dossiers, by):
    """(applicable, [(dossier, reason)]) for putting the selected dossiers to the council."""
    return _preview(dossiers, S.PROPOSED, _("chưa ở trạng thái “Đề nghị khen thưởng”"))


def decision_preview(dossiers, by):
    applicable, left_out = _preview(dossiers, DECIDABLE_STATES, _("chưa được Hội đồng thông qua"))
    for dossier in list(applicable):
        reason = _decision_refusal(dossier)
        if reason:
            applicable.remove(dossier)
            left_out.append((dossier, reason))
    return applicable, left_out


def _decision_refusal(dossier):
    if dossier.form.decided_above:
        return _("hình thức do cấp trên quyết định: trình cấp trên, không ra quyết định của tỉnh")
    if dossier.decision_id:
        return _("đã có trong quyết định %(d)s") % {"d": dossier.decision}
    if dossier.in_open_session:
        return _("đang chờ kết quả của phiên họp Hội đồng")
    return ""


def _preview(dossiers, states, reason):
    states = (states,) if isinstance(states, str) else tuple(states)
    applicable, left_out = [], []
    for dossier in dossiers:
        if dossier.state in states:
            applicable.append(dossier)
        else:
            left_out.append((dossier, _("%(reason)s (hiện tại: %(state)s)") % {
                "reason": reason, "state": dossier.get_state_display()}))
    return applicable, left_out


def _lock_all(dossiers, states):
    states = (states,) if isinstance(states, str) else tuple(states)
    ids = sorted({d.pk for d in dossiers})
    if not ids:
        raise ValidationError(_("Chưa chọn hồ sơ nào."))
    # What the bulk services read of each dossier comes in a constant number of queries, however many there are.
    locked = list(Dossier.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
                  .select_related("form", "unit", "milestone")
                  .prefetch_related("council_items__session", "nominees"))
    wrong = [d for d in locked if d.state not in states]
    if wrong or len(locked) != len(ids):
        raise ValidationError(_("Không thực hiện thao tác nào vì %(n)s hồ sơ không còn ở trạng thái phù hợp "
                                "(số %(pks)s). Hãy xem lại danh sách rồi chọn lại.") % {
            "n": len(wrong) or len(ids) - len(locked), "pks": ", ".join(d.code for d in wrong)})
    return locked


@transaction.atomic
def dossiers_put_to_council(*, dossiers, by, note=""):
    if not rules.can_manage(by):
        raise PermissionDenied
    locked = _lock_all(dossiers, S.PROPOSED)
    workflow.transition_all(locked, "put_to_council", by=by, action="dossier_put_to_council", note=note)
    return locked


def _signer_check(signer, issuer, day):
    if signer is None or signer.body_id != issuer.pk:
        raise ValidationError({"signer": _("Hãy chọn người ký của %(body)s.") % {"body": issuer}})
    if not signer.applies_on(day):
        raise ValidationError({"signer": _("%(who)s không có thẩm quyền ký vào ngày %(d)s (thời hạn trong danh mục "
                                           "người ký).") % {"who": signer, "d": day.strftime("%d/%m/%Y")}})


@transaction.atomic
def decision_prepare(*, dossiers, by, date, signer, proposal_number="", proposal_date=None, issuer=None):
    """A draft decision for the selected dossiers: no number yet ("DỰ THẢO" on its PDF), every one or none."""
    if not rules.can_decide(by):
        raise PermissionDenied
    issuer = issuer or selectors.decision_issuer(date)
    if issuer is None:
        raise ValidationError(_("Chưa khai báo cơ quan ban hành quyết định khen thưởng (Ủy ban nhân dân tỉnh) trong "
                                "danh mục cơ quan ban hành; hãy liên hệ quản trị viên."))
    _signer_check(signer, issuer, date)
    locked = _lock_all(dossiers, DECIDABLE_STATES)
    refused = [(d, _decision_refusal(d)) for d in locked if _decision_refusal(d)]
    if refused:
        raise ValidationError(_("Không lập được dự thảo quyết định: %(list)s.") % {
            "list": "; ".join(f"{d.code}: {reason}" for d, reason in refused)})
    decision = Decision.objects.create(
        date=date, issuer=issuer, signer_ref=signer, signer=signer.full_name,
        signer_title="\n".join(register.signature_lines(signer)), authority=issuer.name,
        proposal_number=(proposal_number or "").strip(), proposal_date=proposal_date,
        proposer=selectors.proposer_body(date), created_by=by)
    Dossier.objects.filter(pk__in=[d.pk for d in locked]).update(decision=decision)
    audit.record(actor=by, action="decision_prepare", target=decision, changes={"dossiers": [d.pk for d in locked]})
    return decision


@transaction.atomic
def decision_register(*, decision, by, date=None):
    """Register the draft: its number from the issuing body's register, the prize money of each awardee computed
    by the rules in force on the decision date and stored (never recomputed), the dossiers awarded, history rows."""
    if not rules.can_decide(by):
        raise PermissionDenied
    decision = (Decision.objects.select_for_update(of=("self",)).select_related("issuer", "signer_ref__body")
                .get(pk=decision.pk))
    if decision.is_registered or decision.external:
        raise ValidationError(_("Quyết định này đã được đăng ký số %(n)s.") % {"n": decision.number})
    date = date or decision.date
    _signer_check(decision.signer_ref, decision.issuer, date)
    locked = list(Dossier.objects.select_for_update(of=("self",)).filter(decision=decision)
                  .select_related("form", "milestone", "unit").prefetch_related("nominees")
                  .order_by("pk"))
    if not locked:
        raise ValidationError(_("Dự thảo quyết định không còn hồ sơ nào."))
    wrong = [d for d in locked if d.state not in DECIDABLE_STATES]
    if wrong:
        raise ValidationError(_("Không đăng ký được vì hồ sơ %(list)s không còn ở trạng thái chờ quyết định.")
                              % {"list": ", ".join(d.code for d in wrong)})
    quotes, quote_of = {}, {}  # the same form and kind on the same day get the same quote: ask the rules once
    for dossier in locked:
        for nominee in selectors.awarded_nominees(dossier):
            key = (dossier.form_id, nominee.kind)
            if key not in quote_of:
                quote_of[key] = selectors.prize_quote(dossier.form, nominee.kind, date)
            quotes[nominee.pk] = quote_of[key]
    entry = register.register(body=decision.issuer, kind="QĐ", issued_on=date, target=decision, by=by,
                              subject=_("Về việc khen thưởng %(n)s hồ sơ") % {"n": len(locked)})
    decision.number, decision.entry, decision.date = entry.reference, entry, date
    decision.registered_at = timezone.now()
    decision.save(update_fields=["number", "entry", "date", "registered_at"])
    _award(locked, decision, by, quotes)
    audit.record(actor=by, action="decision_register", target=decision,
                 changes={"number": decision.number, "dossiers": [d.pk for d in locked],
                          "total": sum(q.amount for q in quotes.values() if q)})
    return decision


def _award(dossiers, decision, by, quotes=None):
    """Award the locked dossiers with `decision`: one history row per awardee, with its prize money if quoted."""
    quotes = quotes or {}
    records, messages = [], []
    for dossier in dossiers:
        dossier.decision = decision
    workflow.transition_all(dossiers, "award", by=by, action="dossier_award", fields=["decision"],
                            note=_("Quyết định số %(n)s") % {"n": decision.number})
    contacts = _contacts_of(dossiers)
    for dossier in dossiers:
        period = dossier.milestone
        for nominee in selectors.awarded_nominees(dossier):
            quote = quotes.get(nominee.pk)
            records.append(CommendationRecord(
                unit_id=nominee.unit_id, person_id=nominee.person_id, form=dossier.form,
                year=selectors.emulation_year(period), period_start=period.period_start,
                period_end=period.period_end, basis=dossier.form.basis, decision_number=decision.number,
                decision_date=decision.date, decision=decision, dossier=dossier,
                amount=quote.amount if quote else None, coefficient=quote.coefficient if quote else None,
                base_salary=quote.base_salary if quote else None, prize_basis=quote.basis if quote else "",
                funding_body=decision.issuer if quote else None))
        messages.append((contacts[dossier.pk], dossier, _(
            "Hồ sơ %(code)s đã được khen thưởng theo Quyết định số %(n)s ngày %(d)s.") % {
                "code": dossier.code, "n": decision.number, "d": decision.date.strftime("%d/%m/%Y")}))
    _number_in_register(records, decision)
    CommendationRecord.objects.bulk_create(records, batch_size=1000)
    _notify_many(messages)
    return records


def _register_body_key(decision):
    """The award register a decision's commendations are numbered in: its issuing body's; a central decision
    (no issuing body here) the register kept for that authority ("TW-" and its name folded)."""
    if decision.issuer_id:
        return decision.issuer.key
    return ("TW-" + fold(decision.authority or "").upper().replace(" ", "-"))[:40]


def _number_in_register(records, decision):
    """Each new commendation takes the next number of the award register of the body that decided it, per year
    and form family, in the order of the decision's list; a block per family is taken under the series lock, so
    concurrent decisions never share or reuse a number."""
    body, year = _register_body_key(decision), decision.date.year
    by_family = {}
    for record in records:
        by_family.setdefault(record.form.family, []).append(record)
    for family in sorted(by_family):
        rows = by_family[family]
        first = register.next_number(issuer=body, kind=f"SKT-{family}", year=year, count=len(rows))
        for offset, record in enumerate(rows):
            record.register_body, record.register_family, record.register_year = body, family, year
            record.register_number = first + offset


@transaction.atomic
def decision_record(*, dossiers, by, date, signer, proposal_number="", proposal_date=None, issuer=None):
    """Prepare and register a decision at once (the demo, imports, tests): every dossier awarded, or none."""
    decision = decision_prepare(dossiers=dossiers, by=by, date=date, signer=signer, proposal_number=proposal_number,
                                proposal_date=proposal_date, issuer=issuer)
    return decision_register(decision=decision, by=by)


@transaction.atomic
def decision_discard(*, decision, by):
    """Drop a draft decision (never a registered one): its dossiers wait for a decision again."""
    if not rules.can_decide(by):
        raise PermissionDenied
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_registered or decision.external:
        raise ValidationError(_("Quyết định đã đăng ký số không hủy được; số đã cấp không được dùng lại."))
    ids = list(Dossier.objects.select_for_update().filter(decision=decision).values_list("pk", flat=True))
    Dossier.objects.filter(pk__in=ids).update(decision=None)
    audit.record(actor=by, action="decision_discard", target=decision, changes={"dossiers": ids})
    decision.delete()


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


# The council (Hội đồng Thi đua - Khen thưởng tỉnh) ------------------------------------------------------------------


def _session_locked(session, by):
    if not rules.can_manage(by):
        raise PermissionDenied
    session = CouncilSession.objects.select_for_update(of=("self",)).select_related("body").get(pk=session.pk)
    if session.state != SessionState.OPEN:
        raise ValidationError(_("Phiên họp đã kết thúc; kết quả không thay đổi được."), code="closed")
    return session


def _check_members(members):
    if not members:
        raise ValidationError({"members": _("Hãy chọn các thành viên Hội đồng dự họp.")})
    people = [person.pk for person, _role in members]
    if len(set(people)) != len(people):
        raise ValidationError({"members": _("Mỗi thành viên chỉ được chọn một lần.")})
    roles = [role for _person, role in members]
    if roles.count(CouncilRole.CHAIR) != 1:
        raise ValidationError({"members": _("Phiên họp cần đúng một Chủ tịch Hội đồng chủ trì.")})
    if roles.count(CouncilRole.SECRETARY) != 1:
        raise ValidationError({"members": _("Phiên họp cần đúng một Thư ký Hội đồng.")})


@transaction.atomic
def council_session_create(*, by, date, place, members):
    """Open a session: its date and place, the members as people with their roles (`members`: [(person, role)])."""
    if not rules.can_manage(by):
        raise PermissionDenied
    body = selectors.council_body(date)
    if body is None:
        raise ValidationError(_("Chưa khai báo Hội đồng Thi đua - Khen thưởng tỉnh trong danh mục cơ quan ban hành; "
                                "hãy liên hệ quản trị viên."))
    if not (place or "").strip():
        raise ValidationError({"place": _("Hãy nhập địa điểm họp.")})
    _check_members(members)
    session = CouncilSession.objects.create(body=body, date=date, place=place.strip(), created_by=by)
    CouncilMember.objects.bulk_create([CouncilMember(session=session, person=person, role=role, order=index)
                                       for index, (person, role) in enumerate(members)])
    audit.record(actor=by, action="council_session_create", target=session,
                 changes={"members": len(members), "date": date.isoformat()})
    return session


@transaction.atomic
def council_attendance(*, session, by, present):
    """Who attended: `present` is the set of member ids present (the others are absent)."""
    session = _session_locked(session, by)
    present = {int(pk) for pk in present}
    members = list(session.members.all())
    if not any(m.pk in present for m in members):
        raise ValidationError(_("Phải có ít nhất một thành viên có mặt."))
    changed = {}
    for member in members:
        value = member.pk in present
        if member.present != value:
            changed[str(member.person)] = [member.present, value]
            member.present = value
            member.save(update_fields=["present"])
    if changed:
        audit.record(actor=by, action="council_attendance", target=session, changes=changed)
    return session


def session_preview(dossiers, by):
    return _preview(dossiers, S.PROPOSED, _("chưa ở trạng thái “Đề nghị khen thưởng”"))


@transaction.atomic
def council_session_add(*, session, dossiers, by):
    """Put the selected dossiers (proposed by Sở Nội vụ) to an open session, every one or none. Each takes the vote
    threshold of its form's rule in force on the session date."""
    session = _session_locked(session, by)
    locked = _lock_all(dossiers, S.PROPOSED)
    rules_of = {}  # one look-up per award form, not per dossier
    for dossier in locked:
        if dossier.form_id not in rules_of:
            rules_of[dossier.form_id] = selectors.rule_for(dossier.form, session.date)
    missing = [d.code for d in locked if rules_of[d.form_id] is None]
    if missing:
        raise ValidationError(_("Hình thức của hồ sơ %(list)s chưa có quy định áp dụng tại ngày họp.")
                              % {"list": ", ".join(missing)})
    CouncilItem.objects.bulk_create([
        CouncilItem(session=session, dossier=d, rule=rules_of[d.form_id], threshold=rules_of[d.form_id].vote_threshold)
        for d in locked], batch_size=500)
    workflow.transition_all(locked, "put_to_council", by=by, action="dossier_put_to_council", note=str(session))
    audit.record(actor=by, action="council_session_add", target=session, changes={"dossiers": [d.pk for d in locked]})
    return locked


@transaction.atomic
def council_ballots_record(*, session, by, tallies):
    """The secret-ballot count per nominee: `tallies` is {nominee id: (valid ballots, agreeing ballots)}. A count
    recorded again replaces the earlier one while the session is open."""
    session = _session_locked(session, by)
    members = session.members.count()
    present = session.members.filter(present=True).count()
    items = {item.dossier_id: item for item in session.items.all()}
    nominees = {n.pk: n for n in Nominee.objects.filter(dossier_id__in=items, pk__in=list(tallies))
                .select_related("unit", "person")}
    errors = []
    for pk, (valid, approve) in tallies.items():
        nominee = nominees.get(int(pk))
        if nominee is None:
            errors.append(_("Đối tượng số %(pk)s không thuộc phiên họp này.") % {"pk": pk})
        elif valid is None or approve is None or valid < 0 or approve < 0:
            errors.append(_("“%(who)s”: hãy nhập số phiếu hợp lệ và số phiếu đồng ý.") % {"who": nominee})
        elif valid > present:
            errors.append(_("“%(who)s”: %(valid)s phiếu hợp lệ nhiều hơn %(present)s thành viên có mặt.")
                          % {"who": nominee, "valid": valid, "present": present})
        elif approve > valid:
            errors.append(_("“%(who)s”: %(approve)s phiếu đồng ý nhiều hơn %(valid)s phiếu hợp lệ.")
                          % {"who": nominee, "approve": approve, "valid": valid})
    if errors:
        raise ValidationError(errors)
    recorded = {}
    for pk, (valid, approve) in tallies.items():
        nominee = nominees[int(pk)]
        item = items[nominee.dossier_id]
        passed = approve * 100 >= item.threshold * members
        Ballot.objects.update_or_create(item=item, nominee=nominee, defaults={
            "members": members, "valid": valid, "approve": approve, "passed": passed})
        recorded[str(nominee)] = [approve, valid, members]
    audit.record(actor=by, action="council_ballots_record", target=session, changes=recorded)
    return recorded


@transaction.atomic
def council_session_close(*, session, by):
    """Close the session once every nominee of every dossier has its count: numbers the minutes and the ballot-count
    record from the council's register, attaches both (PDF) to each dossier, and moves each dossier to “Hội đồng đã
    thông qua” (at least one nominee passed) or “Không khen thưởng”."""
    from . import pdf

    session = _session_locked(session, by)
    items = list(session.items.select_related("dossier__form").prefetch_related("ballots"))
    if not items:
        raise ValidationError(_("Phiên họp chưa có hồ sơ nào; hãy đưa hồ sơ vào phiên họp trước."))
    counted = {b.nominee_id for item in items for b in item.ballots.all()}
    pending = sorted({n.dossier.code for n in Nominee.objects.filter(dossier__in=[i.dossier_id for i in items])
                      .select_related("dossier") if n.pk not in counted})
    if pending:
        raise ValidationError(_("Chưa đóng được phiên họp: hồ sơ %(list)s chưa có kết quả kiểm phiếu cho mọi đối "
                                "tượng.") % {"list": ", ".join(pending)}, code="pending")
    dossiers = {d.pk: d for d in Dossier.objects.select_for_update().filter(pk__in=[i.dossier_id for i in items])
                .order_by("pk")}
    wrong = [d.code for d in dossiers.values() if d.state != S.AT_COUNCIL]
    if wrong:
        raise ValidationError(_("Hồ sơ %(list)s không còn ở trạng thái “Đã trình Hội đồng”.")
                              % {"list": ", ".join(wrong)})
    session.minutes = register.register(body=session.body, kind="BB", issued_on=session.date, target=session, by=by,
                                        subject=_("Biên bản họp Hội đồng Thi đua - Khen thưởng"))
    session.tally = register.register(body=session.body, kind="BB", issued_on=session.date, target=session, by=by,
                                      subject=_("Biên bản kiểm phiếu"))
    with workflow.transition(session, "close", by=by, action="council_session_close"):
        session.closed_at = timezone.now()
    for item in items:
        dossier = dossiers[item.dossier_id]
        ballots = list(item.ballots.all())
        for ballot in ballots:
            Nominee.objects.filter(pk=ballot.nominee_id).update(council_passed=ballot.passed)
        passed = sum(1 for b in ballots if b.passed)
        note = _("%(session)s: %(passed)s/%(n)s đối tượng đạt tỷ lệ phiếu tối thiểu %(t)s%%.") % {
            "session": session, "passed": passed, "n": len(ballots), "t": f"{float(item.threshold):g}"}
        if passed:
            workflow.run(dossier, "council_pass", by=by, action="dossier_council_pass", note=note)
        else:
            workflow.run(dossier, "not_award", by=by, action="dossier_not_award", note=note)
            _notify(_unit_contacts(dossier), dossier, _("Hồ sơ %(code)s không được Hội đồng thông qua: %(note)s")
                    % {"code": dossier.code, "note": note})
    _attach_session_records(session, dossiers.values(), by, pdf)
    return session


def _attach_session_records(session, dossiers, by, pdf):
    types = {t.code: t for t in DocumentType.objects.filter(code__in=["BB_HOP_TINH", "BB_KIEMPHIEU"])}
    files = [(types.get("BB_HOP_TINH"), f"Biên bản họp Hội đồng {session.minutes.reference.replace('/', '-')}.pdf",
              pdf.minutes_pdf(session)),
             (types.get("BB_KIEMPHIEU"), f"Biên bản kiểm phiếu {session.tally.reference.replace('/', '-')}.pdf",
              pdf.tally_pdf(session))]
    with stored_batch() as batch:
        for doc_type, name, content in files:
            if doc_type is None:
                raise ValidationError(_("Danh mục thành phần hồ sơ thiếu loại “biên bản Hội đồng tỉnh”; hãy nạp lại "
                                        "danh mục."))
            for dossier in dossiers:
                batch.store(DossierDocument(dossier=dossier, doc_type=doc_type), bytes_upload(name, content),
                            folder="awards", by=by)


# Proposals to the central level (forms decided above the province) -------------------------------------------


@transaction.atomic
def dossier_propose_central(*, dossier, by, date, signer, expected=None):
    """A dossier the council passed for a form decided above the province goes to “Đề nghị cấp trên” with the
    province's Tờ trình (numbered from the province's register, generated as PDF and attached to the dossier)."""
    from . import pdf

    if not rules.can_decide(by):
        raise PermissionDenied
    dossier = _lock(dossier)
    if not dossier.form.decided_above:
        raise ValidationError(_("Hình thức này do tỉnh quyết định; hãy lập quyết định khen thưởng."))
    issuer = selectors.decision_issuer(date)
    if issuer is None:
        raise ValidationError(_("Chưa khai báo cơ quan ban hành (Ủy ban nhân dân tỉnh)."))
    _signer_check(signer, issuer, date)
    with _step(dossier, "propose_central", by, "dossier_propose_central", expected=expected) as step:
        entry = register.register(body=issuer, kind="TTr", issued_on=date, target=dossier, by=by,
                                  subject=_("Đề nghị tặng %(form)s") % {"form": dossier.form.official_name})
        step.note = _("Tờ trình số %(n)s ngày %(d)s") % {"n": entry.reference, "d": date.strftime("%d/%m/%Y")}
    content = pdf.central_proposal_pdf(dossier, entry, signer)
    doc_type = DocumentType.objects.filter(code="TOTRINH_TW").first()
    with stored_batch() as batch:
        batch.store(DossierDocument(dossier=dossier, doc_type=doc_type),
                    bytes_upload(f"Tờ trình {entry.reference.replace('/', '-')}.pdf", content), folder="awards", by=by)
    return entry


@transaction.atomic
def central_decision_record(*, dossier, by, awarded, number="", date=None, authority="", note="", expected=None):
    """The central authority's answer on a proposed dossier: awarded (its decision's number, date, authority; the
    history rows follow) or not awarded."""
    if not rules.can_decide(by):
        raise PermissionDenied
    dossier = _lock(dossier)
    if dossier.state != S.PROPOSED_CENTRAL:
        raise workflow.changed_meanwhile(dossier)
    if not awarded:
        if not (note or "").strip():
            raise ValidationError({"note": _("Hãy ghi rõ lý do (văn bản trả lời của cấp trên).")})
        workflow.run(dossier, "not_award", by=by, action="dossier_not_award", expected=expected, note=note.strip())
        return None
    number, authority = (number or "").strip(), (authority or "").strip()
    if not number or date is None or not authority:
        raise ValidationError(_("Hãy nhập số, ngày và cơ quan ban hành quyết định của cấp trên."))
    if Decision.objects.filter(number=number, date__year=date.year).exists():
        raise ValidationError({"number": _("Đã có quyết định số %(n)s.") % {"n": number}})
    decision = Decision.objects.create(number=number, date=date, authority=authority, external=True,
                                       registered_at=timezone.now(), created_by=by)
    _award([dossier], decision, by)
    audit.record(actor=by, action="central_decision_record", target=decision, changes={"dossiers": [dossier.pk]})
    return decision


# The unit's Tờ trình generated from the data ------------------------------------------------------------------------


@transaction.atomic
def dossier_proposal_generate(*, dossier, by):
    """Number, date and sign the proposing unit's Tờ trình made from the dossier's data: the number from the unit's
    register when the unit is an issuing body in the application (left blank otherwise, for the unit's own
    register), today's date, the unit's signer in force today (the head first). Generating it again keeps them: a
    number once taken is never given twice; the nominees and figures are read afresh at every download."""
    dossier = _lock(dossier)
    _require_editable(by, dossier)
    if dossier.proposal_date is not None:
        return dossier
    today = timezone.localdate()
    body = register.body(dossier.unit.code)
    entry = signer = None
    if body is not None:
        entry = register.register(body=body, kind="TTr", issued_on=today, target=dossier, by=by,
                                  subject=_("Đề nghị tặng %(form)s") % {"form": dossier.form.official_name})
        signer = next(iter(register.signers_on(body, today)), None)
    dossier.proposal_entry, dossier.proposal_date, dossier.proposal_signer = entry, today, signer
    dossier.save(update_fields=["proposal_entry", "proposal_date", "proposal_signer", "updated_at"])
    audit.record(actor=by, action="dossier_proposal_generate", target=dossier,
                 note=entry.reference if entry else _("Chưa có số (đơn vị lấy số theo sổ của mình)"))
    return dossier


# Certificates: layouts of the blanks, their images, printers -----------------------------------------------------

LAYOUT_ATTRS = ("paper_width", "paper_height", "orientation")
FIELD_ATTRS = ("enabled", "x", "y", "width", "font", "size", "min_size", "style", "align", "max_lines", "uppercase")


def _check_field(slot, values, page_width, page_height):
    from .certificates import FONTS

    label = CertificateSlot(slot).label
    font = FONTS.get(values["font"])
    if font is None:
        raise ValidationError(_("%(field)s: phông chữ không có trong danh sách.") % {"field": label})
    if values["style"] not in font.styles:
        raise ValidationError(_("%(field)s: phông %(font)s không có kiểu chữ này đủ dấu tiếng Việt; hãy chọn kiểu "
                                "khác.") % {"field": label, "font": font.family})
    if values["min_size"] > values["size"]:
        raise ValidationError(_("%(field)s: cỡ chữ nhỏ nhất không được lớn hơn cỡ chữ.") % {"field": label})
    if not (0 <= values["x"] <= page_width and 0 <= values["y"] <= page_height):
        raise ValidationError(_("%(field)s: vị trí (%(x)s; %(y)s) mm nằm ngoài trang %(w)s × %(h)s mm.") % {
            "field": label, "x": values["x"], "y": values["y"], "w": page_width, "h": page_height})


@transaction.atomic
def certificate_layout_save(*, form, by, paper_width, paper_height, orientation, fields):
    """Save the layout of `form`'s blank: its paper size and orientation, and each field ({slot: {attribute:
    value}}); the form's row is locked so two administrators' saves do not interleave."""
    if not rules.can_configure_certificates(by):
        raise PermissionDenied
    form = AwardForm.objects.select_for_update().get(pk=form.pk)
    if paper_width > paper_height:
        raise ValidationError({"paper_width": _("Nhập khổ giấy theo chiều dọc (chiều rộng không lớn hơn chiều cao); "
                                                "chọn “Khổ ngang” nếu phôi in theo chiều ngang.")})
    layout = CertificateLayout.objects.filter(form=form).first() or CertificateLayout(form=form)
    created = layout.pk is None
    data = {"paper_width": paper_width, "paper_height": paper_height, "orientation": orientation}
    changes = {} if created else audit.changes(layout, data, LAYOUT_ATTRS)
    for name, value in data.items():
        setattr(layout, name, value)
    page_width, page_height = layout.page_size
    for slot, values in fields.items():
        _check_field(slot, values, page_width, page_height)
    layout.updated_by, layout.updated_at = by, timezone.now()
    layout.full_clean(exclude=["form"])
    layout.save()
    existing = {f.slot: f for f in layout.fields.all()}
    for slot, values in fields.items():
        field = existing.get(slot) or CertificateField(layout=layout, slot=slot)
        diff = {} if field.pk is None else audit.changes(field, values, FIELD_ATTRS)
        for name, value in values.items():
            setattr(field, name, value)
        field.full_clean(exclude=["layout"])
        field.save()
        changes.update({f"{slot}.{name}": change for name, change in diff.items()})
    audit.record(actor=by, action="certificate_layout_create" if created else "certificate_layout_save",
                 target=layout, changes=changes)
    return layout


IMAGE_EXTENSIONS = ("jpg", "jpeg", "png")


@transaction.atomic
def certificate_blank_upload(*, layout, by, upload):
    """The photo or scan of the blank (JPG or PNG), kept in private storage; the newest one is the one shown."""
    if not rules.can_configure_certificates(by):
        raise PermissionDenied
    name = str(getattr(upload, "name", "") or "")
    if name.rsplit(".", 1)[-1].lower() not in IMAGE_EXTENSIONS:
        raise ValidationError({"image": _("Ảnh phôi phải là tệp JPG hoặc PNG (ảnh chụp hoặc bản quét phôi).")})
    layout = CertificateLayout.objects.select_for_update().get(pk=layout.pk)
    with stored_batch() as batch:  # the activity row inside: if it fails, the stored file is discarded too
        blank = batch.store(CertificateBlank(layout=layout), upload, folder="certificates", by=by)
        audit.record(actor=by, action="certificate_blank_upload", target=layout,
                     changes={"file": blank.original_name, "sha256": blank.sha256})
    return blank


@transaction.atomic
def printer_save(*, by, name, offset_x, offset_y, note="", printer=None):
    """Add a printer or change its offset (measured on the calibration page)."""
    if not rules.can_configure_certificates(by):
        raise PermissionDenied
    data = {"name": name.strip(), "offset_x": offset_x, "offset_y": offset_y, "note": (note or "").strip()}
    if Printer.objects.filter(name__iexact=data["name"]).exclude(pk=printer.pk if printer else None).exists():
        raise ValidationError({"name": _("Đã có máy in tên “%(name)s”.") % {"name": data["name"]}})
    if printer is None:
        return audit.save_recorded(Printer(**data), by=by, action="printer_add")
    printer = Printer.objects.select_for_update().get(pk=printer.pk)
    return audit.update_recorded(printer, data, ("name", "offset_x", "offset_y", "note"), by=by,
                                 action="printer_update")


# Digital signature of a registered decision (core.signing) ------------------------------------------------------

# The annex's heading in templates/awards/decision_pdf.html: its first page carries the body's signature information.
DECISION_APPENDIX_HEADINGS = ("DANH SÁCH KHEN THƯỞNG",)


@transaction.atomic
def decision_sign(*, decision, by):
    """Queue the digital signature of a registered decision by its signer: the PDF as issued is kept unsigned, the
    worker adds the PAdES signature and stores the signed file as a new version (core.signing)."""
    from core import signing

    from . import pdf

    decision = (Decision.objects.select_for_update(of=("self",)).select_related("entry", "signer_ref__body")
                .get(pk=decision.pk))
    if not decision.entry_id:
        raise ValidationError(_("Chỉ ký số được quyết định đã đăng ký số."))
    if not rules.can_sign_decision(by, decision):
        raise PermissionDenied
    name = f"Quyết định {decision.number.replace('/', '-')} (đã ký số).pdf"
    return signing.request_signing(entry=decision.entry, signer=decision.signer_ref, pdf=pdf.decision_pdf(decision),
                                   by=by, name=name, appendix_headings=DECISION_APPENDIX_HEADINGS)
