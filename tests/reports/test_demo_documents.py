"""Issue 12: the yearly, interim and final reports built from the demo data read as documents ready to sign, and
their workbook twins and statistical forms print as forms. Everything is measured on the real files: the PDF
through pdftotext / pdftohtml / pdftoppm (text, bold, rule lines), the workbooks by opening them with openpyxl and by
converting them with LibreOffice headless.

The demo takes a while to load, so the three kinds are built in one test.
"""

import datetime
import io
import re
import shutil
import subprocess

import openpyxl
import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from awards.models import CommendationRecord, DossierState
from campaigns.models import Achievement, AchievementStatus, Campaign, InitiativeStatus, Registration
from core import documents
from par.models import SheetStatus
from reports import render, services
from reports.context import build_for, period_for
from reports.models import JobStatus, ReportDraft
from units.models import User

from . import pdf_measure
from .test_documents import pdf_text, run, top_margin_text

pytestmark = pytest.mark.django_db

STATE_LABELS = sorted({str(label) for enum in (DossierState, AchievementStatus, InitiativeStatus, SheetStatus)
                       for label in enum.labels})
ZERO = re.compile(r"(?<![\d.,/%])\b0 (\w+)")


def zero_nouns(text):
    """ "0 đơn vị", "0 thành tích": a zero counting a noun in a sentence (a table's zero is followed by another
    cell, a number or a capitalised name)."""
    return [match.group(0) for match in ZERO.finditer(text) if match.group(1)[0].islower()]
KINDS = [
    # kind, year, issue date, the headings the kind's outline prints
    ("yearly", 2024, datetime.date(2024, 12, 20),
     ["I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI", "II. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA",
      "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025", "ĐỀ XUẤT, KIẾN NGHỊ", "CÔNG TÁC KHEN THƯỞNG", "ĐÁNH GIÁ CHUNG"]),
    ("interim", None, datetime.date(2023, 12, 15),
     ["I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI", "Yêu cầu của Kế hoạch:", "Kết quả thực hiện:",
      "4. Bài học kinh nghiệm", "PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2024 - 2025",
      "3. Kết quả tổng hợp, đề nghị khen thưởng"]),
    ("final", None, datetime.date(2025, 12, 10),
     ["I. ĐẶC ĐIỂM TÌNH HÌNH", "II. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI",
      "III. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA", "Yêu cầu của Kế hoạch:", "Đánh giá:", "1. Kết quả khen thưởng",
      "4. Bài học kinh nghiệm", "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", "ĐỀ XUẤT, KIẾN NGHỊ"]),
]
YEARLY_NARRATIVE = {
    "strengths": "Các cơ quan, đơn vị chủ động đăng ký và cập nhật kết quả thực hiện các nội dung thi đua.",
    "limitations": "Một số đơn vị cấp xã gửi minh chứng chậm.",
    "causes": "Công chức phụ trách kiêm nhiệm nhiều việc.",
    "next_steps": "Tập trung hoàn thành các chỉ tiêu cải cách hành chính năm 2025.",
    "proposals": "Đề nghị Ủy ban nhân dân tỉnh chỉ đạo các đơn vị cập nhật minh chứng đúng hạn.",
}


def load_demo():
    call_command("load_demo", stdout=io.StringIO())
    return Campaign.objects.select_related("organiser").get(number="584/KH-UBND")


def font_families(path):
    lines = run("pdffonts", str(path)).splitlines()[2:]
    assert lines
    for line in lines:
        assert line.split()[-5] == "yes", line  # embedded
    return {re.sub(r"([-,](Bold|Italic|Regular|BoldItalic|Oblique))+$", "", re.sub(r"^[A-Z]{6}\+", "", line.split()[0]))
            .replace("-", "") for line in lines}


def generate(draft, admin, fmt, capture):
    with capture(execute=True):
        version = services.report_request(draft=draft, by=admin, format=fmt)
    version.refresh_from_db()
    assert version.status == JobStatus.DONE, version.error
    with version.file.open("rb") as handle:
        return handle.read()


def page_count(path):
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path))).group(1))


def page_text(path, page):
    return run("pdftotext", "-enc", "UTF-8", "-layout", "-f", str(page), "-l", str(page), str(path), "-")


def dashboard_figures(client, campaign, kind, year):
    params = {"campaign": campaign.pk, **({"year": year} if year else {"review": kind})}
    page = client.get(reverse("reports:dashboard"), params).content.decode()
    figures = {name: int(re.search(rf'id="fig-{name}"[^>]*>(\d+)<', page).group(1))
               for name in ("registered", "accepted", "initiatives", "awards-collectives", "awards-individuals")}
    return figures


def awarded_truth(campaign, period):
    """The awards of the plan decided within the period, counted here straight from the history rows."""
    records = CommendationRecord.objects.filter(dossier__campaign=campaign, decision_date__gte=period.start,
                                                decision_date__lte=period.end)
    return records.filter(unit__isnull=False).count(), records.filter(person__isnull=False).count()


# What an official checks on the document to sign -------------------------------------------------------------------


def province_on(day):
    return "ĐẮK NÔNG" if day < datetime.date(2025, 7, 1) else "LÂM ĐỒNG"


def check_ready_to_sign(path, context, issued_on):
    text = pdf_text(path)
    body = context["header"]
    # Number and date of the registration; no placeholder of any kind.
    assert f"Số: {body['reference']}" in text and re.search(r"Số:\s*…", text) is None
    # The registered issue date, not today, at the place of the body in force then (the demo's 1/7/2025
    # restructuring: Sở Nội vụ tỉnh Lâm Đồng issues what is dated after it).
    assert documents.date_line(province_on(issued_on).title(), issued_on) in text
    for placeholder in ("Chưa nhập", "[", "……", "Dữ liệu mẫu", "dữ liệu mẫu", "BẢN NHÁP"):
        assert placeholder not in text, placeholder
    for label in STATE_LABELS:
        assert not re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text), label
    assert zero_nouns(text) == []
    # Rule lines: 1/3 to 1/2 of the line above them (under the issuing body, under the subject); the motto's
    # underline is as long as the motto.
    assert 1 / 3 <= pdf_measure.rule_under(path, "SỞ NỘI VỤ") <= 1 / 2
    assert 1 / 3 <= pdf_measure.rule_under(path, context["subject_lines"][-1]) <= 1 / 2
    assert 0.95 <= pdf_measure.rule_under(path, "Độc lập - Tự do - Hạnh phúc") <= 1.05
    # The signature page: title and name in bold; at least three recipients, punctuated as Decree 30 writes them.
    pages = page_count(path)
    signing = next(page for page in range(1, pages + 1) if "Nơi nhận:" in page_text(path, page))
    assert "Trên đây là báo cáo" in page_text(path, signing)  # the signature never sits alone on its page
    bold = pdf_measure.bold_texts(path, signing)
    assert context["signer_title"] and all(line in bold for line in context["signer_title"]), (bold, context)
    assert context["signer_name"] in bold
    recipients = re.findall(r"^\s*- (.+)$", page_text(path, signing), re.M)
    entries = [re.split(r"\s{3,}", line)[0].strip() for line in recipients]
    assert len(entries) >= 3 and entries[-1] == "Lưu: VT, TĐKT." and all(e.endswith(";") for e in entries[:-1])
    # Numbered charts with their captions; the document's title and author in the file.
    assert "Biểu đồ 1." in text
    info = run("pdfinfo", "-enc", "UTF-8", str(path))
    assert f"Title:           BÁO CÁO: {context['subject']}" in info
    assert "Author:          Sở Nội vụ" in info
    # Page numbers: none on page 1, "2" at the top of page 2; one font family, embedded.
    assert top_margin_text(path, 1) == "" and top_margin_text(path, 2) == "2"
    families = font_families(path)
    assert len(families) == 1 and families <= {"LiberationSerif", "Tinos"}, families
    return text


def appendix_segment(text, title):
    """The text of one appendix, from its title to the next appendix (or the end)."""
    after = text.split(title, 1)[1]
    return re.split(r"Phụ lục [IVX]+ ", after, maxsplit=1)[0]


def check_figures_agree(text, workbook, context, campaign, period, dashboard):
    """Registered units, accepted achievements and the awards decided in the period are the same in the body,
    the appendices, the workbook and the dashboard, and equal what the database holds."""
    collectives, individuals = awarded_truth(campaign, period)
    years = period.years
    registered = Registration.objects.filter(campaign=campaign, year__in=years).values("unit").distinct().count()
    accepted = Achievement.objects.filter(campaign=campaign, year__in=years, status="accepted").count()
    # Body.
    if collectives or individuals:
        total = re.search(r"Tổng cộng (\d+) (\d+) (\d+)", text)
        assert total and (int(total.group(1)), int(total.group(2))) == (collectives, individuals), text[:200]
        phrase = " và ".join(part for part in (f"{collectives} tập thể" if collectives else "",
                                               f"{individuals} cá nhân" if individuals else "") if part)
        assert f"cấp có thẩm quyền đã khen thưởng {phrase}" in text
    else:
        assert "chưa có quyết định khen thưởng tập thể, cá nhân" in text and "Tổng cộng" not in text
    if accepted:
        assert f"ghi nhận {accepted} thành tích đạt yêu cầu" in text
    # Appendices: one row a decision in the awarded lists; those lists are attached only when not empty.
    numbers = context["appendix_numbers"]
    for key, title, expected in (("awarded_collectives", "DANH SÁCH TẬP THỂ ĐƯỢC KHEN THƯỞNG", collectives),
                                 ("awarded_individuals", "DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG", individuals)):
        if expected:
            assert f"Phụ lục {numbers[key]} {title}" in text
            assert appendix_segment(text, title).count("Quyết định số") == expected
        else:
            assert key not in numbers and title not in text
    references = re.findall(r"Phụ lục ([IVX]+(?:, [IVX]+)*) kèm theo", text)
    attached = set(numbers.values())
    assert all(set(ref.split(", ")) <= attached for ref in references), (references, attached)
    # Workbook: the summary, the awards table, the appendix sheets and the per-unit sums.
    summary = {row[0].value: row[1].value for row in workbook[render.SHEETS["summary"]].iter_rows() if row[0].value}
    assert summary["Số cơ quan, đơn vị, địa phương đăng ký thi đua trong kỳ"] == registered
    assert summary["Số thành tích được ghi nhận"] == accepted
    assert (summary["Lượt tập thể được khen thưởng"], summary["Lượt cá nhân được khen thưởng"]) \
        == (collectives, individuals)
    sheets = {a["key"]: workbook[render.appendix_sheet(a)] for a in context["appendices"]}
    for key, expected in (("awarded_collectives", collectives), ("awarded_individuals", individuals)):
        rows = [r for r in sheets[key].iter_rows(values_only=True) if isinstance(r[0], int)] if key in sheets else []
        assert len(rows) == expected, key
    units = [r for r in sheets["units"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert (sum(r[10] for r in units), sum(r[11] for r in units)) == (collectives, individuals)
    # Dashboard, for the same period.
    assert dashboard["registered"] == registered and dashboard["accepted"] == accepted
    assert (dashboard["awards-collectives"], dashboard["awards-individuals"]) == (collectives, individuals)


# Workbooks ----------------------------------------------------------------------------------------------------------


def choice_codes():
    """Every stored value of a choice field of the project's models (what a workbook must show as its label)."""
    codes = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"core", "units", "campaigns", "par", "awards", "reports"}:
            continue
        for model_field in model._meta.get_fields():
            for value, _label in getattr(model_field, "flatchoices", None) or ():
                if isinstance(value, str) and re.search(r"[a-z]", value):
                    codes.add(value)
    return codes


def check_print_setup_and_labels(workbook, codes):
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert int(setup.paperSize) == 9 and setup.orientation in ("portrait", "landscape"), sheet.title
        assert int(setup.fitToWidth) == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows, sheet.title
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value in codes), (sheet.title, value)
        fonts = {cell.font.name for row in sheet.iter_rows() for cell in row if cell.value is not None}
        assert fonts <= {"Times New Roman"}, (sheet.title, fonts)


def convert_with_libreoffice(content, tmp_path, name):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (libreoffice-calc-nogui) must be installed: scripts/setup_os.sh installs it"
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(content)
    result = subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                            capture_output=True, text=True, timeout=240)
    target = tmp_path / f"{name}.pdf"
    assert result.returncode == 0 and target.exists(), result.stderr
    return target


def sheet_pages(path, first_page_mark):
    """[[page numbers]] of each sheet, in order: a sheet's first page carries its heading (`first_page_mark`), its
    next pages only the repeated header rows."""
    sheets = []
    for page in range(1, page_count(path) + 1):
        if first_page_mark in page_text(path, page) or not sheets:
            sheets.append([])
        sheets[-1].append(page)
    return sheets


def check_one_page_wide(path, workbook, sheet_names, mark, headers_of):
    """Each listed sheet prints one page wide: every one of its pages shows the first and the last column's header
    (the header rows are repeated, so a table cut in width would lose one of them on some page)."""
    pages = sheet_pages(path, mark)
    assert len(pages) == len(workbook.sheetnames), (len(pages), workbook.sheetnames)
    for index, name in enumerate(workbook.sheetnames):
        if name not in sheet_names:
            continue
        first, last = headers_of(workbook[name])
        for page in pages[index]:
            words = set(re.findall(r"\S+", page_text(path, page)))
            assert set(first.split()) <= words and set(last.split()) <= words, (name, page, first, last)


def table_headers(sheet):
    top = next(row for row in sheet.iter_rows() if row[0].value == "TT")
    values = [cell.value for cell in top if cell.value]
    return values[0], values[-1]


def form_headers(sheet):
    """The frame's first header ("Mã số") and its last column's header (under the group header row)."""
    top = next(row[1].row for row in sheet.iter_rows() if row[1].value == "Mã số")
    return "Mã số", sheet.cell(top + 1, sheet.max_column).value


# The test -----------------------------------------------------------------------------------------------------------


def test_each_kind_from_the_demo_data(client, tmp_path, django_capture_on_commit_callbacks):
    campaign = load_demo()
    admin = User.objects.get(username="snv.quantri")
    client.force_login(User.objects.get(username="lanhdao"))
    codes = choice_codes()
    samples = ReportDraft.objects.filter(campaign=campaign, sample=True)
    assert sorted(samples.values_list("kind", flat=True)) == ["final", "interim"]
    for kind, year, issued_on, headings in KINDS:
        draft = services.draft_create(by=admin, campaign=campaign, kind=kind, year=year)
        if kind == "yearly":
            assert services.missing_for(draft)  # a new draft lacks its assessment: no final document yet
            services.draft_update(draft=draft, by=admin, **YEARLY_NARRATIVE)
        else:
            assert draft.sample and services.missing_for(draft) == []  # the demo ships it filled
        draft = services.draft_register(draft=draft, by=admin, issued_on=issued_on)
        context = build_for(campaign, kind, year=year, draft=draft)
        assert context["missing"] == [] and context["header"]["registered"]

        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(generate(draft, admin, "pdf", django_capture_on_commit_callbacks))
        text = check_ready_to_sign(path, context, issued_on)
        for expected in [f"UBND TỈNH {province_on(issued_on)}", "SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "BÁO CÁO",
                         *headings, "Trên đây là báo cáo"]:
            assert expected in text, (kind, expected)
        for content in campaign.contents.order_by("number"):
            assert f"({content.number}) {content.short_title}" in text, (kind, content.number)
        if kind != "yearly":
            assert campaign.contents.get(number=1).text[:60] in re.sub(r"\s+", " ", text)  # the plan's requirement

        workbook_bytes = generate(draft, admin, "xlsx", django_capture_on_commit_callbacks)
        workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
        period = period_for(campaign, kind, year)
        check_figures_agree(text, workbook, context, campaign, period,
                            dashboard_figures(client, campaign, kind, year))
        check_print_setup_and_labels(workbook, codes)
        assert workbook[render.SHEETS["summary"]]["A2"].value == (
            f"(Kèm theo Báo cáo số {context['header']['reference']} ngày {issued_on:%d/%m/%Y} của Sở Nội vụ)")
        converted = convert_with_libreoffice(workbook_bytes, tmp_path, f"{kind}-xlsx")
        appendix_sheets = {render.appendix_sheet(a) for a in context["appendices"]}
        check_one_page_wide(converted, workbook, appendix_sheets, "(Kèm theo Báo cáo số", table_headers)

    # The statistical forms of the final review's years, in their frame, through LibreOffice as well.
    content = generate(draft, admin, "stats", django_capture_on_commit_callbacks)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [f"{code} {year}" for year in (2023, 2024, 2025)
                                   for code in ("0601.N", "0602.N", "0603.N")]
    check_print_setup_and_labels(workbook, codes)
    converted = convert_with_libreoffice(content, tmp_path, "stats")
    check_one_page_wide(converted, workbook, set(workbook.sheetnames), "Biểu số:", form_headers)
    awards_2024 = workbook["0603.N 2024"]
    total = next(row for row in awards_2024.iter_rows(values_only=True) if row[1] == "01")
    assert total[3] == CommendationRecord.objects.filter(decision_date__year=2024, form__name__startswith="Bằng khen",
                                                         form__authority__icontains="tỉnh").count()


def test_the_demo_drafts_are_sample_data_on_the_page_only(client):
    campaign = load_demo()
    client.force_login(User.objects.get(username="snv.quantri"))
    final = ReportDraft.objects.get(campaign=campaign, kind="final")
    page = client.get(final.get_absolute_url()).content.decode()
    assert 'id="sample-badge"' in page and 'id="missing-parts"' not in page
    # Administrators see that the statistical forms were not checked against the circular; the forms do not say so.
    assert 'id="unconfirmed-forms"' in page and "0601.N/BNV-TĐKT" in page
    preview = client.get(reverse("reports:preview", args=[final.pk])).content.decode()
    assert "Dữ liệu mẫu" not in preview and "BẢN NHÁP" not in preview
    assert "08 đơn vị hành chính cấp huyện" in preview  # the sample narrative of Đắk Nông


def test_the_demo_draft_awards_are_counted_once(client):
    """The decision of January 2024 is outside the interim period: the interim review proposes what the final one
    reports as awarded, and no review proposes again what was decided within it."""
    campaign = load_demo()
    interim = build_for(campaign, "interim", draft=ReportDraft.objects.get(campaign=campaign, kind="interim"))
    final = build_for(campaign, "final", draft=ReportDraft.objects.get(campaign=campaign, kind="final"))
    assert interim["awards_total"] == {"collectives": 0, "individuals": 0}
    assert "awarded_collectives" not in interim["appendix_numbers"]
    awarded = {(row["name"], row["form"]) for row in final["awarded_collectives"] + final["awarded_individuals"]}
    assert awarded and awarded <= {(row["name"], row["form"]) for row in interim["proposals"]}
    # A higher form may still be proposed for someone awarded a lower one; the same form never again.
    assert awarded.isdisjoint({(row["name"], row["form"]) for row in final["proposals"]})
