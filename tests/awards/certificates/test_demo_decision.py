"""The demo decision (150/QĐ-UBND, Plan 584's interim round): its certificates, its national-records export and
the award register's workbook, each checked as the file it is."""

import io
import json
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from awards import certificates, demo, excel, national_records, selectors, services
from awards.models import Decision
from campaigns import demo_plan, demo_work
from units.demo.builder import build_demo
from units.models import User

from .conftest import assert_fields_in_place, convert_with_libreoffice, layout_fields, read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_decision():
    build_demo()
    demo_plan.build()
    demo_work.build()
    demo.build()
    return Decision.objects.get(number="150/QĐ-UBND")


@pytest.fixture
def admin():
    return User.objects.get(username="snv.quantri")


def test_the_demo_decisions_certificates_one_page_per_awardee_each_field_in_place(demo_decision, admin, tmp_path):
    records = list(demo_decision.records.order_by("register_number"))
    assert len(records) == 3  # one collective and two individuals
    form = records[0].form
    services.certificate_layout_save(form=form, by=admin, paper_width=Decimal(210), paper_height=Decimal(297),
                                     orientation="landscape", fields=layout_fields())
    path = tmp_path / "bang-khen.pdf"
    path.write_bytes(certificates.decision_certificates_pdf(demo_decision))
    pages = read_pdf(path)
    assert len(pages) == 3
    for page, record in zip(pages, records, strict=True):
        assert (round(page.width), round(page.height)) == (297, 210)
        assert_fields_in_place(page, record, layout_fields())
        assert page.line(record.register_reference) is not None
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()) == 2  # the header lines only: no background in normal mode
    assert [r.register_number for r in records] == [1, 2, 3]


def test_the_demo_decisions_national_export_holds_every_awardee_with_every_field(demo_decision, admin):
    records = list(selectors.national_records(admin, decision=demo_decision))
    document = json.loads(national_records.as_json(records, scope={"decision": demo_decision.number}))
    rows = document["records"]
    assert len(rows) == 3 and {r["decision_number"] for r in rows} == {"150/QĐ-UBND"}
    names = {r["full_name"] or r["collective_name"] for r in rows}
    assert names == {(r.person.full_name if r.person_id else r.unit.name) for r in records}
    always = ["award_name", "award_kind", "award_basis", "decision_number", "decision_date", "issuing_body",
              "issuing_level", "emulation_year", "recipient_type", "register_number", "prize_amount"]
    for row, record in zip(rows, records, strict=True):
        for key in always:
            assert row[key] not in ("", None), (key, row)
        if record.person_id:
            person = record.person
            assert row["full_name"] == person.full_name and row["workplace"] == person.unit.name
            assert row["staff_code"] == (person.staff_code or "") and (row["staff_code"] or not person.staff_code)
            assert row["position"] == person.position
            assert row["collective_name"] == ""
        else:
            assert row["collective_name"] == record.unit.name and row["collective_field"]
            assert row["full_name"] == "" and row["staff_code"] == ""
    assert {r["issuing_level"] for r in rows} == {"Cấp tỉnh"}
    assert rows[0]["decision_date"] == "2024-01-22"
    assert [f["key"] for f in document["fields"]] == [c.key for c in national_records.COLUMNS]
    sheet = load_workbook(io.BytesIO(national_records.workbook(records, note="QĐ 150"))).active
    header = [c.value for c in sheet[3]]
    assert header == [str(c.header) for c in national_records.COLUMNS]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4) if any(c.value for c in row)]
    assert len(values) == 3
    assert {v[header.index("Số quyết định")] for v in values} == {"150/QĐ-UBND"}


def test_the_award_register_workbook_opens_and_prints_as_the_paper_register(demo_decision, admin, tmp_path):
    series = selectors.register_series(admin)
    assert [(s["register_body"], s["register_year"], s["register_family"], s["count"]) for s in series] == [
        ("DNO", 2024, "BK", 3)]
    chosen = series[0]
    entries = list(selectors.register_entries(admin, body="DNO", year=2024, family="BK"))
    content = excel.export_register(entries, body_name=chosen["body_name"], year=2024, family="BK")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(rows) if row[0] == "Số vào sổ")
    assert rows[header_at] == excel.REGISTER_HEADERS
    lines = [row for row in rows[header_at + 1:header_at + 4]]
    assert [line[0] for line in lines] == ["001", "002", "003"]
    assert all(line[4] == "150/QĐ-UBND" and line[6] and line[7] is None for line in lines)
    assert sheet.page_setup.orientation == "landscape"
    pdf = convert_with_libreoffice(content, tmp_path, "so-khen-thuong")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "SỔ KHEN THƯỞNG NĂM 2024" in text and "Người nhận ký" in text
    for entry in entries:
        assert (entry.person.full_name if entry.person_id else entry.unit.name) in " ".join(text.split())
