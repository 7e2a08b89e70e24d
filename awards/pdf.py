"""The award documents as PDFs in the administrative format (Decree 30/2020/NĐ-CP): the commendation decision with
its annex (a draft until it is registered), the council's minutes and ballot-count record, and the province's
Tờ trình to the central level.

The page, the header block and the signature block are the project's shared document templates
(`templates/documents/`) and helpers (`core.documents`), the same as the reports'.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core import documents, register
from units.models import Unit, UnitKind

from . import selectors
from .models import CouncilRole, RecipientKind

UBND = re.compile(r"^(ủy|uỷ) ban nhân dân\b|^ubnd\b", re.IGNORECASE)
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _province():
    return Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("path").first()


def _capitals(name):
    """ "Ủy ban nhân dân tỉnh Đắk Nông" → "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG" (the committee's name on its own line)."""
    name = UBND.sub("Ủy ban nhân dân", (name or "").strip()).upper()
    return name.replace("ỦY BAN NHÂN DÂN ", "ỦY BAN NHÂN DÂN\n", 1) if name.startswith("ỦY BAN NHÂN DÂN ") else name


def _lower_first(text):
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


def count_phrase(collectives, individuals):
    """ "01 tập thể và 02 cá nhân", "02 cá nhân": only the parts there are (numbers below 10 with a leading 0)."""
    parts = []
    if collectives:
        parts.append(_("%(n)s tập thể") % {"n": f"{collectives:02d}"})
    if individuals:
        parts.append(_("%(n)s cá nhân") % {"n": f"{individuals:02d}"})
    return _(" và ").join(parts)


def _award_verb(form):
    """ "Tặng Bằng khen của …", "Tặng Cờ thi đua của …", "Tặng danh hiệu “Chiến sĩ thi đua cấp tỉnh”"."""
    name = form.official_name
    if form.is_title and not name.startswith("Cờ"):
        return _("Tặng danh hiệu “%(name)s”") % {"name": name}
    return _("Tặng %(name)s") % {"name": name}


def _article_refs(numbers):
    if len(numbers) == 1:
        return _("Điều %(n)s") % {"n": numbers[0]}
    return _("các Điều %(list)s") % {"list": ", ".join(str(n) for n in numbers)}


# The decision -------------------------------------------------------------------------------------------------


def _decision_rows(decision):
    """The awardees grouped by form, each with its prize money: stored on the history row once registered,
    computed by the rules in force on the planned date while a draft (never stored)."""
    dossiers = (decision.dossiers.select_related("form", "campaign", "milestone")
                .prefetch_related("nominees__unit", "nominees__person__unit").order_by("form__order", "form__name",
                                                                                       "pk"))
    stored = {}
    if decision.is_registered:
        stored = {(r.dossier_id, r.unit_id, r.person_id): r for r in decision.records.all()}
    groups, quotes = {}, []
    for dossier in dossiers:
        group = groups.setdefault(dossier.form_id, {"form": dossier.form, "collectives": [], "individuals": []})
        for nominee in selectors.awarded_nominees(dossier):
            if decision.is_registered:
                record = stored.get((dossier.pk, nominee.unit_id, nominee.person_id))
                amount = record.amount if record else None
                if record and record.amount is not None:
                    quotes.append((record.base_salary, record.prize_basis))
            else:
                quote = selectors.prize_quote(dossier.form, nominee.kind, decision.date)
                amount = quote.amount if quote else None
                if quote:
                    quotes.append((quote.base_salary, quote.basis))
            row = {"nominee": nominee, "dossier": dossier, "amount": amount}
            group["collectives" if nominee.kind == RecipientKind.COLLECTIVE else "individuals"].append(row)
    for group in groups.values():
        group["total"] = sum(r["amount"] or 0 for r in group["collectives"] + group["individuals"])
    return list(groups.values()), [d for d in dossiers], quotes


def decision_context(decision):
    registered = decision.is_registered
    issuer = decision.issuer
    province = _province()
    groups, dossiers, quotes = _decision_rows(decision)
    name = issuer.name if issuer else ((decision.authority or "").strip()
                                       or (province.name if province else _("Ủy ban nhân dân tỉnh")))
    issuing = _capitals(name)
    committee = issuing.startswith("ỦY BAN NHÂN DÂN")
    governing = issuer.governing if issuer else ("" if committee or province is None
                                                 else documents.agency_heading(province.name))
    place = (issuer.place if issuer and issuer.place else documents.place_from_name(name)
             or (documents.place_from_name(province.name) if province else ""))
    head = issuer.head_title if issuer else (_("Chủ tịch") if committee else _("Giám đốc")
                                             if issuing.startswith("SỞ") else _("Thủ trưởng"))
    symbol = issuer.symbol("QĐ") if issuer else ("QĐ-UBND" if committee else "QĐ")
    number_line = (documents.number_line(decision.number, symbol) if registered
                   else documents.number_line("", symbol))
    date_line = documents.date_line(place, decision.date) if registered else documents.draft_date_line(
        place, decision.date.year)
    competence = f"{head} {name}".upper()
    issuer_name = f"{head} {UBND.sub('Ủy ban nhân dân', name)}" if issuer else name

    campaigns = {d.campaign.title for d in dossiers}
    campaign_title = campaigns.pop() if len(campaigns) == 1 else ""
    reason = (_("đã có thành tích xuất sắc trong phong trào thi đua “%(title)s”") % {"title": campaign_title}
              if campaign_title else _("đã có thành tích xuất sắc"))
    articles = []
    for index, group in enumerate(groups, start=1):
        counts = count_phrase(len(group["collectives"]), len(group["individuals"]))
        group["number"] = ROMAN[index - 1] if index <= len(ROMAN) else str(index)
        articles.append(_("%(verb)s cho %(counts)s %(reason)s (có danh sách kèm theo).") % {
            "verb": _award_verb(group["form"]), "counts": counts, "reason": reason})
    award_articles = list(range(1, len(articles) + 1))
    total = sum(g["total"] for g in groups)
    if total:
        bases = sorted({base for base, _basis in quotes if base})
        sources = sorted({basis for _base, basis in quotes if basis})
        fund = (issuer.fund if issuer and issuer.fund else _("Quỹ Thi đua, khen thưởng của %(body)s")
                % {"body": _lower_first(name)})
        articles.append(_("Tiền thưởng kèm theo cho các tập thể, cá nhân có tên tại %(refs)s: tổng cộng %(total)s "
                          "đồng (Bằng chữ: %(words)s đồng), mức của từng tập thể, cá nhân theo danh sách kèm theo, "
                          "tính theo hệ số của mức lương cơ sở %(base)s đồng (%(sources)s); chi từ %(fund)s.") % {
            "refs": _article_refs(award_articles), "total": documents.money(total),
            "words": _lower_first(documents.number_words(total)),
            "base": _(" và ").join(documents.money(b) for b in bases), "sources": "; ".join(sources), "fund": fund})
    articles.append(_("Quyết định này có hiệu lực kể từ ngày ký."))
    executors = (_("Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Giám đốc Sở Tài chính") if committee
                 else _("Chánh Văn phòng, Thủ trưởng các phòng, ban"))
    articles.append(_("%(executors)s, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên tại "
                      "%(refs)s chịu trách nhiệm thi hành Quyết định này./.") % {
        "executors": executors, "refs": _article_refs(award_articles)})

    bases_text = [b.text for b in selectors.legal_bases_on(decision.date)] or [
        _("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;")]
    proposer = decision.proposer
    proposer_title = f"{proposer.head_title} {proposer.name}" if proposer else _("Giám đốc Sở Nội vụ")
    if decision.proposal_number:
        on_date = (" " + documents.full_date(decision.proposal_date)) if decision.proposal_date else ""
        bases_text.append(_("Theo đề nghị của %(who)s tại Tờ trình số %(n)s%(date)s.") % {
            "who": proposer_title, "n": decision.proposal_number, "date": on_date})
    else:
        bases_text.append(_("Theo đề nghị của %(who)s.") % {"who": proposer_title})
    annex_number = decision.number if registered else f"{documents.ELLIPSIS}/{symbol}"
    annex_date = decision.date.strftime("%d/%m/%Y") if registered else f"…/…/{decision.date.year}"
    collectives = [r["nominee"] for g in groups for r in g["collectives"]]
    individuals = [r["nominee"] for g in groups for r in g["individuals"]]
    return {
        "decision": decision, "registered": registered, "groups": groups, "total": total,
        "total_words": documents.number_words(total) if total else "",
        "collectives": collectives, "individuals": individuals,
        "header": {"governing": governing, "issuing": issuing, "number_line": number_line, "date_line": date_line},
        "competence": competence, "bases": bases_text, "articles": articles,
        "campaign_title": campaign_title,
        "forms": [g["form"].official_name for g in groups],
        "issuer_name": issuer_name, "annex_number": annex_number, "annex_date": annex_date,
        "signer_title": documents.lines(decision.signer_title or _("Chủ tịch"), upper=True),
        "signer_name": decision.signer,
        "recipients": [_("Như Điều %(n)s") % {"n": len(articles)}, _("Sở Nội vụ (Ban Thi đua - Khen thưởng)"),
                       _("Lưu: VT, TĐKT")],
    }


def _render(template, context):
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template, context)


def decision_html(decision):
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("awards/decision_pdf.html", decision_context(decision))


def decision_pdf(decision):
    return documents.write_pdf(decision_html(decision))


# The council's minutes and ballot-count record ------------------------------------------------------------------


def session_context(session):
    body = session.body
    members = list(session.members.select_related("person__unit").order_by("order", "id"))
    present = [m for m in members if m.present]
    absent = [m for m in members if not m.present]
    chair = next((m for m in members if m.role == CouncilRole.CHAIR), None)
    secretary = next((m for m in members if m.role == CouncilRole.SECRETARY), None)
    items = list(session.items.select_related("dossier__form", "dossier__unit", "rule")
                 .prefetch_related("ballots__nominee__unit", "ballots__nominee__person__unit"))
    rows, passed_c, passed_i = [], 0, 0
    for item in items:
        for ballot in item.ballots.all():
            rows.append({"item": item, "ballot": ballot, "nominee": ballot.nominee})
            if ballot.passed:
                if ballot.nominee.unit_id:
                    passed_c += 1
                else:
                    passed_i += 1
    failed = [r for r in rows if not r["ballot"].passed]
    place = body.place if body else ""
    return {
        "session": session, "members": members, "present": present, "absent": absent, "chair": chair,
        "secretary": secretary, "items": items, "rows": rows, "failed": failed,
        "passed_phrase": count_phrase(passed_c, passed_i), "dossier_count": len(items),
        "header_minutes": {"governing": body.governing if body else "", "issuing": _capitals(body.name if body else ""),
                           "number_line": documents.number_line(session.minutes.reference if session.minutes else "",
                                                                body.symbol("BB") if body else "BB"),
                           "date_line": documents.date_line(place, session.date)},
        "header_tally": {"governing": body.governing if body else "", "issuing": _capitals(body.name if body else ""),
                         "number_line": documents.number_line(session.tally.reference if session.tally else "",
                                                              body.symbol("BB") if body else "BB"),
                         "date_line": documents.date_line(place, session.date)},
        "date_text": documents.full_date(session.date),
    }


def minutes_html(session):
    return _render("awards/council_minutes_pdf.html", session_context(session))


def tally_html(session):
    return _render("awards/council_tally_pdf.html", session_context(session))


def minutes_pdf(session):
    return documents.write_pdf(minutes_html(session))


def tally_pdf(session):
    return documents.write_pdf(tally_html(session))


# The province's Tờ trình to the central level -------------------------------------------------------------------


def central_proposal_context(dossier, entry, signer):
    body = signer.body
    nominees = [n for n in dossier.nominees.select_related("unit", "person__unit") if n.council_passed is not False]
    collectives = [n for n in nominees if n.unit_id]
    individuals = [n for n in nominees if n.person_id]
    item = dossier.council_items.select_related("session__minutes").order_by("-session__date").first()
    minutes = item.session.minutes.reference if item and item.session.minutes else ""
    return {
        "dossier": dossier, "form_name": dossier.form.official_name, "authority": dossier.form.authority,
        "collectives": collectives, "individuals": individuals,
        "counts": count_phrase(len(collectives), len(individuals)), "minutes": minutes,
        "header": {"governing": body.governing, "issuing": _capitals(body.name),
                   "number_line": documents.number_line(entry.reference, body.symbol("TTr")),
                   "date_line": documents.date_line(body.place, entry.issued_on)},
        "body_name": body.name, "bases": [b.text for b in selectors.legal_bases_on(entry.issued_on)],
        "signer_title": register.signature_lines(signer, collective=True), "signer_name": signer.full_name,
        "recipients": [_("Như trên"), _("Sở Nội vụ (Ban Thi đua - Khen thưởng)"), _("Lưu: VT, TĐKT")],
    }


def central_proposal_pdf(dossier, entry, signer):
    return documents.write_pdf(_render("awards/central_proposal_pdf.html",
                                       central_proposal_context(dossier, entry, signer)))
