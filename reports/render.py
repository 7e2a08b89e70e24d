"""Steps 2 and 3 of the pipeline: context → HTML (administrative format) → PDF (WeasyPrint) or XLSX (core.spreadsheet).

Renderers take the context built by `reports.context` and nothing else, so the PDF, the XLSX and the dashboard show
the same figures.
"""

import dataclasses
import logging
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core import documents, spreadsheet
from core.spreadsheet import DECIMAL, INTEGER, LANDSCAPE, add_sheet

from . import paginate, part_cache, selectors
from .charts import charts_for
from .kinds import spec_for

MIME = {"pdf": "application/pdf", "xlsx": spreadsheet.XLSX_CONTENT_TYPE, "stats": spreadsheet.XLSX_CONTENT_TYPE}
EXTENSION = {"pdf": "pdf", "xlsx": "xlsx", "stats": "xlsx"}
logger = logging.getLogger(__name__)


# HTML and PDF ----------------------------------------------------------------------------------------------------


def render_html(context):
    """The report as one HTML document in the Decree 30/2020 layout (also the preview), in its kind's template."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(spec_for(context["kind"]).template, {**context, "charts": charts_for(context)})


PART_MARKER = "<!--report-part-->"


def split_parts(html):
    """The report's body and each appendix as separate HTML documents (same <head>, same styles).

    Decree 30/2020 numbers an appendix's pages on their own, so every part is an independent document and the
    parts can be laid out at the same time.
    """
    if PART_MARKER not in html:
        return [html]
    head, _sep, body = html.partition("<body>")
    body, _sep, _tail = body.rpartition("</body>")
    return [f"{head}<body>{part}</body></html>" for part in body.split(PART_MARKER) if part.strip()]


def _render_part(html):
    """One document → (PDF bytes, its page count, wall seconds, CPU seconds); runs in a worker process or here."""
    started, cpu = time.perf_counter(), time.process_time()
    with documents.fewer_gc_pauses():  # worker side only (see core.documents.fewer_gc_pauses)
        document = documents.render_document(html)
        pdf = document.write_pdf()
    return pdf, len(document.pages), time.perf_counter() - started, time.process_time() - cpu


def _processes(count):
    wanted = getattr(settings, "REPORT_PDF_PROCESSES", None) or min(4, os.cpu_count() or 1)
    return max(1, min(wanted, count))


@dataclasses.dataclass
class _Unit:
    """One document to lay out: a whole part, or a piece of a long appendix with its planned page count."""

    part: int
    html: str
    planned_pages: int | None = None
    pdf: bytes | None = None
    pages: int | None = None
    seconds: float = 0.0
    cpu_seconds: float = 0.0


def render_pdf(html, *, stats=None, progress=None):
    """HTML → PDF.

    The body and each appendix are separate documents (`split_parts`); a long appendix is further cut into pieces
    of pages planned in advance (`reports.paginate`) so that it, too, is laid out by several processes. Units whose
    HTML is unchanged since an earlier report come from the part cache; the others are laid out in parallel,
    longest first, and everything is joined with `pdfunite`. A piece that does not come out with its planned number
    of pages makes its whole appendix be laid out again in one document, so page numbers are always right.
    Without `pdfunite` the parts are laid out one after the other and joined by WeasyPrint itself. `progress`, when
    given, is called with the share of the work done (0–1) as each document is finished; `stats` is filled with
    what each part cost (for the benchmark).
    """
    import weasyprint  # noqa: F401  imported before forking: the import costs about a second

    parts = split_parts(html)
    unite = shutil.which("pdfunite")
    if len(parts) > 1 and not unite:
        return _render_sequential(parts)
    units = []
    for index, part in enumerate(parts):
        whole = part_cache.get(part)  # a part short enough to stay whole, or one whose planned pages did not hold
        pieces = paginate.pieces(part) if unite and whole is None else None
        if pieces:
            units += [_Unit(index, piece.html, piece.pages, part_cache.get(piece.html)) for piece in pieces]
        else:
            units.append(_Unit(index, part, pdf=whole))
    fresh = [unit for unit in units if unit.pdf is None]
    # Longest first: a short document queued ahead of a long one would only delay it.
    fresh.sort(key=lambda unit: len(unit.html), reverse=True)
    rendered = _render_all([unit.html for unit in fresh], progress=progress)
    for unit, (pdf, pages, seconds, cpu) in zip(fresh, rendered, strict=True):
        unit.pdf, unit.pages, unit.seconds, unit.cpu_seconds = pdf, pages, seconds, cpu
    fallback = _redo_unplanned(parts, units)
    for unit in fresh:
        if unit.part not in fallback:
            part_cache.put(unit.html, unit.pdf)
    if stats is not None:
        stats.update(_stats(parts, units, fresh, fallback))
    pdfs = [unit.pdf for unit in units]
    return pdfs[0] if len(pdfs) == 1 else _unite(unite, pdfs)


def _redo_unplanned(parts, units):
    """Parts whose pieces did not keep to their planned pages, laid out again whole (their units replaced)."""
    failed = sorted({unit.part for unit in units if unit.planned_pages is not None and unit.pages is not None
                     and unit.pages != unit.planned_pages})
    for part in failed:
        logger.warning("report appendix %s: planned pages did not hold, laid out in one document", part)
        pdf, pages, seconds, cpu = _render_part(parts[part])
        part_cache.put(parts[part], pdf)  # next time this appendix is taken whole from the cache
        position = next(i for i, unit in enumerate(units) if unit.part == part)
        units[:] = [unit for unit in units if unit.part != part]
        units.insert(position, _Unit(part, parts[part], None, pdf, pages, seconds, cpu))
    return set(failed)


def _stats(parts, units, fresh, fallback):
    fresh_ids = {id(unit) for unit in fresh}
    rows = []
    for index, part in enumerate(parts):
        own = [unit for unit in units if unit.part == index]
        rows.append({"html_bytes": len(part), "pieces": len(own), "fallback": index in fallback,
                     "cached": not any(id(unit) in fresh_ids or index in fallback for unit in own),
                     "seconds": round(sum(unit.seconds for unit in own), 2),
                     "cpu_seconds": round(sum(unit.cpu_seconds for unit in own), 2)})
    return {"parts": rows, "processes": _processes(len(fresh)) if fresh else 0, "documents": len(fresh)}


def _render_all(htmls, *, progress=None):
    """Lay out the given documents (results in their order), in parallel processes when there are several and more
    than one core is allowed; `progress` hears the share of HTML laid out so far after each document."""
    total, done = sum(len(html) for html in htmls) or 1, 0

    def finished(html):
        nonlocal done
        done += len(html)
        if progress is not None:
            progress(done / total)

    processes = _processes(len(htmls))
    if processes <= 1 or len(htmls) <= 1:
        results = []
        for html in htmls:
            results.append(_render_part(html))
            finished(html)
        return results
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = {pool.submit(_render_part, html): index for index, html in enumerate(htmls)}
        results = [None] * len(htmls)
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            finished(htmls[index])
        return results


def _render_sequential(parts):
    with documents.fewer_gc_pauses():  # worker side only (see core.documents.fewer_gc_pauses)
        rendered = [documents.render_document(part) for part in parts]
        pages = [page for document in rendered for page in document.pages]
        return rendered[0].copy(pages).write_pdf()


def _unite(unite, pdfs):
    with tempfile.TemporaryDirectory(prefix="report-") as folder:
        names = []
        for index, pdf in enumerate(pdfs):
            name = os.path.join(folder, f"part-{index:02d}.pdf")
            with open(name, "wb") as handle:
                handle.write(pdf)
            names.append(name)
        target = os.path.join(folder, "report.pdf")
        subprocess.run([unite, *names, target], check=True, capture_output=True, timeout=600)
        with open(target, "rb") as handle:
            return handle.read()


# XLSX ------------------------------------------------------------------------------------------------------------


SHEETS = {
    "summary": "Tổng hợp", "participation": "Đăng ký", "contents": "Nội dung thi đua", "par": "Chỉ số CCHC",
    "dossiers": "Hồ sơ khen thưởng", "awards": "Khen thưởng", "collectives": "PL I Tập thể",
    "individuals": "PL II Cá nhân", "units": "PL III Đơn vị",
}


def render_xlsx(context):
    """The same report as a workbook: one sheet per table, same figures as the PDF."""
    with translation.override(settings.LANGUAGE_CODE):
        return spreadsheet.workbook_bytes(_workbook(context))


def _workbook(context):
    workbook = spreadsheet.new_workbook()
    title = f"{context['document_type']}: {context['subject']} ({context['period'].label})"
    initiatives = context["initiatives"]
    summary = [
        (_("Số đơn vị đăng ký thi đua trong kỳ"), context["registered_units"]),
        (_("Số thành tích được chấp nhận"), sum(row["accepted"] for row in context["contents"])),
        (_("Số tệp minh chứng của thành tích được chấp nhận"), sum(row["files"] for row in context["contents"])),
        (_("Sáng kiến, giải pháp được công nhận"), initiatives["recognised"]),
        (_("Hồ sơ đề nghị khen thưởng quá hạn thẩm định"), context["overdue"]),
        (_("Lượt tập thể được khen thưởng"), context["awards_total"]["collectives"]),
        (_("Lượt cá nhân được khen thưởng"), context["awards_total"]["individuals"]),
        (_("Số cuộc kiểm tra"), context["inspections"]["inspections"]),
        (_("Gương điển hình được công bố"), context["exemplary"]["total"]),
        (_("Tập thể đề nghị, được khen thưởng (Phụ lục I)"), len(context["collectives"])),
        (_("Cá nhân đề nghị, được khen thưởng (Phụ lục II)"), len(context["individuals"])),
    ]
    add_sheet(workbook, SHEETS["summary"], [_("Chỉ tiêu"), _("Số liệu")], summary, widths=[60, 14],
              formats={2: INTEGER}, note=title)
    add_sheet(workbook, SHEETS["participation"],
              [_("Năm"), _("Số đơn vị thuộc đối tượng tham gia"), _("Số đơn vị đã đăng ký")],
              [(r["year"], r["units"], r["registered"]) for r in context["participation"]],
              widths=[10, 30, 24], formats={2: INTEGER, 3: INTEGER})
    add_sheet(workbook, SHEETS["contents"],
              [_("Nội dung"), _("Tên nội dung"), _("Lượt cam kết"), _("Thành tích ghi nhận"),
               _("Thành tích được chấp nhận"), _("Số đơn vị có thành tích được chấp nhận"), _("Tệp minh chứng")],
              [(f"({r['content'].number})", r["content"].short_title, r["commitments"], r["recorded"],
                r["accepted"], r["units"], r["files"]) for r in context["contents"]],
              widths=[10, 45, 14, 16, 18, 22, 16], formats={c: INTEGER for c in range(3, 8)},
              orientation=LANDSCAPE)
    bands = [band["band"] for band in (context["par"][0]["bands"] if context["par"] else [])]
    add_sheet(workbook, SHEETS["par"],
              [_("Năm"), _("Nhóm đơn vị"), _("Số đơn vị"), _("Chỉ số bình quân (%)"), *bands, _("Dẫn đầu")],
              [(r["year"], r["group"], r["sheets"], r["average"], *[b["n"] for b in r["bands"]], r["best"])
               for r in context["par"]],
              widths=[8, 24, 12, 18, *[10] * len(bands), 40], formats={3: INTEGER, 4: DECIMAL},
              note="" if context["par"] else context["no_data"], orientation=LANDSCAPE)
    add_sheet(workbook, SHEETS["dossiers"], [_("Trạng thái hồ sơ"), _("Số hồ sơ")],
              [(r["state"], r["n"]) for r in context["dossiers"]], widths=[40, 12], formats={2: INTEGER})
    add_sheet(workbook, SHEETS["awards"], [_("Hình thức khen thưởng"), _("Tập thể"), _("Cá nhân"), _("Cộng")],
              [(r["form"], r["collectives"], r["individuals"], r["total"]) for r in context["awards"]],
              widths=[50, 12, 12, 12], formats={2: INTEGER, 3: INTEGER, 4: INTEGER},
              note="" if context["awards"] else context["no_data"])
    add_sheet(workbook, SHEETS["collectives"],
              [_("TT"), _("Tên tập thể"), _("Hình thức"), _("Trạng thái"), _("Thành tích tóm tắt")],
              [(r["n"], r["name"], r["form"], r["state"], r["summary"]) for r in context["collectives"]],
              widths=[6, 45, 30, 20, 80], formats={1: INTEGER}, orientation=LANDSCAPE)
    add_sheet(workbook, SHEETS["individuals"],
              [_("TT"), _("Họ và tên"), _("Chức vụ, đơn vị công tác"), _("Hình thức"), _("Trạng thái"),
               _("Thành tích tóm tắt")],
              [(r["n"], r["name"], r["position_unit"], r["form"], r["state"], r["summary"])
               for r in context["individuals"]],
              widths=[6, 28, 45, 30, 20, 80], formats={1: INTEGER}, orientation=LANDSCAPE)
    add_sheet(workbook, SHEETS["units"],
              [_("TT"), _("Mã đơn vị"), _("Đơn vị"), _("Loại đơn vị"), _("Số năm đăng ký"),
               _("Thành tích được chấp nhận"), _("Sáng kiến được công nhận"), _("Chỉ số CCHC (%)"), _("Xếp loại"),
               _("Hồ sơ khen thưởng"), _("Được khen thưởng")],
              [(r["n"], r["code"], r["name"], r["kind"], r["registered_years"], r["accepted"], r["initiatives"],
                r["par_index"], r["par_band"], r["dossiers"], r["awards"]) for r in context["units"]],
              widths=[6, 14, 45, 22, 12, 14, 14, 14, 10, 14, 14],
              formats={1: INTEGER, 5: INTEGER, 6: INTEGER, 7: INTEGER, 8: DECIMAL, 10: INTEGER, 11: INTEGER},
              orientation=LANDSCAPE)
    return workbook


# The sector's statistical forms (Circular 02/2023/TT-BNV) ----------------------------------------------------------


def render_stats_xlsx(years, *, reporting_unit=""):
    """Biểu 0601.N (movements by duration and method) and 0603.N (provincial awards by form, recipient, basis)."""
    with translation.override(settings.LANGUAGE_CODE):
        workbook = spreadsheet.new_workbook()
        for year in years:
            _form_0601(workbook, year, reporting_unit)
            _form_0603(workbook, year, reporting_unit)
        return spreadsheet.workbook_bytes(workbook)


def form_0601_row(year):
    buckets = {code: 0 for code, _label in selectors.DURATION_BUCKETS}
    methods = {"regular": 0, "thematic": 0}
    campaigns = selectors.campaigns_in_year(year)
    for campaign in campaigns:
        buckets[selectors.duration_bucket(campaign.starts_on, campaign.ends_on)] += 1
        methods[campaign.kind] = methods.get(campaign.kind, 0) + 1
    return [len(campaigns), *buckets.values(), methods["regular"], methods["thematic"]]


def _form_0601(workbook, year, reporting_unit):
    headers = [_("Cấp phát động"), _("Tổng số phong trào"),
               *[str(label) for _code, label in selectors.DURATION_BUCKETS],
               _("Thường xuyên"), _("Theo chuyên đề")]
    note = _("Biểu số 0601.N: Số phong trào thi đua năm %(year)s — %(unit)s") % {"year": year, "unit": reporting_unit}
    add_sheet(workbook, f"0601.N {year}", headers, [(_("Cấp tỉnh"), *form_0601_row(year))],
              widths=[16, 14, 12, 10, 16, 16, 12, 14, 14], formats={c: INTEGER for c in range(2, 10)}, note=note,
              orientation=LANDSCAPE)


BASES = ("regular", "thematic", "irregular", "foreign", "dedication", "seniority")


def form_0603_rows(year):
    from awards.models import AwardBasis

    forms, grouped = selectors.provincial_awards(year)
    by_form = {}
    for row in grouped:
        entry = by_form.setdefault(row["form"], {"collectives": 0, "individuals": 0, **{b: 0 for b in BASES}})
        entry["collectives"] += row["collectives"]
        entry["individuals"] += row["individuals"]
        if row["basis"] in entry:
            entry[row["basis"]] += row["collectives"] + row["individuals"]
    rows = []
    for form in forms:
        entry = by_form.get(form.pk)
        if entry is None and not form.active:
            continue
        entry = entry or {"collectives": 0, "individuals": 0, **{b: 0 for b in BASES}}
        rows.append((form.name, entry["collectives"] + entry["individuals"], entry["collectives"],
                     entry["individuals"], *[entry[b] for b in BASES]))
    labels = [AwardBasis(b).label for b in BASES]
    return rows, labels


def _form_0603(workbook, year, reporting_unit):
    rows, labels = form_0603_rows(year)
    totals = tuple(sum(row[c] for row in rows) for c in range(1, 4 + len(BASES)))
    headers = [_("Hình thức khen thưởng"), _("Tổng số"), _("Tập thể"), _("Cá nhân"), *labels]
    note = (_("Biểu số 0603.N: Số khen thưởng cấp tỉnh năm %(year)s theo hình thức, đối tượng và loại hình — %(unit)s")
            % {"year": year, "unit": reporting_unit})
    add_sheet(workbook, f"0603.N {year}", headers, [(_("Tổng số"), *totals), *rows],
              widths=[40, 10, 10, 10, *[16] * len(BASES)], formats={c: INTEGER for c in range(2, 5 + len(BASES))},
              note=note, orientation=LANDSCAPE)
