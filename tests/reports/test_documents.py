"""The pipeline end to end on the small dataset: context figures, the PDF (text, fonts, page size, page numbers),
the XLSX (sheets, headers, formula-safe cells) and the statistical forms."""

import datetime
import io
import re
import subprocess

import openpyxl
import pytest

from reports import render
from reports.context import build_for, date_line, period_for

from .conftest import FORMULA_NAME
from .pdf_measure import text_lines

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
    assert ctx["awards"] == [{"form": "Bằng khen của Chủ tịch UBND tỉnh", "authority": "Chủ tịch UBND tỉnh",
                              "collectives": 1, "individuals": 1, "total": 2}]
    states = {row["code"]: row["n"] for row in ctx["dossiers"]}
    assert (states["awarded"], states["proposed"], states["submitted"]) == (1, 1, 1)
    assert ctx["dossier_figures"] == {"submitted": 3, "forwarded": 2, "decided": 1, "refused": 0, "pending": 1,
                                      "withdrawn": 0}
    assert ctx["overdue"] == 1
    # Awarded (decision of 20/12/2023, within the period) and proposed (not decided) are listed apart; what was
    # awarded is never proposed again.
    assert [row["name"] for row in ctx["awarded_collectives"]] == ["Ủy ban nhân dân thị trấn Đắk Mil"]
    assert [row["name"] for row in ctx["awarded_individuals"]] == ["Nguyễn Văn An"]
    assert ctx["awarded_individuals"][0]["decision"] == "Quyết định số 99/QĐ-UBND ngày 20/12/2023"
    assert ctx["awarded_collectives"][0]["summary"] == "Dẫn đầu cải cách thủ tục hành chính"
    assert [row["name"] for row in ctx["proposals"]] == [FORMULA_NAME, "Ủy ban nhân dân phường Nghĩa Đức"]
    assert [a["key"] for a in ctx["appendices"]] == ["awarded_collectives", "awarded_individuals", "proposals",
                                                     "units"]
    assert ctx["appendix_numbers"] == {"awarded_collectives": "I", "awarded_individuals": "II", "proposals": "III",
                                       "units": "IV"}
    units = {row["code"]: row for row in ctx["units"]}
    assert "DM-01.VP" not in units  # divisions are not in the per-unit table
    assert units["DM"]["par_index"] == 92.5 and units["DM"]["accepted"] == 1 and units["DM"]["initiatives"] == 1
    assert units["DM-01"]["registered_years"] == 1
    # The collective award of DM-01 and the individual one of its chairman: the table sums to the awards.
    assert (units["DM-01"]["awards"], units["DM-01"]["awards_individual"]) == (1, 1)
    assert sum(row["awards"] + row["awards_individual"] for row in ctx["units"]) == 2
    assert ctx["missing"] == []


def test_interim_context_leaves_out_later_years(dataset):
    ctx = build_for(dataset["campaign"], "interim")
    by_number = {row["content"].number: row for row in ctx["contents"]}
    assert by_number[2]["accepted"] == 0  # the 2024 achievement is after the interim period
    assert ctx["registered_units"] == 3
    # Not registered: room for the number written by hand, no ellipsis; the date is left for the signing day.
    assert ctx["header"]["number_line"] == "Số: " + "\u00a0" * 8 + "/BC-SNV"
    assert "……" not in ctx["header"]["date_line"] and ctx["header"]["date_line"].startswith("Đắk Nông, ngày ")


@pytest.fixture(params=["chromium", "weasyprint"])
def engine(request, settings):
    """Each report PDF engine: Chromium (the default) and WeasyPrint (where Chromium is missing)."""
    settings.REPORT_PDF_ENGINE = request.param
    return request.param


def test_final_review_pdf(final_context, tmp_path, engine):
    path = tmp_path / "tong-ket.pdf"
    stats = {}
    path.write_bytes(render.render_pdf(render.render_html(final_context), stats=stats))
    assert stats["engine"] == engine  # laid out by the engine asked for, not its fallback
    text = pdf_text(path)
    for expected in ["UBND TỈNH ĐẮK NÔNG", "SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 07/BC-SNV", "Đắk Nông, ngày 05 tháng 12 năm 2025",
                     "BÁO CÁO", "Tổng kết phong trào thi đua", "I. ĐẶC ĐIỂM TÌNH HÌNH",
                     "II. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI",
                     "(1) Trách nhiệm người đứng đầu", "(2) Nhiệm vụ cải cách hành chính", "(3) Bộ chỉ số CCHC",
                     "(4) Sáng kiến, giải pháp", "(5) Chính quyền số", "VI. ĐÁNH GIÁ CHUNG", "Nơi nhận:",
                     "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Bảy", "Phụ lục I", "Phụ lục IV",
                     "Trong cả kỳ, có 4 cơ quan, đơn vị, địa phương đăng ký tham gia Phong trào",
                     "Sở Nội vụ đã ghi nhận 2 thành tích của 2 cơ quan, đơn vị có minh chứng đạt yêu cầu (2 tệp "
                     "minh chứng)", "Bằng khen của Chủ tịch UBND tỉnh", "Biểu đồ 1.", "Biểu đồ 3.",
                     "(danh sách tại Phụ lục I, II kèm theo)", "(danh sách tại Phụ lục III kèm theo)",
                     "- Lưu: VT, TĐKT."]:
        assert expected in text, expected
    assert "Lưu: VT, TĐKT.." not in text and text.count("Lưu:") == 1
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
    # The text keeps to the Decree 30/2020 margins: left 30 mm, right 15 mm, top and bottom 20 mm.
    mm = 72 / 25.4
    for page in (1, 2):
        lines = [line for line in text_lines(path, page) if line[0].strip()]
        assert min(line[1] for line in lines) >= 30 * mm - 0.5
        assert max(line[3] for line in lines) <= (210 - 15) * mm + 0.5
        body = [line for line in lines if line[2] > 20 * mm]  # below the page number's margin
        assert min(line[2] for line in body) >= 20 * mm - 0.5 and max(line[4] for line in body) <= (297 - 20) * mm + 0.5
    # The body and each appendix are numbered on their own (Decree 30/2020): five parts, five unnumbered first pages.
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    margins = [top_margin_text(path, page) for page in range(1, pages + 1)]
    assert margins.count("") == 5
    assert margins[:2] == ["", "2"]
    # The joined file keeps the document's title and its issuing body as author.
    info = run("pdfinfo", "-enc", "UTF-8", str(path))
    assert f"Title:           BÁO CÁO: Tổng kết phong trào thi đua “{final_context['campaign']['title']}”" in info
    assert "Author:          Sở Nội vụ" in info


def test_sequential_rendering_gives_the_same_document(final_context, settings, tmp_path):
    settings.REPORT_PDF_PROCESSES = 1
    path = tmp_path / "tuan-tu.pdf"
    path.write_bytes(render.render_pdf(render.render_html(final_context)))
    assert "Phụ lục III" in pdf_text(path) and top_margin_text(path, 2) == "2"
    assert len(render.split_parts(render.render_html(final_context))) == 5


def test_unchanged_parts_are_taken_from_the_part_cache(final_context, settings, tmp_path):
    """Regenerating after a narrative edit lays out only the body; the appendices come from the cache."""
    first_stats, second_stats, edited_stats = {}, {}, {}
    first = tmp_path / "lan-1.pdf"
    first.write_bytes(render.render_pdf(render.render_html(final_context), stats=first_stats))
    assert [part["cached"] for part in first_stats["parts"]] == [False] * 5
    assert len(list((tmp_path / "report-parts").glob("*.pdf"))) == 5

    second = tmp_path / "lan-2.pdf"
    second.write_bytes(render.render_pdf(render.render_html(final_context), stats=second_stats))
    assert [part["cached"] for part in second_stats["parts"]] == [True] * 5
    assert pdf_text(second) == pdf_text(first)

    strengths = {**final_context["slots"]["strengths"], "text": ["Ưu điểm mới viết lại."]}
    edited = {**final_context, "slots": {**final_context["slots"], "strengths": strengths}}
    third = tmp_path / "lan-3.pdf"
    third.write_bytes(render.render_pdf(render.render_html(edited), stats=edited_stats))
    assert [part["cached"] for part in edited_stats["parts"]] == [False, True, True, True, True]
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
    assert [part["cached"] for part in stats["parts"]] == [False] * 5
    assert "Phụ lục IV" in pdf_text(path)


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
    assert [part["cached"] for part in stats["parts"]] == [False] * 5
    assert not (tmp_path / "report-parts").exists()


def header_row(sheet, first="TT"):
    """The number of the row whose first cell is `first` (the table's header, under the sheet's heading lines)."""
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == first)


def test_xlsx_has_the_tables_and_keeps_formula_like_text_as_text(final_context):
    workbook = openpyxl.load_workbook(io.BytesIO(render.render_xlsx(final_context)))
    appendices = [render.appendix_sheet(a) for a in final_context["appendices"]]
    assert workbook.sheetnames == [*render.SHEETS.values(), *appendices]
    assert appendices == ["PL I Tập thể được KT", "PL II Cá nhân được KT", "PL III Đề nghị KT", "PL IV Đơn vị"]
    units = workbook["PL IV Đơn vị"]
    # Headed like the document's appendix: its number and title, then "Kèm theo Báo cáo số …".
    assert units["A1"].value == "Phụ lục IV. BẢNG TỔNG HỢP KẾT QUẢ THEO CƠ QUAN, ĐƠN VỊ, ĐỊA PHƯƠNG"
    assert units["A2"].value == "(Kèm theo Báo cáo số 07/BC-SNV ngày 05/12/2025 của Sở Nội vụ)"
    top = header_row(units)
    assert [c.value for c in units[top]][:3] == ["TT", "Mã đơn vị", "Cơ quan, đơn vị, địa phương"]
    odd = next(row for row in units.iter_rows(min_row=top + 1) if row[1].value == "DM-02")
    assert odd[2].value == FORMULA_NAME and odd[2].data_type == "s"
    dm = next(row for row in units.iter_rows(min_row=top + 1) if row[1].value == "DM")
    assert dm[8].value == "Tốt"  # the band's label, never its code
    proposals = workbook["PL III Đề nghị KT"]
    summary = next(row for row in proposals.iter_rows(min_row=header_row(proposals) + 1)
                   if row[2].value == FORMULA_NAME)[5]
    assert summary.value == "=1+1" and summary.data_type == "s"
    contents = workbook[render.SHEETS["contents"]]
    first = [c.value for c in contents[header_row(contents, "Nội dung") + 1]]
    assert first[0] == "(1)" and first[4:7] == [2, 2, 2]
    assert contents.column_dimensions["B"].width == 45
    awards = workbook[render.SHEETS["awards"]]
    top = header_row(awards, "Hình thức khen thưởng")
    assert [c.value for c in awards[top + 1]] == ["Bằng khen của Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh", 1, 1, 2]
    assert [c.value for c in awards[top + 2]] == ["Tổng cộng", None, 1, 1, 2] and awards.cell(top + 2, 1).font.b
    assert awards.cell(top + 1, 3).number_format == render.INTEGER
    # Printed as a form: Times-metric font, borders, A4 landscape one page wide, header rows repeated.
    cell = awards.cell(top + 1, 1)
    assert cell.font.name == "Times New Roman" and cell.border.left.style == "thin"
    assert awards.page_setup.orientation == "landscape" and int(awards.page_setup.fitToWidth) == 1
    assert awards.print_title_rows == f"${top}:${top}"


def test_statistical_forms_in_their_official_frame(dataset):
    workbook = openpyxl.load_workbook(io.BytesIO(render.render_stats_xlsx([2022, 2023], reporting_unit="UBND tỉnh")))
    # TT 02/2023/TT-BNV was not in force for 2022: only 2023 has forms, each on its own sheet.
    assert workbook.sheetnames == ["0601.N 2023", "0602.N 2023", "0603.N 2023"]
    movements = workbook["0601.N 2023"]
    cells = [c.value for row in movements.iter_rows() for c in row if c.value is not None]
    for expected in ["Biểu số: 0601.N/BNV-TĐKT", "Đơn vị báo cáo: UBND tỉnh", "Đơn vị nhận báo cáo: Bộ Nội vụ",
                     "Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ",
                     "Ngày nhận báo cáo: Ngày 15 tháng 12 năm báo cáo", "SỐ PHONG TRÀO THI ĐUA", "Năm 2023",
                     "Đơn vị tính: Phong trào", "Người lập biểu", "(Ký, ghi rõ họ tên)", "Thủ trưởng đơn vị",
                     "(Ký, đóng dấu, ghi rõ họ tên)"]:
        assert expected in cells, expected
    codes = header_row(movements, "A")
    assert [c.value for c in movements[codes]] == ["A", "B", "1=(2+3+4)", "2", "3", "4"]
    rows = {row[1].value: [c.value for c in row] for row in movements.iter_rows(min_row=codes + 1) if row[1].value}
    # One movement of the province (column 3), lasting from 3 to under 5 years, thematic; no data: blank.
    assert rows["01"][2:] == [1, None, 1, None]
    assert rows["09"][2:] == [1, None, 1, None] and rows["08"][2:] == [0, None, 0, None]
    assert rows["11"][4] == 1 and rows["12"][4] == 0 and rows["02"][2:] == [None] * 4
    awards = workbook["0603.N 2023"]
    codes = header_row(awards, "A")
    assert [c.value for c in awards[codes]] == ["A", "B", "C", "1", "2", "3", "4", "5"]
    rows = {row[1].value: [c.value for c in row] for row in awards.iter_rows(min_row=codes + 1) if row[1].value}
    assert rows["01"][3:] == [2, 2, 0, 0, 0]  # two Bằng khen decided on 20/12/2023
    assert rows["02"][2:4] == ["Tập thể", 1] and rows["05"][2:4] == ["Người", 1]
    assert rows["12"][3] == 2 and rows["11"][3] == 0  # thematic
    assert rows["03"][3:] == [None] * 5  # enterprises: not recorded by the application
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.fitToWidth) == 1
        assert sheet.print_title_rows


def test_excel_pdf_and_dashboard_agree_for_the_same_period(final_context, dataset):
    from reports.context import build_dashboard_context

    dashboard = build_dashboard_context(dataset["campaign"], final_context["period"])
    assert final_context["contents"] == dashboard["contents"]
    for key in ("registered_units", "initiatives", "par", "dossiers", "overdue", "awards",
                "awards_total", "participation"):
        assert dashboard[key] == final_context[key], key
    workbook = openpyxl.load_workbook(io.BytesIO(render.render_xlsx(final_context)))
    summary = {row[0].value: row[1].value for row in workbook[render.SHEETS["summary"]].iter_rows(min_row=4)}
    assert summary["Số cơ quan, đơn vị, địa phương đăng ký thi đua trong kỳ"] == dashboard["registered_units"] == 4
    assert summary["Số thành tích được ghi nhận"] == dashboard["accepted_total"] == 3
    assert summary["Sáng kiến, giải pháp được công nhận"] == dashboard["initiatives"]["recognised"]
    html = render.render_html(final_context)
    assert "Trong cả kỳ, có 4 cơ quan, đơn vị, địa phương đăng ký tham gia Phong trào." in html


def test_interim_review_pdf(dataset, tmp_path):
    path = tmp_path / "so-ket.pdf"
    path.write_bytes(render.render_pdf(render.render_html(build_for(dataset["campaign"], "interim",
                                                                    watermark=True))))
    text = pdf_text(path)
    for expected in ["UBND TỈNH ĐẮK NÔNG", "SỞ NỘI VỤ", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO",
                     "Sơ kết phong trào thi đua", "giai đoạn 2022 - 2023 (từ ngày 14/10/2022 đến ngày 31/12/2023)",
                     "II. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA", "(2) Nhiệm vụ cải cách hành chính",
                     "VII. ĐỀ XUẤT, KIẾN NGHỊ", "PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2024 - 2025",
                     "Trong cả kỳ, có 3 cơ quan, đơn vị, địa phương đăng ký tham gia Phong trào",
                     "BẢN NHÁP", "(Sở Nội vụ chưa viết phần “Ưu điểm”)"]:
        assert expected in text, expected
    assert top_margin_text(path, 1) == ""


def test_form_0602_counts_state_level_awards_by_their_column(dataset, tree, people):
    from awards.models import AwardForm, CommendationRecord

    def central(code, name, recipient, basis, day, authority="Thủ tướng Chính phủ"):
        form = AwardForm.objects.filter(code=code).first() or AwardForm.objects.create(
            code=code, name=name, recipient_kind="both", authority=authority, basis=basis, decided_above=True)
        CommendationRecord.objects.create(form=form, year=day.year, basis=basis, decision_number=f"{code}/QĐ-TTg",
                                          decision_date=day, **recipient)

    day = datetime.date(2023, 11, 2)
    central("BK-TTG", "Bằng khen của Thủ tướng Chính phủ", {"unit": tree["gn"]}, "regular", day)
    central("BK-TTG", "Bằng khen của Thủ tướng Chính phủ", {"person": people["an"]}, "regular", day)
    central("CO-CP", "Cờ thi đua của Chính phủ", {"unit": tree["gn"]}, "thematic", day)
    central("HC-LD3", "Huân chương Lao động hạng Ba", {"person": people["binh"]}, "dedication", day, "Chủ tịch nước")
    central("CSTD-TQ", "Chiến sĩ thi đua toàn quốc", {"person": people["an"]}, "regular", datetime.date(2024, 1, 5))
    workbook = openpyxl.load_workbook(io.BytesIO(render.render_stats_xlsx([2023], reporting_unit="UBND tỉnh")))
    sheet = workbook["0602.N 2023"]
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    for expected in ["Biểu số: 0602.N/BNV-TĐKT", "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC", "Năm 2023",
                     "Các loại huân chương, huy chương", "Bằng khen của Thủ tướng Chính phủ", "Người lập biểu"]:
        assert expected in cells, expected
    codes = header_row(sheet, "A")
    assert [c.value for c in sheet[codes]] == ["A", "B", "C", "1", "2", "2", "3", "4", "5", "6", "7", "7", "8",
                                               "9", "9"]
    rows = {row[1].value: [c.value for c in row] for row in sheet.iter_rows(min_row=codes + 1) if row[1].value}
    # Columns after the unit: total, medal (TT, CN), HCM prize, State prize, honours, Government flag, PM's Bằng
    # khen (TT, CN), national emulation fighter, others (TT, CN). The provincial Bằng khen of the dataset is not here;
    # the national emulation fighter was decided in 2024.
    assert rows["01"][3:] == [4, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0]
    assert rows["03"][3:] == rows["01"][3:] and rows["02"][3:] == [None] * 12
    assert rows["06"][3] == 2 and rows["09"][3] == 2
    assert rows["15"][3] == 2 and rows["16"][3] == 1 and rows["19"][3] == 1 and rows["21"][3] is None
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.fitToWidth) == 1


def test_duration_rows_of_form_0601_follow_the_forms_labels():
    import datetime

    from reports.statistics import duration_bucket

    day = datetime.date
    assert duration_bucket(day(2024, 3, 1), day(2024, 12, 31)) == "lt1"
    assert duration_bucket(day(2024, 1, 1), day(2024, 12, 31)) == "1"  # exactly one year
    assert duration_bucket(day(2023, 1, 1), day(2025, 12, 30)) == "1to3"  # a day short of three years
    assert duration_bucket(day(2023, 1, 1), day(2025, 12, 31)) == "3to5"  # "từ 3 năm": three years included
    assert duration_bucket(day(2022, 10, 14), day(2025, 12, 31)) == "3to5"  # Plan 584
    assert duration_bucket(day(2021, 1, 1), day(2025, 12, 31)) == "ge5"


def test_joined_pdf_gets_its_title_and_author(tmp_path):
    from core import documents

    html = "<html><head><title>t</title></head><body><p>Một trang</p></body></html>"
    single = documents.write_pdf(html)
    (tmp_path / "a.pdf").write_bytes(single)
    run("pdfunite", str(tmp_path / "a.pdf"), str(tmp_path / "a.pdf"), str(tmp_path / "b.pdf"))
    joined = (tmp_path / "b.pdf").read_bytes()
    (tmp_path / "c.pdf").write_bytes(documents.set_pdf_info(joined, title="BÁO CÁO: Tổng kết “x”",
                                                             author="Sở Nội vụ"))
    info = run("pdfinfo", "-enc", "UTF-8", str(tmp_path / "c.pdf"))
    assert "Title:           BÁO CÁO: Tổng kết “x”" in info and "Author:          Sở Nội vụ" in info
    assert "Pages:           2" in info and pdf_text(tmp_path / "c.pdf").count("Một trang") == 2
    assert documents.set_pdf_info(single, title="x") == single  # a cross-reference stream: left as it is
