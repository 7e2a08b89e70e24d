"""The pipeline end to end on the small dataset: context figures, the PDF (text, fonts, page size, page numbers),
the XLSX (sheets, headers, formula-safe cells) and the statistical forms."""

import io
import re
import subprocess

import openpyxl
import pytest

from reports import render
from reports.context import build_for, date_line, period_for

from .conftest import FORMULA_NAME

pytestmark = pytest.mark.django_db


def run(*args):
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


def pdf_text(path):
    return re.sub(r"\s+", " ", run("pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"))


def top_margin_text(path, page):
    """The text inside the top margin (first 20 mm = 56 pt) of one page."""
    return run("pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-x", "0", "-y", "0", "-W", "596",
               "-H", "56", str(path), "-").strip()


@pytest.fixture
def final_context(dataset, final_draft):
    return build_for(dataset["campaign"], "final", draft=final_draft)


def test_periods_follow_the_plan(dataset):
    campaign = dataset["campaign"]
    interim = period_for(campaign, "interim")
    assert (interim.start.isoformat(), interim.end.isoformat()) == ("2022-10-14", "2023-12-31")
    assert interim.years == (2022, 2023)
    final = period_for(campaign, "final")
    assert (final.start.isoformat(), final.end.isoformat()) == ("2022-10-14", "2025-12-31")
    yearly = period_for(campaign, "yearly", 2022)
    assert (yearly.start.isoformat(), yearly.end.isoformat(), yearly.years) == ("2022-10-14", "2022-12-31", (2022,))
    with pytest.raises(ValueError):
        period_for(campaign, "yearly", 2030)


def test_date_line_has_leading_zeros_only_where_the_decree_says():
    import datetime

    assert date_line("Đắk Nông", datetime.date(2023, 12, 5)) == "Đắk Nông, ngày 05 tháng 12 năm 2023"
    assert date_line("Đắk Nông", datetime.date(2024, 2, 9)) == "Đắk Nông, ngày 09 tháng 02 năm 2024"
    assert date_line("Đắk Nông", datetime.date(2024, 3, 15)) == "Đắk Nông, ngày 15 tháng 3 năm 2024"


def test_context_figures_match_the_data(final_context):
    ctx = final_context
    assert ctx["header"]["governing"] == "UBND TỈNH ĐẮK NÔNG"
    assert ctx["header"]["issuing"] == "SỞ NỘI VỤ"
    assert ctx["header"]["number_line"] == "Số: 07/BC-SNV"
    assert ctx["registered_units"] == 4
    by_number = {row["content"].number: row for row in ctx["contents"]}
    assert (by_number[1]["recorded"], by_number[1]["accepted"], by_number[1]["units"], by_number[1]["files"]) \
        == (3, 2, 2, 2)
    assert (by_number[2]["accepted"], by_number[2]["files"]) == (1, 2)
    assert by_number[3]["accepted"] == 0
    assert by_number[1]["commitments"] == 3
    assert ctx["initiatives"]["recognised"] == 1 and ctx["initiatives"]["provincial"] == 1
    assert ctx["initiatives"]["proposed"] == 1
    [par] = ctx["par"]
    assert (par["sheets"], par["average"], par["best"]) == (2, 88.75, "Ủy ban nhân dân huyện Đắk Mil")
    assert {b["code"]: b["n"] for b in par["bands"]} == {"good": 1, "fair": 1, "average": 0, "weak": 0}
    assert ctx["awards"] == [{"form": "Bằng khen của Chủ tịch UBND tỉnh", "collectives": 1, "individuals": 1,
                              "total": 2}]
    states = {row["code"]: row["n"] for row in ctx["dossiers"]}
    assert (states["awarded"], states["proposed"], states["submitted"]) == (1, 1, 1)
    assert ctx["overdue"] == 1
    assert [row["name"] for row in ctx["collectives"]] == ["Ủy ban nhân dân thị trấn Đắk Mil", FORMULA_NAME,
                                                           "Ủy ban nhân dân phường Nghĩa Đức"]
    assert [row["name"] for row in ctx["individuals"]] == ["Nguyễn Văn An"]
    units = {row["code"]: row for row in ctx["units"]}
    assert "DM-01.VP" not in units  # divisions are not in the per-unit table
    assert units["DM"]["par_index"] == 92.5 and units["DM"]["accepted"] == 1 and units["DM"]["initiatives"] == 1
    assert units["DM-01"]["awards"] == 1 and units["DM-01"]["registered_years"] == 1


def test_interim_context_leaves_out_later_years(dataset):
    ctx = build_for(dataset["campaign"], "interim")
    by_number = {row["content"].number: row for row in ctx["contents"]}
    assert by_number[2]["accepted"] == 0  # the 2024 achievement is after the interim period
    assert ctx["registered_units"] == 3
    assert ctx["header"]["number_line"] == "Số: \u2026\u2026/BC-SNV"


def test_final_review_pdf(final_context, tmp_path):
    path = tmp_path / "tong-ket.pdf"
    path.write_bytes(render.render_pdf(render.render_html(final_context)))
    text = pdf_text(path)
    for expected in ["UBND TỈNH ĐẮK NÔNG", "SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 07/BC-SNV", "Đắk Nông, ngày 05 tháng 12 năm 2025",
                     "BÁO CÁO", "Tổng kết phong trào thi đua", "I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI",
                     "(1) Trách nhiệm người đứng đầu", "(2) Nhiệm vụ cải cách hành chính", "(3) Bộ chỉ số CCHC",
                     "(4) Sáng kiến, giải pháp", "(5) Chính quyền số", "IV. ĐÁNH GIÁ CHUNG", "Nơi nhận:",
                     "PHÓ GIÁM ĐỐC", "Nguyễn Văn Bảy", "Phụ lục I", "Phụ lục III",
                     "trong kỳ có 4 đơn vị đăng ký tham gia phong trào",
                     "Sở Nội vụ chấp nhận 2 thành tích của 2 đơn vị, với 2 tệp minh chứng",
                     "Bằng khen của Chủ tịch UBND tỉnh"]:
        assert expected in text, expected
    # Page numbers: none on page 1, "2" heading page 2.
    assert top_margin_text(path, 1) == ""
    assert top_margin_text(path, 2) == "2"
    # Exactly one font family, every font embedded.
    fonts = run("pdffonts", str(path)).splitlines()[2:]
    names = [line.split()[0] for line in fonts]
    assert names
    families = {re.sub(r"([-,](Bold|Italic|Regular|BoldItalic|Oblique))+$", "", re.sub(r"^[A-Z]{6}\+", "", name))
                .replace("-", "") for name in names}
    assert len(families) == 1, families
    assert families <= {"LiberationSerif", "Tinos"}
    for line in fonts:
        emb = line.split()[-5]
        assert emb == "yes", line
    info = run("pdfinfo", str(path))
    assert "595.276 x 841.89 pts (A4)" in info
    # The body and each appendix are numbered on their own (Decree 30/2020): four parts, four unnumbered first pages.
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    margins = [top_margin_text(path, page) for page in range(1, pages + 1)]
    assert margins.count("") == 4
    assert margins[:2] == ["", "2"]


def test_sequential_rendering_gives_the_same_document(final_context, settings, tmp_path):
    settings.REPORT_PDF_PROCESSES = 1
    path = tmp_path / "tuan-tu.pdf"
    path.write_bytes(render.render_pdf(render.render_html(final_context)))
    assert "Phụ lục III" in pdf_text(path) and top_margin_text(path, 2) == "2"
    assert len(render.split_parts(render.render_html(final_context))) == 4


def test_unchanged_parts_are_taken_from_the_part_cache(final_context, settings, tmp_path):
    """Regenerating after a narrative edit lays out only the body; the appendices come from the cache."""
    first_stats, second_stats, edited_stats = {}, {}, {}
    first = tmp_path / "lan-1.pdf"
    first.write_bytes(render.render_pdf(render.render_html(final_context), stats=first_stats))
    assert [part["cached"] for part in first_stats["parts"]] == [False] * 4
    assert len(list((tmp_path / "report-parts").glob("*.pdf"))) == 4

    second = tmp_path / "lan-2.pdf"
    second.write_bytes(render.render_pdf(render.render_html(final_context), stats=second_stats))
    assert [part["cached"] for part in second_stats["parts"]] == [True] * 4
    assert pdf_text(second) == pdf_text(first)

    edited = {**final_context, "narrative": {**final_context["narrative"], "strengths": ["Ưu điểm mới viết lại."]}}
    third = tmp_path / "lan-3.pdf"
    third.write_bytes(render.render_pdf(render.render_html(edited), stats=edited_stats))
    assert [part["cached"] for part in edited_stats["parts"]] == [False, True, True, True]
    assert "Ưu điểm mới viết lại." in pdf_text(third) and "Ưu điểm mới viết lại." not in pdf_text(second)
    assert top_margin_text(third, 2) == "2"


def test_a_damaged_cache_entry_is_rendered_again(final_context, tmp_path):
    html = render.render_html(final_context)
    render.render_pdf(html)
    for entry in (tmp_path / "report-parts").glob("*.pdf"):
        entry.write_bytes(b"not a pdf")
    stats = {}
    path = tmp_path / "lai.pdf"
    path.write_bytes(render.render_pdf(html, stats=stats))
    assert [part["cached"] for part in stats["parts"]] == [False] * 4
    assert "Phụ lục III" in pdf_text(path)


def test_part_cache_keeps_the_recently_used_parts_within_its_bound(tmp_path):
    import os

    from reports import part_cache

    folder = tmp_path / "bound"
    folder.mkdir()
    for age, name in enumerate(["old", "middle", "new"]):
        entry = folder / f"{name}.pdf"
        entry.write_bytes(b"%PDF" + b"x" * 96)
        os.utime(entry, (1_700_000_000 + age, 1_700_000_000 + age))
    assert part_cache.prune(folder, 250) == ["old.pdf"]
    assert sorted(entry.name for entry in folder.glob("*.pdf")) == ["middle.pdf", "new.pdf"]


def test_part_cache_can_be_switched_off(final_context, settings, tmp_path):
    settings.REPORT_PART_CACHE_DIR = None
    html = render.render_html(final_context)
    render.render_pdf(html)
    stats = {}
    render.render_pdf(html, stats=stats)
    assert [part["cached"] for part in stats["parts"]] == [False] * 4
    assert not (tmp_path / "report-parts").exists()


def test_xlsx_has_the_tables_and_keeps_formula_like_text_as_text(final_context):
    workbook = openpyxl.load_workbook(io.BytesIO(render.render_xlsx(final_context)))
    assert workbook.sheetnames == list(render.SHEETS.values())
    units = workbook[render.SHEETS["units"]]
    assert [c.value for c in units[1]][:3] == ["TT", "Mã đơn vị", "Đơn vị"]
    odd = next(row for row in units.iter_rows(min_row=2) if row[1].value == "DM-02")
    assert odd[2].value == FORMULA_NAME and odd[2].data_type == "s"
    collectives = workbook[render.SHEETS["collectives"]]
    summary = next(row for row in collectives.iter_rows(min_row=2) if row[1].value == FORMULA_NAME)[4]
    assert summary.value == "=1+1" and summary.data_type == "s"
    contents = workbook[render.SHEETS["contents"]]
    first = [c.value for c in contents[2]]
    assert first[0] == "(1)" and first[4:7] == [2, 2, 2]
    assert contents.column_dimensions["B"].width == 45
    awards = workbook[render.SHEETS["awards"]]
    assert [c.value for c in awards[2]] == ["Bằng khen của Chủ tịch UBND tỉnh", 1, 1, 2]
    assert awards["B2"].number_format == render.INTEGER


def test_statistical_forms(dataset):
    workbook = openpyxl.load_workbook(io.BytesIO(render.render_stats_xlsx([2023], reporting_unit="Sở Nội vụ")))
    assert workbook.sheetnames == ["0601.N 2023", "0603.N 2023"]
    movements = workbook["0601.N 2023"]
    # Header on row 3, the province row on row 4: 1 movement, lasting 3–5 years, thematic.
    assert [c.value for c in movements[4]] == ["Cấp tỉnh", 1, 0, 0, 0, 1, 0, 0, 1]
    awards = workbook["0603.N 2023"]
    rows = {row[0].value: [c.value for c in row] for row in awards.iter_rows(min_row=4)}
    assert rows["Bằng khen của Chủ tịch UBND tỉnh"][1:4] == [2, 1, 1]
    assert rows["Bằng khen của Chủ tịch UBND tỉnh"][5] == 2  # thematic column
    assert rows["Tổng số"][1] == 2


def test_excel_pdf_and_dashboard_agree_for_the_same_period(final_context, dataset):
    from reports.context import build_dashboard_context

    dashboard = build_dashboard_context(dataset["campaign"], final_context["period"])
    assert [{k: v for k, v in row.items() if k != "note"} for row in final_context["contents"]] \
        == dashboard["contents"]
    for key in ("registered_units", "initiatives", "par", "dossiers", "overdue", "awards",
                "awards_total", "participation"):
        assert dashboard[key] == final_context[key], key
    workbook = openpyxl.load_workbook(io.BytesIO(render.render_xlsx(final_context)))
    summary = {row[0].value: row[1].value for row in workbook[render.SHEETS["summary"]].iter_rows(min_row=4)}
    assert summary["Số đơn vị đăng ký thi đua trong kỳ"] == dashboard["registered_units"] == 4
    assert summary["Số thành tích được chấp nhận"] == dashboard["accepted_total"] == 3
    assert summary["Sáng kiến, giải pháp được công nhận"] == dashboard["initiatives"]["recognised"]
    html = render.render_html(final_context)
    assert "trong kỳ có 4 đơn vị đăng ký tham gia phong trào" in html


def test_interim_review_pdf(dataset, tmp_path):
    path = tmp_path / "so-ket.pdf"
    path.write_bytes(render.render_pdf(render.render_html(build_for(dataset["campaign"], "interim"))))
    text = pdf_text(path)
    for expected in ["UBND TỈNH ĐẮK NÔNG", "SỞ NỘI VỤ", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO",
                     "Sơ kết phong trào thi đua", "từ ngày 14/10/2022 đến ngày 31/12/2023",
                     "II. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA", "(2) Nhiệm vụ cải cách hành chính",
                     "VI. ĐỀ XUẤT, KIẾN NGHỊ", "trong kỳ có 3 đơn vị đăng ký tham gia phong trào"]:
        assert expected in text, expected
    assert top_margin_text(path, 1) == ""
