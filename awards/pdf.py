"""The draft commendation decision and its annex as a PDF in the administrative format (Decree 30/2020/NĐ-CP).

The page, the header block and the signature block are the project's shared document templates
(`templates/documents/`) and helpers (`core.documents`), the same as the reports'.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core import documents
from units.models import Unit, UnitKind

UBND = re.compile(r"^(ủy|uỷ) ban nhân dân\b|^ubnd\b", re.IGNORECASE)


def _province():
    return Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("path").first()


def _issuing(decision, province):
    """The issuing body in full capitals ("UBND tỉnh Đắk Nông" → "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG")."""
    name = (decision.authority or "").strip() or (province.name if province else _("Ủy ban nhân dân tỉnh"))
    return UBND.sub("Ủy ban nhân dân", name).upper()


def decision_context(decision):
    from .models import Nominee

    nominees = (Nominee.objects.filter(dossier__decision=decision)
                .select_related("unit", "person__unit", "dossier__form", "dossier__unit", "dossier__campaign")
                .order_by("dossier__form__order", "dossier_id", "id"))
    collectives = [n for n in nominees if n.unit_id]
    individuals = [n for n in nominees if n.person_id]
    province = _province()
    issuing = _issuing(decision, province)
    is_people_committee = issuing.startswith("ỦY BAN NHÂN DÂN")
    if is_people_committee:  # "ỦY BAN NHÂN DÂN" on its own line, the place under it
        issuing = issuing.replace("ỦY BAN NHÂN DÂN ", "ỦY BAN NHÂN DÂN\n", 1)
    governing = "" if is_people_committee or province is None else documents.agency_heading(province.name)
    place = (documents.place_from_name(decision.authority)
             or (documents.place_from_name(province.name) if province else ""))
    if is_people_committee:
        competence = _("CHỦ TỊCH %(body)s") % {"body": issuing.replace("\n", " ")}
    elif issuing.startswith("SỞ"):
        competence = _("GIÁM ĐỐC %(body)s") % {"body": issuing}
    else:
        competence = _("THỦ TRƯỞNG %(body)s") % {"body": issuing}
    campaigns = {n.dossier.campaign.title for n in nominees}
    return {
        "decision": decision, "collectives": collectives, "individuals": individuals,
        "header": documents.header(governing=governing, issuing=issuing,
                                   number=documents.number_line(decision.number,
                                                                "QĐ-UBND" if is_people_committee else "QĐ"),
                                   place=place, day=decision.date),
        "competence": competence,
        "campaign_title": campaigns.pop() if len(campaigns) == 1 else "",
        "forms": sorted({n.dossier.form.name for n in nominees}),
        "issuer_name": decision.authority or (province.name if province else ""),
        "signer_title": documents.lines(decision.signer_title or _("Chủ tịch"), upper=True),
        "signer_name": decision.signer,
        "recipients": [_("Như Điều 3"), _("Sở Nội vụ (Ban Thi đua - Khen thưởng)"), _("Lưu: VT, TĐKT")],
    }


def decision_html(decision):
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("awards/decision_pdf.html", decision_context(decision))


def decision_pdf(decision):
    return documents.write_pdf(decision_html(decision))
