"""Digital signatures: a registered decision signed by its signer in the background (PAdES through pyHanko), the
file checked with pyHanko and poppler's pdfsig, the appearance found at the signature block, the text untouched;
tampering, revoked and untrusted signers and unsigned files reported on upload; the verify_pdf command."""

import io
import re
import subprocess
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from awards import services
from core import signing
from core.files import bytes_upload
from core.models import PdfVerification, SealImage, SignatureImage, SignedDocument
from core.signing_demo import TEST_MARK, _seal_png, _signature_png, make_demo_identity
from tests.campaigns.test_work_support import make_achievement

from .conftest import other_root

TASKS_IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                               "QUEUES": ["default", "reports", "imports"]}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = TASKS_IMMEDIATE


def _png_upload(name, data):
    return bytes_upload(name, data)


def _link(signer, identity, account):
    from core.files import store_upload

    image = SignatureImage(signer=signer, identity=identity, account=account)
    store_upload(image, _png_upload("chu-ky.png", _signature_png(signer.full_name)), folder="signing")
    image.save()
    seal = SealImage(body=signer.body)
    store_upload(seal, _png_upload("dau.png", _seal_png("ỦY BAN\nNHÂN DÂN")), folder="signing")
    seal.save()
    return image


def _text(data, tmp_path, name):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def signed_decision(signing_setup, make_dossier, users, django_capture_on_commit_callbacks):
    dossier = make_dossier("awarded")
    decision = dossier.decision
    _link(decision.signer_ref, "good", users["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        row = services.decision_sign(decision=decision, by=users["approver"])
    row.refresh_from_db()
    return decision, row


def test_signed_decision_is_valid_for_pyhanko_and_pdfsig(signed_decision, tmp_path):
    decision, row = signed_decision
    assert row.status == "done", row.error
    assert row.level == "B-B"  # no timestamp server configured
    data = row.file.open("rb").read()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == row.sha256
    # The unsigned version stays, unchanged, beside the signed one.
    source = row.source.open("rb").read()
    assert hashlib.sha256(source).hexdigest() == row.source_sha256 and source != data

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert len(embedded) == 1
    # pyHanko's synchronous API starts an asyncio loop: off this thread when a browser test left one running here.
    status = signing._outside_event_loop(
        lambda: validate_pdf_signature(embedded[0], signing.validation_context()))
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert embedded[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES

    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert "Hồ Văn Mười" in report

    # The kept verification of the signed file, by its SHA-256.
    assert PdfVerification.objects.get(sha256=row.sha256).status == "valid"


def test_appearance_is_at_the_signature_block_and_the_text_is_unchanged(signed_decision, tmp_path):
    decision, row = signed_decision
    data, source = row.file.open("rb").read(), row.source.open("rb").read()
    pages = signing.page_layout(source)
    name_lines = [(index, line) for index, page in enumerate(pages) for line in page.lines
                  if line.text == decision.signer]
    page_index, name = name_lines[-1]

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data))
    widget = reader.embedded_signatures[0].sig_field
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    kids = reader.root["/Pages"]["/Kids"]
    # On the page where the signer's name is printed.
    assert widget.raw_get("/P").idnum == kids.raw_get(page_index).idnum
    height = pages[page_index].height
    # Right above the printed name, over its centre, below the title line.
    assert abs(y0 - (height - name.y0)) < 6
    assert x0 < (name.x0 + name.x1) / 2 < x1
    title = [line for line in pages[page_index].lines if line.y1 <= name.y0 and line.x0 < x1 and line.x1 > x0]
    assert y1 <= height - max(line.y1 for line in title) + 0.5

    # The appearance carries the picture (signer's image and seal) and the signature information.
    appearance = widget["/AP"]["/N"]
    assert b"Do" in appearance.data
    # Text: every word of every page kept; the only words added are the signature's information in the
    # appearance (which pdftotext reads too). The appendix in the same file gets none (Phụ lục I, III.1.d).
    before, after = _text(source, tmp_path, "before").split("\f"), _text(data, tmp_path, "after").split("\f")
    assert len(before) == len(after)
    when = signing.signing_time_text(row.signed_at)
    body = decision.signer_ref.body.name
    assert page_index < next(i for i, page in enumerate(before) if "DANH SÁCH KHEN THƯỞNG" in page)
    added = {page_index: f"{decision.signer} {body} {when}"}
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        assert Counter(new.split()) - Counter(old.split()) == Counter(added.get(index, "").split()), index
        assert not Counter(old.split()) - Counter(new.split()), index


def test_an_appendix_in_the_same_file_carries_no_signature_of_its_own(signed_decision, tmp_path):
    """Decree 30/2020, Phụ lục I, Mục III, 1.d: "Đối với Phụ lục cùng tệp tin với nội dung văn bản điện tử, Văn thư
    cơ quan chỉ thực hiện ký số văn bản và không thực hiện ký số lên Phụ lục." One signature, on the document."""
    decision, row = signed_decision
    data = row.file.open("rb").read()
    pages, source_pages = signing.page_layout(data), signing.page_layout(row.source.open("rb").read())
    first = next(i for i, page in enumerate(pages) if any("DANH SÁCH KHEN THƯỞNG" in line.text for line in page.lines))
    time_text = signing.signing_time_text(row.signed_at)
    for index in range(first, len(pages)):
        assert [line.text for line in pages[index].lines] == [line.text for line in source_pages[index].lines]
        assert not any(time_text in line.text for line in pages[index].lines)
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data))
    assert len(reader.embedded_signatures) == 1
    kids = reader.root["/Pages"]["/Kids"]
    signed_page = next(i for i in range(len(kids))
                       if kids.raw_get(i).idnum == reader.embedded_signatures[0].sig_field.raw_get("/P").idnum)
    assert signed_page < first


def test_a_signer_named_in_an_appendix_is_signed_for_at_the_signature_block():
    """The signature block is looked for before the appendices: a name in an appendix's table never draws it."""
    page = signing.Page(595, 842, [signing.Line("CHỦ TỊCH", 380, 600, 460, 614),
                                   signing.Line("Hồ Văn Mười", 370, 700, 470, 714)])
    appendix = signing.Page(595, 842, [signing.Line("DANH SÁCH KHEN THƯỞNG", 200, 60, 400, 74),
                                       signing.Line("Hồ Văn Mười", 100, 300, 200, 314)])
    pages = [page, appendix]
    assert signing.appendix_pages(pages, ["DANH SÁCH KHEN THƯỞNG"], after=1) == [1]
    assert signing.signature_block(pages[:1], "Hồ Văn Mười")[0] == 0
    assert signing.signature_block(pages, "Hồ Văn Mười")[0] == 1  # what a search of the whole file would find


def test_the_seal_is_drawn_at_its_real_size_when_its_scan_says_its_resolution():
    """Phụ lục I, Mục II, 8.a: "kích thước bằng kích thước thực tế của dấu"."""
    seal = Image.new("RGBA", (472, 472), (30, 30, 30, 255))  # 40 mm at 300 dpi
    out = io.BytesIO()
    seal.save(out, "PNG", dpi=(300, 300))
    scanned = Image.open(io.BytesIO(out.getvalue()))
    assert abs(signing.seal_diameter_pt(scanned) - 40 / 25.4 * 72) < 0.5
    assert signing.seal_diameter_pt(Image.new("RGBA", (472, 472))) == signing.SEAL_DIAMETER_PT  # no resolution
    picture = Image.open(io.BytesIO(signing.appearance_image((0, 0, 300, 150), seal=scanned, scale=1)))
    reds = [x for x in range(picture.width) if picture.getpixel((x, 75))[3] > 200]
    assert abs(len(reds) - 40 / 25.4 * 72) <= 2  # 113 pt across


def test_seal_is_red_over_the_left_third_of_the_signature():
    signature = Image.open(io.BytesIO(_signature_png("Hồ Văn Mười")))
    seal = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    seal.paste((30, 30, 30, 255), (0, 0, 200, 200))  # a dark square: any colour comes out red
    picture = Image.open(io.BytesIO(signing.appearance_image((0, 0, 200, 60), signature=signature,
                                                             seal=seal))).convert("RGBA")
    reds = [(x, y) for x in range(picture.width) for y in range(0, picture.height, 4)
            if picture.getpixel((x, y))[3] > 200 and picture.getpixel((x, y))[0] > 180
            and picture.getpixel((x, y))[1] < 80]
    assert reds
    signature_left = (picture.width - round(picture.width * 0.6)) // 2
    third = signature_left + round(picture.width * 0.6) // 3
    assert max(x for x, _y in reds) <= third + 2  # the seal ends a third of the way into the signature


def test_one_byte_changed_after_signing_is_detected(signed_decision, tmp_path):
    _decision, row = signed_decision
    data = bytearray(row.file.open("rb").read())
    start = int(re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", bytes(data)).group(2)) // 2
    position = data.index(b"(", start) + 1  # a byte of a string in the signed range
    data[position] = ord("X") if data[position] != ord("X") else ord("Y")
    assert signing.verify_pdf(bytes(data)).status == "modified"
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(data))
    assert "Signature is Valid." not in subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def _signed_letter(identity, name="Hồ Văn Mười"):
    from core import documents

    html = (f"<html><body style=\"font-family: 'Liberation Serif'\"><p>CHỦ TỊCH</p><p style='height: 80pt'></p>"
            f"<p>{name}</p></body></html>")
    return signing.sign_pdf(documents.write_pdf(html), identity=identity, signer_name=name,
                            body_name="Ủy ban nhân dân tỉnh Đắk Nông").data


def _upload_document(dossier, by, data, name):
    from awards.models import DocumentType

    return services.document_upload(dossier=dossier, by=by, doc_type=DocumentType.objects.first(),
                                    upload=bytes_upload(name, data))


def test_revoked_untrusted_and_unsigned_uploads_are_reported(signing_setup, settings, make_dossier, users,
                                                             client_for, tmp_path):
    settings.SIGNING_IDENTITIES = {**settings.SIGNING_IDENTITIES, "stranger": {
        "pkcs12": str(other_root(tmp_path)), "passphrase_env": "TEST_SIGNING_PASSPHRASE"}}
    dossier = make_dossier("draft")
    officer = users["dm_officer"]
    from core import documents

    files = {
        "revoked": _signed_letter("revoked", "Người Bị Thu Hồi"),
        "stranger": _signed_letter("stranger", "Người Lạ"),
        "good": _signed_letter("good"),
        "unsigned": documents.write_pdf("<p>Tờ trình chưa ký</p>"),
    }
    stored = {key: _upload_document(dossier, officer, data, f"{key}.pdf") for key, data in files.items()}
    results = {key: PdfVerification.objects.get(sha256=doc.sha256) for key, doc in stored.items()}
    assert results["revoked"].status == "revoked"
    assert results["stranger"].status == "untrusted"
    assert results["good"].status == "valid" and results["good"].signer_name == "Hồ Văn Mười"
    assert results["unsigned"].status == "unsigned"

    page = client_for(officer).get(dossier.get_absolute_url()).content.decode()
    documents_list = page[page.index('id="documents"'):]
    documents_list = documents_list[:documents_list.index("</ul>")]
    assert documents_list.count("đã ký số") == 3
    assert "Chứng thư số đã bị thu hồi" in documents_list
    assert "Chứng thư số không được tin cậy" in documents_list
    assert "Người Bị Thu Hồi" in documents_list and "Hồ Văn Mười" in documents_list
    assert documents_list.count("chưa ký số") == dossier.documents.count() - 3  # ours and the fixture's own


def test_evidence_list_shows_signature_state(signing_setup, campaign, contents, tree, people, officers,
                                             client_for):
    from core import documents

    officer = officers["dm01"]
    achievement = make_achievement(campaign, contents[2], tree["dm01"], officer, person=people["an"], files=[
        bytes_upload("Quyết định đã ký.pdf", _signed_letter("good")),
        bytes_upload("Biên bản.pdf", documents.write_pdf("<p>Biên bản</p>"))])
    page = client_for(officer).get(reverse("campaigns:achievement_files", args=[achievement.pk])).content.decode()
    table = page[page.index('id="file-table"'):]
    assert "đã ký số" in table and "Hợp lệ" in table and "chưa ký số" in table


def test_verify_pdf_command(signed_decision, tmp_path):
    _decision, row = signed_decision
    good = tmp_path / "good.pdf"
    good.write_bytes(row.file.open("rb").read())
    out = io.StringIO()
    call_command("verify_pdf", str(good), "--strict", stdout=out)
    assert "Kết quả: Hợp lệ (valid)" in out.getvalue()
    assert "Người ký: Hồ Văn Mười" in out.getvalue()
    assert re.search(r"Thời gian ký: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", out.getvalue())
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(row.source.open("rb").read())
    out = io.StringIO()
    call_command("verify_pdf", str(unsigned), stdout=out)
    assert "Chưa ký số (unsigned)" in out.getvalue()
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("verify_pdf", str(unsigned), "--strict", stdout=io.StringIO())


def test_only_the_signers_account_sees_the_button_and_may_sign(signing_setup, make_dossier, users, client_for):
    decision = make_dossier("awarded").decision
    _link(decision.signer_ref, "good", users["approver"])
    admin_page = client_for(users["admin"]).get(decision.get_absolute_url()).content.decode()
    assert 'id="signing"' in admin_page and 'id="sign-button"' not in admin_page
    response = client_for(users["admin"]).post(reverse("awards:decision_sign", args=[decision.pk]))
    assert response.status_code == 403
    assert not SignedDocument.objects.exists()
    page = client_for(users["approver"]).get(decision.get_absolute_url()).content.decode()
    assert 'id="sign-button"' in page
    assert client_for(users["approver"]).get(reverse("awards:decision_sign", args=[decision.pk])).status_code == 405


def test_signing_twice_is_refused(signed_decision, users):
    decision, _row = signed_decision
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="đã được ký số"):
        services.decision_sign(decision=decision, by=users["approver"])
    assert SignedDocument.objects.count() == 1


def test_demo_identity_is_marked_as_a_test(signing_setup, settings, tmp_path, make_dossier, users, client_for,
                                           django_capture_on_commit_callbacks):
    settings.SIGNING_IDENTITIES = {}
    settings.SIGNING_TRUST_ROOTS = []
    settings.SIGNING_DEMO_DIR = tmp_path / "demo"
    make_demo_identity(settings.SIGNING_DEMO_DIR, "Hồ Văn Mười")
    assert signing.is_test_identity(signing.DEMO_KEY)
    from cryptography.hazmat.primitives.serialization import pkcs12

    bundle = pkcs12.load_pkcs12((settings.SIGNING_DEMO_DIR / "demo.p12").read_bytes(),
                                (settings.SIGNING_DEMO_DIR / "demo.passphrase").read_bytes())
    assert TEST_MARK in bundle.cert.certificate.subject.rfc4514_string()
    assert (settings.SIGNING_DEMO_DIR / "demo.p12").stat().st_mode & 0o077 == 0
    decision = make_dossier("awarded").decision
    _link(decision.signer_ref, signing.DEMO_KEY, users["approver"])
    page = client_for(users["approver"]).get(decision.get_absolute_url()).content.decode()
    assert 'id="test-identity"' in page and "không có giá trị pháp lý" in page
    with django_capture_on_commit_callbacks(execute=True):
        row = services.decision_sign(decision=decision, by=users["approver"])
    row.refresh_from_db()
    assert row.status == "done" and row.test_identity
    assert signing.verify_pdf(row.file.open("rb").read()).status == "valid"  # the demo root is trusted


def test_registered_report_is_signed_as_a_new_version(signing_setup, dataset, body, final_draft, users,
                                                      client_for, django_capture_on_commit_callbacks):
    import datetime

    from reports import services as report_services

    admin = users["admin"]
    head = body.signers.get(position="head")
    final_draft.signer, final_draft.signer_name, final_draft.signer_title = head, "", ""
    final_draft.save()
    draft = report_services.draft_register(draft=final_draft, by=admin, issued_on=datetime.date(2025, 12, 5))
    with django_capture_on_commit_callbacks(execute=True):
        version = report_services.report_request(draft=draft, by=admin, format="pdf")
    version.refresh_from_db()
    assert version.status == "done", version.error
    _link(head, "good", admin)
    page = client_for(admin).get(draft.get_absolute_url()).content.decode()
    assert 'id="sign-button"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(reverse("reports:sign", args=[draft.pk]))
    assert response.status_code == 302
    signed = SignedDocument.objects.get(entry=draft.entry)
    assert signed.status == "done", signed.error
    assert signed.source_sha256 == version.sha256  # the generated version, signed as it was
    version.refresh_from_db()
    assert version.status == "done" and version.file  # and kept
    data = client_for(admin).get(reverse("reports:signed_download", args=[draft.pk, signed.pk]))
    body_bytes = b"".join(data.streaming_content)
    result = signing.verify_pdf(body_bytes)
    assert result.status == "valid" and result.signer_name == "Hồ Văn Mười"


def test_with_a_timestamp_and_offline_revocation_data_the_signature_is_b_lt(signing_setup, pki):
    """B-T needs a timestamp authority, B-LT the chain's revocation data embedded: the test's own TSA and CRL."""
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    from core import documents

    authority = pki["ca"]
    tsa_cert, tsa_key = authority.issue("Máy chủ dấu thời gian thử nghiệm", timestamping=True)
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa_cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(tsa_key.private_bytes(serialization.Encoding.DER,
                                                              serialization.PrivateFormat.PKCS8,
                                                              serialization.NoEncryption())))
    html = "<p>CHỦ TỊCH</p><p style='height: 80pt'></p><p>Hồ Văn Mười</p>"
    signed = signing.sign_pdf(documents.write_pdf(html), identity="good", signer_name="Hồ Văn Mười",
                              body_name="Ủy ban nhân dân tỉnh Đắk Nông", timestamper=stamper)
    assert signed.level == "B-LT"
    reader = PdfFileReader(io.BytesIO(signed.data))
    assert DocumentSecurityStore.read_dss(reader).crls  # the CRL made by the test, embedded
    result = signing.verify_pdf(signed.data)
    assert result.status == "valid"


def test_the_page_follows_a_queued_signing_until_it_is_done(signing_setup, make_dossier, users, client_for,
                                                            django_capture_on_commit_callbacks):
    decision = make_dossier("awarded").decision
    _link(decision.signer_ref, "good", users["approver"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # the worker has not run yet
        row = services.decision_sign(decision=decision, by=users["approver"])
    client = client_for(users["approver"])
    page = client.get(decision.get_absolute_url()).content.decode()
    assert 'id="signing-job"' in page and 'hx-trigger="every 2s"' in page
    assert 'id="sign-button"' not in page  # one signing at a time
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert row.status == "done"
    page = client.get(decision.get_absolute_url()).content.decode()
    assert 'id="signing-job"' not in page
    assert reverse("awards:decision_signed_download", args=[decision.pk, row.pk]) in page
    download = client.get(reverse("awards:decision_signed_download", args=[decision.pk, row.pk]))
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"
    # An officer outside the decision's dossiers does not get the file.
    other = client_for(users["gn_officer"]).get(reverse("awards:decision_signed_download", args=[decision.pk, row.pk]))
    assert other.status_code == 404
