"""Issue 6: for each kind (yearly 2024, interim, final), the PDF generated from the demo data (through the worker,
immediate backend) has the administrative header, the title, every section heading and known figures; one font
family, embedded; no page number on page 1, one on page 2; the Excel report and the dashboard show the same figures.

The demo takes a while to load, so the three kinds are built in one test.
"""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from campaigns.models import Achievement, Campaign, EvidenceFile, Registration
from reports import render, services
from reports.context import period_for
from reports.models import JobStatus
from units.models import User

from .test_documents import pdf_text, run, top_margin_text

pytestmark = pytest.mark.django_db

HEADER = ["UBND TỈNH ĐẮK NÔNG", "SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "Số: 12/BC-SNV", "Đắk Nông, ngày 05 tháng 12 năm 2025", "Nơi nhận:", "GIÁM ĐỐC", "Trần Văn Demo"]
SECTIONS = ["I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI", "II. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA",
            "III. CÔNG TÁC KIỂM TRA; PHÁT HIỆN, BỒI DƯỠNG, NHÂN RỘNG ĐIỂN HÌNH TIÊN TIẾN", "IV. ĐÁNH GIÁ CHUNG",
            "V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", "VI. ĐỀ XUẤT, KIẾN NGHỊ", "Phụ lục I", "Phụ lục II",
            "Phụ lục III"]
KINDS = [("yearly", 2024, "Kết quả thực hiện phong trào thi đua"), ("interim", None, "Sơ kết phong trào thi đua"),
         ("final", None, "Tổng kết phong trào thi đua")]
FIGURES = "Sở Nội vụ chấp nhận (\\d+) thành tích của (\\d+) đơn vị, với (\\d+) tệp minh chứng"


def load_demo():
    call_command("load_demo", stdout=io.StringIO())
    return Campaign.objects.get(number="584/KH-UBND")


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


def dashboard_figures(client, campaign, year):
    params = {"campaign": campaign.pk, **({"year": year} if year else {})}
    page = client.get(reverse("reports:dashboard"), params).content.decode()
    return {name: int(re.search(rf'id="fig-{name}"[^>]*>(\d+)<', page).group(1))
            for name in ("registered", "accepted", "initiatives")}


def test_each_kind_from_the_demo_data(client, tmp_path, django_capture_on_commit_callbacks):
    campaign = load_demo()
    admin = User.objects.get(username="snv.quantri")
    client.force_login(User.objects.get(username="lanhdao"))
    for kind, year, title in KINDS:
        draft = services.draft_create(by=admin, campaign=campaign, kind=kind, year=year)
        services.draft_update(draft=draft, by=admin, number="12", issued_on=datetime.date(2025, 12, 5),
                              signer_title="GIÁM ĐỐC", signer_name="Trần Văn Demo",
                              recipients="UBND tỉnh (b/c)\nLưu: VT, TĐKT")
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(generate(draft, admin, "pdf", django_capture_on_commit_callbacks))
        text = pdf_text(path)
        for expected in [*HEADER, "BÁO CÁO", f"{title} “{campaign.title}”", *SECTIONS]:
            assert expected in text, (kind, expected)
        contents = list(campaign.contents.order_by("number"))
        for content in contents:
            assert f"({content.number}) {content.short_title}" in text, (kind, content.number)

        # Known figures, counted here from the database, not through the report's selectors.
        years = period_for(campaign, kind, year).years
        registered = Registration.objects.filter(campaign=campaign, year__in=years).values("unit").distinct().count()
        assert registered > 0
        assert f"trong kỳ có {registered} đơn vị đăng ký tham gia phong trào" in text, kind
        accepted = Achievement.objects.filter(campaign=campaign, year__in=years, status="accepted")
        second = accepted.filter(content__number=2)
        expected_second = (second.count(), second.values("unit").distinct().count(),
                           EvidenceFile.objects.filter(achievement__in=second).count())
        pdf_figures = [tuple(int(n) for n in match) for match in re.findall(FIGURES, text)]
        assert len(pdf_figures) == len(contents)
        assert pdf_figures[1] == expected_second, kind
        assert sum(row[0] for row in pdf_figures) == accepted.count()
        assert kind == "interim" or expected_second[0] > 0  # the demo accepts content (2) evidence in 2024

        # Page numbers: none on page 1, "2" at the top of page 2. One font family, embedded.
        assert top_margin_text(path, 1) == ""
        assert top_margin_text(path, 2) == "2"
        families = font_families(path)
        assert len(families) == 1 and families <= {"LiberationSerif", "Tinos"}, families

        # The Excel report of the same draft: the same figures as the PDF (and as the database).
        workbook = openpyxl.load_workbook(io.BytesIO(generate(draft, admin, "xlsx",
                                                              django_capture_on_commit_callbacks)))
        summary = {row[0].value: row[1].value for row in workbook[render.SHEETS["summary"]].iter_rows(min_row=4)}
        assert summary["Số đơn vị đăng ký thi đua trong kỳ"] == registered
        assert summary["Số thành tích được chấp nhận"] == accepted.count()
        sheet = workbook[render.SHEETS["contents"]]
        xlsx_figures = [(row[4].value, row[5].value, row[6].value) for row in sheet.iter_rows(min_row=2)]
        assert xlsx_figures == pdf_figures, kind

        # The dashboard shows the same figures for the same period (a year, or the whole plan).
        if kind != "interim":  # the dashboard's periods are a year or the whole plan
            shown = dashboard_figures(client, campaign, year)
            assert shown["registered"] == registered and shown["accepted"] == accepted.count(), kind
            assert shown["initiatives"] == summary["Sáng kiến, giải pháp được công nhận"], kind
