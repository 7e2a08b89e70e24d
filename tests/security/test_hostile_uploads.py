"""The hostile upload set, through the real views, on every upload field of the project.

Every file field of every form class in the project is discovered from the code (a guard test fails when a new one
appears without being covered here). For each evidence/document/photo field and each hostile file, the view must
refuse the file with a Vietnamese message, and afterwards no new file may exist in private storage and no row of any
project model (nor an activity row) may have been written. A valid file through the same request is the control:
it must be accepted, so the refusals are not an artefact of a badly built request.

Excel import fields get their own cases in test_hostile_imports.py; here they must refuse a program renamed .xlsx.
"""

import importlib
import inspect
import io
import os
import pkgutil
import zipfile

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from awards.models import AwardForm, CertificateLayout, DocumentType
from campaigns.models import YearlyTheme
from campaigns.services import work as campaign_services
from core.files import validate_upload
from core.models import AuditEntry

from .conftest import PDF

# The apps whose rows an upload may write: core too, since it keeps the signing images (and the audit trail).
PROJECT_APPS = ("core", "units", "campaigns", "par", "awards", "reports")
# A valid 1 × 1 red PNG (every chunk's CRC right: the stored image is decoded and re-encoded).
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\xdac\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xffV\xc7/\r\x00\x00\x00\x00IEND\xaeB`\x82")
SMALL_LIMIT = 4096  # settings.UPLOAD_MAX_BYTES in the "too large" case: the file is just above it


def _macro_workbook():
    """A real workbook turned macro-enabled: xl/vbaProject.bin and the macroEnabled content type, named .xlsx."""
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Bảng tính có macro"
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                assert b"macroEnabled" in data
            target.writestr(item, data)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    return out.getvalue()


with open("/bin/ls", "rb") as _handle:
    EXECUTABLE = _handle.read()

# case → (file name, content, words one of which the refusal must contain)
HOSTILE = {
    "program renamed .pdf": ("bao-cao.pdf", EXECUTABLE, ["không phải là tệp PDF thật", "phải là tệp JPG hoặc PNG"]),
    "web page renamed .docx": ("to-trinh.docx", b"<!DOCTYPE html><html><body><h1>Hi</h1><script>alert(1)</script>"
                               b"</body></html>", ["không phải là tệp DOCX thật", "phải là tệp JPG hoặc PNG"]),
    "SVG with a script renamed .png": ("anh.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
                                       b"<script>alert(1)</script></svg>", ["không phải là tệp PNG thật"]),
    "macro-enabled workbook named .xlsx": ("bang-diem.xlsx", _macro_workbook(),
                                           ["có chứa macro", "phải là tệp JPG hoặc PNG"]),
    "empty file": ("rong.pdf", b"", ["rỗng", "Hãy chọn tệp"]),
    "file over the size limit": ("lon.pdf", PDF + b"%" * SMALL_LIMIT, ["vượt giới hạn"]),
}
# The photo field takes images only: its empty and over-size files are images, so the check under test is reached.
IMAGE_CASES = {"empty file": ("rong.png", b""), "file over the size limit": ("lon.png", PNG + b"\x00" * SMALL_LIMIT)}


class Target:
    """`image`: the field takes images only; `png_only`: PNG only (a signature or a seal needs its transparency)."""

    def __init__(self, user, url, data, field, multiple=False, image=False, png_only=False):
        self.user, self.url, self.data, self.field, self.multiple, self.image = user, url, data, field, multiple, image
        self.png_only = png_only

    def valid(self, name=None):
        return (name or ("anh.png" if self.image else "minh-chung.pdf")), (PNG if self.image else PDF)


def _theme_upload(f):
    theme = YearlyTheme.objects.create(campaign=f("campaign"), year=2024, title="Chủ đề năm 2024")
    return Target(f("users")["admin"], reverse("campaigns:theme_upload", kwargs={"pk": theme.pk}), {}, "file")


def _achievement_create(f):
    campaign, tree = f("campaign"), f("tree")
    data = {"campaign": campaign.pk, "year": 2024, "content": f("contents")[2].pk, "unit": tree["dm01"].pk,
            "title": "Một cửa điện tử", "description": "Mô tả"}
    return Target(f("users")["dm_officer"], reverse("campaigns:achievement_create"), data, "files", multiple=True)


def _achievement_add_files(f):
    achievement = f("achievement")
    return Target(f("users")["dm_officer"], reverse("campaigns:achievement_add_files", kwargs={"pk": achievement.pk}),
                  {}, "files", multiple=True)


def _achievement_resubmit(f):
    achievement, users = f("achievement"), f("users")
    campaign_services.achievement_ask_clarification(achievement=achievement, by=users["appraiser"],
                                                    comment="Bổ sung quyết định")
    return Target(users["dm_officer"], reverse("campaigns:achievement_resubmit", kwargs={"pk": achievement.pk}),
                  {"answer": "Đã bổ sung"}, "files", multiple=True)


def _initiative_create(f):
    campaign, tree, people = f("campaign"), f("tree"), f("people")
    data = {"campaign": campaign.pk, "year": 2024, "unit": tree["dm01"].pk, "title": "Số hóa hồ sơ",
            "authors": [people["an"].pk], "problem": "Chậm", "solution": "Số hóa", "effect": "Nhanh hơn"}
    return Target(f("users")["dm_officer"], reverse("campaigns:initiative_create"), data, "files", multiple=True)


def _exemplary_create(f):
    data = {"campaign": f("campaign").pk, "kind": "practice", "title": "Cách làm hay", "story": "Câu chuyện",
            "year": 2024}
    return Target(f("users")["admin"], reverse("campaigns:exemplary_create"), data, "photo", image=True)


def _par_score_edit(f):
    sheet = f("district_sheets")["DM"]
    criterion = sheet.criteria_set.criteria.get(code="1.1")
    return Target(f("users")["dm_officer"],
                  reverse("par:score_edit", kwargs={"pk": sheet.pk, "criterion_pk": criterion.pk}),
                  {"self_score": "3", "explanation": "Có kế hoạch"}, "uploads", multiple=True)


def _dossier_document(f):
    dossier = f("make_dossier")("draft", complete=False)
    return Target(f("users")["dm_officer"], reverse("awards:document_upload", kwargs={"pk": dossier.pk}),
                  {"doc_type": DocumentType.objects.get(code="TOTRINH").pk}, "file")


def _certificate_blank(f):
    award_form = AwardForm.objects.get_or_create(code="BK-THU", defaults={
        "name": "Bằng khen (thử)", "recipient_kind": "both", "authority": "Chủ tịch UBND tỉnh"})[0]
    layout = CertificateLayout.objects.get_or_create(form=award_form)[0]
    return Target(f("users")["admin"], reverse("awards:certificate_blank_upload", kwargs={"form_pk": layout.form_id}),
                  {}, "image", image=True)


def _signature_image(f):
    signer = f("signers")["chair"]
    return Target(f("users")["admin"], reverse("units:signature_upload", kwargs={"pk": signer.pk}), {}, "image",
                  image=True, png_only=True)


# (module, form class, field) → how to reach it through its view
UPLOAD_FIELDS = {
    ("campaigns.forms.plan", "DocumentForm", "file"): _theme_upload,
    ("campaigns.forms.work", "AchievementForm", "files"): _achievement_create,
    ("campaigns.forms.work", "FilesForm", "files"): _achievement_add_files,
    ("campaigns.forms.work", "AnswerForm", "files"): _achievement_resubmit,
    ("campaigns.forms.work", "InitiativeForm", "files"): _initiative_create,
    ("campaigns.forms.work", "ExemplaryForm", "photo"): _exemplary_create,
    ("par.forms", "SelfScoreForm", "uploads"): _par_score_edit,
    ("awards.forms", "DocumentForm", "file"): _dossier_document,
    ("awards.forms_certificates", "BlankUploadForm", "image"): _certificate_blank,
    ("units.signing_forms", "SigningImageForm", "image"): _signature_image,
}
# Excel imports: (module, form class, field) → the import views using that form
IMPORT_FIELDS = {
    ("units.import_views", "UploadForm", "file"): ["units:import", "units:people_import"],
    ("par.forms", "UploadForm", "file"): ["par:set_import", "par:survey_import"],
    ("awards.forms", "HistoryImportForm", "file"): ["awards:history_import"],
}


def _project_modules():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if any(part in {"migrations", "management", "tests"} for part in info.name.split(".")):
                continue
            yield importlib.import_module(info.name)


def discovered_file_fields():
    found = set()
    for module in _project_modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, forms.BaseForm):
                continue
            for field_name, field in cls.base_fields.items():
                if isinstance(field, forms.FileField):
                    found.add((module.__name__, name, field_name))
    return found


def test_every_upload_field_is_covered():
    """A new FileField/ImageField in any form of the project must be added to this file's hostile-upload tests."""
    found = discovered_file_fields()
    covered = set(UPLOAD_FIELDS) | set(IMPORT_FIELDS)
    assert found, "no upload field found: the discovery is broken"
    assert found - covered == set(), f"upload fields without hostile-upload tests: {sorted(found - covered)}"
    assert covered - found == set(), f"covered fields that no longer exist: {sorted(covered - found)}"


def _private_files():
    root = settings.STORAGES["private"]["OPTIONS"]["location"]
    return {os.path.join(base, name) for base, _dirs, names in os.walk(root) for name in names}


def _rows():
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()
              if model._meta.app_label in PROJECT_APPS}
    counts["audit"] = AuditEntry.objects.count()
    return counts


def _post(client, target, files):
    data = dict(target.data)
    data[target.field] = files if target.multiple else files[0]
    return client.post(target.url, data, follow=True)


def _text(response):
    return response.content.decode()


@pytest.mark.parametrize("key", list(UPLOAD_FIELDS), ids=lambda key: f"{key[1]}.{key[2]}")
def test_a_valid_file_is_accepted(reach, key):
    """The control: the same request with a valid file is accepted and stored (file and row)."""
    client, target = reach(key)
    files_before, rows_before = _private_files(), _rows()
    name, content = target.valid()
    response = _post(client, target, [SimpleUploadedFile(name, content)])
    assert response.status_code == 200 and response.redirect_chain, _text(response)[:3000]
    refusals = {word for _name, _content, words in HOSTILE.values() for word in words}
    assert not [word for word in refusals if word in _text(response)], "refusal words on an accepted upload's page"
    assert len(_private_files() - files_before) == 1
    assert _rows() != rows_before


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("key", list(UPLOAD_FIELDS), ids=lambda key: f"{key[1]}.{key[2]}")
def test_hostile_file_is_refused(reach, settings, key, case):
    client, target = reach(key)
    name, content, words = HOSTILE[case]
    if target.image and case in IMAGE_CASES:
        name, content = IMAGE_CASES[case]
    if case == "file over the size limit":
        settings.UPLOAD_MAX_BYTES = SMALL_LIMIT
    files_before, rows_before = _private_files(), _rows()
    response = _post(client, target, [SimpleUploadedFile(name, content)])
    text = _text(response)
    assert response.status_code < 500
    assert any(word in text for word in words), f"{case}: no Vietnamese refusal among {words}"
    assert _private_files() == files_before, f"{case}: a file was left in private storage"
    assert _rows() == rows_before, f"{case}: a row was written"


# One photo, one scan of a blank, one signature image: no batch to refuse.
SINGLE_FILE = {_exemplary_create, _certificate_blank, _signature_image}


@pytest.mark.parametrize("key", [k for k in UPLOAD_FIELDS if UPLOAD_FIELDS[k] not in SINGLE_FILE
                                 and k[2] != "file"], ids=lambda key: f"{key[1]}.{key[2]}")
def test_one_bad_file_among_good_ones_stores_none(reach, key):
    """Several files at once: one hostile file refuses the whole batch; the valid ones are not kept either."""
    client, target = reach(key)
    files_before, rows_before = _private_files(), _rows()
    batch = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF),
             SimpleUploadedFile("ls.pdf", EXECUTABLE)]
    text = _text(_post(client, target, batch))
    assert "không phải là tệp PDF thật" in text
    assert _private_files() == files_before
    assert _rows() == rows_before


def _raw_multipart(data, field, filename, content):
    """A multipart body written by hand, so the file name reaches the server exactly as given (with separators)."""
    boundary = "----hostile-boundary"
    parts = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{item}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("raw_name", ["../../x.pdf", "..\\..\\x.pdf"])
@pytest.mark.parametrize("key", list(UPLOAD_FIELDS), ids=lambda key: f"{key[1]}.{key[2]}")
def test_path_in_file_name_never_escapes_private_storage(reach, key, raw_name, tmp_path):
    """Django's parser keeps only the last path component, so the view sees "x.pdf": the file may be accepted,
    but it is stored under a random name inside private storage and displayed as plain "x.pdf"."""
    client, target = reach(key)
    name, content = target.valid(raw_name.replace("x.pdf", "x.png") if target.image else raw_name)
    body, content_type = _raw_multipart(target.data, target.field, name, content)
    files_before = _private_files()
    response = client.post(target.url, body, content_type=content_type)
    assert response.status_code < 500
    everywhere = {os.path.join(base, n) for base, _d, names in os.walk(tmp_path.parent) for n in names}
    assert not [p for p in everywhere if os.path.basename(p) in {"x.pdf", "x.png"}], "the raw name reached the disk"
    new = _private_files() - files_before
    assert len(new) <= 1
    for path in new:
        assert os.path.basename(path).split(".")[0].isalnum() and len(os.path.basename(path)) >= 32 + 4
    shown = [m for model in apps.get_models() if model._meta.app_label in PROJECT_APPS
             for m in model._meta.concrete_fields if m.name == "original_name"]
    assert shown, "PrivateFile models not found"
    for field in shown:
        for value in field.model.objects.values_list("original_name", flat=True):
            assert "/" not in value and "\\" not in value and ".." not in value


@pytest.mark.parametrize("raw_name", ["../../x.pdf", "..\\..\\x.pdf", "a/b.pdf"])
def test_store_upload_refuses_a_name_with_path_separators(raw_name):
    """Below the HTTP layer (commands, imports), a name with separators is refused with a Vietnamese message."""

    class Upload(io.BytesIO):
        name = raw_name
        size = len(PDF)

    with pytest.raises(ValidationError) as refused:
        validate_upload(Upload(PDF))
    assert "đường dẫn" in " ".join(refused.value.messages)


# Excel import fields: a program renamed .xlsx is refused with a Vietnamese message, nothing stored or written.


def _import_url(name, f):
    if name.startswith("par:"):
        return reverse(name, kwargs={"pk": f("district_set").pk})
    return reverse(name)


@pytest.mark.parametrize("view", [v for views in IMPORT_FIELDS.values() for v in views])
def test_import_refuses_a_program_renamed_xlsx(request, client, users, view):
    url = _import_url(view, request.getfixturevalue)
    user = users["appraiser"] if view == "par:survey_import" else users["admin"]
    client.force_login(user)
    files_before, rows_before = _private_files(), _rows()
    response = client.post(url, {"file": SimpleUploadedFile("danh-sach.xlsx", EXECUTABLE)}, follow=True)
    assert response.status_code == 200
    text = _text(response).lower()
    assert any(word in text for word in ["không phải bảng tính excel", "không phải là tệp xlsx thật",
                                         "không đọc được tệp", "không mở được"]), text[:4000]
    assert _private_files() == files_before
    assert _rows() == rows_before
