"""The demo carries the real 2025 events: on 1/7/2025 the 71 communes of Đắk Nông become the 28 of the new Lâm Đồng,
districts end with their divisions, people and demo accounts move; the final review of Plan 584 is issued by Sở Nội
vụ tỉnh Lâm Đồng in Q4/2025 and groups its results by the 28 new communes with their predecessors' figures; the
2023 PAR ranking still lists the 71 communes of that year. One test: the demo takes a while to load."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from awards import demo_restructuring
from campaigns.models import Campaign
from par.models import CriteriaSet
from par.selectors import ranking
from reports import render
from reports.context import build_for
from reports.models import ReportDraft
from units.models import Person, Unit, UnitKind, UnitLink, User

from .test_documents import pdf_text

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "units" / "data" / "lamdong-2025-communes.csv"


def test_the_demo_restructuring_and_the_final_review(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    new = {f"LDG-{row['gso_code']}": set(row["predecessor_codes"].split()) for row in rows}
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE, valid_from=datetime.date(2025, 7, 1))
    assert set(communes.values_list("code", flat=True)) == set(new) and len(new) == 28
    for code, predecessors in new.items():
        assert set(UnitLink.objects.filter(successor__code=code, predecessor__kind=UnitKind.COMMUNE)
                   .values_list("predecessor__code", flat=True)) == predecessors
    former = Unit.objects.filter(kind=UnitKind.COMMUNE, path__startswith="DNO/")
    assert former.count() == 71 and not former.filter(valid_to__isnull=True).exists()
    assert not Unit.objects.filter(path__startswith="DNO/", valid_to__isnull=True).exists()  # nothing left behind
    # The people of the units ended on 30/06/2025 moved, but for the two departments the data gives no successor.
    stayed = Person.objects.filter(unit__valid_to=datetime.date(2025, 6, 30)).values_list("unit__path", flat=True)
    assert {path.split("/")[1] for path in stayed} <= {"SVHTTDL", "VPDDBQH"}
    accounts = dict(User.objects.values_list("username", "unit__code"))
    assert accounts["dakmil.canbo"] == "LDG-24664" and accounts["nghiaduc.canbo"] == "LDG-24611"
    assert accounts["snv.quantri"] == "LDG-SNV"

    # Run again: nothing changes (load_demo is idempotent).
    before = (Unit.objects.count(), Person.objects.count(), UnitLink.objects.count(),
              sorted(Person.objects.values_list("pk", "unit_id")))
    assert demo_restructuring.build() == ""
    assert before == (Unit.objects.count(), Person.objects.count(), UnitLink.objects.count(),
                      sorted(Person.objects.values_list("pk", "unit_id")))

    campaign = Campaign.objects.get(number="584/KH-UBND")
    draft = ReportDraft.objects.get(campaign=campaign, kind="final")
    assert draft.signer.body.key == "LDG-SNV" and draft.issued_on.year == 2025 and draft.issued_on.month >= 10
    context = build_for(campaign, "final", draft=draft)
    commune_rows = [row for row in context["units"] if row["kind"] == str(UnitKind.COMMUNE.label)]
    assert {row["code"] for row in commune_rows} == set(new)
    rolled = {name for row in commune_rows for name in row["predecessors"]}
    assert {unit.name for unit in former} <= rolled
    assert context["units_rolled_up"]
    path = tmp_path / "tong-ket.pdf"
    path.write_bytes(render.render_pdf(render.render_html(context)))
    text = pdf_text(path)
    assert "UBND TỈNH LÂM ĐỒNG" in text and "SỞ NỘI VỤ" in text
    assert f"Lâm Đồng, ngày {draft.issued_on.day:02d} tháng {draft.issued_on.month} năm 2025" in text
    assert "Ủy ban nhân dân phường Bắc Gia Nghĩa" in text and "gồm số liệu của" in text

    ranked = list(ranking(CriteriaSet.objects.get(year=2023, group="commune")))
    assert len(ranked) == 71 and {sheet.unit.code for sheet in ranked} == set(former.values_list("code", flat=True))
