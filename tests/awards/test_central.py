"""Forms decided above the province: the council passes them, the province proposes them with its own Tờ trình
(numbered from its register, generated as PDF, attached to the dossier), then the central decision is recorded
(awarded, with history rows) or the refusal; reports count them as proposed until then."""

import datetime
import re
import subprocess
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import services
from awards.models import CommendationRecord, Dossier
from reports import selectors as report_selectors

D = datetime.date


def _text(content, tmp_path):
    path = tmp_path / "tt.pdf"
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], capture_output=True, check=True,
                         text=True).stdout
    return " ".join(re.sub(r"(?<=\S)([-/])\n", r"\1", raw).split())


def test_proposed_to_the_prime_minister_then_awarded(client_for, users, tree, people, make_dossier, signers,
                                                     campaign, tmp_path):
    dossier = make_dossier("council_passed", form="BK-TTG")
    # The province does not decide it …
    with pytest.raises(ValidationError, match="do cấp trên quyết định"):
        services.decision_prepare(dossiers=[dossier], by=users["admin"], date=D(2023, 12, 20),
                                  signer=signers["chair"])
    client = client_for(users["admin"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert reverse("awards:propose_central", args=[dossier.pk]) in page
    assert reverse("awards:decide", args=[dossier.pk]) not in page
    # … it proposes it, with its own Tờ trình.
    client.post(reverse("awards:propose_central", args=[dossier.pk]), {
        "date": "20/12/2023", "signer": signers["chair"].pk, "expected": "council_passed"})
    dossier.refresh_from_db()
    assert dossier.state == "proposed_central"
    document = dossier.documents.get(doc_type__code="TOTRINH_TW")
    text = _text(document.file.open("rb").read(), tmp_path)
    for expected in ["ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG", "Số: 01/TTr-UBND", "Đắk Nông, ngày 20 tháng 12 năm 2023",
                     "TỜ TRÌNH", "Đề nghị tặng Bằng khen của Thủ tướng Chính phủ",
                     "Kính gửi: Thủ tướng Chính phủ.", "Biên bản số 01/BB-HĐTĐKT",
                     "cho 01 tập thể và 01 cá nhân", "Ủy ban nhân dân thị trấn Đắk Mil", "Nguyễn Văn An",
                     "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hồ Văn Mười"]:
        assert expected in text, expected
    # Reports count it as proposed until the central decision.
    period = SimpleNamespace(start=campaign.starts_on, end=D(2023, 12, 31))
    assert report_selectors.dossier_figures(campaign, period)["forwarded"] == 1
    assert report_selectors.proposal_rows(campaign, period).count() == 2
    client.post(reverse("awards:central_decision", args=[dossier.pk]), {
        "awarded": "1", "number": "1520/QĐ-TTg", "date": "15/03/2024", "authority": "Thủ tướng Chính phủ",
        "expected": "proposed_central"})
    dossier.refresh_from_db()
    assert dossier.state == "awarded" and dossier.decision.external and dossier.decision.number == "1520/QĐ-TTg"
    records = CommendationRecord.objects.filter(dossier=dossier)
    assert records.count() == 2 and {r.decision_number for r in records} == {"1520/QĐ-TTg"}
    assert {r.amount for r in records} == {None}  # not paid from the province's fund
    assert report_selectors.dossier_figures(campaign, period)["decided"] == 0  # decided after the period
    page = client_for(users["dm_officer"]).get(dossier.get_absolute_url()).content.decode()
    assert "1520/QĐ-TTg" in page and "Thủ tướng Chính phủ" in page


def test_not_awarded_by_the_central_level(users, make_dossier, signers):
    dossier = make_dossier("proposed_central")
    with pytest.raises(ValidationError, match="lý do"):
        services.central_decision_record(dossier=dossier, by=users["admin"], awarded=False)
    services.central_decision_record(dossier=dossier, by=users["admin"], awarded=False,
                                     note="Văn bản số 45/BTĐKT-VI: chưa đủ tiêu chuẩn.")
    assert Dossier.objects.get(pk=dossier.pk).state == "not_awarded"
    assert not CommendationRecord.objects.filter(dossier=dossier).exists()


def test_only_deciders_propose_and_record(client_for, users, make_dossier, signers):
    dossier = make_dossier("council_passed", form="BK-TTG")
    for role in ("appraiser", "leader", "dm_officer"):
        response = client_for(users[role]).post(reverse("awards:propose_central", args=[dossier.pk]),
                                                {"date": "20/12/2023", "signer": signers["chair"].pk})
        assert response.status_code == 403, role
    assert client_for(users["gn_officer"]).post(reverse("awards:propose_central", args=[dossier.pk]),
                                                {}).status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).state == "council_passed"
