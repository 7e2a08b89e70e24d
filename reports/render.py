"""Steps 2 and 3 of the pipeline: context → HTML (administrative format) → PDF (Chromium, or WeasyPrint) or XLSX
(core.spreadsheet).

Renderers take the context built by `reports.context` and nothing else, so the PDF, the XLSX and the dashboard show
the same figures.
"""

import dataclasses
import html as htmllib
import logging
import multiprocessing
import os
import re
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

from . import chromium, paginate, part_cache
from .charts import captions, charts_for
from .kinds import spec_for

MIME = {"pdf": "application/pdf", "xlsx": spreadsheet.XLSX_CONTENT_TYPE, "stats": spreadsheet.XLSX_CONTENT_TYPE}
EXTENSION = {"pdf": "pdf", "xlsx": "xlsx", "stats": "xlsx"}
logger = logging.getLogger(__name__)


# HTML and PDF ----------------------------------------------------------------------------------------------------


def render_html(context):
    """The report as one HTML document in the Decree 30/2020 layout (also the preview), in its kind's template."""
    with translation.override(settings.LANGUAGE_CODE):
        # The printed list of proposals refers to the workbook sheet that holds each nominee's summary.
        sheets = {appendix["key"]: appendix_sheet(appendix) for appendix in context.get("appendices", ())}
        return render_to_string(spec_for(context["kind"]).template,
                                {**context, "charts": charts_for(context), "chart_captions": captions(),
                                 "proposals_sheet": sheets.get("proposals", "")})


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
    """HTML → PDF, by the engine of `REPORT_PDF_ENGINE`; where Chromium is missing or fails to start, by WeasyPrint
    (logged), so a report is never lost for want of a browser. `progress`, when given, is called with the share of
    the work done (0–1) as each document is finished; `stats` is filled with what each part cost (for the
    benchmark)."""
    if getattr(settings, "REPORT_PDF_ENGINE", "weasyprint") == "chromium":
        try:
            return _render_with_chromium(html, stats=stats, progress=progress)
        except chromium.Unavailable as error:
            logger.warning("report PDF: Chromium unavailable (%s); laid out with WeasyPrint", error)
    return _render_with_weasyprint(html, stats=stats, progress=progress)


def _render_with_chromium(html, *, stats=None, progress=None):
    """The body and each appendix printed as separate documents (each numbers its own pages), unchanged ones taken
    from the part cache, then joined with `pdfunite`. A long appendix is printed whole: Chromium does in one
    process what WeasyPrint needs pieces in several for."""
    parts = split_parts(html)
    unite = shutil.which("pdfunite")
    if len(parts) > 1 and not unite:
        raise chromium.Unavailable("pdfunite is missing: the parts cannot be joined")
    units = [_Unit(index, part, pdf=part_cache.get(part, "chromium")) for index, part in enumerate(parts)]
    # Longest first, each in a page of its own (a renderer process), as many at once as there are cores to use.
    fresh = sorted((unit for unit in units if unit.pdf is None), key=lambda unit: len(unit.html), reverse=True)
    total, done, tabs = sum(len(unit.html) for unit in fresh) or 1, [0], _processes(len(fresh))

    def finished(index):
        done[0] += len(fresh[index].html)
        if progress is not None:
            progress(done[0] / total)

    printed = chromium.print_documents([unit.html for unit in fresh], done=finished, tabs=tabs) if fresh else []
    for unit, (pdf, seconds) in zip(fresh, printed, strict=True):
        unit.pdf, unit.seconds = documents.exact_a4(pdf), seconds
        part_cache.put(unit.html, unit.pdf, "chromium")
    if stats is not None:
        stats.update(_stats(parts, units, fresh, set()), processes=tabs if fresh else 0, engine="chromium")
    pdfs = [unit.pdf for unit in units]
    # Chromium writes the title but not the author (the issuing body); pdfunite keeps neither.
    return _with_info(pdfs[0] if len(pdfs) == 1 else _unite(unite, pdfs), html)


def _render_with_weasyprint(html, *, stats=None, progress=None):
    """HTML → PDF with WeasyPrint.

    The body and each appendix are separate documents (`split_parts`); a long appendix is further cut into pieces
    of pages planned in advance (`reports.paginate`) so that it, too, is laid out by several processes. Units whose
    HTML is unchanged since an earlier report come from the part cache; the others are laid out in parallel,
    longest first, and everything is joined with `pdfunite`. A piece that does not come out with its planned number
    of pages makes its whole appendix be laid out again in one document, so page numbers are always right.
    Without `pdfunite` the parts are laid out one after the other and joined by WeasyPrint itself.
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
        stats.update(_stats(parts, units, fresh, fallback), engine="weasyprint")
    pdfs = [unit.pdf for unit in units]
    return pdfs[0] if len(pdfs) == 1 else _with_info(_unite(unite, pdfs), html)


TITLE = re.compile(r"<title>(.*?)</title>", re.S)
AUTHOR = re.compile(r'<meta name="author" content="([^"]*)"')


def _with_info(pdf, html):
    """The joined PDF with the document's title and author (its issuing body), which pdfunite does not keep."""
    head = html.partition("<body>")[0]
    title, author = TITLE.search(head), AUTHOR.search(head)
    return documents.set_pdf_info(pdf, title=htmllib.unescape(title.group(1)).strip() if title else "",
                                  author=htmllib.unescape(author.group(1)) if author else "")


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
# The workbook twin of the report: the same figures as the PDF, one sheet per table, each printable as a form
# (Times-metric font, A4, landscape where wide, one page wide, header rows repeated, borders) and headed like the
# document's appendices ("Kèm theo Báo cáo số …"). The appendix sheets are those the PDF attaches, numbered alike.


SHEETS = {
    "summary": "Tổng hợp", "participation": "Đăng ký", "contents": "Nội dung thi đua",
    "contents_by_year": "Nội dung theo năm", "par": "Chỉ số CCHC", "dossiers": "Hồ sơ khen thưởng",
    "awards": "Khen thưởng",
}
APPENDIX_SHEETS = {"awarded_collectives": "Tập thể được KT", "awarded_individuals": "Cá nhân được KT",
                   "proposals": "Đề nghị KT", "units": "Đơn vị"}


def appendix_sheet(appendix):
    """ "PL I Tập thể được KT": the sheet of one of the report's appendices."""
    return f"PL {appendix['numeral']} {APPENDIX_SHEETS[appendix['key']]}"


def render_xlsx(context):
    """The same report as a workbook: one sheet per table, same figures as the PDF."""
    with translation.override(settings.LANGUAGE_CODE):
        return spreadsheet.workbook_bytes(_workbook(context))


def _heading(context, title):
    header = context["header"]
    attached = _("(Kèm theo Báo cáo số %(number)s ngày %(date)s của %(issuing)s)") % {
        "number": header["reference"], "date": header["reference_date"], "issuing": header["issuing_name"]}
    return [(title, {"bold": True, "size": 13}), (attached, {"bold": False, "italic": True})]


def _sheet(workbook, context, name, title, headers, rows, **options):
    options.setdefault("orientation", LANDSCAPE if len(headers) > 4 else spreadsheet.PORTRAIT)
    return add_sheet(workbook, name, headers, rows, heading=_heading(context, title), borders=True,
                     font=spreadsheet.DOCUMENT_FONT, wrap=True, auto_filter=False, **options)


def _workbook(context):
    from par.models import Band

    workbook = spreadsheet.new_workbook()
    report = f"{context['document_type']}: {context['subject']} ({context['period'].label})"
    initiatives, figures, total = context["initiatives"], context["dossier_figures"], context["awards_total"]
    proposals = context["proposals"]
    summary = [
        (_("Số cơ quan, đơn vị, địa phương đăng ký thi đua trong kỳ"), context["registered_units"]),
        (_("Số thành tích được ghi nhận"), sum(row["accepted"] for row in context["contents"])),
        (_("Số tệp minh chứng của thành tích được ghi nhận"), sum(row["files"] for row in context["contents"])),
        (_("Sáng kiến, giải pháp được công nhận"), initiatives["recognised"]),
        (_("Hồ sơ đề nghị khen thưởng đã tiếp nhận"), figures["submitted"]),
        (_("Hồ sơ đề nghị khen thưởng quá hạn thẩm định"), context["overdue"]),
        (_("Lượt tập thể được khen thưởng"), total["collectives"]),
        (_("Lượt cá nhân được khen thưởng"), total["individuals"]),
        (_("Tập thể đề nghị khen thưởng"), sum(1 for row in proposals if row["collective"])),
        (_("Cá nhân đề nghị khen thưởng"), sum(1 for row in proposals if not row["collective"])),
        (_("Số cuộc kiểm tra"), context["inspections"]["inspections"]),
        (_("Gương điển hình tiên tiến được công bố"), context["exemplary"]["total"]),
    ]
    _sheet(workbook, context, SHEETS["summary"], report, [_("Chỉ tiêu"), _("Số liệu")], summary, widths=[70, 16],
           formats={2: INTEGER})
    _sheet(workbook, context, SHEETS["participation"], _("ĐĂNG KÝ THI ĐUA THEO NĂM"),
           [_("Năm"), _("Số đơn vị thuộc đối tượng tham gia"), _("Số đơn vị đã đăng ký"), _("Tỷ lệ (%)")],
           [(r["year"], r["units"], r["registered"],
             round(r["registered"] * 100 / r["units"], 1) if r["units"] else None) for r in context["participation"]],
           widths=[10, 30, 24, 14], formats={2: INTEGER, 3: INTEGER, 4: "0.0"})
    _sheet(workbook, context, SHEETS["contents"], _("KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA"),
           [_("Nội dung"), _("Tên nội dung"), _("Lượt đăng ký cam kết"), _("Thành tích đã gửi"),
            _("Thành tích được ghi nhận"), _("Đơn vị có thành tích được ghi nhận"), _("Tệp minh chứng")],
           [(f"({r['content'].number})", r["content"].short_title, r["commitments"], r["recorded"],
             r["accepted"], r["units"], r["files"]) for r in context["contents"]],
           widths=[10, 45, 14, 14, 16, 20, 14], formats={c: INTEGER for c in range(3, 8)})
    by_year = [(f"({r['content'].number})", r["content"].short_title, year, *(figures_[k] for k in
                ("commitments", "recorded", "accepted", "units", "files")))
               for r in context["contents"]
               for year, figures_ in sorted(context["contents_by_year"].get(r["content"].number, {}).items())]
    _sheet(workbook, context, SHEETS["contents_by_year"], _("KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA QUA CÁC NĂM"),
           [_("Nội dung"), _("Tên nội dung"), _("Năm"), _("Lượt đăng ký cam kết"), _("Thành tích đã gửi"),
            _("Thành tích được ghi nhận"), _("Đơn vị có thành tích được ghi nhận"), _("Tệp minh chứng")],
           by_year, widths=[10, 40, 8, 14, 14, 16, 20, 14], formats={c: INTEGER for c in range(4, 9)})
    bands = [band["band"] for band in (context["par"][0]["bands"] if context["par"] else [])]
    _sheet(workbook, context, SHEETS["par"], _("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"),
           [_("Năm"), _("Nhóm đơn vị"), _("Số đơn vị"), _("Chỉ số bình quân (%)"), *bands, _("Dẫn đầu")],
           [(r["year"], r["group"], r["sheets"], r["average"], *[b["n"] for b in r["bands"]], r["best"])
            for r in context["par"]],
           widths=[8, 24, 12, 16, *[10] * len(bands), 40], formats={3: INTEGER, 4: DECIMAL},
           orientation=LANDSCAPE)
    _sheet(workbook, context, SHEETS["dossiers"], _("TIẾP NHẬN, THẨM ĐỊNH HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG"),
           [_("Chỉ tiêu"), _("Số hồ sơ")],
           [(_("Hồ sơ các cơ quan, đơn vị, địa phương gửi đến"), figures["submitted"]),
            (_("Đã thẩm định, đề nghị khen thưởng"), figures["forwarded"]),
            (_("Trong đó: đã có quyết định khen thưởng trong kỳ"), figures["decided"]),
            (_("Chưa đủ điều kiện, tiêu chuẩn khen thưởng"), figures["refused"]),
            (_("Đang thẩm định hoặc bổ sung, hoàn thiện"), figures["pending"]),
            (_("Đơn vị rút lại"), figures["withdrawn"]),
            (_("Quá hạn thẩm định"), context["overdue"])],
           widths=[60, 14], formats={2: INTEGER})
    awards = [(r["form"], r["authority"], r["collectives"], r["individuals"], r["total"]) for r in context["awards"]]
    if awards:
        awards.append((_("Tổng cộng"), "", total["collectives"], total["individuals"],
                       total["collectives"] + total["individuals"]))
    _sheet(workbook, context, SHEETS["awards"], _("KẾT QUẢ KHEN THƯỞNG THEO HÌNH THỨC VÀ CẤP KHEN THƯỞNG"),
           [_("Hình thức khen thưởng"), _("Cấp quyết định"), _("Tập thể"), _("Cá nhân"), _("Cộng")], awards,
           widths=[50, 28, 12, 12, 12], formats={3: INTEGER, 4: INTEGER, 5: INTEGER},
           bold_rows=[len(awards) - 1] if awards else (), orientation=LANDSCAPE)
    layouts = {
        "awarded_collectives": ([_("TT"), _("Tên tập thể"), _("Hình thức khen thưởng"), _("Số, ngày quyết định")],
                                [(r["n"], r["name"], r["form"], r["decision"])
                                 for r in context["awarded_collectives"]], [6, 50, 40, 36]),
        "awarded_individuals": ([_("TT"), _("Họ và tên"), _("Chức vụ, đơn vị công tác"), _("Hình thức khen thưởng"),
                                 _("Số, ngày quyết định")],
                                [(r["n"], r["name"], r["position_unit"], r["form"], r["decision"])
                                 for r in context["awarded_individuals"]], [6, 28, 45, 36, 32]),
        "proposals": ([_("TT"), _("Tập thể, cá nhân"), _("Tên tập thể, họ và tên cá nhân"),
                       _("Chức vụ, đơn vị công tác"), _("Hình thức đề nghị"), _("Thành tích tóm tắt")],
                      [(r["n"], _("Tập thể") if r["collective"] else _("Cá nhân"), r["name"], r["position_unit"],
                        r["form"], r["summary"]) for r in proposals], [6, 12, 34, 34, 32, 60]),
        "units": ([_("TT"), _("Mã đơn vị"), _("Cơ quan, đơn vị, địa phương"), _("Loại đơn vị"), _("Số năm đăng ký"),
                   _("Thành tích được ghi nhận"), _("Sáng kiến được công nhận"), _("Chỉ số CCHC (%)"), _("Xếp loại"),
                   _("Hồ sơ đề nghị khen thưởng"), _("Lượt tập thể được khen thưởng"),
                   _("Lượt cá nhân được khen thưởng")],
                  [(r["n"], r["code"], r["name"], r["kind"], r["registered_years"], r["accepted"], r["initiatives"],
                    r["par_index"], r["par_band"], r["dossiers"], r["awards"], r["awards_individual"])
                   for r in context["units"]], [6, 12, 40, 18, 10, 12, 12, 11, 11, 12, 12, 12]),
    }
    for appendix in context["appendices"]:
        headers, rows, widths = layouts[appendix["key"]]
        title = _("Phụ lục %(n)s. %(title)s") % {"n": appendix["numeral"], "title": appendix["title"]}
        options = {"choices": {9: Band}, "formats": {1: INTEGER, 5: INTEGER, 6: INTEGER, 7: INTEGER, 8: DECIMAL,
                                                     10: INTEGER, 11: INTEGER, 12: INTEGER}} \
            if appendix["key"] == "units" else {"formats": {1: INTEGER}}
        _sheet(workbook, context, appendix_sheet(appendix), title, headers, rows, widths=widths,
               orientation=LANDSCAPE, **options)
    return workbook


# The sector's statistical forms ------------------------------------------------------------------------------------


def render_stats_xlsx(years, *, reporting_unit=""):
    """The statistical forms of each year, each on its own sheet, in their official frame (reports.statistics)."""
    from . import statistics

    return statistics.render_stats_xlsx(years, reporting_unit=reporting_unit)
