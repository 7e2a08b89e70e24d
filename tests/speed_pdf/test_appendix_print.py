"""The final review's long appendices as printed (issue 18, the final-review PDF): numbered lists grouped under a
heading per form instead of table rows, every entry still named in print, the proposals' summaries moved to the
workbook twin; the page plan of `reports.paginate` holds for these lists, so they are still laid out in pieces."""

import io
import re
import subprocess

import openpyxl
import pytest

from reports import paginate, render
from reports.context import build_for
from tests.reports.conftest import FORMULA_NAME


def pdf_text(path):
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", result.stdout.decode())


def segment(text, title):
    """One appendix's text, from its title to the next appendix."""
    return re.split(r"Phụ lục [IVX]+ ", text.split(title, 1)[1], maxsplit=1)[0]


@pytest.fixture
def final_context(dataset, final_draft):
    return build_for(dataset["campaign"], "final", draft=final_draft)


def test_lists_name_every_entry_under_its_form_and_leave_summaries_to_the_workbook(final_context, tmp_path):
    html = render.render_html(final_context)
    parts = render.split_parts(html)
    # Appendices I-III are lists (one block per entry), not tables; IV (the figures by unit) stays a table.
    assert ["<table" in part for part in parts[1:]] == [False, False, False, True]
    path = tmp_path / "tong-ket.pdf"
    path.write_bytes(render.render_pdf(html))
    text = pdf_text(path)

    collectives = segment(text, "DANH SÁCH TẬP THỂ ĐƯỢC KHEN THƯỞNG")
    assert "Bằng khen của Chủ tịch UBND tỉnh" in collectives
    assert f"1. {final_context['awarded_collectives'][0]['name']} – Quyết định số" in collectives
    assert collectives.count("Quyết định số 99/QĐ-UBND ngày 20/12/2023") == 1  # still one decision per entry
    individuals = segment(text, "DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG")
    assert "1. Nguyễn Văn An" in individuals and "Quyết định số 99/QĐ-UBND" in individuals

    proposals = segment(text, "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG")
    assert "I. TẬP THỂ" in proposals
    assert "Hình thức đề nghị: Giấy khen của Giám đốc Sở Nội vụ" in proposals
    for row in final_context["proposals"]:
        assert f"{row['n']}. {row['name']}" in proposals
    sheet = render.appendix_sheet(next(a for a in final_context["appendices"] if a["key"] == "proposals"))
    assert sheet == "PL III Đề nghị KT" and f"“{sheet}”" in proposals  # the note sends the reader to the sheet
    assert "=1+1" not in proposals  # the summaries are no longer printed…

    # …they are in the workbook twin, one row per nominee, with the name, the position and the form.
    workbook = openpyxl.load_workbook(io.BytesIO(render.render_xlsx(final_context)))
    rows = [[cell.value for cell in row] for row in workbook[sheet].iter_rows()]
    first = next(index for index, row in enumerate(rows) if row[0] == "TT") + 1
    entries = {row[2]: row for row in rows[first:] if row[0] is not None}
    assert set(entries) == {row["name"] for row in final_context["proposals"]}
    assert entries[FORMULA_NAME][5] == "=1+1"
    assert entries[FORMULA_NAME][4] == "Giấy khen của Giám đốc Sở Nội vụ"


@pytest.fixture
def long_context(final_context):
    """Appendix III with 120 proposals under three forms, some with long positions."""
    forms = ["Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen của Giám đốc Sở Nội vụ", "Danh hiệu Chiến sĩ thi đua"]
    final_context["proposals"] = [
        {"n": n, "collective": False, "name": f"Người Đề Nghị {n:03d}", "form": forms[(n - 1) * 3 // 120],
         "authority": "", "summary": "Tóm tắt",
         "position_unit": "Chuyên viên, Phòng Tổ chức cán bộ – Ủy ban nhân dân xã Đắk Sắk " * (1 + n % 3)}
        for n in range(1, 121)]
    return final_context


def test_a_heading_never_ends_a_planned_page(long_context):
    part = render.split_parts(render.render_html(long_context))[3]
    _prefix, _opening, pages, _suffix = paginate.plan_pages(part)
    assert len(pages) > 3
    assert not any(paginate._is_heading(page[-1]) for page in pages)
    assert sum(len(page) for page in pages) == 120 + 3 + 1  # the entries, one heading per form, "I. CÁ NHÂN"


def test_long_lists_are_laid_out_in_pieces_that_keep_their_planned_pages(long_context, settings, tmp_path):
    settings.REPORT_PDF_ENGINE = "weasyprint"  # pieces are WeasyPrint's way of using several cores
    settings.REPORT_PAGES_PER_PIECE = 2
    html = render.render_html(long_context)
    planned = paginate.pieces(render.split_parts(html)[3])
    assert planned and len(planned) >= 2
    stats = {}
    path = tmp_path / "pl3.pdf"
    path.write_bytes(render.render_pdf(html, stats=stats))
    part = stats["parts"][3]
    assert part["pieces"] == len(planned) and not part["fallback"]  # every piece came out with its planned pages
    text = pdf_text(path)
    assert re.findall(r"Người Đề Nghị (\d{3})", text) == [f"{n:03d}" for n in range(1, 121)]  # each once, in order
    assert text.count("Hình thức đề nghị:") == 3
