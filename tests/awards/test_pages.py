"""Every page answers for every role in every state, and the officer's editing pages work end to end."""

import pytest
from django.urls import reverse

from awards.models import DocumentType, Dossier, DossierState
from tests.fixtures.awards import pdf


@pytest.mark.parametrize("state", [s for s in DossierState.values])
def test_detail_page_for_every_role_and_state(client_for, users, make_dossier, state):
    dossier = make_dossier(state)
    for role in ("dm_officer", "appraiser", "admin", "leader"):
        response = client_for(users[role]).get(reverse("awards:detail", args=[dossier.pk]))
        assert response.status_code == 200, role
        assert dossier.get_state_display() in response.content.decode()


def test_buttons_follow_role_and_state(client_for, users, make_dossier):
    dossier = make_dossier("under_appraisal")
    appraiser_page = client_for(users["appraiser"]).get(reverse("awards:detail", args=[dossier.pk])).content.decode()
    assert "Đề nghị khen thưởng</button>" in appraiser_page and "Trả lại để bổ sung</button>" in appraiser_page
    officer_page = client_for(users["dm_officer"]).get(reverse("awards:detail", args=[dossier.pk])).content.decode()
    assert "</button>" not in officer_page.split('id="actions"')[1].split("</section>")[0]
    proposed = make_dossier("proposed")
    admin_page = client_for(users["admin"]).get(reverse("awards:detail", args=[proposed.pk])).content.decode()
    assert "Trình Hội đồng</button>" in admin_page and "Mở lại hồ sơ" not in admin_page


@pytest.mark.parametrize("name", ["list", "catalogue", "history", "inbox", "create"])
def test_pages_answer(client_for, users, catalogue, campaign, name):
    for role in ("dm_officer", "appraiser", "admin", "leader"):
        response = client_for(users[role]).get(reverse(f"awards:{name}"))
        expected = 403 if name == "create" and role != "dm_officer" else 200
        assert response.status_code == expected, role


def test_officer_builds_a_dossier_through_the_pages(client_for, users, tree, people, catalogue, campaign, interim):
    client = client_for(users["dm_officer"])
    response = client.post(reverse("awards:create"), {"milestone": interim.pk, "unit": tree["dm"].pk,
                                                      "form": catalogue["BK-TINH-CD"].pk})
    dossier = Dossier.objects.get()
    assert response.url == reverse("awards:detail", args=[dossier.pk])
    assert client.get(reverse("awards:nominee_add", args=[dossier.pk])).status_code == 200
    client.post(reverse("awards:nominee_add", args=[dossier.pk]), {"person": people["an"].pk, "summary": "Xuất sắc"})
    refused = client.post(reverse("awards:nominee_add", args=[dossier.pk]),
                          {"person": people["cuong"].pk, "summary": "x"})
    assert refused.status_code == 200  # another district's person is not even a choice
    assert list(dossier.nominees.values_list("person__full_name", flat=True)) == ["Nguyễn Văn An"]
    for code in ("TOTRINH", "BCTT_CN", "BIENBAN"):
        client.post(reverse("awards:document_upload", args=[dossier.pk]),
                    {"doc_type": DocumentType.objects.get(code=code).pk, "file": pdf(f"{code}.pdf")})
    assert dossier.documents.count() == 3
    client.post(reverse("awards:council", args=[dossier.pk]), {"council_date": "20/11/2023", "council_members": 9,
                                                               "council_present": 9, "council_votes": 9})
    client.post(reverse("awards:submit", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.state == "submitted" and dossier.due_on is not None
    # Once submitted the officer can no longer edit.
    client.post(reverse("awards:document_delete", args=[dossier.pk, dossier.documents.first().pk]))
    assert dossier.documents.count() == 3


def test_appraiser_cannot_edit_a_draft(client_for, users, make_dossier):
    dossier = make_dossier("draft", complete=False)
    response = client_for(users["appraiser"]).post(reverse("awards:council", args=[dossier.pk]),
                                                   {"council_votes": 3})
    assert response.status_code == 403
    assert client_for(users["appraiser"]).get(reverse("awards:nominee_add", args=[dossier.pk])).status_code == 403


def test_activity_log_speaks_vietnamese(client_for, users, make_dossier):
    dossier = make_dossier("received")
    page = client_for(users["dm_officer"]).get(reverse("awards:detail", args=[dossier.pk])).content.decode()
    assert "<strong>Tiếp nhận</strong> (Đã nộp, chờ tiếp nhận → Đã tiếp nhận)" in page
    assert "dossier_receive" not in page


def test_officer_edits_a_nominee_after_return_and_the_appraiser_sees_it(client_for, users, make_dossier):
    dossier = make_dossier("returned")
    nominee = dossier.nominees.get(person__isnull=False)
    url = reverse("awards:nominee_edit", args=[dossier.pk, nominee.pk])
    assert client_for(users["gn_officer"]).get(url).status_code == 404
    assert client_for(users["appraiser"]).get(url).status_code == 403
    client = client_for(users["dm_officer"])
    assert client.get(url).status_code == 200
    client.post(url, {"summary": "Bổ sung: 100% hồ sơ đúng hạn năm 2023."})
    nominee.refresh_from_db()
    assert nominee.summary == "Bổ sung: 100% hồ sơ đúng hạn năm 2023."
    client.post(reverse("awards:submit", args=[dossier.pk]))
    page = client_for(users["appraiser"]).get(reverse("awards:detail", args=[dossier.pk])).content.decode()
    assert "Sửa tóm tắt thành tích của Nguyễn Văn An" in page
    # Not editable any more once resubmitted.
    client.post(url, {"summary": "Sửa lén"})
    nominee.refresh_from_db()
    assert nominee.summary == "Bổ sung: 100% hồ sơ đúng hạn năm 2023."
