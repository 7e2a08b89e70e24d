"""A district officer generates the Tờ trình of a dossier from its data, downloads the DOCX (which holds the
nominees and the number from the district's register), uploads the signed PDF in its place, and the checklist
turns green."""

import datetime
import io

import pytest
from docx import Document
from playwright.sync_api import expect

from awards import services
from awards.models import DocumentType
from core.models import IssuingBody, Signer, SignerPosition
from tests.conftest import PASSWORD
from tests.fixtures.awards import PDF


@pytest.mark.django_db(transaction=True)
def test_officer_generates_downloads_and_replaces_the_proposal(page, live_server, users, tree, people, catalogue,
                                                               signers, campaign, interim):
    body = IssuingBody.objects.create(key="DM", name="Ủy ban nhân dân huyện Đắk Mil", abbreviation="UBND",
                                      place="Đắk Mil", collective="Ủy ban nhân dân")
    Signer.objects.create(body=body, full_name="Phạm Văn Đức", position=SignerPosition.HEAD,
                          valid_from=datetime.date(2020, 1, 1))
    officer = users["dm_officer"]
    dossier = services.dossier_create(by=officer, campaign=campaign, milestone=interim, unit=tree["dm"],
                                      form=catalogue["BK-TINH-CD"])
    services.nominee_add(dossier=dossier, by=officer, unit=tree["dm01"], summary="Dẫn đầu cụm thi đua.")
    services.nominee_add(dossier=dossier, by=officer, person=people["an"], summary="Đổi mới lề lối làm việc.")

    base = live_server.url
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("dm_officer")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{base}{dossier.get_absolute_url()}")

    proposal = page.locator('#document-checklist li[data-doc="TOTRINH"]')
    expect(proposal).to_have_attribute("data-state", "to_generate")
    page.get_by_role("button", name="Lập tờ trình từ dữ liệu").click()
    expect(proposal).to_have_attribute("data-state", "generated")
    expect(proposal).to_contain_text("tạo từ dữ liệu")
    expect(proposal).to_contain_text("số 01/TTr-UBND")

    with page.expect_download() as download:
        proposal.get_by_role("link", name="DOCX").click()
    assert download.value.suggested_filename == f"to-trinh-{dossier.code}.docx"
    doc = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "Nguyễn Văn An" in text and "Ủy ban nhân dân thị trấn Đắk Mil" in text
    assert "01 (một) tập thể và 01 (một) cá nhân" in text and "Số: 01/TTr-UBND" in text

    page.locator("#id_doc_type").select_option(str(DocumentType.objects.get(code="TOTRINH").pk))
    page.locator("#id_file").set_input_files(files=[{"name": "To trinh da ky.pdf", "mimeType": "application/pdf",
                                                     "buffer": PDF}])
    page.get_by_role("button", name="Tải lên").click()
    expect(proposal).to_have_attribute("data-state", "uploaded")
    expect(proposal.locator(".badge.bg-success")).to_have_text("Đã có bản ký")
    expect(proposal.get_by_role("link", name="DOCX")).to_have_count(0)
    expect(page.locator("#documents")).to_contain_text("To trinh da ky.pdf")
