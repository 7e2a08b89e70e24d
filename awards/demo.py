"""Demo data for the award dossiers of Plan 584's interim review (sơ kết): the catalogue, dossiers in every state,
a closed council session (secret-ballot counts, minutes and ballot-count record attached to its dossiers) and an
open one, one registered decision with its prize money for two dossiers, a proposal to the central level, and a
few earlier awards in the commendation history.

Runs after the units demo (units, DEMO- people, accounts) and the campaigns demo (the plan and its milestones).
Everything goes through the services, so each dossier has its activity history and every file passed the checks.
Idempotent: dossiers are only made when none of the demo officers' interim dossiers exist yet.
"""

import datetime

from django.db import transaction

from campaigns.models import Achievement, AchievementStatus, Campaign, Initiative, InitiativeStatus, MilestoneKind
from core import register
from core.files import bytes_upload
from core.models import IssuingBody, Signer, SignerPosition
from units.models import Person, Unit, User

from . import selectors, services
from .catalogue import ensure_catalogue
from .models import AwardForm, CommendationRecord, CouncilRole, DocumentType, Dossier, DossierState

NUMBER = "584/KH-UBND"
OFFICERS = ("dakmil.canbo", "nghiaduc.canbo")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DECISION = {"date": datetime.date(2024, 1, 22), "proposal_number": "15/TTr-SNV",
            "proposal_date": datetime.date(2024, 1, 18)}
# The province's register had used numbers up to this one in 2024 before the application took over numbering.
REGISTER_BEFORE = 149
SESSION = {"date": datetime.date(2024, 1, 12), "place": "Phòng họp số 1, Ủy ban nhân dân tỉnh Đắk Nông"}
# Demo signers (not the real office holders): who signs for the People's Committee and for Sở Nội vụ.
SIGNERS = [("DNO", "Hồ Văn Mười", SignerPosition.HEAD), ("DNO", "Lê Văn Phúc", SignerPosition.DEPUTY),
           ("SNV", "Nguyễn Thành Công", SignerPosition.HEAD)]

# officer, proposing unit, form, nominees ("unit:<code>" or "person:<n>" = n-th DEMO person of the unit), state
DOSSIERS = [
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["unit:DM-01", "person:0"], "awarded"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["person:1"], "awarded"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["unit:DM-02"], "at_council"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["person:2", "person:3"], "proposed"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["person:4"], "not_proposed"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["person:5"], "not_awarded"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["person:6"], "under_appraisal"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["person:7"], "resubmitted"),
    ("dakmil.canbo", "DM", "GIAYKHEN", ["person:8"], "returned"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["person:9"], "received"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["person:10"], "withdrawn"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["person:11"], "draft_incomplete"),
    ("dakmil.canbo", "DM", "BK-TINH-CD", ["person:12"], "council_passed"),
    ("dakmil.canbo", "DM", "BK-TTG", ["unit:DM-01"], "proposed_central"),
    ("nghiaduc.canbo", "GN-01", "BK-TINH-CD", ["unit:GN-01", "person:0"], "submitted"),
    ("nghiaduc.canbo", "GN-01", "BK-TINH-CD", ["person:1"], "draft"),
]


def build():
    campaign = Campaign.objects.filter(number=NUMBER).first()
    if campaign is None:
        return ""
    interim = campaign.milestones.filter(kind=MilestoneKind.INTERIM_REVIEW).first()
    accounts = {u.username: u for u in User.objects.filter(username__in=[*OFFICERS, "snv.thamdinh", "snv.quantri"])}
    if interim is None or len(accounts) < 4:
        return ""
    ensure_catalogue()
    _signers()
    if not Dossier.objects.filter(milestone=interim, created_by__username__in=OFFICERS).exists():
        _build(campaign, interim, accounts)
    _history()
    _certificates(accounts["snv.quantri"])
    counts = {state: Dossier.objects.filter(milestone=interim, state=state).count() for state in DossierState.values}
    states = sum(1 for n in counts.values() if n)
    return (f"Khen thưởng sơ kết {NUMBER}: {AwardForm.objects.count()} hình thức khen thưởng, "
            f"{sum(counts.values())} hồ sơ ở {states} trạng thái, "
            f"{CommendationRecord.objects.count()} bản ghi lịch sử khen thưởng.")


def _signers():
    for key, name, position in SIGNERS:
        body = IssuingBody.objects.filter(key=key).first()
        if body is not None and not Signer.objects.filter(body=body, full_name=name).exists():
            Signer.objects.create(body=body, full_name=name, position=position, valid_from=datetime.date(2021, 1, 1),
                                  source="Dữ liệu mẫu")


def _council_members():
    """Seven members of the provincial council for the demo sessions: people of the province and its departments."""
    people = list(Person.objects.filter(unit__code__in=["DNO", "SNV", "STC", "STP", "SKHCN", "SYT", "SGDDT"],
                                        staff_code__startswith="DEMO-").order_by("unit__code", "staff_code"))
    by_unit = {}
    for person in people:
        by_unit.setdefault(person.unit.code, person)
    chosen = list(by_unit.values())[:7]
    if len(chosen) < 3:
        return []
    roles = [CouncilRole.CHAIR, CouncilRole.VICE_CHAIR] + [CouncilRole.MEMBER] * (len(chosen) - 3)
    return list(zip(chosen, [*roles, CouncilRole.SECRETARY], strict=True))


def _person(unit, index):
    people = list(Person.objects.filter(unit__path__startswith=unit.path, staff_code__startswith="DEMO-")
                  .order_by("staff_code"))
    return people[index % len(people)] if people else None


def _links(campaign, unit=None, person=None):
    achievements = Achievement.objects.filter(campaign=campaign, status=AchievementStatus.ACCEPTED)
    achievements = achievements.filter(person=person) if person else achievements.filter(unit=unit, person=None)
    initiatives = Initiative.objects.filter(status=InitiativeStatus.RECOGNISED)
    initiatives = initiatives.filter(authors=person) if person else initiatives.filter(unit=unit)
    return list(achievements), list(initiatives)


def _complete(dossier, officer, *, votes=9):
    types = {t.code: t for t in DocumentType.objects.all()}
    for code in ("TOTRINH", "BCTT_TT", "BCTT_CN"):
        services.document_upload(dossier=dossier, by=officer, doc_type=types[code],
                                 upload=bytes_upload(f"{types[code].name}.pdf", PDF))
    services.dossier_update(dossier=dossier, by=officer, council_date=datetime.date(2023, 11, 24),
                            council_members=11, council_present=10, council_votes=votes)


def _minutes(dossier, officer):
    services.document_upload(dossier=dossier, by=officer, doc_type=DocumentType.objects.get(code="BIENBAN"),
                             upload=bytes_upload("Biên bản họp Hội đồng TĐKT.pdf", PDF))


@transaction.atomic
def _build(campaign, interim, accounts):
    appraiser, admin = accounts["snv.thamdinh"], accounts["snv.quantri"]
    forms = {f.code: f for f in AwardForm.objects.all()}
    units = {u.code: u for u in Unit.objects.filter(code__in=["DM", "DM-01", "DM-02", "GN-01"])}
    to_decide = []
    for username, unit_code, form_code, nominees, state in DOSSIERS:
        officer, unit = accounts[username], units.get(unit_code)
        if unit is None:
            continue
        dossier = services.dossier_create(by=officer, campaign=campaign, milestone=interim, unit=unit,
                                          form=forms[form_code])
        for spec in nominees:
            kind, key = spec.split(":")
            who = {"unit": units.get(key)} if kind == "unit" else {"person": _person(unit, int(key))}
            if None in who.values():
                continue
            achievements, initiatives = _links(campaign, **who)
            services.nominee_add(dossier=dossier, by=officer, achievements=achievements, initiatives=initiatives,
                                 summary="Hoàn thành xuất sắc các nội dung thi đua của Kế hoạch 584/KH-UBND giai đoạn "
                                         "2022 - 2023; Chỉ số CCHC tăng hạng; không có hồ sơ trễ hạn.", **who)
        if state == "draft_incomplete":
            continue
        _complete(dossier, officer, votes=6 if state == "not_proposed" else 9)
        _minutes(dossier, officer)
        if state in ("returned", "resubmitted"):
            services.dossier_submit(dossier=dossier, by=officer)
            services.dossier_return(dossier=dossier, by=appraiser,
                                    reasons="Biên bản họp Hội đồng chưa có chữ ký của Chủ tịch Hội đồng; "
                                            "đề nghị bổ sung biên bản đã ký, đóng dấu.")
            if state == "resubmitted":
                services.document_upload(dossier=dossier, by=officer,
                                         doc_type=DocumentType.objects.get(code="BIENBAN"),
                                         upload=bytes_upload("Biên bản họp Hội đồng (đã ký, đóng dấu).pdf", PDF))
                services.dossier_submit(dossier=dossier, by=officer)
            continue
        if state == "draft":
            continue
        if state == "withdrawn":
            services.dossier_withdraw(dossier=dossier, by=officer, note="Đơn vị rút để bổ sung thành tích.")
            continue
        services.dossier_submit(dossier=dossier, by=officer)
        if state == "submitted":
            continue
        services.dossier_receive(dossier=dossier, by=appraiser)
        if state == "received":
            continue
        services.dossier_start_appraisal(dossier=dossier, by=appraiser)
        if state == "under_appraisal":
            continue
        if state == "not_proposed":
            services.dossier_not_propose(dossier=dossier, by=appraiser,
                                         note="Tỷ lệ phiếu đồng ý chưa đạt; thành tích chưa tiêu biểu.")
            continue
        services.dossier_propose(dossier=dossier, by=appraiser, note="Đủ tiêu chuẩn, đề nghị khen thưởng.")
        if state == "proposed":
            continue
        to_decide.append((dossier, state))
    _council(to_decide, admin)


def _council(dossiers, admin):
    """A closed session for every proposed dossier but one (the one under the threshold is not awarded), an open
    session holding the last one; then the registered decision with its prize money, and a central proposal."""
    members = _council_members()
    if not members or not dossiers:
        return
    closed = [(d, s) for d, s in dossiers if s != "at_council"]
    pending = [d for d, s in dossiers if s == "at_council"]
    session = services.council_session_create(by=admin, members=members, **SESSION)
    absent = session.members.order_by("-order").first()  # one member sent apologies
    services.council_attendance(session=session, by=admin,
                                present=session.members.exclude(pk=absent.pk).values_list("pk", flat=True))
    services.council_session_add(session=session, dossiers=[d for d, _s in closed], by=admin)
    present = session.members.filter(present=True).count()
    tallies = {}
    for dossier, state in closed:
        for nominee in dossier.nominees.all():
            tallies[nominee.pk] = (present, 3 if state == "not_awarded" else present)
    services.council_ballots_record(session=session, by=admin, tallies=tallies)
    services.council_session_close(session=session, by=admin)
    # The next session is open, its dossiers still to be put to it; the dossier "at the council" went there before
    # sessions were recorded (its council figures are the dossier's own), so it may be decided directly.
    services.council_session_create(by=admin, members=members, date=datetime.date(2024, 3, 8), place=SESSION["place"])
    if pending:
        services.dossiers_put_to_council(dossiers=pending, by=admin)
    issuer = selectors.decision_issuer(DECISION["date"])
    chair = Signer.objects.filter(body=issuer, position=SignerPosition.HEAD).first()
    if chair is None:
        return
    register.continue_from(body=issuer, kind="QĐ", year=DECISION["date"].year, last=REGISTER_BEFORE, by=admin)
    services.decision_record(dossiers=[d for d, s in closed if s == "awarded"], by=admin, signer=chair, **DECISION)
    for dossier, state in closed:
        if state == "proposed_central":
            services.dossier_propose_central(dossier=dossier, by=admin, date=datetime.date(2024, 1, 25), signer=chair)


def _history():
    """A few earlier awards entered by Sở Nội vụ (before this application), for the history panels and checks."""
    forms = {f.code: f for f in AwardForm.objects.all()}
    earlier = [("DM", None, "GIAYKHEN", 2021, "512/QĐ-UBND", datetime.date(2022, 1, 20)),
               ("DM-01", None, "TTLDXS", 2022, "88/QĐ-UBND", datetime.date(2023, 1, 16)),
               ("GN-01", None, "BK-TINH", 2022, "145/QĐ-UBND", datetime.date(2023, 2, 2))]
    for code, _person_index, form, year, number, day in earlier:
        unit = Unit.objects.filter(code=code).first()
        if unit is None or CommendationRecord.objects.filter(unit=unit, decision_number=number).exists():
            continue
        CommendationRecord.objects.create(unit=unit, form=forms[form], year=year, decision_number=number,
                                          decision_date=day, basis=forms[form].basis,
                                          note="Nhập từ hồ sơ lưu trữ của Sở Nội vụ.")


def _certificates(admin):
    """A print layout (the default positions on an A4 landscape blank) for the forms of the demo's decisions, and
    one printer, so the demo decision's certificates print from its page."""
    from .certificates import default_field_values
    from .models import CertificateLayout, CertificateSlot, Printer

    for code in ("BK-TINH-CD", "GIAYKHEN"):
        form = AwardForm.objects.filter(code=code).first()
        if form is None or CertificateLayout.objects.filter(form=form).exists():
            continue
        services.certificate_layout_save(form=form, by=admin, paper_width=210, paper_height=297,
                                         orientation="landscape",
                                         fields={slot.value: default_field_values(slot.value)
                                                 for slot in CertificateSlot})
    if not Printer.objects.exists():
        services.printer_save(by=admin, name="Máy in phòng Thi đua - Khen thưởng", offset_x=0, offset_y=0,
                              note="Dữ liệu mẫu: đo lại bằng trang căn chỉnh.")

