"""The draft decision and its annex (awarded collectives and individuals) as a plain but correct PDF."""

from django.template.loader import render_to_string
from weasyprint import HTML


def decision_context(decision):
    from .models import Nominee

    nominees = (Nominee.objects.filter(dossier__decision=decision)
                .select_related("unit", "person__unit", "dossier__form", "dossier__unit").order_by("dossier_id", "id"))
    collectives = [n for n in nominees if n.unit_id]
    individuals = [n for n in nominees if n.person_id]
    return {"decision": decision, "collectives": collectives, "individuals": individuals}


def decision_pdf(decision):
    html = render_to_string("awards/decision_pdf.html", decision_context(decision))
    return HTML(string=html).write_pdf()
