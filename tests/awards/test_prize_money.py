"""Prize money as data: coefficient × base salary on the decision date, rounded up to the next 10,000 dong, stored on
each award at registration (never recomputed), shown in the decision's annex and totalled per decision, year and
funding body on a page and in the fund's Excel export."""

import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards import selectors, services
from awards.models import BaseSalary, RecipientKind

D = datetime.date
MONEY = re.compile(r"\b\d{1,3}(?:\.\d{3})+\b")

# decision date → (base salary, Bằng khen coefficient individual / collective, Lao động tiên tiến) on either side of
# each change: the base salary on 1/7/2023, 1/7/2024 and 1/7/2026; Decree 152/2025 replacing Decree 98/2023 on
# 1/7/2025 (Decree 98/2023 itself replaced Decree 91/2017 on 1/1/2024, with the same Bằng khen figures).
BOUNDARIES = [
    (D(2023, 6, 30), 1490000, (1490000, 2980000), 450000),   # 0.3 × 1,490,000 = 447,000 → 450,000
    (D(2023, 7, 1), 1800000, (1800000, 3600000), 540000),
    (D(2024, 6, 30), 1800000, (1800000, 3600000), 540000),
    (D(2024, 7, 1), 2340000, (2340000, 4680000), 710000),    # 702,000 → 710,000
    (D(2025, 6, 30), 2340000, (2340000, 4680000), 710000),
    (D(2025, 7, 1), 2340000, (3510000, 7020000), 710000),    # Decree 152/2025: 1.5 and 3.0
    (D(2026, 6, 30), 2340000, (3510000, 7020000), 710000),
    (D(2026, 7, 1), 2530000, (3800000, 7590000), 760000),    # 1.5 × 2,530,000 = 3,795,000 → 3,800,000
]


def _pdf_text(content, tmp_path):
    path = tmp_path / "qd.pdf"
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], capture_output=True, check=True,
                         text=True).stdout
    return " ".join(re.sub(r"(?<=\S)([-/])\n", r"\1", raw).split())


@pytest.mark.parametrize("day,base,bang_khen,advanced", BOUNDARIES, ids=[str(b[0]) for b in BOUNDARIES])
def test_amounts_on_either_side_of_each_regime_boundary(client_for, users, people, make_dossier, signers, tmp_path,
                                                        day, base, bang_khen, advanced):
    bk = make_dossier("at_council")  # commune DM-01 (collective) and Nguyễn Văn An (individual)
    ldtt = make_dossier("at_council", form="LDTT", nominees=[{"person": people["binh"]}])
    decision = services.decision_record(dossiers=[bk, ldtt], by=users["admin"], date=day, signer=signers["chair"],
                                        proposal_number="7/TTr-SNV")
    records = {(r.form.code, r.unit_id is not None): r for r in decision.records.select_related("form")}
    assert records[("BK-TINH-CD", False)].amount == bang_khen[0]
    assert records[("BK-TINH-CD", True)].amount == bang_khen[1]
    assert records[("LDTT", False)].amount == advanced
    assert {r.base_salary for r in records.values()} == {base}
    assert {r.funding_body.key for r in records.values()} == {"DNO"}
    # The annex prints each awardee's amount; the total is their sum, in figures and in the prize article.
    text = _pdf_text(client_for(users["leader"]).get(reverse("awards:decision_pdf", args=[decision.pk])).content,
                     tmp_path)
    annex = text[text.index("DANH SÁCH KHEN THƯỞNG"):text.index("Tổng cộng tiền thưởng")]
    amounts = sorted(int(m.replace(".", "")) for m in MONEY.findall(annex))
    assert amounts == sorted([*bang_khen, advanced])
    total = f"{sum(amounts):,}".replace(",", ".")
    assert f"Tổng cộng tiền thưởng: {total} đồng" in text and f"tổng cộng {total} đồng" in text
    assert f"mức lương cơ sở {base:,} đồng".replace(",", ".") in text


def test_rounding_is_up_to_the_next_ten_thousand(catalogue):
    quote = selectors.prize_quote(catalogue["LDTT"], RecipientKind.INDIVIDUAL, D(2023, 6, 30))
    assert (quote.coefficient, quote.base_salary, quote.amount) == (Decimal("0.3"), 1490000, 450000)
    exact = selectors.prize_quote(catalogue["BK-TINH"], RecipientKind.INDIVIDUAL, D(2025, 7, 1))
    assert exact.amount == 3510000  # already a multiple of 10,000: unchanged
    assert selectors.prize_quote(catalogue["LDTT"], RecipientKind.COLLECTIVE, D(2024, 1, 1)) is None
    assert selectors.prize_quote(catalogue["BK-TINH"], RecipientKind.INDIVIDUAL, D(2017, 1, 1)) is None  # no rule


def test_the_amount_is_stored_at_decision_time_and_never_recomputed(client_for, users, make_dossier, signers,
                                                                    tmp_path):
    dossier = make_dossier("at_council")
    decision = services.decision_record(dossiers=[dossier], by=users["admin"], date=D(2024, 7, 15),
                                        signer=signers["chair"])
    before = sorted(decision.records.values_list("amount", flat=True))
    assert before == [2340000, 4680000]
    BaseSalary.objects.filter(valid_from=D(2024, 7, 1)).update(amount=9000000)  # a later correction of the data
    assert sorted(decision.records.values_list("amount", flat=True)) == before
    text = _pdf_text(client_for(users["admin"]).get(reverse("awards:decision_pdf", args=[decision.pk])).content,
                     tmp_path)
    assert "Tổng cộng tiền thưởng: 7.020.000 đồng" in text
    # A draft shows what the rules give today for its date (not stored until it is registered).
    other = make_dossier("at_council")
    draft = services.decision_prepare(dossiers=[other], by=users["admin"], date=D(2024, 7, 15),
                                      signer=signers["chair"])
    page = client_for(users["admin"]).get(reverse("awards:decision_detail", args=[draft.pk])).content.decode()
    assert "27.000.000" in page and "dự kiến" in page  # 9,000,000 × (1.0 + 2.0)
    assert not draft.records.exists()


def test_totals_per_decision_year_and_fund_on_the_page_and_in_the_export(client_for, users, people, make_dossier,
                                                                         signers):
    first = services.decision_record(dossiers=[make_dossier("at_council")], by=users["admin"], date=D(2024, 3, 1),
                                     signer=signers["chair"])
    second = services.decision_record(dossiers=[make_dossier("at_council", nominees=[{"person": people["binh"]}])],
                                      by=users["admin"], date=D(2024, 9, 2), signer=signers["chair"])
    third = services.decision_record(dossiers=[make_dossier("at_council", nominees=[{"person": people["binh"]}])],
                                     by=users["admin"], date=D(2025, 8, 4), signer=signers["chair"])
    client = client_for(users["leader"])
    page = client.get(reverse("awards:prize_money")).content.decode()
    # 2024: 1,800,000 + 3,600,000 (March) + 2,340,000 (September); 2025: 1.5 × 2,340,000.
    assert "7.740.000" in page and "3.510.000" in page and first.number in page and third.number in page
    assert "Quỹ Thi đua, khen thưởng tỉnh Đắk Nông" in page
    response = client.get(reverse("awards:prize_money_export") + "?nam=2024")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Theo quyết định", "Theo năm", "Theo quỹ", "Chi tiết"]
    by_decision = {row[0]: row[5] for row in workbook["Theo quyết định"].iter_rows(min_row=4, values_only=True)}
    assert by_decision == {first.number: 5400000, second.number: 2340000}
    assert list(workbook["Theo năm"].iter_rows(min_row=4, values_only=True)) == [(2024, 2, 3, 7740000)]
    detail = list(workbook["Chi tiết"].iter_rows(min_row=4, values_only=True))
    assert sorted(row[9] for row in detail) == [1800000, 2340000, 3600000]
    assert sum(row[9] for row in detail) == 7740000
    # An officer does not see the fund's pages.
    assert client_for(users["dm_officer"]).get(reverse("awards:prize_money")).status_code == 403


def test_prize_page_query_count_does_not_grow_with_decisions(client_for, users, make_dossier, signers):
    services.decision_record(dossiers=[make_dossier("at_council")], by=users["admin"], date=D(2024, 3, 1),
                             signer=signers["chair"])
    client = client_for(users["admin"])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("awards:prize_money")).status_code == 200
        return len(captured)

    few = count()
    for day in (D(2024, 4, 1), D(2024, 5, 2), D(2025, 1, 6)):
        services.decision_record(dossiers=[make_dossier("at_council")], by=users["admin"], date=day,
                                 signer=signers["chair"])
    assert count() == few
