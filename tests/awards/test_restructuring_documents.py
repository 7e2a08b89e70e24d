"""A decision takes the issuing body in force on its date: after 1/7/2025 the former Đắk Nông's decisions are
issued by the Lâm Đồng People's Committee (tested on the PDF text), before it by Đắk Nông's."""

import datetime
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import services
from awards.catalogue import ensure_issuers
from core.models import IssuingBody, Signer, SignerPosition
from units.models import Unit, UnitKind, UnitLink

ON = datetime.date(2025, 7, 1)


def _text(content, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], capture_output=True, check=True,
                         text=True).stdout
    return " ".join(raw.split())


def _new_province(tree):
    """The Đắk Nông committee ends on 30/06/2025; the Lâm Đồng one carries it on (as the demo's operation does)."""
    Unit.objects.filter(pk=tree["province"].pk).update(valid_to=ON - datetime.timedelta(days=1))
    lamdong = Unit.objects.create(code="LDG", name="Ủy ban nhân dân tỉnh Lâm Đồng", kind=UnitKind.PROVINCE,
                                  valid_from=ON)
    UnitLink.objects.create(predecessor=tree["province"], successor=lamdong, on=ON)
    ensure_issuers()
    body = IssuingBody.objects.get(key="LDG")
    return Signer.objects.create(body=body, full_name="Hồ Văn Mười", position=SignerPosition.HEAD,
                                 valid_from=ON)


def test_a_decision_after_the_merger_is_issued_by_lam_dong(client_for, users, tree, make_dossier, signers,
                                                           tmp_path):
    before = make_dossier("at_council")
    after = make_dossier("at_council")
    chair = _new_province(tree)
    earlier = services.decision_record(dossiers=[before], by=users["admin"], date=datetime.date(2025, 3, 5),
                                       signer=signers["chair"])
    later = services.decision_record(dossiers=[after], by=users["admin"], date=datetime.date(2025, 9, 10),
                                     signer=chair)
    assert earlier.issuer.key == "DNO" and later.issuer.key == "LDG"
    leader = client_for(users["leader"])
    text = _text(leader.get(reverse("awards:decision_pdf", args=[later.pk])).content, tmp_path, "sau.pdf")
    assert "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" in text and "Lâm Đồng, ngày 10 tháng 9 năm 2025" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" in text and "ĐẮK NÔNG" not in text
    old = _text(leader.get(reverse("awards:decision_pdf", args=[earlier.pk])).content, tmp_path, "truoc.pdf")
    assert "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG" in old and "Đắk Nông, ngày 05 tháng 3 năm 2025" in old
    assert re.search(r"Số: \d+/QĐ-UBND", text)


def test_a_signer_of_the_ended_body_is_refused_after_the_merger(users, tree, make_dossier, signers):
    dossier = make_dossier("at_council")
    _new_province(tree)
    with pytest.raises(ValidationError) as refused:
        services.decision_record(dossiers=[dossier], by=users["admin"], date=datetime.date(2025, 9, 10),
                                 signer=signers["chair"])
    assert "Ủy ban nhân dân tỉnh Lâm Đồng" in str(refused.value)
