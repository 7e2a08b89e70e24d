"""Reads: scoped dossier querysets, the checklist, the checks shown to units and appraisers, history, decisions,
prize money, council sessions."""

from decimal import ROUND_CEILING, Decimal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from campaigns.models import Achievement, Campaign, Initiative, InitiativeStatus, Milestone
from core import register
from core.models import AuditEntry, IssuingBody, Signer
from core.queries import filter_given
from units import lineage
from units.models import RestructuringRule, Unit, UnitKind, UnitLink
from units.selectors import scoped_to

from . import rules
from .models import (
    ACTIVE_STATES,
    NOT_MERIT_GROUNDS,
    OPEN_APPRAISAL_STATES,
    AwardForm,
    AwardRule,
    Ballot,
    BaseSalary,
    CommendationRecord,
    CouncilSession,
    Decision,
    Dossier,
    DossierDocument,
    DossierState,
    LegalBasis,
    Nominee,
    Notification,
    Posting,
    RecipientKind,
    SessionState,
)

S = DossierState


def dossiers_visible_to(user):
    """Province-wide roles see every dossier; an officer those of its unit's subtree; anonymous users nothing."""
    return scoped_to(Dossier.objects.all(), user)


def dossier_for(user, pk):
    """The dossier with everything its page shows, or 404 when it is outside the user's scope."""
    nominees = Nominee.objects.select_related("unit", "person__unit").prefetch_related(
        "achievements", "initiatives", "grounds__form")
    return get_object_or_404(
        dossiers_visible_to(user).select_related("campaign", "milestone", "unit", "form", "rule", "decision",
                                                 "created_by")
        .prefetch_related(Prefetch("nominees", queryset=nominees),
                          Prefetch("documents", queryset=DossierDocument.objects.select_related("doc_type")),
                          "rule__required_documents", "rule__simplified_documents", "council_items__session"),
        pk=pk)


def rule_for(form, day):
    """The rule of `form` in force on `day` (the latest one starting on or before it)."""
    return (AwardRule.objects.filter(form=form, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("-valid_from").first())


def _nominee_count():
    counted = Nominee.objects.filter(dossier=OuterRef("pk")).order_by().values("dossier").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def _first_nominee():
    first = Nominee.objects.filter(dossier=OuterRef("pk")).order_by("id")
    return Subquery(first.annotate(label=Coalesce("unit__name", "person__full_name")).values("label")[:1])


def dossier_list(user, *, campaign=None, milestone=None, form=None, state="", unit=None, todo=False, overdue=False):
    """The filtered, scoped list with what the rows show, in a constant number of queries."""
    qs = filter_given(dossiers_visible_to(user), campaign=campaign, milestone=milestone, form=form, state=state)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if todo:
        qs = qs.filter(state__in=todo_states(user))
    if overdue:
        qs = qs.filter(state__in=OPEN_APPRAISAL_STATES, due_on__lt=timezone.localdate())
    qs = (qs.select_related("campaign", "milestone", "unit", "form", "decision")
          .annotate(nominee_count=_nominee_count(), first_nominee=_first_nominee()))
    return qs.order_by("due_on", "-id") if todo else qs.order_by("-id")


# What a row of the dossier list shows (awards/dossier_list.html) and its due-date flags read: a page fetches these
# columns only, which keeps its query and the rows' model instances small at province scale.
LIST_ROW_FIELDS = ("id", "year", "number", "state", "due_on", "unit__name", "campaign_id", "milestone_id", "form_id",
                   "decision_id")


def dossier_rows(dossiers):
    """`dossier_list` narrowed to what the list page shows (the export reads every column).

    The campaign, milestone, form and decision of the rows come from four small queries rather than joins: on
    PostgreSQL each join costs the row query about a millisecond of planning, more than a query of its own
    (bench/README.md, "The whole bench, both engines, every goal met")."""
    return (dossiers.select_related(None).select_related("unit").only(*LIST_ROW_FIELDS)
            .prefetch_related(Prefetch("campaign", Campaign.objects.only("number")),
                              Prefetch("milestone", Milestone.objects.only("title")),
                              Prefetch("form", AwardForm.objects.only("name")),
                              Prefetch("decision", Decision.objects.only("number"))))


def todo_states(user):
    """What this role must act on now."""
    states = []
    if rules.is_officer(user):
        states += [S.DRAFT, S.RETURNED]
    if rules.can_appraise(user):
        states += [S.SUBMITTED, S.RECEIVED, S.UNDER_APPRAISAL]
    if rules.can_manage(user):
        states += [S.PROPOSED]
    if rules.can_decide(user):
        states += [S.AT_COUNCIL, S.PASSED, S.PROPOSED_CENTRAL]
    return states


# The checklist (blocks submission) --------------------------------------------------------------------------


def required_documents(dossier, rule):
    if rule is None:
        return []
    docs = rule.simplified_documents.all() if dossier.simplified else rule.required_documents.all()
    kinds = {n.kind for n in dossier.nominees.all()}
    return [d for d in docs if d.applies_to == RecipientKind.BOTH or d.applies_to in kinds]


def missing_parts(dossier, rule=None):
    """Every missing piece, in Vietnamese, that must be completed before the dossier may be submitted."""
    rule = rule or dossier.rule or rule_for(dossier.form, timezone.localdate())
    missing = []
    if rule is None:
        missing.append(_("Chưa có quy định áp dụng cho hình thức “%(form)s” tại ngày hôm nay; hãy liên hệ Sở Nội vụ.")
                       % {"form": dossier.form})
        return missing
    nominees = list(dossier.nominees.all())
    if not nominees:
        missing.append(_("Chưa có đối tượng đề nghị khen thưởng (tập thể hoặc cá nhân)."))
    for nominee in nominees:
        if not dossier.form.accepts(nominee.kind):
            missing.append(_("“%(nominee)s” là %(kind)s, nhưng hình thức “%(form)s” chỉ dành cho %(allowed)s.") % {
                "nominee": nominee, "kind": RecipientKind(nominee.kind).label.lower(), "form": dossier.form,
                "allowed": RecipientKind(dossier.form.recipient_kind).label.lower()})
        if not nominee.summary.strip():
            missing.append(_("Chưa nhập tóm tắt thành tích của “%(nominee)s”.") % {"nominee": nominee})
        if rule.requires_initiative and nominee.kind == RecipientKind.INDIVIDUAL and not any(
                i.status == InitiativeStatus.RECOGNISED for i in nominee.initiatives.all()):
            missing.append(_("“%(nominee)s” chưa có sáng kiến được công nhận gắn kèm (bắt buộc với hình thức này).")
                           % {"nominee": nominee})
    if dossier.simplified and not rule.simplified_allowed:
        missing.append(_("Hình thức “%(form)s” không được áp dụng thủ tục đơn giản; hãy bỏ chọn thủ tục đơn giản.")
                       % {"form": dossier.form})
    present = {d.doc_type_id for d in dossier.documents.all()}
    for doc_type in required_documents(dossier, rule):
        if doc_type.pk not in present:
            missing.append(_("Thiếu tài liệu: %(doc)s.") % {"doc": doc_type})
    if not dossier.simplified:
        if dossier.council_date is None:
            missing.append(_("Chưa nhập ngày họp Hội đồng Thi đua - Khen thưởng."))
        if not dossier.council_members:
            missing.append(_("Chưa nhập tổng số thành viên Hội đồng."))
        if dossier.council_present is None:
            missing.append(_("Chưa nhập số thành viên có mặt tại cuộc họp Hội đồng."))
        if dossier.council_votes is None:
            missing.append(_("Chưa nhập số phiếu đồng ý của Hội đồng."))
        if (dossier.council_members and dossier.council_present is not None
                and dossier.council_present > dossier.council_members):
            missing.append(_("Số thành viên có mặt lớn hơn tổng số thành viên Hội đồng."))
        if (dossier.council_present is not None and dossier.council_votes is not None
                and dossier.council_votes > dossier.council_present):
            missing.append(_("Số phiếu đồng ý lớn hơn số thành viên có mặt."))
    return missing


# Checks shown to the unit and the appraiser (warnings) ----------------------------------------------------------


def _period(dossier):
    return dossier.milestone.period_start, dossier.milestone.period_end


def dossier_checks(dossier, rule=None):
    """Warnings: duplicate proposals/awards, vote share below threshold, thematic grounds, ended units."""
    rule = rule or dossier.rule or rule_for(dossier.form, timezone.localdate())
    warnings = []
    start, end = _period(dossier)
    nominees = list(dossier.nominees.all())
    unit_ids = [n.unit_id for n in nominees if n.unit_id]
    person_ids = [n.person_id for n in nominees if n.person_id]
    who = Q(unit_id__in=unit_ids) | Q(person_id__in=person_ids)
    others = (Nominee.objects.filter(who, dossier__form=dossier.form, dossier__state__in=ACTIVE_STATES,
                                     dossier__milestone__period_start__lte=end,
                                     dossier__milestone__period_end__gte=start)
              .exclude(dossier=dossier).select_related("dossier", "unit", "person"))
    for other in others:
        warnings.append(_("“%(nominee)s” đã được đề nghị hình thức “%(form)s” cho cùng kỳ thành tích trong hồ sơ số "
                          "%(pk)s (%(state)s). Luật không khen nhiều lần cho một thành tích.") % {
            "nominee": other, "form": dossier.form, "pk": other.dossier_id, "state": other.dossier.get_state_display()})
    records = (CommendationRecord.objects.filter(who, form=dossier.form, period_start__lte=end, period_end__gte=start)
               .exclude(dossier=dossier).select_related("unit", "person"))
    for record in records:
        warnings.append(_("“%(nominee)s” đã được tặng “%(form)s” năm %(year)s (quyết định %(number)s) cho thành tích "
                          "trùng kỳ này.") % {"nominee": record.recipient, "form": dossier.form, "year": record.year,
                                              "number": record.decision_number})
    share = dossier.vote_share
    if rule is not None and not dossier.simplified and share is not None and share < rule.vote_threshold:
        warnings.append(_("Tỷ lệ phiếu đồng ý %(share)s%% thấp hơn mức tối thiểu %(threshold)s%% của hình thức này.")
                        % {"share": f"{share:g}", "threshold": f"{float(rule.vote_threshold):g}"})
    if dossier.form.is_merit:
        for nominee in nominees:
            for ground in nominee.grounds.all():
                if ground.basis in NOT_MERIT_GROUNDS:
                    warnings.append(_("“%(nominee)s”: khen thưởng “%(ground)s” (%(year)s) là khen theo chuyên đề hoặc "
                                      "đột xuất, không được dùng làm căn cứ đề nghị khen thưởng công trạng.") % {
                        "nominee": nominee, "ground": ground.form, "year": ground.year})
    if rule is not None and rule.prerequisite_form_id and rule.prerequisite_years:
        warnings += _prerequisite_warnings(nominees, rule, end.year)
    today = timezone.localdate()
    # The collectives merged into others: one query for all the nominees (not one per nominee), the same one
    # whether the dossier proposes collectives or only individuals.
    merged = set(UnitLink.objects.filter(predecessor__in=Nominee.objects.filter(dossier=dossier).values("unit_id"))
                 .values_list("predecessor_id", flat=True))
    for nominee in nominees:
        unit = nominee.unit
        if unit is not None and ((unit.valid_to is not None and unit.valid_to < today) or unit.pk in merged):
            warnings.append(_("Tập thể “%(unit)s” không còn tồn tại (đã sáp nhập hoặc giải thể); hãy đề nghị "
                              "cho đơn vị kế thừa nếu phù hợp.") % {"unit": unit})
    return warnings


def _prerequisite_warnings(nominees, rule, last_year):
    """E.g. Chiến sĩ thi đua cấp tỉnh needs Chiến sĩ thi đua cơ sở in the N consecutive years up to the period's
    last year; thematic and irregular awards never count (Decree 98/2023 Art 4). Reads the history in one query."""
    years = set(range(last_year - rule.prerequisite_years + 1, last_year + 1))
    held = {}
    # A collective's earlier awards include those of the units it was formed from (the successor chain).
    earlier = {n.unit_id: lineage.lineage_ids([n.unit_id]) for n in nominees if n.unit_id}
    who = Q(unit_id__in={pk for ids in earlier.values() for pk in ids}) | Q(
        person_id__in=[n.person_id for n in nominees if n.person_id])
    for unit_id, person_id, year in (CommendationRecord.objects.filter(who, form=rule.prerequisite_form,
                                                                         year__in=years)
                                     .exclude(basis__in=NOT_MERIT_GROUNDS)
                                     .values_list("unit_id", "person_id", "year")):
        held.setdefault((unit_id, person_id), set()).add(year)
    warnings = []
    for nominee in nominees:
        if nominee.unit_id:
            got = set().union(*(held.get((pk, None), set()) for pk in earlier[nominee.unit_id]))
        else:
            got = held.get((None, nominee.person_id), set())
        missing = sorted(years - got)
        if missing:
            warnings.append(_("“%(nominee)s” chưa đủ điều kiện: cần đạt “%(form)s” %(n)s năm liên tục "
                              "(%(first)s–%(last)s); lịch sử khen thưởng còn thiếu năm %(missing)s.") % {
                "nominee": nominee, "form": rule.prerequisite_form, "n": rule.prerequisite_years,
                "first": min(years), "last": max(years), "missing": ", ".join(str(y) for y in missing)})
    return warnings


ACTION_LABELS = {
    "certificate_layout_create": _lazy("Tạo mẫu in bằng, giấy khen"),
    "certificate_layout_save": _lazy("Sửa mẫu in bằng, giấy khen"),
    "certificate_blank_upload": _lazy("Tải lên ảnh phôi"), "printer_add": _lazy("Thêm máy in"),
    "printer_update": _lazy("Sửa độ lệch máy in"),
    "dossier_create": _lazy("Tạo hồ sơ"), "dossier_update": _lazy("Sửa thông tin cuộc họp, thủ tục"),
    "nominee_add": _lazy("Thêm đối tượng"), "nominee_remove": _lazy("Bỏ đối tượng"),
    "nominee_update": _lazy("Sửa đối tượng"),
    "document_upload": _lazy("Tải lên tài liệu"), "document_delete": _lazy("Xóa tài liệu"),
    "dossier_submit": _lazy("Nộp hồ sơ"), "dossier_receive": _lazy("Tiếp nhận"),
    "dossier_start_appraisal": _lazy("Bắt đầu thẩm định"), "dossier_return": _lazy("Trả lại để bổ sung"),
    "dossier_propose": _lazy("Đề nghị khen thưởng"), "dossier_not_propose": _lazy("Không đề nghị"),
    "dossier_put_to_council": _lazy("Trình Hội đồng"), "dossier_award": _lazy("Ghi nhận quyết định khen thưởng"),
    "dossier_not_award": _lazy("Không khen thưởng"), "dossier_withdraw": _lazy("Rút hồ sơ"),
    "dossier_reopen": _lazy("Mở lại hồ sơ"), "public_comment": _lazy("Ý kiến góp ý công khai"),
    "dossier_council_pass": _lazy("Hội đồng thông qua"), "dossier_propose_central": _lazy("Trình cấp trên"),
    "decision_prepare": _lazy("Lập dự thảo quyết định"), "decision_register": _lazy("Đăng ký số, ban hành quyết định"),
    "decision_discard": _lazy("Hủy dự thảo quyết định"), "central_decision_record": _lazy("Ghi nhận quyết định của "
                                                                                            "cấp trên"),
    "council_session_create": _lazy("Mở phiên họp Hội đồng"), "council_attendance": _lazy("Điểm danh thành viên"),
    "council_session_add": _lazy("Đưa hồ sơ vào phiên họp"), "council_ballots_record": _lazy("Ghi kết quả kiểm phiếu"),
    "council_session_close": _lazy("Kết thúc phiên họp"), "register_continue": _lazy("Đặt số bắt đầu của sổ văn bản"),
    "dossier_proposal_generate": _lazy("Lập tờ trình từ dữ liệu"),
}


def _state_label(value):
    return DossierState(value).label if value in DossierState.values else ""


def activity_for(dossier):
    """The dossier's activity rows, with Vietnamese labels for the action and the states (one query)."""
    entries = list(AuditEntry.objects.filter(target_type=Dossier._meta.label_lower, target_id=str(dossier.pk))
                   .select_related("actor").order_by("at", "id"))
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        entry.from_label = _state_label(changes.get("from"))
        entry.to_label = _state_label(changes.get("to"))
    return entries


# Choices for the nominee form: the nominee's own recorded evidence and recognised initiatives ---------------------


def achievements_for(dossier, *, unit=None, person=None):
    qs = Achievement.objects.filter(campaign=dossier.campaign)
    if person is not None:
        return qs.filter(person=person)
    if unit is not None:
        return qs.filter(unit=unit, person__isnull=True)
    return qs.filter(unit__path__startswith=dossier.unit.path)


def initiatives_for(dossier, *, unit=None, person=None):
    qs = Initiative.objects.filter(status=InitiativeStatus.RECOGNISED)
    if person is not None:
        return qs.filter(authors=person)
    if unit is not None:
        return qs.filter(unit=unit)
    return qs.filter(unit__path__startswith=dossier.unit.path)


# History -----------------------------------------------------------------------------------------------------


def ended_by_restructuring(unit, day):
    """The refusal for a dossier of, or a collective nominee that is, a unit that ended by a restructuring (it has
    successors and its last day is before `day`), by the rule in force on `day` (units.RestructuringRule: Circular
    15/2025/TT-BNV); None when the unit still exists, ended otherwise, or no rule applies that day."""
    if unit is None or unit.valid_to is None or unit.valid_to >= day or not unit.successor_links.exists():
        return None
    rule = (RestructuringRule.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True)
                                                                         | Q(valid_to__gte=day))
            .order_by("-valid_from").first())
    if rule is None:
        return None
    successors = ", ".join(str(link.successor) for link in lineage.successors_of(unit))
    source = f"{rule.article} {rule.source}".strip()
    return _("“%(unit)s” đã kết thúc hoạt động ngày %(day)s do sắp xếp tổ chức bộ máy. %(reason)s (%(source)s). "
             "Hãy đề nghị từ đơn vị kế thừa: %(successors)s.") % {
        "unit": unit, "day": f"{unit.valid_to:%d/%m/%Y}", "reason": rule.reason, "source": source,
        "successors": successors}


def records_for_unit(unit):
    """The unit's commendations and those of the units it was formed from (each under the recipient's own name,
    the name in force when it was awarded)."""
    return (CommendationRecord.objects.filter(unit_id__in=lineage.lineage_ids([unit.pk]))
            .select_related("form", "decision", "unit"))


def records_for_person(person):
    return CommendationRecord.objects.filter(person=person).select_related("form", "decision")


def records_visible_to(user):
    qs = CommendationRecord.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_province_wide:
        return qs
    if user.unit_id is None:
        return qs.none()
    path = user.unit.path
    return qs.filter(Q(unit__path__startswith=path) | Q(person__unit__path__startswith=path))


def catalogue():
    rules_qs = (AwardRule.objects.select_related("prerequisite_form")
                .prefetch_related("required_documents", "simplified_documents").order_by("valid_from"))
    return AwardForm.objects.prefetch_related(Prefetch("rules", queryset=rules_qs))


def unread_count(user):
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def overdue_dossiers(user):
    """Dossiers past their appraisal due date, in the user's scope (for monitoring pages and dashboards)."""
    return dossiers_visible_to(user).filter(state__in=OPEN_APPRAISAL_STATES, due_on__lt=timezone.localdate())


def overdue_counts_by_unit(user, campaign, units):
    """{unit pk: its dossiers of `campaign` past their appraisal due date}, for a page of units (one query)."""
    rows = (overdue_dossiers(user).filter(campaign=campaign, unit__in=[unit.pk for unit in units]).order_by()
            .values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))
    return dict(rows)


# Decisions and prize money -------------------------------------------------------------------------------------


def _body_in_force(units, day):
    """The issuing body of the unit in force on `day` among `units` (a restructuring ends one province's bodies and
    starts the next one's: a decision dated after 1/7/2025 of the former Đắk Nông is issued by Lâm Đồng's); the
    first unit's body when none is in force that day (a tree without dates)."""
    units = list(units.order_by("path"))
    day = day or timezone.localdate()
    bodies = {body.key: body for body in IssuingBody.objects.filter(key__in=[unit.code for unit in units])}
    for unit in units:
        if unit.code in bodies and lineage.exists_on(unit, day):
            return bodies[unit.code]
    return next((bodies[unit.code] for unit in units if unit.code in bodies), None)


def decision_issuer(day=None):
    """The body that issues the province's commendation decisions on `day` (default today): its People's
    Committee in force that day (the Chairman decides)."""
    return _body_in_force(Unit.objects.filter(kind=UnitKind.PROVINCE), day)


def decision_issuers():
    """Every province People's Committee body (the signers a decision form offers; the date picks among them)."""
    return IssuingBody.objects.filter(key__in=Unit.objects.filter(kind=UnitKind.PROVINCE).values("code"))


def proposer_body(day=None):
    """Sở Nội vụ in force on `day`, whose Tờ trình the decision cites ("Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ
    trình số …")."""
    named = IssuingBody.objects.filter(Q(name__iexact="Sở Nội vụ") | Q(abbreviation="SNV")).values("key")
    body = _body_in_force(Unit.objects.filter(code__in=named), day)
    return body or IssuingBody.objects.filter(Q(name__iexact="Sở Nội vụ") | Q(abbreviation="SNV")).order_by(
        "key").first()


def council_body(day=None):
    from .catalogue import council_key

    issuer = decision_issuer(day)
    return IssuingBody.objects.filter(key=council_key(issuer.key)).first() if issuer else None


def signers_for(body, day):
    return register.signers_on(body, day) if body else []


def decision_signers(day):
    """Signers of the province's decisions on `day` (choices of the decision form)."""
    return Signer.objects.filter(body=decision_issuer(), valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)).select_related("body")


def awarded_nominees(dossier):
    """The nominees a decision awards: all, except those the council's ballot did not pass."""
    return [n for n in dossier.nominees.all() if n.council_passed is not False]


def emulation_year(milestone):
    """The emulation year an award rewards: the milestone's year, or the last year of its period."""
    return milestone.year or milestone.period_end.year


def base_salary_on(day):
    return (BaseSalary.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("-valid_from").first())


class Quote:
    """Prize money for one awardee: coefficient × base salary on the decision date, rounded up as the rule says."""

    def __init__(self, coefficient, base, rule):
        self.coefficient = coefficient
        self.base_salary = base.amount
        step = rule.prize_rounding or 1
        self.amount = int((Decimal(base.amount) * coefficient / step).to_integral_value(rounding=ROUND_CEILING)) * step
        self.basis = f"{rule.prize_basis}; {_('mức lương cơ sở theo')} {base.legal_basis}"
        self.confirmed = rule.prize_confirmed and base.confirmed

    def __repr__(self):
        return f"Quote({self.amount})"


def prize_quote(form, kind, day):
    """The prize money of `form` for a collective or an individual decided on `day`, or None (no coefficient or no
    base salary in force: the decision then carries no amount for it)."""
    rule = rule_for(form, day)
    coefficient = rule.prize_coefficient(kind) if rule else None
    base = base_salary_on(day) if coefficient is not None else None
    if coefficient is None or base is None:
        return None
    return Quote(coefficient, base, rule)


def legal_bases_on(day):
    """The "Căn cứ …" lines of a decision dated `day` (the laws and decree of the regime in force that day)."""
    return LegalBasis.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


# Council sessions and prize money totals ------------------------------------------------------------------------


def sessions_visible_to(user):
    """Council sessions: Sở Nội vụ and both leader roles read them; administrators run them."""
    if not rules.can_see_all_dossiers(user):
        return CouncilSession.objects.none()
    return CouncilSession.objects.all()


def open_sessions():
    return CouncilSession.objects.filter(state=SessionState.OPEN).order_by("date", "pk")


def session_for(user, pk):
    sessions = sessions_visible_to(user).select_related("body", "minutes", "tally", "created_by")
    return get_object_or_404(sessions, pk=pk)


def session_items(session):
    """The session's dossiers with their nominees and counts, for its page (a fixed number of queries)."""
    ballots = Ballot.objects.select_related("nominee")
    return (session.items.select_related("dossier__form", "dossier__unit", "rule")
            .prefetch_related(Prefetch("ballots", queryset=ballots),
                              Prefetch("dossier__nominees",
                                       queryset=Nominee.objects.select_related("unit", "person__unit"))))


def prize_records(user):
    """History rows with prize money, in the user's scope (the fund pages read these)."""
    return records_visible_to(user).filter(amount__isnull=False)


def prize_totals(user, year=None):
    """Prize money per decision, per year (of the decision) and per funding body, each one aggregated in SQL."""
    records = prize_records(user)
    if year:
        records = records.filter(decision_date__year=year)
    by_decision = (records.order_by().values("decision_id", "decision_number", "decision_date",
                                             "funding_body__name")
                   .annotate(total=Sum("amount"), awardees=Count("pk"),
                             collectives=Count("pk", filter=Q(unit__isnull=False)),
                             individuals=Count("pk", filter=Q(person__isnull=False)))
                   .order_by("-decision_date", "decision_number"))
    by_year = (records.order_by().annotate(y=ExtractYear("decision_date")).values("y")
               .annotate(total=Sum("amount"), awardees=Count("pk"), decisions=Count("decision", distinct=True))
               .order_by("-y"))
    by_body = (records.order_by().annotate(y=ExtractYear("decision_date"))
               .values("y", "funding_body_id", "funding_body__name", "funding_body__fund")
               .annotate(total=Sum("amount"), awardees=Count("pk"), decisions=Count("decision", distinct=True))
               .order_by("-y", "funding_body__name"))
    return {"decisions": list(by_decision), "years": list(by_year), "bodies": list(by_body)}


def prize_years(user):
    return sorted({d.year for d in prize_records(user).dates("decision_date", "year")}, reverse=True)


def base_salaries():
    return BaseSalary.objects.order_by("-valid_from")


def open_postings():
    """The public postings still taking comments (what anonymous visitors may read)."""
    return Posting.objects.filter(closed_at__isnull=True, closes_on__gte=timezone.localdate())


# Certificates, the award register, the national records ----------------------------------------------------------


def certificate_layout(form):
    """The layout of the form's blank with its fields and images, or None when none was made yet."""
    from .models import CertificateLayout

    return (CertificateLayout.objects.filter(form=form).select_related("form")
            .prefetch_related("fields", "blanks").first())


def certificate_forms():
    """The award forms with their layout (if any), for the list of certificate layouts."""
    return AwardForm.objects.filter(active=True).select_related("certificate_layout")


def printers():
    from .models import Printer

    return Printer.objects.all()


def registered_decision(user, pk):
    """A numbered decision in the user's scope (its certificates and exports), or 404."""
    from django.http import Http404

    from .models import Decision

    if not rules.can_read_register(user):
        raise Http404
    return get_object_or_404(Decision.objects.exclude(number="").select_related("issuer"), pk=pk)


def register_series(user):
    """Each series of the award register: body, year, form family, how many numbers, first and last."""
    from django.db.models import Max, Min

    records = records_visible_to(user).filter(register_number__isnull=False)
    names = dict(IssuingBody.objects.values_list("key", "name"))
    rows = (records.order_by().values("register_body", "register_year", "register_family")
            .annotate(count=Count("pk"), first=Min("register_number"), last=Max("register_number"))
            .order_by("register_body", "-register_year", "register_family"))
    return [{**row, "body_name": names.get(row["register_body"], row["register_body"])} for row in rows]


def register_entries(user, *, body, year, family):
    """The lines of one series of the award register, in number order."""
    return (records_visible_to(user).filter(register_body=body, register_year=year, register_family=family,
                                            register_number__isnull=False)
            .select_related("form", "unit__parent", "person__unit", "decision")
            .order_by("register_number"))


def national_records(user, *, decision=None, start=None, end=None):
    """The commendations decided in the application for the national records: of one decision, or decided
    between two dates."""
    records = filter_given(records_visible_to(user).filter(decision__isnull=False), decision=decision,
                           decision_date__gte=start, decision_date__lte=end)
    return (records.select_related("form", "unit__parent", "unit__block", "person__unit", "decision__issuer")
            .order_by("decision_date", "decision_number", "register_family", "register_number", "pk"))


def units_by_code(codes):
    return {u.code: u for u in Unit.objects.filter(code__in=set(codes))}


def council_figure_errors(members, present, votes):
    """{field: message} for council figures that cannot be: more members present than the council has, more votes
    in favour than members present (each figure may be missing: it is then not compared)."""
    errors = {}
    if members is not None and present is not None and present > members:
        errors["council_present"] = _("Số thành viên có mặt (%(present)s) không được lớn hơn tổng số thành viên "
                                      "Hội đồng (%(members)s).") % {"present": present, "members": members}
    if present is not None and votes is not None and votes > present:
        errors["council_votes"] = _("Số phiếu đồng ý (%(votes)s) không được lớn hơn số thành viên có mặt "
                                    "(%(present)s).") % {"votes": votes, "present": present}
    return errors
