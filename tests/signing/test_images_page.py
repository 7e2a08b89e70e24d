"""The signing images page (units.signing_views): Sở Nội vụ administrators upload and retire signers' signature
images and issuing bodies' seal images, through the project's upload check into private storage, with an activity
row; everyone else is refused (403 for the page, 404 for any body or signer); the previews come from private
storage; a decision signed afterwards carries the uploaded image in its appearance."""

import io
import os
import subprocess

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from awards import services as award_services
from core import signing
from core.files import private_storage
from core.models import AuditEntry, IssuingBody, SealImage, SignatureImage, Signer

TASKS_IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                               "QUEUES": ["default", "reports", "imports"]}}
MAGENTA = (200, 0, 200)  # the uploaded signature's colour, looked for in the signed page


def _png(size=(300, 100), colour=MAGENTA, fmt="PNG"):
    """A signature-like image: strokes of `colour` on a transparent ground."""
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    for x in range(10, size[0] - 10):
        for dy in range(-4, 5):
            image.putpixel((x, size[1] // 2 + dy + (x // 20) % 5), colour + (255,))
    out = io.BytesIO()
    (image.convert("RGB") if fmt == "JPEG" else image).save(out, fmt)
    return out.getvalue()


def _private_files():
    root = django_settings.STORAGES["private"]["OPTIONS"]["location"]
    return {os.path.join(base, name) for base, _dirs, names in os.walk(root) for name in names}


def _upload(client, url, name, content, **extra):
    return client.post(url, {"image": SimpleUploadedFile(name, content), **extra}, follow=True)


def _text(response):
    return response.content.decode()


@pytest.fixture
def chair(signers):
    return signers["chair"]


def test_admin_uploads_a_signature_image_and_sees_it_from_private_storage(chair, users, client_for):
    client = client_for(users["admin"])
    page = client.get(reverse("units:signing_images"))
    assert page.status_code == 200 and chair.full_name in _text(page)
    files_before = _private_files()
    response = _upload(client, reverse("units:signature_upload", args=[chair.pk]), "chu-ky.png", _png())
    assert response.redirect_chain and "Đã tải lên ảnh chữ ký của Hồ Văn Mười." in _text(response)
    image = SignatureImage.objects.get(signer=chair)
    assert image.content_type == "image/png" and image.original_name == "chu-ky.png"
    assert image.uploaded_by == users["admin"]
    # Stored in private storage, under a random name, nowhere public.
    new = _private_files() - files_before
    assert len(new) == 1 and private_storage().exists(image.file.name) and "chu-ky" not in image.file.name
    preview_url = reverse("units:signature_preview", args=[chair.pk])
    assert f'src="{preview_url}"' in _text(response)
    assert image.file.name not in _text(response) and os.path.basename(image.file.name) not in _text(response)
    preview = client.get(preview_url)
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert "no-store" in preview["Cache-Control"]
    served = b"".join(preview.streaming_content)
    assert Image.open(io.BytesIO(served)).format == "PNG"
    entry = AuditEntry.objects.get(action="signature_image_upload")
    assert entry.actor == users["admin"] and entry.target_id == str(chair.pk)
    assert entry.target_type == "core.signer" and entry.changes["sha256"] == image.sha256


def test_admin_uploads_a_seal_image_and_replacing_it_removes_the_old_file(chair, users, client_for,
                                                                          django_capture_on_commit_callbacks):
    client, body = client_for(users["admin"]), chair.body
    url = reverse("units:seal_upload", args=[body.pk])
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, url, "dau.png", _png((200, 200), (200, 30, 30)))
    first = SealImage.objects.get(body=body).file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, url, "dau-moi.png", _png((220, 220), (190, 20, 20)))
    assert "Đã tải lên ảnh con dấu của" in _text(response)
    seal = SealImage.objects.get(body=body)
    assert seal.original_name == "dau-moi.png" and seal.file.name != first
    assert not private_storage().exists(first) and private_storage().exists(seal.file.name)
    preview = client.get(reverse("units:seal_preview", args=[body.pk]))
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    rows = AuditEntry.objects.filter(action="seal_image_upload", target_id=str(body.pk)).order_by("id")
    assert [row.changes["file"] for row in rows] == [["", "dau.png"], ["dau.png", "dau-moi.png"]]


@pytest.mark.parametrize(("name", "content", "setting", "words"), [
    ("chu-ky.jpg", _png(fmt="JPEG"), {},
     "không phải tệp PNG: ảnh chữ ký và ảnh con dấu phải là tệp PNG nền trong suốt"),
    ("chu-ky.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj"
     b"\ntrailer<</Root 1 0 R>>\n%%EOF\n", {}, "không phải tệp PNG"),
    ("anh.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", {},
     "không phải là tệp PNG thật"),
    ("lon.png", _png(), {"SIGNING_IMAGE_MAX_BYTES": 100}, "vượt giới hạn 100 byte của ảnh chữ ký, con dấu"),
    ("rong.png", b"", {}, "rỗng (0 byte)"),
    ("rong-mat.png", _png((400, 60)), {"SIGNING_IMAGE_MAX_SIDE": 300},
     "có kích thước 400 × 60 điểm ảnh, vượt giới hạn 300 điểm ảnh mỗi chiều"),
])
def test_a_refused_image_stores_nothing_and_says_why_in_vietnamese(chair, users, client_for, settings, name,
                                                                   content, setting, words):
    for key, value in setting.items():
        setattr(settings, key, value)
    client = client_for(users["admin"])
    files_before, audit_before = _private_files(), AuditEntry.objects.count()
    for url in (reverse("units:signature_upload", args=[chair.pk]), reverse("units:seal_upload",
                                                                            args=[chair.body.pk])):
        response = _upload(client, url, name, content)
        assert response.status_code == 200 and words in _text(response), _text(response)[-3000:]
    assert _private_files() == files_before
    assert not SignatureImage.objects.exists() and not SealImage.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_only_snv_administrators_reach_the_page_others_get_403_or_404(chair, users, client_for, client):
    body = chair.body
    SealImage.objects.create(body=body)  # something to preview or retire, were it reachable
    page = reverse("units:signing_images")
    assert client.get(page).status_code == 302  # anonymous: to login
    for role in ("appraiser", "leader", "approver", "dm_officer", "gn_officer"):
        user_client = client_for(users[role])
        assert user_client.get(page).status_code == 403, role
        for name, pk in (("signature_preview", chair.pk), ("seal_preview", body.pk)):
            assert user_client.get(reverse(f"units:{name}", args=[pk])).status_code == 404, (role, name)
        for name, pk in (("signature_upload", chair.pk), ("seal_upload", body.pk), ("signature_retire", chair.pk),
                         ("seal_retire", body.pk)):
            response = _upload(user_client, reverse(f"units:{name}", args=[pk]), "chu-ky.png", _png())
            assert response.status_code == 404, (role, name)
    assert not SignatureImage.objects.exists() and SealImage.objects.count() == 1
    assert not AuditEntry.objects.filter(action__contains="_image_").exists()
    # The menu entry is an administrator's only.
    assert reverse("units:signing_images") not in _text(client_for(users["appraiser"]).get(reverse("home")))
    assert reverse("units:signing_images") in _text(client_for(users["admin"]).get(reverse("home")))


def test_retiring_asks_first_then_removes_the_image(chair, users, client_for, django_capture_on_commit_callbacks):
    client = client_for(users["admin"])
    _upload(client, reverse("units:signature_upload", args=[chair.pk]), "chu-ky.png", _png())
    image = SignatureImage.objects.get(signer=chair)
    image.identity = "good"
    image.save()
    stored = image.file.name
    page = _text(client.get(reverse("units:signing_images")))
    retire = reverse("units:signature_retire", args=[chair.pk])
    form = page.split(f'action="{retire}"')[1].split("</form>")[0]
    question = "Thôi dùng ảnh chữ ký của Hồ Văn Mười? Văn bản ký từ nay sẽ không có ảnh chữ ký"
    assert 'name="_confirm"' in form and question in form
    # Without the yes (no JavaScript): the confirmation page, and nothing retired.
    asked = client.post(retire, {"_confirm": question + "…", "_confirm_label": "Thôi dùng ảnh"})
    assert asked.status_code == 200 and question in _text(asked)
    assert SignatureImage.objects.get(signer=chair).file.name == stored
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(retire, {"_confirm": question, "_confirm_label": "Thôi dùng ảnh", "_confirmed": "1"},
                           follow=True)
    assert "Đã thôi dùng ảnh chữ ký của Hồ Văn Mười." in _text(done)
    image.refresh_from_db()
    assert not image.file and image.identity == "good"  # the row keeps the identity it links
    assert not private_storage().exists(stored)
    assert client.get(reverse("units:signature_preview", args=[chair.pk])).status_code == 404
    assert AuditEntry.objects.get(action="signature_image_retire").changes == {"file": ["chu-ky.png", ""]}
    again = client.post(retire, {"_confirmed": "1"}, follow=True)
    assert "không có ảnh chữ ký đang dùng" in _text(again)
    # The seal: asked the same way, its row removed.
    body = chair.body
    _upload(client, reverse("units:seal_upload", args=[body.pk]), "dau.png", _png((200, 200)))
    seal_retire = reverse("units:seal_retire", args=[body.pk])
    form = _text(client.get(reverse("units:signing_images"))).split(f'action="{seal_retire}"')[1].split("</form>")[0]
    assert 'name="_confirm"' in form and "Thôi dùng ảnh con dấu của" in form
    with django_capture_on_commit_callbacks(execute=True):
        client.post(seal_retire, {"_confirmed": "1"})
    assert not SealImage.objects.exists()
    assert AuditEntry.objects.filter(action="seal_image_retire", target_id=str(body.pk)).count() == 1


def test_the_page_reads_in_a_fixed_number_of_queries(chair, users, client_for):
    client = client_for(users["admin"])
    _upload(client, reverse("units:signature_upload", args=[chair.pk]), "chu-ky.png", _png())
    url = reverse("units:signing_images")
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for index in range(5):
        body = IssuingBody.objects.create(key=f"THU-{index}", name=f"Cơ quan thử {index}", abbreviation="THU")
        SealImage.objects.create(body=body)
        for person in range(3):
            signer = Signer.objects.create(body=body, full_name=f"Người ký {index}-{person}", position="head",
                                           valid_from=chair.valid_from)
            SignatureImage.objects.create(signer=signer, identity="good")
    assert count() == before


def test_a_decision_signed_afterwards_carries_the_uploaded_image(signing_setup, make_dossier, users, client_for,
                                                                settings, tmp_path,
                                                                django_capture_on_commit_callbacks):
    settings.TASKS = TASKS_IMMEDIATE
    decision = make_dossier("awarded").decision
    signer = decision.signer_ref
    client = client_for(users["admin"])
    _upload(client, reverse("units:signature_upload", args=[signer.pk]), "chu-ky.png", _png())
    _upload(client, reverse("units:seal_upload", args=[signer.body.pk]), "dau.png", _png((200, 200), (40, 40, 40)))
    # Which identity signs and which account presses the button is configuration (the admin's Cấu hình).
    SignatureImage.objects.filter(signer=signer).update(identity="good", account=users["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        row = award_services.decision_sign(decision=decision, by=users["approver"])
    row.refresh_from_db()
    assert row.status == "done", row.error
    data = row.file.open("rb").read()

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    reader = PdfFileReader(io.BytesIO(data))
    embedded = reader.embedded_signatures[0]
    # Outside any event loop an earlier browser test of the same run may have left running (pyHanko's asyncio.run).
    status = signing._outside_event_loop(
        lambda: validate_pdf_signature(embedded, signer_validation_context=signing.validation_context()))
    assert status.intact and status.valid and status.bottom_line
    widget = embedded.sig_field
    assert b"Do" in widget["/AP"]["/N"].data  # the appearance draws a picture
    # The picture is the uploaded one: its magenta strokes are on the signed page, inside the signature's box.
    kids = reader.root["/Pages"]["/Kids"]
    page_index = next(i for i in range(len(kids)) if kids.raw_get(i).idnum == widget.raw_get("/P").idnum)
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "72", "-f", str(page_index + 1), "-l", str(page_index + 1), "-png",
                    str(path), str(tmp_path / "page")], check=True, capture_output=True)
    picture = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    top = picture.height - y1
    magenta = [(x, y) for x in range(int(x0), int(x1)) for y in range(int(top), int(top + y1 - y0))
               if (p := picture.getpixel((x, y)))[0] > 150 and p[1] < 90 and p[2] > 150]
    assert len(magenta) > 20
    elsewhere = [(x, y) for x in range(0, picture.width, 2) for y in range(0, picture.height, 2)
                 if not (x0 <= x <= x1 and top <= y <= top + y1 - y0)
                 and (p := picture.getpixel((x, y)))[0] > 150 and p[1] < 90 and p[2] > 150]
    assert not elsewhere


def test_every_retire_form_of_the_template_carries_its_question():
    """As tests/test_daily.py checks for the other irreversible actions: the template read as a file."""
    import re
    from pathlib import Path

    text = Path(django_settings.BASE_DIR, "templates", "units", "signing_images.html").read_text(encoding="utf-8")
    forms = {match.group(1): match.group(0) for match in
             re.finditer(r"<form\b[^>]*action=\"\{% url '([\w:]+)'.*?</form>", text, re.S)}
    for name in ("units:signature_retire", "units:seal_retire"):
        assert "{% confirm " in forms[name], name
