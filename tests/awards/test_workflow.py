"""Every transition through its POST-only view: the allowed actor succeeds (with an activity row), a wrong role
gets 403, an actor outside the dossier's scope gets 404, a GET is refused with 405."""

import pytest
from django.urls import reverse

from awards.models import Dossier
from core.models import AuditEntry

# The number comes from the province's register; the signer defaults to the head in office on the date.
DECISION = {"date": "15/01/2024", "proposal_number": "12/TTr-SNV", "proposal_date": "10/01/2024"}

# url name, starting state, allowed, wrong role, out of scope, POST data, resulting state
CASES = [
    ("submit", "draft", "dm_officer", "appraiser", "gn_officer", {}, "submitted"),
    ("submit", "returned", "dm_officer", "admin", "gn_officer", {}, "submitted"),
    ("withdraw", "submitted", "dm_officer", "appraiser", "gn_officer", {}, "withdrawn"),
    ("receive", "submitted", "appraiser", "dm_officer", "gn_officer", {}, "received"),
    ("start", "received", "appraiser", "dm_officer", "gn_officer", {}, "under_appraisal"),
    ("return", "under_appraisal", "appraiser", "dm_officer", "gn_officer", {"note": "Thiếu biên bản họp"},
     "returned"),
    ("propose", "under_appraisal", "appraiser", "leader", "gn_officer", {"note": "Đủ tiêu chuẩn"}, "proposed"),
    ("not_propose", "under_appraisal", "appraiser", "dm_officer", "gn_officer", {"note": "Chưa đủ"},
     "not_proposed"),
    ("to_council", "proposed", "admin", "appraiser", "gn_officer", {}, "at_council"),
    ("decide", "at_council", "admin", "appraiser", "gn_officer", DECISION, "awarded"),
    ("decide", "at_council", "approver", "leader", "gn_officer", DECISION, "awarded"),
    ("not_award", "at_council", "admin", "appraiser", "gn_officer", {"note": "Hội đồng không thông qua"},
     "not_awarded"),
    ("not_award", "at_council", "approver", "leader", "gn_officer", {"note": "Hội đồng không thông qua"},
     "not_awarded"),
    ("reopen", "withdrawn", "admin", "appraiser", "gn_officer", {"reason": "Đơn vị rút nhầm"}, "draft"),
    ("reopen", "not_proposed", "admin", "dm_officer", "gn_officer", {"reason": "Có tài liệu mới"},
     "under_appraisal"),
]
IDS = [f"{c[0]}-from-{c[1]}-by-{c[2]}" for c in CASES]


def _rows(dossier):
    return AuditEntry.objects.filter(target_type="awards.dossier", target_id=str(dossier.pk))


@pytest.mark.parametrize("name,start,allowed,_wrong,_outsider,data,end", CASES, ids=IDS)
def test_allowed_actor_succeeds_with_activity_row(client_for, users, make_dossier, name, start, allowed, _wrong,
                                                  _outsider, data, end):
    dossier = make_dossier(start)
    before = _rows(dossier).count()
    response = client_for(users[allowed]).post(reverse(f"awards:{name}", args=[dossier.pk]), data)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == end
    new = _rows(dossier).order_by("-id").first()
    assert _rows(dossier).count() == before + 1
    assert new.changes == {"from": start, "to": end}
    assert new.actor == users[allowed]


@pytest.mark.parametrize("name,start,_allowed,wrong,_outsider,data,_end", CASES, ids=IDS)
def test_wrong_role_is_refused(client_for, users, make_dossier, name, start, _allowed, wrong, _outsider, data, _end):
    dossier = make_dossier(start)
    response = client_for(users[wrong]).post(reverse(f"awards:{name}", args=[dossier.pk]), data)
    assert response.status_code == 403
    assert Dossier.objects.get(pk=dossier.pk).state == start


@pytest.mark.parametrize("name,start,_allowed,_wrong,outsider,data,_end", CASES, ids=IDS)
def test_out_of_scope_actor_gets_404(client_for, users, make_dossier, name, start, _allowed, _wrong, outsider, data,
                                     _end):
    dossier = make_dossier(start)
    response = client_for(users[outsider]).post(reverse(f"awards:{name}", args=[dossier.pk]), data)
    assert response.status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).state == start


@pytest.mark.parametrize("name", sorted({c[0] for c in CASES} | {"nominee_remove", "document_upload"}))
def test_get_on_an_action_is_refused(client_for, users, make_dossier, name):
    dossier = make_dossier("draft", complete=False)
    args = [dossier.pk, 1] if name == "nominee_remove" else [dossier.pk]
    response = client_for(users["admin"]).get(reverse(f"awards:{name}", args=args))
    assert response.status_code == 405


def test_action_in_the_wrong_state_gives_a_vietnamese_message(client_for, users, make_dossier):
    dossier = make_dossier("draft")
    response = client_for(users["appraiser"]).post(reverse("awards:receive", args=[dossier.pk]), follow=True)
    assert "vừa được người khác thay đổi" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == "draft"


def test_return_needs_reasons_and_the_unit_sees_them(client_for, users, make_dossier):
    dossier = make_dossier("under_appraisal")
    client = client_for(users["appraiser"])
    client.post(reverse("awards:return", args=[dossier.pk]), {"note": "  "})
    assert Dossier.objects.get(pk=dossier.pk).state == "under_appraisal"
    client.post(reverse("awards:return", args=[dossier.pk]), {"note": "Bổ sung biên bản họp Hội đồng"})
    page = client_for(users["dm_officer"]).get(reverse("awards:detail", args=[dossier.pk])).content.decode()
    assert "Bổ sung biên bản họp Hội đồng" in page
    assert "Nộp lại hồ sơ" in page


def test_outsider_cannot_open_or_download(client_for, users, make_dossier):
    dossier = make_dossier("submitted")
    document = dossier.documents.first()
    client = client_for(users["gn_officer"])
    assert client.get(reverse("awards:detail", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("awards:document_download", args=[dossier.pk, document.pk])).status_code == 404
    own = client_for(users["dm_officer"]).get(reverse("awards:document_download", args=[dossier.pk, document.pk]))
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment")


def test_resubmission_shows_the_appraiser_what_changed(users, make_dossier):
    from awards import services
    from awards.models import DocumentType
    from tests.fixtures.awards import pdf

    dossier = make_dossier("returned")
    officer = users["dm_officer"]
    services.document_upload(dossier=dossier, by=officer, doc_type=DocumentType.objects.get(code="BIENBAN"),
                             upload=pdf("Biên bản bổ sung.pdf"))
    services.dossier_update(dossier=dossier, by=officer, council_votes=10)
    services.dossier_submit(dossier=dossier, by=officer)
    latest = dossier.submissions.order_by("-number").first()
    assert latest.number == 2
    assert any("Biên bản bổ sung.pdf" in line for line in latest.changes)
    assert any("Số phiếu đồng ý: 9 → 10" in line for line in latest.changes)
