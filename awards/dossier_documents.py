"""The dossier documents generated from the data: the proposing unit's Tờ trình, each nominee's báo cáo thành tích
and the danh sách đề nghị, as DOCX (python-docx, for the unit to edit in Word) and as PDF (WeasyPrint through
`core.documents`), and the achievement profile of a unit or a person as PDF.

Each document is built once as a list of blocks (pure data: heading, title lines, paragraphs, tables, blank lines
to fill in, the signature blocks); `docx_bytes` and `pdf_bytes` are two renderers of the same blocks, so the Word
file and the PDF always say the same thing.

Forms: the appendix form in force on the document's date (`DossierTemplate`, law as data; Decree 98/2023/NĐ-CP
Phụ lục I until 30/6/2025: Mẫu số 01 tờ trình, Mẫu số 02 báo cáo thành tích tập thể, Mẫu số 03 cá nhân; Decree
152/2025/NĐ-CP from 1/7/2025). Their sections follow the forms' fields (shared notes §3.3): the collective's
"sơ lược đặc điểm, tình hình", "thành tích đạt được", "các hình thức đã được khen thưởng"; the individual's
"sơ lược lý lịch" and the same two parts; what the application does not hold (address, birth date, duties) is
left as dotted lines for the unit to complete. Layout of Decree 30/2020/NĐ-CP: A4, margins 20/20/30/15 mm,
Times New Roman 14 pt (13 pt in the heading and tables).
"""

import functools
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import documents, register
from core.models import IssuingBody
from units.models import Unit, UnitKind

from . import selectors, selectors_profile
from .models import UBND_WORD, DossierTemplate, GeneratedKind

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOTS = "\u2026" * 40
FILL_LINES = 3  # dotted lines left for the unit to complete a part the application does not hold


# Shared pieces -------------------------------------------------------------------------------------------------


def in_vietnamese(build):
    """Documents are written in the site language (Vietnamese), whatever language the reader's page is in."""

    @functools.wraps(build)
    def built(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)

    return built


def counted(n, noun):
    """ "02 (hai) tập thể": figures and words (Decree 30 writes numbers below 10 with a leading zero)."""
    return _("%(n)s (%(words)s) %(noun)s") % {"n": f"{n:02d}", "words": documents.number_words(n).lower(),
                                              "noun": noun}


def count_words(collectives, individuals):
    parts = []
    if collectives:
        parts.append(counted(collectives, _("tập thể")))
    if individuals:
        parts.append(counted(individuals, _("cá nhân")))
    return _(" và ").join(parts)


def _province():
    return Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("path").first()


def unit_heading(unit, place_default=""):
    """The heading of a document a unit issues: its issuing body when the application has one, else its own name
    under its parent's (the governing body, Decree 30/2020)."""
    body = IssuingBody.objects.filter(key=unit.code).first()
    if body is not None:
        return body, {"governing": body.governing, "issuing": _capitals(body.name),
                      "place": body.place or place_default}
    parent = unit.parent if unit.parent_id else None
    governing = documents.agency_heading(parent.name) if parent is not None else ""
    return None, {"governing": governing, "issuing": _capitals(unit.name), "place": place_default}


def _capitals(name):
    """ "Ủy ban nhân dân huyện Đắk Mil" → "ỦY BAN NHÂN DÂN\nHUYỆN ĐẮK MIL": the committee's words on their own line,
    as the heading block is written by hand (a line break, not a browser's or Word's wrap inside the place name)."""
    upper = UBND_WORD.sub("Ủy ban nhân dân", (name or "").strip()).upper()
    for words in ("ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN "):
        if upper.startswith(words):
            return upper.replace(words, words.strip() + "\n", 1)
    return upper


def _place():
    province = _province()
    return documents.place_from_name(province.name) if province else ""


def _header(heading, *, number_line="", day=None, draft_year=None):
    date = (documents.date_line(heading["place"], day) if day
            else documents.draft_date_line(heading["place"], draft_year or timezone.localdate().year))
    return {"type": "header", "governing": heading["governing"], "issuing": heading["issuing"],
            "number": number_line, "date": date.lstrip(", ")}


def _cite(template):
    return {"type": "cite", "text": template.citation} if template else None


def para(text, *, bold=False, italic=False, indent=True, align="justify"):
    return {"type": "para", "text": text, "bold": bold, "italic": italic, "indent": indent, "align": align}


def heading(text):
    return {"type": "section", "text": text}


def table(headers, rows, widths, *, empty=""):
    return {"type": "table", "headers": headers, "rows": rows, "widths": widths, "empty": empty}


def fill(label, lines=FILL_LINES):
    return {"type": "fill", "label": label, "lines": lines, "each": list(range(lines))}


def _title(*lines):
    return {"type": "title", "lines": [line for line in lines if line]}


def _signature(left, right):
    """Two signature columns: each {"title": [lines], "note": "(Ký, đóng dấu)", "name": ""} or recipients."""
    return {"type": "signature", "left": left, "right": right, "sides": [left, right]}


def _recipients(lines):
    return {"recipients": documents.recipient_lines(lines, filing=_("Lưu: VT"))}


def _form_phrase(form):
    """The form's name as printed, with the province's name after "… Ủy ban nhân dân tỉnh"."""
    name = form.official_name
    return f"{name} {_place()}" if name.endswith(" tỉnh") and _place() else name


def _addressee(form):
    """Whom the unit's Tờ trình is addressed to, and the "Kính gửi" line: the province's chairman, through Sở Nội vụ,
    for the forms the province decides or proposes; else the authority the catalogue names."""
    issuer = selectors.decision_issuer()
    if issuer is not None and ("tỉnh" in form.authority or form.decided_above):
        to = f"{issuer.head_title} {issuer.name}"
        return to, _("%(to)s (qua Sở Nội vụ)") % {"to": to}
    to = UBND_WORD.sub("Ủy ban nhân dân", form.authority)
    return to, to


def _nominee_lists(dossier):
    nominees = list(dossier.nominees.all())
    return [n for n in nominees if n.unit_id], [n for n in nominees if n.person_id]


def _person_line(person):
    return ", ".join(part for part in (person.position, person.unit.name) if part)


def document_date(dossier):
    return dossier.proposal_date or timezone.localdate()


# The Tờ trình ------------------------------------------------------------------------------------------------


@in_vietnamese
def proposal_blocks(dossier):
    day = document_date(dossier)
    template = selectors_profile.template_on(GeneratedKind.PROPOSAL, day)
    body, head = unit_heading(dossier.unit, _place())
    symbol = body.symbol("TTr") if body else "TTr"
    entry = dossier.proposal_entry
    number = documents.number_line(entry.reference if entry else "", symbol)
    collectives, individuals = _nominee_lists(dossier)
    form, campaign, milestone = dossier.form, dossier.campaign, dossier.milestone
    to, addressed = _addressee(form)
    blocks = [_header(head, number_line=number, day=dossier.proposal_date, draft_year=day.year), _cite(template),
              _title(_("TỜ TRÌNH"), _("Về việc đề nghị tặng %(form)s") % {"form": _form_phrase(form)}),
              para(_("Kính gửi: %(to)s.") % {"to": addressed}, indent=False, align="center"),
              para(_("Căn cứ Kế hoạch số %(number)s ngày %(date)s của %(issuer)s về %(title)s;") % {
                  "number": campaign.number, "date": campaign.issued_on.strftime("%d/%m/%Y"),
                  "issuer": campaign.issuer, "title": _lower(campaign.title)})]
    if dossier.council_date:
        blocks.append(para(_("Căn cứ kết quả cuộc họp Hội đồng Thi đua - Khen thưởng ngày %(date)s (%(votes)s/"
                             "%(members)s thành viên đồng ý);") % {
            "date": dossier.council_date.strftime("%d/%m/%Y"), "votes": dossier.council_votes or 0,
            "members": dossier.council_members or 0}))
    blocks.append(para(_("%(unit)s kính trình %(to)s xem xét, tặng %(form)s cho %(counts)s đã có thành tích xuất sắc "
                         "trong %(period)s (từ %(start)s đến %(end)s), cụ thể như sau:") % {
        "unit": dossier.unit.name, "to": to, "form": _form_phrase(form),
        "counts": count_words(len(collectives), len(individuals)) or _("các tập thể, cá nhân"),
        "period": _lower(milestone.title), "start": milestone.period_start.strftime("%d/%m/%Y"),
        "end": milestone.period_end.strftime("%d/%m/%Y")}))
    number = 0
    if collectives:
        number += 1
        blocks.append(heading(_("%(n)s. Tập thể: %(count)s") % {"n": number,
                                                               "count": counted(len(collectives), _("tập thể"))}))
        blocks.append(table([_("STT"), _("Tên tập thể")],
                            [[str(i), n.unit.name] for i, n in enumerate(collectives, 1)], [12, 88]))
    if individuals:
        number += 1
        blocks.append(heading(_("%(n)s. Cá nhân: %(count)s") % {"n": number,
                                                               "count": counted(len(individuals), _("cá nhân"))}))
        blocks.append(table([_("STT"), _("Họ và tên"), _("Chức vụ, đơn vị công tác")],
                            [[str(i), n.person.full_name, _person_line(n.person)]
                             for i, n in enumerate(individuals, 1)], [12, 38, 50]))
    total = len(collectives) + len(individuals)
    blocks += [para(_("Tổng số: %(total)s được đề nghị (có danh sách và báo cáo thành tích kèm theo).") % {
                   "total": counted(total, _("tập thể, cá nhân"))}),
               para(_("Kính trình %(to)s xem xét, quyết định./.") % {"to": to})]
    signer = dossier.proposal_signer
    right = ({"title": register.signature_lines(signer), "note": "", "name": signer.full_name} if signer else
             {"title": [_("THỦ TRƯỞNG ĐƠN VỊ")], "note": _("(Ký, ghi rõ họ tên, đóng dấu)"), "name": ""})
    blocks.append(_signature(_recipients([_("Như trên"), _("Sở Nội vụ (Ban Thi đua - Khen thưởng)")]), right))
    return _document(_("Tờ trình"), blocks)


def _lower(text):
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


# The danh sách đề nghị -------------------------------------------------------------------------------------------


@in_vietnamese
def list_blocks(dossier):
    day = document_date(dossier)
    template = selectors_profile.template_on(GeneratedKind.LIST, day)
    body, head = unit_heading(dossier.unit, _place())
    collectives, individuals = _nominee_lists(dossier)
    entry = dossier.proposal_entry
    attached = (_("(Kèm theo Tờ trình số %(number)s ngày %(date)s của %(unit)s)") % {
        "number": entry.reference, "date": entry.issued_on.strftime("%d/%m/%Y"), "unit": dossier.unit.name}
        if entry else _("(Kèm theo Tờ trình số ……/%(symbol)s ngày ……/……/%(year)s của %(unit)s)") % {
        "symbol": body.symbol("TTr") if body else "TTr", "year": day.year, "unit": dossier.unit.name})
    blocks = [_header(head, day=dossier.proposal_date, draft_year=day.year), _cite(template),
              _title(_("DANH SÁCH"), _("Đề nghị tặng %(form)s") % {"form": _form_phrase(dossier.form)}),
              para(attached, italic=True, indent=False, align="center")]
    if collectives:
        blocks.append(heading(_("I. TẬP THỂ: %(count)s") % {"count": counted(len(collectives), _("tập thể"))}))
        blocks.append(table([_("STT"), _("Tên tập thể"), _("Thành tích tóm tắt")],
                            [[str(i), n.unit.name, n.summary] for i, n in enumerate(collectives, 1)], [10, 40, 50]))
    if individuals:
        blocks.append(heading(_("%(roman)s. CÁ NHÂN: %(count)s") % {
            "roman": "II" if collectives else "I", "count": counted(len(individuals), _("cá nhân"))}))
        blocks.append(table([_("STT"), _("Họ và tên"), _("Chức vụ, đơn vị công tác"), _("Thành tích tóm tắt")],
                            [[str(i), n.person.full_name, _person_line(n.person), n.summary]
                             for i, n in enumerate(individuals, 1)], [8, 25, 30, 37]))
    blocks.append(para(_("Danh sách có %(total)s.") % {
        "total": count_words(len(collectives), len(individuals)) or _("không (0) đối tượng")}, indent=False))
    signer = dossier.proposal_signer
    right = ({"title": register.signature_lines(signer), "note": "", "name": signer.full_name} if signer else
             {"title": [_("THỦ TRƯỞNG ĐƠN VỊ")], "note": _("(Ký, ghi rõ họ tên, đóng dấu)"), "name": ""})
    blocks.append(_signature({}, right))
    return _document(_("Danh sách đề nghị khen thưởng"), blocks)


# The báo cáo thành tích -------------------------------------------------------------------------------------------


def _achievement_rows(holdings):
    return [[str(i), str(a.year), a.content.short_title if a.content_id else "", a.title
             + (f": {a.description}" if a.description else "")] for i, a in enumerate(holdings["achievements"], 1)]


def _initiative_rows(holdings):
    return [[str(i), str(item.year), item.title, item.get_level_display() or "",
             _decision_text(item.decision_number, item.decision_date)]
            for i, item in enumerate(holdings["initiatives"], 1)]


def _decision_text(number, day):
    if not number:
        return ""
    return _("%(number)s ngày %(date)s") % {"number": number, "date": day.strftime("%d/%m/%Y")} if day else number


def _record_rows(records):
    return [[str(r.year), r.form.official_name, _decision_text(r.decision_number, r.decision_date),
             (r.decision.authority if r.decision_id and r.decision.authority else r.form.authority)]
            for r in records]


def _achievements_part(holdings, number_achievements, number_initiatives):
    none = _("Chưa có dữ liệu trong phần mềm; đơn vị bổ sung.")
    return [
        heading(number_achievements),
        table([_("STT"), _("Năm"), _("Nội dung thi đua"), _("Thành tích")], _achievement_rows(holdings),
              [8, 10, 27, 55], empty=none),
        heading(number_initiatives),
        table([_("STT"), _("Năm"), _("Tên sáng kiến, giải pháp"), _("Cấp công nhận"), _("Quyết định công nhận")],
              _initiative_rows(holdings), [8, 10, 40, 17, 25], empty=none),
        fill(_("Thành tích khác đơn vị bổ sung:")),
    ]


def _commendations_part(holdings):
    titles = [r for r in holdings["records"] if r.form.is_title]
    others = [r for r in holdings["records"] if not r.form.is_title]
    columns = [_("Năm"), _("Hình thức"), _("Số, ngày, tháng, năm của quyết định"), _("Cơ quan ban hành quyết định")]
    none = _("Chưa có dữ liệu trong phần mềm; đơn vị bổ sung.")
    return [heading(_("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")),
            heading(_("1. Danh hiệu thi đua")), table(columns, _record_rows(titles), [10, 35, 30, 25], empty=none),
            heading(_("2. Hình thức khen thưởng")), table(columns, _record_rows(others), [10, 35, 30, 25], empty=none)]


@in_vietnamese
def report_blocks(nominee):
    dossier = nominee.dossier
    day = document_date(dossier)
    collective = bool(nominee.unit_id)
    kind = GeneratedKind.REPORT_COLLECTIVE if collective else GeneratedKind.REPORT_INDIVIDUAL
    template = selectors_profile.template_on(kind, day)
    subject_unit = nominee.unit if collective else nominee.person.unit
    _body, head = unit_heading(subject_unit, _place())
    holdings = selectors_profile.nominee_holdings(nominee)
    milestone = dossier.milestone
    period = _("Thành tích từ ngày %(start)s đến ngày %(end)s") % {
        "start": milestone.period_start.strftime("%d/%m/%Y"), "end": milestone.period_end.strftime("%d/%m/%Y")}
    blocks = [_header(head, draft_year=day.year), _cite(template),
              _title(_("BÁO CÁO THÀNH TÍCH"),
                     _("Đề nghị tặng %(form)s") % {"form": _form_phrase(dossier.form)})]
    if collective:
        unit = nominee.unit
        blocks += [para(_("Tên tập thể đề nghị: %(name)s") % {"name": unit.name}, bold=True, indent=False,
                        align="center"),
                   para(period, italic=True, indent=False, align="center"),
                   heading(_("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH")),
                   heading(_("1. Đặc điểm, tình hình")),
                   table([_("Thông tin"), _("Nội dung")], [
                       [_("Tên tập thể"), unit.name], [_("Mã đơn vị"), unit.code],
                       [_("Loại đơn vị"), unit.get_kind_display()],
                       [_("Cơ quan cấp trên trực tiếp"), unit.parent.name if unit.parent_id else ""],
                       [_("Cụm, khối thi đua"), unit.block.name if unit.block_id else ""]], [35, 65]),
                   fill(_("Địa điểm trụ sở, điện thoại, thư điện tử; quá trình thành lập; tổ chức bộ máy; tổng số "
                          "cán bộ, công chức, viên chức, người lao động:")),
                   heading(_("2. Chức năng, nhiệm vụ được giao")), fill(""),
                   heading(_("II. THÀNH TÍCH ĐẠT ĐƯỢC")),
                   para(nominee.summary or DOTS)]
        achieved = (_("1. Kết quả thực hiện nhiệm vụ, thành tích đã được ghi nhận"),
                    _("2. Sáng kiến, giải pháp đã được công nhận"))
        signers = ({"title": [_("XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG")], "note": _("(Ký, đóng dấu)"), "name": ""},
                   {"title": [_("THỦ TRƯỞNG ĐƠN VỊ")], "note": _("(Ký, đóng dấu)"), "name": ""})
        title = _("Báo cáo thành tích tập thể")
    else:
        person = nominee.person
        blocks += [para(period, italic=True, indent=False, align="center"),
                   heading(_("I. SƠ LƯỢC LÝ LỊCH")),
                   table([_("Thông tin"), _("Nội dung")], [
                       [_("Họ và tên"), person.full_name], [_("Giới tính"), person.get_gender_display()],
                       [_("Chức vụ"), person.position], [_("Đơn vị công tác"), person.unit.name],
                       [_("Mã cán bộ"), person.staff_code or ""]], [35, 65]),
                   fill(_("Sinh ngày, tháng, năm; quê quán; trú quán; trình độ chuyên môn, nghiệp vụ; học hàm, học "
                          "vị, danh hiệu, giải thưởng:")),
                   heading(_("II. THÀNH TÍCH ĐẠT ĐƯỢC")),
                   heading(_("1. Quyền hạn, nhiệm vụ được giao hoặc đảm nhận")), fill(""),
                   para(nominee.summary or DOTS)]
        achieved = (_("2. Thành tích đạt được của cá nhân"), _("3. Sáng kiến, giải pháp, đề tài đã được công nhận"))
        signers = ({"title": [_("THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ")], "note": _("(Ký, đóng dấu)"), "name": ""},
                   {"title": [_("NGƯỜI BÁO CÁO THÀNH TÍCH")], "note": _("(Ký, ghi rõ họ tên)"),
                    "name": person.full_name})
        title = _("Báo cáo thành tích cá nhân")
    # Both reports end alike: what was achieved (under the form's own two headings), the commendations, signatures.
    blocks += _achievements_part(holdings, *achieved)
    blocks += _commendations_part(holdings)
    blocks.append(_signature(*signers))
    return _document(title, blocks)


def _document(title, blocks):
    return {"title": title, "blocks": [b for b in blocks if b]}


# Achievement profile (PDF only) ---------------------------------------------------------------------------------


@in_vietnamese
def profile_blocks(subject, profile, *, person=False):
    today = timezone.localdate()
    unit = subject.unit if person else subject
    _body, head = unit_heading(unit, _place())
    name = subject.full_name if person else subject.name
    blocks = [_header(head, day=today), _title(_("HỒ SƠ THÀNH TÍCH"), name)]
    if person:
        blocks.append(para(_("%(position)s, %(unit)s") % {"position": subject.position or "—",
                                                          "unit": subject.unit.name}, indent=False, align="center"))
    else:
        blocks.append(heading(_("Đăng ký thi đua")))
        blocks.append(table([_("Năm"), _("Phong trào")], [[str(r.year), r.campaign.title]
                                                          for r in profile["registrations"]], [15, 85],
                            empty=_("Chưa có.")))
    blocks.append(heading(_("Thành tích")))
    blocks.append(table([_("Năm"), _("Nội dung thi đua"), _("Thành tích"), _("Trạng thái")],
                        [[str(a.year), a.content.short_title, a.title, a.get_status_display()]
                         for a in profile["achievements"]], [10, 30, 40, 20], empty=_("Chưa có.")))
    blocks.append(heading(_("Sáng kiến, giải pháp")))
    blocks.append(table([_("Năm"), _("Tên sáng kiến, giải pháp"), _("Trạng thái"), _("Quyết định công nhận")],
                        [[str(i.year), i.title, i.get_status_display(), _decision_text(i.decision_number,
                                                                                        i.decision_date)]
                         for i in profile["initiatives"]], [10, 45, 20, 25], empty=_("Chưa có.")))
    if not person:
        blocks.append(heading(_("Kết quả Chỉ số cải cách hành chính")))
        blocks.append(table([_("Năm"), _("Bộ chỉ số"), _("Chỉ số (%)"), _("Xếp loại"), _("Xếp hạng")],
                            [[str(r["sheet"].criteria_set.year), r["sheet"].criteria_set.title,
                              f"{r['sheet'].index_percent:.2f}".replace(".", ","), r["sheet"].get_band_display(),
                              f"{r['rank']}/{r['of']}" if r["rank"] else ""] for r in profile["par_results"]],
                            [10, 45, 15, 15, 15], empty=_("Chưa có kết quả được công bố.")))
    blocks.append(heading(_("Khen thưởng")))
    blocks.append(table([_("Năm"), _("Hình thức"), _("Số, ngày, tháng, năm của quyết định"),
                         _("Cơ quan ban hành quyết định")], _record_rows(profile["records"]), [10, 35, 30, 25],
                        empty=_("Chưa có.")))
    blocks.append(heading(_("Đề nghị khen thưởng")))
    blocks.append(table([_("Hồ sơ"), _("Hình thức"), _("Đợt"), _("Trạng thái")],
                        [[n.dossier.code, n.dossier.form.official_name, n.dossier.milestone.title,
                          n.dossier.get_state_display()] for n in profile["nominations"]], [20, 40, 20, 20],
                        empty=_("Chưa có.")))
    return _document(_("Hồ sơ thành tích"), blocks)


# Renderers ------------------------------------------------------------------------------------------------------


def pdf_bytes(document):
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("awards/generated_document.html", document)
    return documents.write_pdf(html)


def docx_bytes(document):
    from .docx_writer import write

    buffer = io.BytesIO()
    write(document, buffer)
    return buffer.getvalue()


# The checklist of the dossier page ------------------------------------------------------------------------------

UPLOADED, GENERATED, TO_GENERATE, MISSING = "uploaded", "generated", "to_generate", "missing"


def templates_on(day):
    """{document type id: the appendix form in force on `day` that stands for it} (one query)."""
    rows = (DossierTemplate.objects.filter(valid_from__lte=day, doc_type__isnull=False)
            .exclude(valid_to__lt=day).order_by("valid_from"))
    return {row.doc_type_id: row for row in rows}


def checklist(dossier, required):
    """Each required document with its state: uploaded (a signed file is there: green), generated from the data
    (download links until a signed file replaces it), to generate (the Tờ trình not numbered yet), or missing."""
    present = {}
    for document in dossier.documents.all():
        present.setdefault(document.doc_type_id, []).append(document)
    templates = templates_on(document_date(dossier))
    collectives, individuals = _nominee_lists(dossier)
    rows = []
    for doc_type in required:
        template = templates.get(doc_type.pk)
        row = {"doc_type": doc_type, "documents": present.get(doc_type.pk, []), "template": template,
               "kind": template.kind if template else "", "nominees": []}
        if row["documents"]:
            row["state"] = UPLOADED
        elif template is None:
            row["state"] = MISSING
        elif template.kind == GeneratedKind.PROPOSAL:
            row["state"] = GENERATED if dossier.proposal_date else TO_GENERATE
        else:
            row["nominees"] = collectives if template.kind == GeneratedKind.REPORT_COLLECTIVE else individuals
            row["state"] = GENERATED if row["nominees"] else MISSING
        rows.append(row)
    return rows
