"""Validation speaks one language (issue 15, point 11): every text field shows its limit and the server refuses a
longer text; council figures that cannot be are refused; an empty upload gets the same sentence everywhere; the
reasons of a return disappear once the dossier is decided on."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import DocumentType, Dossier, DossierDocument
from campaigns.forms.work import InitiativeForm
from core.forms import LINE_LIMIT, TEXT_LIMIT

pytestmark = pytest.mark.django_db


def test_a_320000_character_initiative_text_is_refused_in_vietnamese(users, campaign, people):
    form = InitiativeForm(data={"campaign": campaign.pk, "year": 2023, "unit": people["an"].unit.pk,
                                "title": "Một cửa điện tử", "authors": [people["an"].pk], "problem": "x" * 320_000,
                                "solution": "Giải pháp", "effect": "Hiệu quả"}, user=users["dm_officer"])
    assert not form.is_valid()
    assert form.errors["problem"] == [f"Tối đa {TEXT_LIMIT} ký tự; nội dung đang có 320000 ký tự. Hãy rút gọn rồi "
                                      "lưu lại."]


def test_every_text_field_of_a_page_shows_its_limit(client_for, users, make_dossier):
    dossier = make_dossier()
    page = client_for(users["dm_officer"]).get(reverse("awards:nominee_add", args=[dossier.pk])).content.decode()
    summary = re.search(r"<textarea[^>]*name=\"summary\"[^>]*>", page).group(0)
    assert f'maxlength="{TEXT_LIMIT}"' in summary
    for tag in re.findall(r"<(?:input|textarea)[^>]*>", page):
        kind = re.search(r'type="(\w+)"', tag)
        if kind and kind.group(1) in ("hidden", "checkbox", "radio", "file", "submit", "password", "search"):
            continue
        if 'name="csrfmiddlewaretoken"' in tag or 'name="language"' in tag:
            continue
        assert "maxlength=" in tag, f"no limit shown on {tag}"


def test_a_line_without_its_own_limit_gets_one_on_the_server(users, campaign):
    from campaigns.forms.plan import UnitFilterForm  # its search line is declared without max_length
    form = UnitFilterForm(data={"q": "a" * (LINE_LIMIT + 1)}, campaign=campaign, user=users["admin"])
    assert not form.is_valid() and form.errors["q"][0].startswith(f"Tối đa {LINE_LIMIT} ký tự")


@pytest.mark.parametrize(("members", "present", "votes", "field", "message"), [
    (9, 10, 9, "council_present", "Số thành viên có mặt (10) không được lớn hơn tổng số thành viên Hội đồng (9)."),
    (10, 8, 9, "council_votes", "Số phiếu đồng ý (9) không được lớn hơn số thành viên có mặt (8)."),
])
def test_impossible_council_figures_are_refused(client_for, users, make_dossier, members, present, votes, field,
                                                message):
    dossier = make_dossier()
    client = client_for(users["dm_officer"])
    response = client.post(reverse("awards:council", args=[dossier.pk]), {
        "council_date": "20/11/2023", "council_members": members, "council_present": present,
        "council_votes": votes}, follow=True)
    page = response.content.decode()
    assert message in page and "Đã lưu thông tin cuộc họp" not in page
    dossier.refresh_from_db()
    assert (dossier.council_members, dossier.council_present, dossier.council_votes) == (10, 10, 9)  # unchanged
    from awards import services
    with pytest.raises(Exception, match=re.escape(message)):
        services.dossier_update(dossier=dossier, by=users["dm_officer"], council_date=dossier.council_date,
                                council_members=members, council_present=present, council_votes=votes,
                                simplified=False)


def test_an_empty_dossier_document_gets_the_evidence_sentence(client_for, users, make_dossier):
    dossier = make_dossier(complete=False)
    response = client_for(users["dm_officer"]).post(reverse("awards:document_upload", args=[dossier.pk]), {
        "doc_type": DocumentType.objects.get(code="TOTRINH").pk,
        "file": SimpleUploadedFile("to-trinh.pdf", b"", content_type="application/pdf")}, follow=True)
    page = response.content.decode()
    assert "Tệp “to-trinh.pdf” rỗng (0 byte); hãy chọn đúng tệp." in page
    assert "Tập tin được gửi là rỗng" not in page
    assert not DossierDocument.objects.filter(dossier=dossier).exists()


def test_the_reasons_of_a_return_go_once_the_dossier_is_decided_on(client_for, users, make_dossier):
    dossier = make_dossier("returned")
    client = client_for(users["appraiser"])
    assert 'id="return-reasons"' in client.get(dossier.get_absolute_url()).content.decode()
    from awards import services
    services.dossier_submit(dossier=dossier, by=users["dm_officer"])  # resubmitted: the reasons say what to check
    assert Dossier.objects.get(pk=dossier.pk).state in ("submitted", "received", "under_appraisal")
    assert "Thiếu biên bản" in client.get(dossier.get_absolute_url()).content.decode()
    appraiser = users["appraiser"]
    for step in (services.dossier_receive, services.dossier_start_appraisal, services.dossier_propose):
        step(dossier=Dossier.objects.get(pk=dossier.pk), by=appraiser)
    assert Dossier.objects.get(pk=dossier.pk).state == "proposed"
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'id="return-reasons"' not in page
