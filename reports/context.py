"""Step 1 of the pipeline: `build_for(campaign, kind)` / `build_context(campaign, period)` — pure data read
through the selectors. What differs by kind (period rule, subject line, outline, wording) is read from
`reports.kinds`.

The context is plain Python (dicts, lists, dates, numbers), so the HTML/PDF and the XLSX renderers show the same
figures, and tests can check figures without rendering anything. Besides the figures it holds:

- `slots`: every paragraph slot of the document (`SLOTS`), each with the text Sở Nội vụ wrote on the draft or,
  when it wrote none, the text `reports.narrative` generates from the figures; the draft page shows both;
- `sections`: the kind's outline (`KindSpec.outline`) as numbered sections, an empty optional one left out;
- `appendices`: the appendices that have rows, numbered I, II, … in that order (the text refers to them by these
  numbers, and never to one that is left out);
- `missing`: what a final document still lacks (a required section nobody wrote, the signer), which
  `reports.services.report_request` refuses; a watermarked draft ("bản nháp") may still be made.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import documents
from core import register as document_register
from core.documents import ELLIPSIS, agency_heading, date_line, number_line, place_from_name  # noqa: F401
from units import lineage

from . import narrative, selectors
from .kinds import spec_for

NO_DATA = "Chưa có dữ liệu"
BLANK_NUMBER = "\u00a0" * 8  # the room left for the number written by hand before registration (Decree 30/2020)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# Column of the issuing body's name in documents/_header.html (42 % of the text width), and the text width.
TEXT_WIDTH = (210 - 30 - 15) * documents.MM
ISSUING_WIDTH = 0.42 * TEXT_WIDTH
ISSUING_SIZE, SUBJECT_SIZE = 12.5, 14


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date
    year: int | None = None
    years: tuple = field(default=())

    @property
    def label(self):
        return self._worded(_("năm %(year)s"), _("từ ngày %(start)s đến ngày %(end)s"))

    @property
    def phrase(self):
        """How a sentence of the body opens on the period: "Năm 2024", "Từ ngày 14/10/2022 đến ngày 31/12/2023"."""
        return self._worded(_("Năm %(year)s"), _("Từ ngày %(start)s đến ngày %(end)s"))

    def _worded(self, yearly, span):
        """The period in `yearly` words for a per-year kind, else in `span` words (its dates, dd/mm/yyyy); the two
        wordings are separate messages, their English differs ("year 2024", "In 2024")."""
        if spec_for(self.kind).per_year:
            return yearly % {"year": self.year}
        return span % {"start": f"{self.start:%d/%m/%Y}", "end": f"{self.end:%d/%m/%Y}"}


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


def organiser_on(campaign, day=None):
    """The plan's standing body in force on `day` (default today): the organiser itself while it exists, else the
    unit that carries it on after a restructuring (Sở Nội vụ tỉnh Đắk Nông → Sở Nội vụ tỉnh Lâm Đồng)."""
    organiser = campaign.organiser
    if organiser is None:
        return None
    return lineage.in_force(organiser, day or timezone.localdate()) or organiser


def issuing_body(campaign, day=None):
    """The plan's standing body (Sở Nội vụ) in force on `day` as an issuing body of the shared register
    (`core.register`), or None when it has not been declared there (the header is then taken from the unit
    tree)."""
    organiser = organiser_on(campaign, day)
    return document_register.body(organiser.code) if organiser is not None else None


def header_for(campaign, draft, *, today=None):
    """The Decree 30/2020 header: the number and the date line are those of the registration (`draft.number`,
    `draft.issued_on`, set by `services.draft_register`); before it, room is left for them to be written by hand."""
    day = draft.issued_on if draft and draft.issued_on else (today or timezone.localdate())
    organiser = organiser_on(campaign, day)
    parent = organiser.parent if organiser is not None else None
    body = issuing_body(campaign, day)
    name = body.name if body else (organiser.name if organiser is not None else campaign.issuer)
    governing = body.governing if body else (agency_heading(parent.name) if parent is not None else "")
    symbol = body.symbol("BC") if body else (f"BC-{organiser.code}" if organiser is not None else "BC")
    place = ((draft.place if draft and draft.place else "") or (body.place if body and body.place else "")
             or (place_of(parent or organiser) if organiser else ""))
    number = ((draft.number or "").strip() if draft else "").split("/")[0]
    if number.isdigit() and len(number) == 1:
        number = f"0{number}"
    issued_on = draft.issued_on if draft and draft.issued_on else None
    year = issued_on.year if issued_on else (today or timezone.localdate()).year
    issuing = agency_heading(name)
    lines = documents.wrap(issuing, ISSUING_WIDTH, ISSUING_SIZE, "Bold")
    return {
        "governing": governing,
        "issuing": issuing,
        "issuing_rule": documents.rule_width(lines[-1], ISSUING_SIZE) if lines else None,
        "number_line": (number_line(number, symbol) if number
                        else _("Số: %(number)s/%(symbol)s") % {"number": BLANK_NUMBER, "symbol": symbol}),
        "date_line": (date_line(place, issued_on) if issued_on
                      else documents.draft_date_line(place, year)).lstrip(", "),
        "symbol": symbol,
        "registered": bool(number),
        "reference": f"{number or BLANK_NUMBER}/{symbol}",
        "reference_date": f"{issued_on:%d/%m/%Y}" if issued_on else BLANK_NUMBER,
        "issuing_name": name,
        "place": place,
        "issued_on": issued_on,
        "body": body,
    }


def subject_for(campaign, period):
    return str(spec_for(period.kind).subject) % {"title": campaign.title, "year": period.year}


def subject_lines(subject):
    """The subject in balanced lines (each about as long as the others) and the rule under it, sized from its
    last line; ([subject], None) when the font cannot be measured."""
    lines = documents.balanced_lines(subject, TEXT_WIDTH, SUBJECT_SIZE, "Bold") or [subject]
    return lines, documents.rule_width(lines[-1], SUBJECT_SIZE)


def signer_for(draft, body, day):
    """(title lines, full name, Signer row or None): the signer chosen on the draft, or one typed on an older
    draft, or the body's signer in force on the issue date (the head first: `core.register.signers_on`)."""
    if draft is not None and draft.signer_id:
        return document_register.signature_lines(draft.signer), draft.signer.full_name, draft.signer
    if draft is not None and draft.signer_name.strip():
        return documents.lines(draft.signer_title, upper=True), draft.signer_name.strip(), None
    if body is not None:
        candidates = document_register.signers_on(body, day)
        if candidates:
            return document_register.signature_lines(candidates[0]), candidates[0].full_name, candidates[0]
    return [], "", None


def default_recipients(kind):
    """A new draft's "Nơi nhận", one entry a line (the kind's `recipients`)."""
    return "\n".join(str(line) for line in spec_for(kind).recipients)


def recipients_for(draft, kind):
    text = draft.recipients if draft is not None and draft.recipients.strip() else default_recipients(kind)
    return documents.recipient_lines(documents.lines(text), filing=_("Lưu: VT"))


# Paragraph slots ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A place of the document that holds paragraphs: Sở Nội vụ's own text (`field` of the draft, or `note` key of
    its `content_notes`) or, when it wrote none, the paragraphs `generate(context)` makes from the figures."""

    label: str
    field: str = ""
    note: str = ""
    generate: object = None
    required: bool = False


SLOTS = {
    "opening": Slot(gettext_lazy("Đoạn mở đầu"), note="opening", generate=lambda ctx: [ctx["opening"]]),
    "situation": Slot(gettext_lazy("Đặc điểm tình hình"), field="situation", required=True),
    "direction": Slot(gettext_lazy("Công tác chỉ đạo, tổ chức triển khai"), field="direction",
                      generate=narrative.direction),
    "registration": Slot(gettext_lazy("Đăng ký thi đua"), note="registration", generate=narrative.registration),
    "results_note": Slot(gettext_lazy("Nhận xét chung về kết quả thực hiện các nội dung"), field="results_note",
                         generate=narrative.results_overview),
    "par": Slot(gettext_lazy("Kết quả Chỉ số cải cách hành chính"), note="par", generate=narrative.par),
    "initiatives": Slot(gettext_lazy("Sáng kiến, giải pháp"), note="initiatives", generate=narrative.initiatives),
    "inspection_note": Slot(gettext_lazy("Công tác kiểm tra, nhân rộng điển hình"), field="inspection_note",
                            generate=narrative.inspection),
    "commendation": Slot(gettext_lazy("Kết quả khen thưởng"), note="commendation", generate=narrative.commendation),
    "dossiers": Slot(gettext_lazy("Tiếp nhận, thẩm định hồ sơ đề nghị khen thưởng"), note="dossiers",
                     generate=narrative.dossiers),
    "nominations": Slot(gettext_lazy("Đề nghị khen thưởng"), note="nominations", generate=narrative.nominations),
    "strengths": Slot(gettext_lazy("Ưu điểm"), field="strengths", required=True),
    "limitations": Slot(gettext_lazy("Tồn tại, hạn chế"), field="limitations", required=True),
    "causes": Slot(gettext_lazy("Nguyên nhân"), field="causes", required=True),
    "lessons": Slot(gettext_lazy("Bài học kinh nghiệm"), field="lessons", required=True),
    "next_steps": Slot(gettext_lazy("Phương hướng, nhiệm vụ"), field="next_steps", required=True),
    "award_request": Slot(gettext_lazy("Kiến nghị khen thưởng"), note="award_request", generate=narrative.proposals),
    "proposals": Slot(gettext_lazy("Đề xuất, kiến nghị"), field="proposals", required=True),
    "closing": Slot(gettext_lazy("Đoạn kết"), note="closing", generate=lambda ctx: [ctx["closing"]]),
}
"""Every paragraph slot but those of each content (`content_slot`), by name."""

SECTIONS = {
    "situation": (gettext_lazy("ĐẶC ĐIỂM TÌNH HÌNH"), ("situation",)),
    "direction": (gettext_lazy("CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI"), ("direction", "registration")),
    "contents": (gettext_lazy("KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA"), ("results_note", "par", "initiatives")),
    "inspection": (gettext_lazy("CÔNG TÁC KIỂM TRA; PHÁT HIỆN, BỒI DƯỠNG, NHÂN RỘNG ĐIỂN HÌNH TIÊN TIẾN"),
                   ("inspection_note",)),
    "commendation": (gettext_lazy("CÔNG TÁC KHEN THƯỞNG"), ("commendation", "dossiers", "nominations")),
    "assessment": (gettext_lazy("ĐÁNH GIÁ CHUNG"), ("strengths", "limitations", "causes", "lessons")),
    "next_steps": (gettext_lazy("PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"), ("next_steps",)),
    "proposals": (gettext_lazy("ĐỀ XUẤT, KIẾN NGHỊ"), ("award_request", "proposals")),
}
"""Each section of an outline: its heading and the slots it prints (a section's own template is
`reports/sections/<key>.html`)."""


def content_slot_names(number):
    """The two slots of content `number`: what was done, and (reviews) the assessment."""
    return f"content_{number}", f"content_{number}_assessment"


def _paragraphs(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _own_text(draft, slot):
    if draft is None:
        return ""
    if slot.field:
        return getattr(draft, slot.field, "") or ""
    return (draft.content_notes or {}).get(slot.note, "")


def _fill(name, slot, draft, ctx, required):
    own = _paragraphs(_own_text(draft, slot))
    generated = slot.generate(ctx) if slot.generate else []
    text = own or generated
    return {"name": name, "label": str(slot.label), "text": text, "own": own, "generated": generated,
            "required": required, "missing": required and not text,
            "field": slot.field, "note": slot.note}


# The appendices -----------------------------------------------------------------------------------------------------


def _decision(record, wording):
    """The record's decision in `wording` (the message "Quyết định số … ngày …", translated once per list)."""
    return wording % {"number": record["decision_number"], "date": f"{record['decision_date']:%d/%m/%Y}"}


def _awarded_collectives(campaign, period):
    wording = _("Quyết định số %(number)s ngày %(date)s")
    return [{"n": index, "name": record["unit__name"], "form": record["form__name"],
             "decision": _decision(record, wording), "summary": record["summary"]}
            for index, record in enumerate(selectors.awarded_rows(campaign, period, collective=True), start=1)]


def _position_unit(row):
    """ "position, unit" of a person's row (`person__position`, `person__unit__name`)."""
    return ", ".join(part for part in (row["person__position"], row["person__unit__name"]) if part)


def _awarded_individuals(campaign, period):
    wording = _("Quyết định số %(number)s ngày %(date)s")
    return [{"n": index, "name": record["person__full_name"], "position_unit": _position_unit(record),
             "form": record["form__name"], "decision": _decision(record, wording), "summary": record["summary"]}
            for index, record in enumerate(selectors.awarded_rows(campaign, period, collective=False), start=1)]


def _proposals(campaign, period):
    rows, counters = [], {True: 0, False: 0}
    for nominee in selectors.proposal_rows(campaign, period):
        collective = nominee["unit_id"] is not None
        counters[collective] += 1
        rows.append({"n": counters[collective], "collective": collective,
                     "name": nominee["unit__name"] if collective else nominee["person__full_name"],
                     "position_unit": "" if collective else _position_unit(nominee),
                     "form": nominee["dossier__form__name"], "authority": nominee["dossier__form__authority"],
                     "summary": nominee["summary"]})
    return rows


def _proposals_by_form(rows):
    groups = {}
    for row in rows:
        entry = groups.setdefault((row["form"], row["authority"]), {"form": row["form"], "authority": row["authority"],
                                                                     "collectives": 0, "individuals": 0})
        entry["collectives" if row["collective"] else "individuals"] += 1
    return list(groups.values())


def _unit_table(campaign, period):
    rows = []
    for index, unit in enumerate(selectors.unit_rows_by_structure(campaign, period), start=1):
        rows.append({
            "n": index, "code": unit.code, "name": unit.name, "kind": unit.get_kind_display(),
            "registered_years": unit.n_registered_years, "accepted": unit.n_accepted,
            "initiatives": unit.n_initiatives,
            "par_index": float(unit.n_par_index) if unit.n_par_index is not None else None,
            "par_band": unit.n_par_band or "", "dossiers": unit.n_dossiers, "awards": unit.n_awards,
            "awards_individual": unit.n_awards_individual,
            "predecessors": [row.name for row in unit.rolled_up],
        })
    return rows


APPENDICES = {
    "awarded_collectives": gettext_lazy("DANH SÁCH TẬP THỂ ĐƯỢC KHEN THƯỞNG"),
    "awarded_individuals": gettext_lazy("DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG"),
    "proposals": gettext_lazy("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG"),
    "units": gettext_lazy("BẢNG TỔNG HỢP KẾT QUẢ THEO CƠ QUAN, ĐƠN VỊ, ĐỊA PHƯƠNG"),
}
"""The appendices in their order; one is attached only when it has rows."""


# The builders ------------------------------------------------------------------------------------------------


def _content_blocks(ctx, draft, spec):
    blocks = []
    notes = (draft.content_notes if draft else None) or {}
    for row in ctx["contents"]:
        content = row["content"]
        done_name, assessment_name = content_slot_names(content.number)
        by_year = ctx["contents_by_year"].get(content.number, {})
        row_with_years = {**row, "by_year": by_year}
        done = Slot(_("(%(n)s) %(title)s: kết quả thực hiện") % {"n": content.number, "title": content.short_title},
                    note=str(content.number), generate=lambda c, r=row_with_years: narrative.content(c, r))
        slots = {done_name: _fill(done_name, done, draft, ctx, False)}
        if spec.content_review:
            assessment = Slot(_("(%(n)s) %(title)s: đánh giá") % {"n": content.number, "title": content.short_title},
                              note=f"{content.number}.assessment",
                              generate=lambda c, r=row_with_years: narrative.content_trend(c, r))
            slots[assessment_name] = _fill(assessment_name, assessment, draft, ctx, False)
        # Year by year (reviews), when something was sent under the content: otherwise its sentence says it all.
        years = [{"year": year, **by_year[year]} for year in sorted(by_year)
                 if any(by_year[year].values())] if spec.content_review and row["recorded"] else []
        blocks.append({
            "content": content, "figures": row, "requirement": content.text if spec.content_review else "",
            "done": slots[done_name], "assessment": slots.get(assessment_name), "years": years,
            "note_key": str(content.number), "has_notes": bool(notes.get(str(content.number))),
        })
        ctx["slots"].update(slots)
    return blocks


def _in_document_order(slots, spec):
    """The slots as the document prints them (the draft page lists its fields in this order)."""
    names = ["opening"]
    for key in spec.outline:
        for name in SECTIONS[key][1]:
            names.append(name)
            if name == "results_note":  # each content's slots follow the overview of the results
                names += [slot for slot in slots if slot.startswith("content_")]
    names.append("closing")
    return {name: slots[name] for name in names if name in slots}


def _sections(ctx, spec, watermark):
    sections = []
    period = ctx["period"]
    for key in spec.outline:
        title, names = SECTIONS[key]
        title = str(title)
        if key == "next_steps" and spec.next_steps_title:
            title = str(spec.next_steps_title) % {"next": period.end.year + 1, "end": ctx["campaign"]["ends_on"].year}
        slots = [ctx["slots"][name] for name in names if name in ctx["slots"]]
        shown = any(slot["text"] for slot in slots) or any(slot["missing"] for slot in slots) and watermark
        if key in ("contents", "commendation", "assessment"):
            shown = True  # figures, tables or required paragraphs: always part of the document
        if key == "inspection":
            shown = shown or bool(ctx["exemplary"]["items"])
        if shown:
            sections.append({"key": key, "title": title, "template": f"reports/sections/{key}.html"})
    for index, section in enumerate(sections):
        section["numeral"] = ROMAN[index]
    return sections


def _charts(ctx):
    numbers, count = {}, 0
    for name, present in (("participation", any(row["units"] for row in ctx["contents"])),
                          ("par", bool(ctx["par_by_group"])), ("awards", bool(ctx["awards"]))):
        if present:
            count += 1
            numbers[name] = count
    return numbers


def build_context(campaign, period, draft=None, *, today=None, watermark=False):
    """Everything a report of any kind shows; the kind changes the period, the title, the outline and the wording.

    `watermark`: the document is a draft ("bản nháp") — required sections nobody wrote are marked as missing in it
    instead of being left out."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build(campaign, period, draft, today=today or timezone.localdate(), watermark=watermark)


def _build(campaign, period, draft, *, today, watermark):
    spec = spec_for(period.kind)
    years = list(period.years)
    header = header_for(campaign, draft, today=today)
    subject = subject_for(campaign, period)
    lines, subject_rule = subject_lines(subject)
    signer_title, signer_name, signer = signer_for(draft, header["body"], header["issued_on"] or today)
    par = selectors.par_results(years)
    awards = selectors.awards_by_form(campaign, period)
    collectives = _awarded_collectives(campaign, period)
    individuals = _awarded_individuals(campaign, period)
    proposals = _proposals(campaign, period)
    units = _unit_table(campaign, period)
    attached = {"awarded_collectives": collectives, "awarded_individuals": individuals, "proposals": proposals,
                "units": units}
    appendices = []
    for key, title in APPENDICES.items():
        if attached[key]:
            appendices.append({"key": key, "title": str(title), "numeral": ROMAN[len(appendices)],
                               "template": f"reports/appendices/{key}.html"})
    ctx = {
        "campaign": {"number": campaign.number, "title": campaign.title, "issued_on": campaign.issued_on,
                     "issuer": campaign.issuer, "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
                     "kind": campaign.get_kind_display(), "purpose": campaign.purpose},
        "kind": period.kind,
        "kind_label": str(spec.wording),
        "period": period,
        "period_phrase": period.phrase,
        "header": header,
        "reporter": header["issuing_name"],
        "document_type": _("BÁO CÁO"),
        "subject": subject,
        "subject_lines": lines,
        "subject_rule": subject_rule,
        "signer_title": signer_title,
        "signer_name": signer_name,
        "signer": signer,
        "recipients": recipients_for(draft, period.kind),
        "themes": [{"year": t.year, "title": t.title, "published": t.is_published}
                   for t in selectors.themes_of(campaign, years)],
        "participation": selectors.participation_by_year(campaign, years),
        "registered_units": selectors.registered_unit_count(campaign, years),
        "contents": list(selectors.content_figures(campaign, years).values()),
        "contents_by_year": selectors.content_figures_by_year(campaign, years),
        "initiatives": selectors.initiative_figures(campaign, years),
        "par": par,
        "par_by_group": selectors.par_latest_by_group(par),
        "dossiers": selectors.dossiers_by_state(campaign, period),
        "dossier_figures": selectors.dossier_figures(campaign, period),
        "overdue": selectors.overdue_dossiers(campaign, period, today),
        "awards": awards,
        "awards_total": {"collectives": sum(a["collectives"] for a in awards),
                         "individuals": sum(a["individuals"] for a in awards)},
        "award_decisions": selectors.award_decisions(campaign, period),
        "inspections": selectors.inspection_figures(campaign, period),
        "exemplary": selectors.exemplary_figures(campaign, years),
        "awarded_collectives": collectives,
        "awarded_individuals": individuals,
        "proposals": proposals,
        "proposals_by_form": _proposals_by_form(proposals),
        "units": units,
        "units_rolled_up": any(row["predecessors"] for row in units),
        "appendices": appendices,
        "appendix_numbers": {appendix["key"]: appendix["numeral"] for appendix in appendices},
        "no_data": _(NO_DATA),
        "generated_at": timezone.now(),
        "watermark": watermark,
        "lessons": spec.lessons,
        "content_review": spec.content_review,
        "slots": {},
    }
    ctx["chart_numbers"] = _charts(ctx)
    opening = str(spec.opening) or _("%(reporter)s báo cáo %(wording)s Phong trào thi đua %(period)s như sau:")
    ctx["opening"] = _("Thực hiện Kế hoạch số %(number)s ngày %(date)s của %(issuer)s về phát động Phong trào thi đua "
                       "“%(title)s”, %(rest)s") % {
        "number": campaign.number, "date": f"{campaign.issued_on:%d/%m/%Y}", "issuer": campaign.issuer,
        "title": campaign.title,
        "rest": opening % {"reporter": ctx["reporter"], "period": period.label, "first": years[0], "last": years[-1],
                           "wording": ctx["kind_label"]}}
    ctx["closing"] = narrative.closing(ctx)
    active = {"opening", "closing", *(name for key in spec.outline for name in SECTIONS[key][1])}
    if not spec.lessons:
        active.discard("lessons")
    for name, slot in SLOTS.items():
        if name in active:
            ctx["slots"][name] = _fill(name, slot, draft, ctx, slot.required)
    proposals_slot, request = ctx["slots"].get("proposals"), ctx["slots"].get("award_request")
    if proposals_slot and request and request["text"]:  # the section already asks for the proposed awards
        proposals_slot["missing"] = proposals_slot["required"] = False
    ctx["content_blocks"] = _content_blocks(ctx, draft, spec)
    ctx["slots"] = _in_document_order(ctx["slots"], spec)
    ctx["sections"] = _sections(ctx, spec, watermark)
    missing = [{"name": slot["name"], "label": slot["label"]} for slot in ctx["slots"].values() if slot["missing"]]
    if not signer_name:
        missing.append({"name": "signer", "label": _("Người ký")})
    ctx["missing"] = missing
    return ctx


def build_for(campaign, kind, *, year=None, draft=None, watermark=False):
    return build_context(campaign, period_for(campaign, kind, year), draft, watermark=watermark)


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
