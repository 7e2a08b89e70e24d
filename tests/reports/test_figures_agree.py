"""One rule for "awarded in the period" (decision date within the period): on generated data with awards decided
before, inside and after each kind's period, the body, the appendices, the workbook and the dashboard of every kind
show the same figures, equal to what the database holds; an award decided after the period is still a proposal
of that period, and what was decided is never proposed again."""

import datetime
import io

import openpyxl
import pytest

from awards.models import CommendationRecord, Decision, Dossier, Nominee
from campaigns.models import Milestone
from reports import render
from reports.context import build_for, period_for
from reports.generation import build_file

from .test_demo_documents import check_figures_agree, dashboard_figures
from .test_documents import pdf_text

pytestmark = pytest.mark.django_db


def _awarded(campaign, milestone, form, unit, nominees, number, day):
    decision = Decision.objects.create(number=number, date=day, signer="Hồ Văn Mười")
    dossier = Dossier.objects.create(campaign=campaign, milestone=milestone, unit=unit, form=form, state="awarded",
                                     decision=decision)
    for who in nominees:
        Nominee.objects.create(dossier=dossier, summary="Thành tích xuất sắc", **who)
        CommendationRecord.objects.create(form=form, year=day.year, basis="thematic", decision_number=number,
                                          decision_date=day, decision=decision, dossier=dossier, **who)
    return dossier


@pytest.fixture
def awards_around(dataset, tree, people):
    """Besides the dataset's decision of 20/12/2023 (DM-01 and Nguyễn Văn An): one of 10/06/2024 (GN-01 and Lê Văn
    Cường) and one of 03/03/2025 (Trần Thị Bình), both for dossiers of the 2024 yearly report."""
    campaign = dataset["campaign"]
    yearly = Milestone.objects.create(campaign=campaign, kind="yearly", year=2024, title="Năm 2024",
                                      period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31),
                                      due_on=datetime.date(2024, 12, 31))
    _awarded(campaign, yearly, dataset["bk"], tree["gn"], [{"unit": tree["gn01"]}, {"person": people["cuong"]}],
             "310/QĐ-UBND", datetime.date(2024, 6, 10))
    _awarded(campaign, yearly, dataset["bk"], tree["dm"], [{"person": people["binh"]}], "45/QĐ-UBND",
             datetime.date(2025, 3, 3))
    return dataset


@pytest.mark.parametrize(("kind", "year", "awarded", "proposed_later"), [
    ("interim", None, (1, 1), set()),
    ("yearly", 2024, (1, 1), {"Trần Thị Bình"}),  # decided in 2025: still a proposal of 2024
    ("final", None, (2, 3), set()),
])
def test_every_kind_shows_the_same_awards_everywhere(awards_around, final_draft, client_for, users, tmp_path,
                                                     kind, year, awarded, proposed_later):
    campaign = awards_around["campaign"]
    period = period_for(campaign, kind, year)
    context = build_for(campaign, kind, year=year, draft=final_draft if kind == "final" else None, watermark=True)
    assert (context["awards_total"]["collectives"], context["awards_total"]["individuals"]) == awarded
    proposed = {(row["name"], row["form"]) for row in context["proposals"]}
    assert proposed_later <= {name for name, _form in proposed}
    awarded = {(row["name"], row["form"]) for row in context["awarded_collectives"] + context["awarded_individuals"]}
    assert awarded.isdisjoint(proposed)  # decided within (or before) the period: never proposed again
    awarded_names = {name for name, _form in awarded}
    records = CommendationRecord.objects.filter(decision_date__lt=period.start, dossier__campaign=campaign)
    assert {r.person.full_name if r.person else r.unit.name for r in records}.isdisjoint(awarded_names)

    path = tmp_path / f"{kind}.pdf"
    draft = final_draft if kind == "final" else None
    path.write_bytes(build_file(campaign=campaign, kind=kind, year=year, fmt="pdf", draft=draft, watermark=True))
    workbook = openpyxl.load_workbook(io.BytesIO(build_file(campaign=campaign, kind=kind, year=year, fmt="xlsx",
                                                            draft=draft)))
    dashboard = dashboard_figures(client_for(users["leader"]), campaign, kind, year)
    check_figures_agree(pdf_text(path), workbook, context, campaign, period, dashboard)
    assert [render.appendix_sheet(a) for a in context["appendices"]] == workbook.sheetnames[len(render.SHEETS):]


def test_a_period_without_awards_attaches_no_empty_appendix_and_does_not_refer_to_one(dataset, tmp_path):
    context = build_for(dataset["campaign"], "yearly", year=2025, watermark=True)
    assert context["awards_total"] == {"collectives": 0, "individuals": 0}
    assert [a["key"] for a in context["appendices"]] == ["units"]  # only the per-unit table has rows
    path = tmp_path / "2025.pdf"
    path.write_bytes(render.render_pdf(render.render_html(context)))
    text = pdf_text(path)
    assert "Phụ lục I BẢNG TỔNG HỢP KẾT QUẢ THEO CƠ QUAN, ĐƠN VỊ, ĐỊA PHƯƠNG" in text
    assert "Phụ lục II" not in text and "Phụ lục I, II" not in text and "kèm theo)" not in text
    assert "Năm 2025, chưa có quyết định khen thưởng tập thể, cá nhân trong Phong trào thi đua." in text
