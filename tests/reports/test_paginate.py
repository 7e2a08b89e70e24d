"""Long appendices laid out in pieces of pages planned in advance (reports.paginate): the plan holds on real
WeasyPrint output, the page numbers run on across pieces, and a plan that does not hold falls back to one document."""

import re
import subprocess

import pytest

from reports import paginate, part_cache, render
from reports.context import build_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def weasyprint_engine(settings):
    """Pieces are WeasyPrint's way of using several cores (Chromium prints an appendix whole)."""
    settings.REPORT_PDF_ENGINE = "weasyprint"


FORMS = ["Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen của Giám đốc Sở", "Chiến sĩ thi đua cơ sở"]


def run(*args):
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


def top_margin(path, page):
    return run("pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-x", "0", "-y", "0", "-W", "596",
               "-H", "56", str(path), "-").strip()


def page_count(path):
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path))).group(1))


@pytest.fixture
def long_context(dataset, final_draft):
    """The final review with 90 individuals of varied lengths in appendix II, the awarded individuals (about 9
    pages)."""
    context = build_for(dataset["campaign"], "final", draft=final_draft)
    assert context["appendix_numbers"]["awarded_individuals"] == "II"
    context["awarded_individuals"] = [
        {"n": n, "name": f"Cá nhân Thứ {n:03d}", "form": FORMS[n % 3] + " (theo chuyên đề)" * (n % 2),
         "position_unit": "Chuyên viên, Phòng Tổ chức cán bộ – Ủy ban nhân dân xã Đắk Sắk " * (1 + n % 4),
         "decision": f"Quyết định số {n}/QĐ-UBND ngày 20/12/2023" + " của Chủ tịch UBND tỉnh" * (n % 3)}
        for n in range(1, 91)]
    return context


def test_line_count_breaks_only_at_spaces_and_never_undercounts():
    metrics = paginate._metrics("Regular")
    assert metrics is not None, "Liberation Serif (fonts-liberation2) must be installed: make setup installs it"
    assert paginate.line_count("Văn thư", 200, 12, metrics) == 1
    assert paginate.line_count("Bằng khen của Chủ tịch UBND tỉnh (thường xuyên)", 78, 12, metrics) >= 3
    # Closing punctuation stays on the line of the word before it, as Unicode line breaking does.
    assert paginate._words("Sở Nội vụ ) , tỉnh") == ["Sở", "Nội", "vụ ) ,", "tỉnh"]
    # One unbreakable word wider than the box is counted as the lines it would cover.
    assert paginate.line_count("x" * 200, 100, 12, metrics) >= 2


def test_long_appendix_is_laid_out_in_pieces_with_running_page_numbers(long_context, settings, tmp_path):
    settings.REPORT_PAGES_PER_PIECE = 2
    html = render.render_html(long_context)
    appendix = render.split_parts(html)[2]
    planned = paginate.pieces(appendix)
    assert planned and len(planned) >= 3
    stats = {}
    path = tmp_path / "pl2.pdf"
    path.write_bytes(render.render_pdf(html, stats=stats))
    part = stats["parts"][2]
    assert part["pieces"] == len(planned) and not part["fallback"]

    # Appendix II starts after the body and appendix I; its pages are numbered 1 (not shown), 2, 3, … across
    # every piece, and it has exactly the planned number of pages.
    margins = [top_margin(path, page) for page in range(1, page_count(path) + 1)]
    starts = [index for index, text in enumerate(margins) if text == ""]
    assert len(starts) == 5  # body, appendix I, II, III, IV each begin unnumbered
    appendix_pages = margins[starts[2]:starts[3]]
    assert len(appendix_pages) == sum(piece.pages for piece in planned)
    assert appendix_pages == [""] + [str(number) for number in range(2, len(appendix_pages) + 1)]
    # Every row is there once, in order.
    text = run("pdftotext", "-enc", "UTF-8", "-raw", str(path), "-")
    names = re.findall(r"Cá nhân Thứ (\d{3})", text)
    assert names == [f"{n:03d}" for n in range(1, 91)]


def test_a_plan_that_does_not_hold_falls_back_to_one_document(long_context, settings, tmp_path, monkeypatch):
    settings.REPORT_PAGES_PER_PIECE = 2
    monkeypatch.setattr(paginate, "FILL", 1.6)  # plan pages far fuller than a page can hold
    html = render.render_html(long_context)
    stats = {}
    path = tmp_path / "du-phong.pdf"
    path.write_bytes(render.render_pdf(html, stats=stats))
    assert stats["parts"][2]["fallback"] is True
    margins = [top_margin(path, page) for page in range(1, page_count(path) + 1)]
    starts = [index for index, text in enumerate(margins) if text == ""]
    assert len(starts) == 5
    appendix_pages = margins[starts[2]:starts[3]]
    assert appendix_pages == [""] + [str(number) for number in range(2, len(appendix_pages) + 1)]
    # The pieces of a plan that failed are not kept in the part cache.
    cached = {entry.stem for entry in (tmp_path / "report-parts").glob("*.pdf")}
    pieces = paginate.pieces(render.split_parts(html)[2])
    assert pieces and not cached & {part_cache.key(piece.html) for piece in pieces}
    # …but the appendix laid out whole is, and the next report takes it from there instead of trying again.
    again = {}
    render.render_pdf(html, stats=again)
    assert again["parts"][2]["cached"] is True and again["documents"] == 0


def test_short_appendices_stay_whole(dataset, final_draft):
    html = render.render_html(build_for(dataset["campaign"], "final", draft=final_draft))
    assert all(paginate.pieces(part) is None for part in render.split_parts(html))


def test_progress_moves_as_each_document_is_finished(long_context, settings):
    settings.REPORT_PAGES_PER_PIECE = 2
    html = render.render_html(long_context)
    shares, stats = [], {}
    render.render_pdf(html, progress=shares.append, stats=stats)
    assert len(shares) == stats["documents"] > 5
    assert shares == sorted(shares) and 0 < shares[0] < 1 and shares[-1] == pytest.approx(1.0)


def test_report_job_progress_runs_from_half_way_to_95_percent_while_laying_out(dataset, final_draft):
    from reports.generation import build_file

    seen = []
    build_file(campaign=dataset["campaign"], kind="final", fmt="pdf", draft=final_draft, progress=seen.append)
    assert seen[:2] == [30, 50]
    laying_out = seen[2:]
    assert len(laying_out) == 5 and laying_out == sorted(laying_out) and laying_out[-1] == 95
