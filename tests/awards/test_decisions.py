"""Bulk actions with a preview (all or none), the decision with its PDF, commendation history, notifications."""

import datetime
import re
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import pdf, services
from awards.models import CommendationRecord, Decision, Dossier, Notification
from core import panels


def test_bulk_preview_says_which_apply_and_why_others_are_left_out(client_for, users, make_dossier):
    ready = [make_dossier("proposed"), make_dossier("proposed")]
    early = make_dossier("under_appraisal")
    client = client_for(users["admin"])
    ids = [d.pk for d in ready] + [early.pk]
    response = client.post(reverse("awards:bulk_preview"), {"action": "council", "ids": ids})
    page = response.content.decode()
    assert "Áp dụng cho 2 hồ sơ" in page
    assert f"{early.code}</a> · Ủy ban nhân dân huyện Đắk Mil: chưa ở trạng thái “Đề nghị khen thưởng”" in page
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


def test_one_decision_for_many_dossiers_writes_history(client_for, users, tree, people, make_dossier, signers):
    first = make_dossier("at_council")
    second = make_dossier("at_council", nominees=[{"person": people["binh"]}])
    client = client_for(users["admin"])
    # The bulk action prepares a draft (no number, nothing awarded yet) …
    response = client.post(reverse("awards:bulk_apply"), {
        "action": "decision", "ids": [first.pk, second.pk], "date": "20/12/2023", "signer": signers["chair"].pk,
        "proposal_number": "125/TTr-SNV", "proposal_date": "15/12/2023"})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    assert decision.number == "" and not decision.is_registered
    assert set(Dossier.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {"at_council"}
    assert not CommendationRecord.objects.exists()
    # … registering it takes the next number of the province's register for the year, then awards every dossier.
    client.post(reverse("awards:decision_register", args=[decision.pk]), {})
    decision.refresh_from_db()
    assert decision.number == "01/QĐ-UBND" and decision.is_registered
    assert set(Dossier.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {"awarded"}
    records = CommendationRecord.objects.filter(decision_number="01/QĐ-UBND")
    assert records.count() == 3
    binh = records.get(person=people["binh"])
    # The emulation year is the one the interim review rewards (its period ends in 2023); the decision date beside it.
    assert (binh.year, binh.decision_date) == (2023, datetime.date(2023, 12, 20))
    history = client_for(users["dm_officer"]).get(reverse("awards:history") + f"?person={people['an'].pk}")
    assert "01/QĐ-UBND" in history.content.decode()
    # The same people cannot be proposed again for the same form and period without a warning.
    again = make_dossier("draft", nominees=[{"person": people["an"]}])
    from awards.selectors import dossier_checks
    assert any("01/QĐ-UBND" in w for w in dossier_checks(again))


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
    raw = re.sub(r"(?<=\S)([-/])\n", r"\1", raw)  # a symbol broken at "-" or "/" ("NĐ-" / "CP") is one word
    return " ".join(raw.split())


MONEY = re.compile(r"\b\d{1,3}(?:\.\d{3})+\b")


def test_decision_pdf_is_an_administrative_document_with_its_annex(client_for, users, people, make_dossier, signers,
                                                                   tmp_path):
    first = make_dossier("at_council")
    second = make_dossier("at_council", nominees=[{"person": people["binh"]}, {"person": people["an"]}])
    decision = services.decision_prepare(dossiers=[first, second], by=users["admin"], date=datetime.date(2023, 12, 5),
                                         signer=signers["deputy"], proposal_number="125/TTr-SNV",
                                         proposal_date=datetime.date(2023, 12, 1))
    path = tmp_path / "du-thao.pdf"
    path.write_bytes(client_for(users["leader"]).get(reverse("awards:decision_pdf", args=[decision.pk])).content)
    draft = _pdf_text(path)
    # Before registration: the draft mark, no number and no day yet.
    assert "DỰ THẢO" in draft and "Số: ……/QĐ-UBND" in draft and "Đắk Nông, ngày tháng năm 2023" in draft
    services.decision_register(decision=decision, by=users["admin"])
    response = client_for(users["leader"]).get(reverse("awards:decision_pdf", args=[decision.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "qd.pdf"
    path.write_bytes(response.content)
    text = _pdf_text(path)
    context = pdf.decision_context(decision)
    awardees = [n.unit.name for n in context["collectives"]] + [n.person.full_name for n in context["individuals"]]
    assert "Ủy ban nhân dân thị trấn Đắk Mil" in awardees and {"Nguyễn Văn An", "Trần Thị Bình"} <= set(awardees)
    for expected in ["ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 01/QĐ-UBND", "Đắk Nông, ngày 05 tháng 12 năm 2023",
                     "QUYẾT ĐỊNH", "Về việc khen thưởng", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG",
                     # the legal bases of the regime in force on 05/12/2023, then Sở Nội vụ's Tờ trình
                     "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
                     "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003",
                     "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017",
                     "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 125/TTr-SNV ngày 01 tháng 12 năm 2023.",
                     # one article per form, counts that read naturally, the prize money and its source
                     "Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 01 tập thể và 03 cá nhân đã có "
                     "thành tích xuất sắc trong phong trào thi đua",
                     "Điều 2. Tiền thưởng kèm theo cho các tập thể, cá nhân có tên tại Điều 1: tổng cộng 9.000.000 "
                     "đồng (Bằng chữ: chín triệu đồng)", "mức lương cơ sở 1.800.000 đồng", "Nghị định 24/2023/NĐ-CP",
                     "chi từ Quỹ Thi đua, khen thưởng tỉnh Đắk Nông",
                     "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.", "Điều 4.", "Nơi nhận:", "Như Điều 4",
                     "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Trọng Yên",
                     "DANH SÁCH KHEN THƯỞNG",
                     "Kèm theo Quyết định số 01/QĐ-UBND ngày 05/12/2023 của Chủ tịch Ủy ban nhân dân tỉnh Đắk Nông",
                     "I. BẰNG KHEN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "1. Tập thể", "2. Cá nhân",
                     "Tổng cộng tiền thưởng: 9.000.000 đồng", *awardees]:
        assert expected in text, expected
    for absent in ["DỰ THẢO", "0 tập thể", "0 cá nhân", "(theo chuyên đề, phong trào)", "của Ủy ban nhân dân tỉnh)"]:
        assert absent not in text, absent
    # The annex: each awardee's amount, and the total is their sum (and the sum of the stored history rows).
    annex = text[text.index("DANH SÁCH KHEN THƯỞNG"):text.index("Tổng cộng tiền thưởng")]
    amounts = [int(m.replace(".", "")) for m in MONEY.findall(annex)]
    assert sorted(amounts) == sorted(r.amount for r in decision.records.all()) == [1800000] * 3 + [3600000]
    assert sum(amounts) == 9000000
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
    # working notes and the unchecked marks are for Sở Nội vụ administrators only (tests/ux/test_clean_pages.py)
    assert "chưa đối chiếu" not in page and "cần đối chiếu với văn bản" not in page
    admin_page = client_for(users["admin"]).get(reverse("awards:catalogue")).content.decode()
    assert "cần đối chiếu với văn bản" in admin_page and "Ghi chú làm việc" in admin_page


def test_upload_checks_content(users, make_dossier):
    from awards.models import DocumentType
    from core.files import bytes_upload

    dossier = make_dossier("draft", complete=False)
    with pytest.raises(ValidationError, match="không phải là tệp PDF thật"):
        services.document_upload(dossier=dossier, by=users["dm_officer"],
                                 doc_type=DocumentType.objects.get(code="TOTRINH"),
                                 upload=bytes_upload("to-trinh.pdf", b"not a pdf at all"))
    assert not dossier.documents.exists()


def test_a_draft_decision_is_not_shown_to_the_unit(client_for, users, make_dossier, signers):
    dossier = make_dossier("at_council")
    draft = services.decision_prepare(dossiers=[dossier], by=users["admin"], date=datetime.date(2024, 2, 1),
                                      signer=signers["chair"])
    officer = client_for(users["dm_officer"])
    assert officer.get(reverse("awards:decision_detail", args=[draft.pk])).status_code == 404
    assert officer.get(reverse("awards:decision_pdf", args=[draft.pk])).status_code == 404
    assert reverse("awards:decision_detail", args=[draft.pk]) not in officer.get(
        dossier.get_absolute_url()).content.decode()
    services.decision_register(decision=draft, by=users["admin"])
    assert officer.get(reverse("awards:decision_detail", args=[draft.pk])).status_code == 200
