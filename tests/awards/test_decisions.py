"""Bulk actions with a preview (all or none), the decision with its PDF, commendation history, notifications."""

import datetime
import re
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import pdf, services
from awards.models import CommendationRecord, Dossier, Notification
from core import panels


def test_bulk_preview_says_which_apply_and_why_others_are_left_out(client_for, users, make_dossier):
    ready = [make_dossier("proposed"), make_dossier("proposed")]
    early = make_dossier("under_appraisal")
    client = client_for(users["admin"])
    ids = [d.pk for d in ready] + [early.pk]
    response = client.post(reverse("awards:bulk_preview"), {"action": "council", "ids": ids})
    page = response.content.decode()
    assert "Áp dụng cho 2 hồ sơ" in page
    assert f"{early.pk}</a> · Ủy ban nhân dân huyện Đắk Mil: chưa ở trạng thái “Đề nghị khen thưởng”" in page
    assert set(Dossier.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"proposed", "under_appraisal"}
    client.post(reverse("awards:bulk_apply"), {"action": "council", "ids": [d.pk for d in ready]})
    assert list(Dossier.objects.filter(pk__in=[d.pk for d in ready]).values_list("state", flat=True)) == \
        ["at_council"] * 2


def test_bulk_apply_is_all_or_none(users, make_dossier):
    ready = make_dossier("proposed")
    early = make_dossier("under_appraisal")
    with pytest.raises(ValidationError, match="Không thực hiện thao tác nào"):
        services.dossiers_put_to_council(dossiers=[ready, early], by=users["admin"])
    assert Dossier.objects.get(pk=ready.pk).state == "proposed"


def test_bulk_actions_are_for_snv_only(client_for, users, make_dossier):
    ready = make_dossier("proposed")
    response = client_for(users["appraiser"]).post(reverse("awards:bulk_preview"),
                                                   {"action": "council", "ids": [ready.pk]})
    assert response.status_code == 403
    assert client_for(users["admin"]).get(reverse("awards:bulk_apply")).status_code == 405


def test_one_decision_for_many_dossiers_writes_history(client_for, users, tree, people, make_dossier):
    first = make_dossier("at_council")
    second = make_dossier("at_council", nominees=[{"person": people["binh"]}])
    client = client_for(users["admin"])
    response = client.post(reverse("awards:bulk_apply"), {
        "action": "decision", "ids": [first.pk, second.pk], "number": "2150/QĐ-UBND", "date": "20/12/2023",
        "signer": "Hồ Văn Mười", "signer_title": "Chủ tịch UBND tỉnh", "authority": "UBND tỉnh Đắk Nông"})
    assert response.status_code == 302
    assert set(Dossier.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {"awarded"}
    records = CommendationRecord.objects.filter(decision_number="2150/QĐ-UBND")
    assert records.count() == 3
    assert records.get(person=people["binh"]).decision_date == datetime.date(2023, 12, 20)
    history = client_for(users["dm_officer"]).get(reverse("awards:history") + f"?person={people['an'].pk}")
    assert "2150/QĐ-UBND" in history.content.decode()
    # The same people cannot be proposed again for the same form and period without a warning.
    again = make_dossier("draft", nominees=[{"person": people["an"]}])
    from awards.selectors import dossier_checks
    assert any("2150/QĐ-UBND" in w for w in dossier_checks(again))


def test_panels_for_unit_and_person_pages(users, tree, people, make_dossier):
    make_dossier("awarded")
    unit_part = panels.render("unit", tree["dm01"], only={"awards.history"})
    person_part = panels.render("person", people["an"], only={"awards.history"})
    other_part = panels.render("person", people["cuong"], only={"awards.history"})
    assert "Bằng khen của Chủ tịch UBND tỉnh (theo chuyên đề, phong trào)" in unit_part
    assert "/QĐ-UBND" in person_part
    assert "Chưa có khen thưởng nào được ghi nhận." in other_part


def _pdf_text(path, *pages):
    window = ["-f", str(pages[0]), "-l", str(pages[0]), "-x", "0", "-y", "0", "-W", "596", "-H", "56"] if pages else []
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", *window, str(path), "-"], capture_output=True,
                         check=True, text=True).stdout
    return " ".join(raw.split())


def test_decision_pdf_is_an_administrative_document_with_its_annex(client_for, users, people, make_dossier,
                                                                   tmp_path):
    first = make_dossier("at_council")
    second = make_dossier("at_council", nominees=[{"person": people["binh"]}, {"person": people["an"]}])
    decision = services.decision_record(dossiers=[first, second], by=users["admin"], number="2150/QĐ-UBND",
                                        date=datetime.date(2023, 12, 5), signer="Hồ Văn Mười",
                                        signer_title="KT. Chủ tịch\nPhó Chủ tịch", authority="UBND tỉnh Đắk Nông")
    response = client_for(users["leader"]).get(reverse("awards:decision_pdf", args=[decision.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "qd.pdf"
    path.write_bytes(response.content)
    text = _pdf_text(path)
    context = pdf.decision_context(decision)
    awardees = [n.unit.name for n in context["collectives"]] + [n.person.full_name for n in context["individuals"]]
    assert "Ủy ban nhân dân thị trấn Đắk Mil" in awardees and {"Nguyễn Văn An", "Trần Thị Bình"} <= set(awardees)
    for expected in ["ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 2150/QĐ-UBND", "Đắk Nông, ngày 05 tháng 12 năm 2023",
                     "QUYẾT ĐỊNH", "Về việc khen thưởng", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG",
                     "Điều 1.", "Điều 2.", "Điều 3.", "Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hồ Văn Mười",
                     "DANH SÁCH KHEN THƯỞNG", "Kèm theo Quyết định số 2150/QĐ-UBND ngày 05/12/2023",
                     "I. TẬP THỂ", "II. CÁ NHÂN", *awardees]:
        assert expected in text, expected
    assert f"Khen thưởng {len(context['collectives'])} tập thể và {len(context['individuals'])} cá nhân" in text
    # Page numbers from page 2 only; one Times-metric font family, every font embedded.
    assert _pdf_text(path, 1) == "" and _pdf_text(path, 2) == "2"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    lines = fonts.splitlines()[2:]
    assert lines, fonts
    families = {re.sub(r"([-,](Bold|Italic|Regular|BoldItalic))+$", "", re.sub(r"^[A-Z]{6}\+", "", line.split()[0]))
                .replace("-", "") for line in lines}
    assert len(families) == 1 and families <= {"LiberationSerif", "Tinos"}, families
    assert all(line.split()[-5] == "yes" for line in lines), fonts


def test_outsider_cannot_see_a_decision(client_for, users, make_dossier):
    dossier = make_dossier("awarded")
    assert client_for(users["gn_officer"]).get(
        reverse("awards:decision_detail", args=[dossier.decision_id])).status_code == 404
    assert client_for(users["dm_officer"]).get(
        reverse("awards:decision_detail", args=[dossier.decision_id])).status_code == 200


def test_notifications_by_email_and_inbox(client_for, users, make_dossier, django_capture_on_commit_callbacks):
    users["appraiser"].email = "tham.dinh@snv.example"
    users["appraiser"].save()
    users["dm_officer"].email = "dau.moi@dm.example"
    users["dm_officer"].save()
    dossier = make_dossier("draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(dossier=dossier, by=users["dm_officer"])
    assert mail.outbox[-1].to == ["tham.dinh@snv.example"]
    assert f"hồ sơ số {dossier.pk}" in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_return(dossier=dossier, by=users["appraiser"], reasons="Thiếu biên bản")
    assert mail.outbox[-1].to == ["dau.moi@dm.example"] and "Thiếu biên bản" in mail.outbox[-1].body
    assert Notification.objects.filter(user=users["dm_officer"], read_at__isnull=True).count() == 1
    client = client_for(users["dm_officer"])
    page = client.get(reverse("awards:inbox")).content.decode()
    assert 'id="award-unread">1<' in page and "Thiếu biên bản" in page
    client.post(reverse("awards:inbox_read"))
    assert not Notification.objects.filter(user=users["dm_officer"], read_at__isnull=True).exists()


def test_catalogue_page_shows_rules_with_their_legal_basis(client_for, users, catalogue):
    page = client_for(users["dm_officer"]).get(reverse("awards:catalogue")).content.decode()
    assert "Chiến sĩ thi đua cấp tỉnh" in page
    assert "Nghị định 98/2023/NĐ-CP" in page and "Nghị định 91/2017/NĐ-CP" in page
    assert "Nghị định 152/2025/NĐ-CP" in page
    assert "chưa đối chiếu" in page


def test_upload_checks_content(users, make_dossier):
    from awards.models import DocumentType
    from core.files import bytes_upload

    dossier = make_dossier("draft", complete=False)
    with pytest.raises(ValidationError, match="không phải là tệp PDF thật"):
        services.document_upload(dossier=dossier, by=users["dm_officer"],
                                 doc_type=DocumentType.objects.get(code="TOTRINH"),
                                 upload=bytes_upload("to-trinh.pdf", b"not a pdf at all"))
    assert not dossier.documents.exists()
