"""Step 1 of the pipeline: `build_for(campaign, kind)` / `build_context(campaign, period)` — pure data read
through the selectors. What differs by kind (period rule, subject line, wording) is read from `reports.kinds`.

The context is plain Python (dicts, lists, dates, numbers), so the HTML/PDF and the XLSX renderers show the same
figures, and tests can check figures without rendering anything.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from core import documents
from core.documents import ELLIPSIS, agency_heading, date_line, number_line, place_from_name  # noqa: F401

from . import selectors
from .kinds import spec_for

NO_DATA = "Chưa có dữ liệu"


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date
    year: int | None = None
    years: tuple = field(default=())

    @property
    def label(self):
        if spec_for(self.kind).per_year:
            return _("năm %(year)s") % {"year": self.year}
        return _("từ ngày %(start)s đến ngày %(end)s") % {"start": f"{self.start:%d/%m/%Y}",
                                                        "end": f"{self.end:%d/%m/%Y}"}


def _years(start, end):
    return tuple(range(start.year, end.year + 1))


def period_for(campaign, kind, year=None):
    """The data period of a report, by its kind's period rule (`KindSpec.per_year`): the year (clamped to the plan),
    or the review's period.

    A review's period comes from the plan's milestone of the kind's `milestone_kind` when there is one (the interim
    review runs from the plan's date to the end of its milestone: end of 2023 for Plan 584), otherwise from the
    plan's start to the kind's `fallback_end` (the interim review: end of the second year; the final: the plan's end).
    """
    spec = spec_for(kind)
    if spec.per_year:
        if year is None:
            year = min(max(timezone.localdate().year, campaign.starts_on.year), campaign.ends_on.year)
        start = max(campaign.starts_on, datetime.date(year, 1, 1))
        end = min(campaign.ends_on, datetime.date(year, 12, 31))
        if start > end:
            raise ValueError(_("Năm %(year)s nằm ngoài thời gian của phong trào (%(start)s–%(end)s).")
                             % {"year": year, "start": campaign.starts_on.year, "end": campaign.ends_on.year})
        return Period(kind, start, end, year, (year,))
    milestone = selectors.review_milestone(campaign, spec.milestone_kind)
    if milestone is not None:
        start, end = min(milestone.period_start, campaign.starts_on), milestone.period_end
    else:
        start, end = campaign.starts_on, spec.fallback_end(campaign)
    return Period(kind, start, end, None, _years(start, end))


# The header block ----------------------------------------------------------------------------------------------


def place_of(unit):
    """The place name for the date line from the governing body's name ("… tỉnh Đắk Nông" → "Đắk Nông")."""
    for candidate in (unit, getattr(unit, "parent", None)):
        if candidate is not None and place_from_name(candidate.name):
            return place_from_name(candidate.name)
    return ""


def header_for(campaign, draft):
    organiser = campaign.organiser
    parent = organiser.parent if organiser is not None else None
    code = organiser.code if organiser is not None else ""
    symbol = f"BC-{code}" if code else "BC"
    number = (draft.number or "").strip() if draft else ""
    if number.isdigit() and len(number) == 1:
        number = f"0{number}"
    number = number.split("/")[0]  # the symbol is the organiser's
    issued_on = (draft.issued_on if draft and draft.issued_on else None) or timezone.localdate()
    place = (draft.place if draft and draft.place else "") or (place_of(parent or organiser) if organiser else "")
    return {
        **documents.header(
            governing=agency_heading(parent.name) if parent is not None else "",
            issuing=agency_heading(organiser.name) if organiser is not None else agency_heading(campaign.issuer),
            number=number_line(number, symbol), place=place, day=issued_on),
        "symbol": symbol,
        "reference": f"{number or ELLIPSIS}/{symbol}",
        "issuing_name": organiser.name if organiser is not None else campaign.issuer,
        "place": place,
        "issued_on": issued_on,
    }


def subject_for(campaign, period):
    return str(spec_for(period.kind).subject) % {"title": campaign.title, "year": period.year}


# The builders ------------------------------------------------------------------------------------------------


def _paragraphs(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _narrative(draft):
    names = ["direction", "results_note", "inspection_note", "strengths", "limitations", "causes", "lessons",
             "next_steps", "proposals"]
    return {name: _paragraphs(getattr(draft, name, "") if draft else "") for name in names}


def _appendix_collectives(campaign, period):
    return [{"n": index, "name": nominee.unit.name, "form": nominee.dossier.form.name,
             "state": nominee.dossier.get_state_display(), "awarded": nominee.dossier.state == "awarded",
             "summary": nominee.summary}
            for index, nominee in enumerate(selectors.nominee_rows(campaign, period, collective=True), start=1)]


def _appendix_individuals(campaign, period):
    rows = []
    for index, nominee in enumerate(selectors.nominee_rows(campaign, period, collective=False), start=1):
        person = nominee.person
        where = ", ".join(part for part in (person.position, person.unit.name) if part)
        rows.append({"n": index, "name": person.full_name, "position_unit": where, "form": nominee.dossier.form.name,
                     "state": nominee.dossier.get_state_display(), "awarded": nominee.dossier.state == "awarded",
                     "summary": nominee.summary})
    return rows


def _unit_table(campaign, period):
    rows = []
    for index, unit in enumerate(selectors.unit_rows(campaign, period), start=1):
        rows.append({
            "n": index, "code": unit.code, "name": unit.name, "kind": unit.get_kind_display(),
            "registered_years": unit.n_registered_years, "accepted": unit.n_accepted,
            "initiatives": unit.n_initiatives,
            "par_index": float(unit.n_par_index) if unit.n_par_index is not None else None,
            "par_band": unit.n_par_band or "", "dossiers": unit.n_dossiers, "awards": unit.n_awards,
        })
    return rows


def build_context(campaign, period, draft=None, *, today=None):
    """Everything a report of any kind shows; the kind only changes the period, the title and the wording."""
    today = today or timezone.localdate()
    years = list(period.years)
    participation = selectors.participation_by_year(campaign, years)
    contents = list(selectors.content_figures(campaign, years).values())
    notes = (draft.content_notes if draft else None) or {}
    for row in contents:
        row["note"] = _paragraphs(notes.get(str(row["content"].number), ""))
    par = selectors.par_results(years)
    collectives = _appendix_collectives(campaign, period)
    individuals = _appendix_individuals(campaign, period)
    awards = selectors.awards_by_form(campaign, period)
    return {
        "campaign": {"number": campaign.number, "title": campaign.title, "issued_on": campaign.issued_on,
                     "issuer": campaign.issuer, "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
                     "kind": campaign.get_kind_display()},
        "kind": period.kind,
        "kind_label": str(spec_for(period.kind).wording),
        "period": period,
        "header": header_for(campaign, draft),
        "document_type": _("BÁO CÁO"),
        "subject": subject_for(campaign, period),
        "narrative": _narrative(draft),
        "signer_title": [line.strip().upper() for line in (draft.signer_title if draft else "").splitlines()
                         if line.strip()],
        "signer_name": draft.signer_name if draft else "",
        "recipients": [line.strip().strip(";").strip() for line in (draft.recipients if draft else "").splitlines()
                       if line.strip()],
        "themes": [{"year": t.year, "title": t.title, "published": t.is_published}
                   for t in selectors.themes_of(campaign, years)],
        "participation": participation,
        "registered_units": selectors.registered_unit_count(campaign, years),
        "contents": contents,
        "initiatives": selectors.initiative_figures(campaign, years),
        "par": par,
        "par_by_group": selectors.par_latest_by_group(par),
        "dossiers": selectors.dossiers_by_state(campaign, period),
        "overdue": selectors.overdue_dossiers(campaign, period, today),
        "awards": awards,
        "awards_total": {"collectives": sum(a["collectives"] for a in awards),
                         "individuals": sum(a["individuals"] for a in awards)},
        "inspections": selectors.inspection_figures(campaign, period),
        "exemplary": selectors.exemplary_figures(campaign, years),
        "collectives": collectives,
        "individuals": individuals,
        "units": _unit_table(campaign, period),
        "no_data": _(NO_DATA),
        "generated_at": timezone.now(),
    }


def build_for(campaign, kind, *, year=None, draft=None):
    return build_context(campaign, period_for(campaign, kind, year), draft)


def build_dashboard_context(campaign, period, *, kinds=None, today=None):
    """The key figures of the dashboard: the same selectors as the report (so the figures agree), no appendices."""
    today = today or timezone.localdate()
    years = list(period.years)
    contents = list(selectors.content_figures(campaign, years, kinds).values())
    par = selectors.par_results(years, kinds)
    awards = selectors.awards_by_form(campaign, period, kinds)
    dossiers = selectors.dossiers_by_state(campaign, period, kinds)
    return {
        "period": period,
        "participation": selectors.participation_by_year(campaign, years, kinds),
        "registered_units": selectors.registered_unit_count(campaign, years, kinds),
        "contents": contents,
        "accepted_total": sum(row["accepted"] for row in contents),
        "files_total": sum(row["files"] for row in contents),
        "initiatives": selectors.initiative_figures(campaign, years, kinds),
        "par": par,
        "par_by_group": selectors.par_latest_by_group(par),
        "dossiers": dossiers,
        "dossiers_total": sum(row["n"] for row in dossiers),
        "overdue": selectors.overdue_dossiers(campaign, period, today, kinds),
        "awards": awards,
        "awards_total": {"collectives": sum(a["collectives"] for a in awards),
                         "individuals": sum(a["individuals"] for a in awards)},
    }
