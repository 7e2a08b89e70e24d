"""The dossier page's checklist (uploaded / generated from the data / to generate / missing), the Tờ trình
service (numbered once from the unit's register, refused to others), downloads scoped like the dossier."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import services
from awards.models import DocumentType, Dossier
from core.models import RegisteredDocument
from tests.fixtures.awards import pdf, upload_required

from .conftest import docx_text


def _states(html):
    return dict(re.findall(r'data-doc="([A-Z_]+)" data-state="([a-z_]+)"', html))


def _page(client, dossier):
    response = client.get(dossier.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_checklist_marks_generated_documents_until_a_signed_file_replaces_them(draft, users, client_for, dm_body):
    client = client_for(users["dm_officer"])
    states = _states(_page(client, draft))
    assert states == {"TOTRINH": "to_generate", "BCTT_TT": "generated", "BCTT_CN": "generated",
                      "BIENBAN": "missing"}
    response = client.post(f"/khen-thuong/ho-so/{draft.pk}/lap-to-trinh/", follow=True)
    html = response.content.decode()
    assert _states(html)["TOTRINH"] == "generated"
    assert "số 01/TTr-UBND" in html
    assert f"/khen-thuong/ho-so/{draft.pk}/tao-tu-du-lieu/to-trinh.docx" in html
    services.document_upload(dossier=draft, by=users["dm_officer"], doc_type=DocumentType.objects.get(code="TOTRINH"),
                             upload=pdf("To trinh da ky.pdf"))
    states = _states(_page(client, draft))
    assert states["TOTRINH"] == "uploaded" and states["BCTT_TT"] == "generated"


def test_generated_checklist_does_not_satisfy_the_submission_check(draft, users, client_for):
    """A generated document is a draft to sign: the dossier still needs the signed files to be submitted."""
    html = _page(client_for(users["dm_officer"]), draft)
    assert "Thiếu tài liệu: Báo cáo thành tích tập thể" in html


def test_downloads_answer_files_with_the_data(draft, users, client_for):
    client = client_for(users["dm_officer"])
    response = client.get(f"/khen-thuong/ho-so/{draft.pk}/tao-tu-du-lieu/danh-sach.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Nguyễn Văn An" in docx_text(response.content)
    nominee = draft.nominees.get(unit__isnull=False)
    response = client.get(f"/khen-thuong/ho-so/{draft.pk}/doi-tuong/{nominee.pk}/bao-cao-thanh-tich.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/khen-thuong/ho-so/{draft.pk}/tao-tu-du-lieu/to-trinh.odt").status_code == 404
    assert client.get(f"/khen-thuong/ho-so/{draft.pk}/tao-tu-du-lieu/quyet-dinh.pdf").status_code == 404


def test_outsiders_get_404(draft, users, client_for, make_dossier, tree):
    client = client_for(users["gn_officer"])
    nominee = draft.nominees.first()
    for url in (f"/khen-thuong/ho-so/{draft.pk}/tao-tu-du-lieu/to-trinh.docx",
                f"/khen-thuong/ho-so/{draft.pk}/doi-tuong/{nominee.pk}/bao-cao-thanh-tich.docx"):
        assert client.get(url).status_code == 404
    assert client.post(f"/khen-thuong/ho-so/{draft.pk}/lap-to-trinh/").status_code == 404
    # a nominee of another dossier is not found under this one
    other = make_dossier("draft", nominees=[{"unit": tree["dm01_vp"]}])
    stranger = other.nominees.get()
    client = client_for(users["dm_officer"])
    assert client.get(f"/khen-thuong/ho-so/{draft.pk}/doi-tuong/{stranger.pk}/bao-cao-thanh-tich.pdf"
                      ).status_code == 404
    assert client_for(users["appraiser"]).get(
        f"/khen-thuong/ho-so/{draft.pk}/tao-tu-du-lieu/danh-sach.pdf").status_code == 200


def test_proposal_is_numbered_once_and_only_by_the_preparer(draft, users, dm_body):
    with pytest.raises(PermissionDenied):
        services.dossier_proposal_generate(dossier=draft, by=users["gn_officer"])
    with pytest.raises(PermissionDenied):
        services.dossier_proposal_generate(dossier=draft, by=users["appraiser"])
    services.dossier_proposal_generate(dossier=draft, by=users["dm_officer"])
    services.dossier_proposal_generate(dossier=draft, by=users["dm_officer"])
    dossier = Dossier.objects.get(pk=draft.pk)
    assert RegisteredDocument.objects.filter(issuer="DM", kind="TTr").count() == 1
    assert dossier.proposal_entry.number == 1 and dossier.proposal_signer.full_name == "Phạm Văn Đức"
    assert dossier.proposal_entry.target_id == str(dossier.pk)
    from core.models import AuditEntry

    assert AuditEntry.objects.filter(action="dossier_proposal_generate", target_id=str(dossier.pk)).count() == 1


def test_proposal_refused_once_submitted(make_dossier, users):
    dossier = make_dossier("submitted")
    with pytest.raises(ValidationError):
        services.dossier_proposal_generate(dossier=dossier, by=users["dm_officer"])


def test_get_on_generate_goes_to_login_or_405(draft, client, users, client_for):
    assert client.get(f"/khen-thuong/ho-so/{draft.pk}/lap-to-trinh/").status_code == 302
    assert client_for(users["dm_officer"]).get(f"/khen-thuong/ho-so/{draft.pk}/lap-to-trinh/").status_code == 405


def test_dossier_page_query_count_does_not_grow_with_nominees(draft, users, client_for, people,
                                                              django_assert_max_num_queries):
    client = client_for(users["dm_officer"])
    upload_required(draft, users["dm_officer"], codes=("BIENBAN",))
    with django_assert_max_num_queries(40):
        _page(client, draft)
    services.nominee_add(dossier=draft, by=users["dm_officer"], person=people["binh"], summary="Tích cực.")
    with django_assert_max_num_queries(40):
        assert "Trần Thị Bình" in _page(client, draft)


def test_list_download_queries_do_not_grow_with_nominees(draft, users, client_for, people, tree,
                                                         django_assert_max_num_queries):
    client = client_for(users["dm_officer"])
    url = f"/khen-thuong/ho-so/{draft.pk}/tao-tu-du-lieu/danh-sach.docx"
    with django_assert_max_num_queries(20):
        client.get(url)
    services.nominee_add(dossier=draft, by=users["dm_officer"], person=people["binh"], summary="Tích cực.")
    services.nominee_add(dossier=draft, by=users["dm_officer"], unit=tree["dm01_vp"], summary="Tích cực.")
    with django_assert_max_num_queries(20):
        assert "Trần Thị Bình" in docx_text(client.get(url).content)
