"""The context builder's query count does not grow with the data; charts are valid SVG; the command writes files."""

import io
import re
import subprocess
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import CommendationRecord, Dossier, Nominee
from campaigns.models import Achievement, EvidenceFile, Registration
from reports import charts
from reports.context import build_context, build_dashboard_context, period_for
from units.models import Person, Unit, UnitKind

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def add_units(campaign, contents, parent, count, form, milestone):
    for index in range(count):
        unit = Unit.objects.create(code=f"X{parent.code}-{index}", name=f"Xã thử {index}", kind=UnitKind.COMMUNE,
                                   parent=parent)
        Registration.objects.create(campaign=campaign, unit=unit, year=2023)
        achievement = Achievement.objects.create(campaign=campaign, unit=unit, year=2023,
                                                 content=contents[1 + index % 5], title="T", status="accepted")
        EvidenceFile.objects.create(achievement=achievement, original_name="a.pdf")
        person = Person.objects.create(full_name=f"Người {index}", gender="male", unit=unit)
        dossier = Dossier.objects.create(campaign=campaign, milestone=milestone, unit=unit, form=form,
                                         state="proposed")
        Nominee.objects.create(dossier=dossier, unit=unit, summary="S")
        Nominee.objects.create(dossier=dossier, person=person, summary="S")
        CommendationRecord.objects.create(unit=unit, form=form, year=2023, basis="thematic", decision_number="1",
                                          decision_date="2023-12-20", dossier=dossier)


def count_queries(builder):
    with CaptureQueriesContext(connection) as captured:
        builder()
    return len(captured)


def test_context_query_count_does_not_grow_with_units(dataset, contents, tree):
    campaign = dataset["campaign"]
    milestone = campaign.milestones.get(kind="interim")
    period = period_for(campaign, "final")
    add_units(campaign, contents, tree["dm"], 2, dataset["bk"], milestone)
    few = count_queries(lambda: build_context(campaign, period))
    few_dashboard = count_queries(lambda: build_dashboard_context(campaign, period))
    add_units(campaign, contents, tree["gn"], 25, dataset["bk"], milestone)
    context = {}
    many = count_queries(lambda: context.update(build_context(campaign, period)))
    assert many == few
    assert count_queries(lambda: build_dashboard_context(campaign, period)) == few_dashboard
    assert len(context["awarded_collectives"]) >= 27 + 1 and len(context["units"]) >= 27
    # Their dossiers are still "proposed", but their awards were decided: they are never proposed again.
    assert {row["name"] for row in context["proposals"]}.isdisjoint({"Xã thử 0", "Xã thử 1"})


def test_charts_are_valid_svg_with_one_bar_per_category(dataset):
    context = build_context(dataset["campaign"], period_for(dataset["campaign"], "final"))
    drawn = charts.charts_for(context)
    expected = {"participation": 5, "par": 1, "awards": 1}
    for name, svg in drawn.items():
        root = ET.fromstring(str(svg))
        assert root.tag == f"{SVG}svg"
        bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]
        assert len(bars) == expected[name], name
        # Black and grey only, text at 12 pt when printed (16 CSS px), no label cut short.
        colours = {node.get(attr) for node in root.iter() for attr in ("fill", "stroke") if node.get(attr)}
        assert colours <= {"#000000", "#8c8c8c"}, colours
        assert root.get("font-size") == "16" and "…" not in svg and "..." not in svg
    root = ET.fromstring(str(charts.bar_chart_svg([("A & <b>", 3), ("B", 6)], title="Thử \"x\"")))
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths == [150.0, 300.0]  # proportional, the largest fills the bar area
    assert root.find(f"{SVG}title").text == "Thử \"x\""
    # A long label is wrapped on several lines, every word kept.
    label = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh (theo chuyên đề, phong trào thi đua)"
    root = ET.fromstring(str(charts.bar_chart_svg([(label, 2)], title="t")))
    lines = [span.text for span in root.iter(f"{SVG}tspan")]
    assert len(lines) >= 2 and " ".join(lines) == label


def test_build_report_command_writes_pdf_and_xlsx(dataset, tmp_path):
    pdf = tmp_path / "nam-2023.pdf"
    call_command("build_report", "--campaign", "584/KH-UBND", "--kind", "yearly", "--year", "2023",
                 "--format", "pdf", "--output", str(pdf), stdout=io.StringIO())
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(pdf), "-"], check=True,
                                              capture_output=True).stdout.decode())
    assert "Kết quả thực hiện phong trào thi đua" in text and "năm 2023" in text
    assert "SỞ NỘI VỤ" in text and "(5) Chính quyền số" in text
    xlsx = tmp_path / "so-ket.xlsx"
    call_command("build_report", "--campaign", "584/KH-UBND", "--kind", "interim", "--format", "xlsx",
                 "--output", str(xlsx), stdout=io.StringIO())
    workbook = openpyxl.load_workbook(xlsx)
    contents = workbook["Nội dung thi đua"]
    first = next(row for row in contents.iter_rows() if row[0].value == "(1)")
    assert first[4].value == 2  # content (1): two accepted achievements in 2023
    with pytest.raises(Exception, match="Không có phong trào"):
        call_command("build_report", "--campaign", "1/KH-X", "--kind", "final", "--output", str(xlsx))


def test_dashboard_and_versions_pages_query_count_does_not_grow(client_for, users, dataset, contents, tree,
                                                                final_draft):
    from django.urls import reverse

    from reports.models import GeneratedReport

    client = client_for(users["admin"])
    campaign = dataset["campaign"]
    milestone = campaign.milestones.get(kind="interim")

    def add_versions(count):
        for _index in range(count):
            GeneratedReport.objects.create(draft=final_draft, kind="final", format="pdf", created_by=users["admin"],
                                           period_start="2022-10-14", period_end="2025-12-31")

    add_units(campaign, contents, tree["dm"], 2, dataset["bk"], milestone)
    add_versions(1)
    urls = [reverse("reports:dashboard"), reverse("reports:draft", args=[final_draft.pk]),
            reverse("reports:versions", args=[final_draft.pk])]
    few = [count_queries(lambda url=url: client.get(url)) for url in urls]
    add_units(campaign, contents, tree["gn"], 12, dataset["bk"], milestone)
    add_versions(10)
    assert [count_queries(lambda url=url: client.get(url)) for url in urls] == few
