"""Hostile uploads on every upload field of the units' work; good files accepted with hash, size, random name."""

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from campaigns.models import Achievement, EvidenceFile, ExemplaryModel, Initiative, InitiativeFile
from campaigns.services import work as services

from . import test_work_support as support
from .test_work_support import (
    HOSTILE_IDS,
    SMALL_LIMIT,
    assert_nothing_kept,
    docx_bytes,
    hostile_uploads,
    image_bytes,
    make_achievement,
    pdf_bytes,
    stored_files,
    upload,
    xlsx_bytes,
)

officers = support.officers
work_files_in_test_storage = support.work_files_in_test_storage

EXPECTED = {
    "executable": "không phải là tệp PDF thật",
    "html": "không phải là tệp DOCX thật",
    "svg": "không phải là tệp PNG thật",
    "macro": "có chứa macro",
    "empty": "rỗng",
    "too_large": "vượt giới hạn",
}
RANDOM_NAME = re.compile(r"^[a-z-]+/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|docx|xlsx|jpg|png)$")


def _hostile(label):
    return next((name, content) for key, name, content in hostile_uploads() if key == label)


def _achievement_post(campaign, contents, tree, files):
    return {"campaign": campaign.pk, "year": 2024, "content": contents[2].pk, "unit": tree["dm01"].pk,
            "title": "Một cửa liên thông", "description": "", "person": "", "files": files}


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_MAX_BYTES = SMALL_LIMIT


@pytest.mark.parametrize("label", HOSTILE_IDS)
def test_hostile_evidence_refused_on_record(label, small_limit, client_for, officers, campaign, contents, tree):
    name, content = _hostile(label)
    response = client_for(officers["dm01"]).post(reverse("campaigns:achievement_create"),
                                                 _achievement_post(campaign, contents, tree, [upload(name, content)]))
    assert response.status_code == 200
    assert EXPECTED[label] in response.content.decode()
    assert Achievement.objects.count() == 0
    assert_nothing_kept()


def test_one_bad_file_among_good_ones_keeps_nothing(small_limit, client_for, officers, campaign, contents, tree):
    files = [upload("Tờ trình.pdf", pdf_bytes()), upload("anh.png", image_bytes()),
             upload("trang.docx", b"<html><body>x</body></html>")]
    response = client_for(officers["dm01"]).post(reverse("campaigns:achievement_create"),
                                                 _achievement_post(campaign, contents, tree, files))
    body = response.content.decode()
    assert "không phải là tệp DOCX thật" in body and "trang.docx" in body
    assert Achievement.objects.count() == 0
    assert_nothing_kept()


def test_path_separators_in_name_refused_by_service(officers, campaign, contents, tree):
    # Browsers and Django's multipart parser drop directories, so the service is where a raw name can arrive.
    hostile = ContentFile(pdf_bytes(), name="../../etc/passwd.pdf")
    with pytest.raises(ValidationError) as error:
        make_achievement(campaign, contents[2], tree["dm01"], officers["dm01"], files=[hostile])
    assert "đường dẫn" in " ".join(error.value.messages)
    assert Achievement.objects.count() == 0
    assert_nothing_kept()


def test_path_in_uploaded_name_never_reaches_storage(client_for, officers, campaign, contents, tree):
    response = client_for(officers["dm01"]).post(
        reverse("campaigns:achievement_create"),
        _achievement_post(campaign, contents, tree, [upload("../../etc/passwd.pdf", pdf_bytes())]))
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.original_name == "passwd.pdf"
    assert RANDOM_NAME.match(evidence.file.name)
    assert all("etc" not in path for path in stored_files())


@pytest.mark.parametrize("name,content,mime", [
    ("Báo cáo kết quả.pdf", pdf_bytes(), "application/pdf"),
    ("Kế hoạch.docx", docx_bytes(),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Danh sách.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("Ảnh hội nghị.jpg", image_bytes("JPEG"), "image/jpeg"),
    ("Ảnh.png", image_bytes("PNG"), "image/png"),
])
def test_good_files_accepted_with_hash_size_random_name(name, content, mime, client_for, officers, campaign,
                                                         contents, tree):
    response = client_for(officers["dm01"]).post(reverse("campaigns:achievement_create"),
                                                 _achievement_post(campaign, contents, tree, [upload(name, content)]))
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.original_name == name
    assert evidence.content_type == mime
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert RANDOM_NAME.match(evidence.file.name) and evidence.file.name.isascii()
    assert len(stored_files()) == 1
    assert evidence.uploaded_by == officers["dm01"]


def test_several_files_in_one_go(client_for, officers, campaign, contents, tree):
    files = [upload("a.pdf", pdf_bytes("a")), upload("b.docx", docx_bytes()), upload("c.png", image_bytes())]
    response = client_for(officers["dm01"]).post(reverse("campaigns:achievement_create"),
                                                 _achievement_post(campaign, contents, tree, files))
    assert response.status_code == 302
    achievement = Achievement.objects.get()
    assert sorted(achievement.files.values_list("original_name", flat=True)) == ["a.pdf", "b.docx", "c.png"]
    assert len(stored_files()) == 3


@pytest.mark.parametrize("label", HOSTILE_IDS)
def test_hostile_evidence_refused_when_adding_files(label, small_limit, client_for, officers, campaign, contents,
                                                    tree):
    achievement = make_achievement(campaign, contents[2], tree["dm01"], officers["dm01"])
    before = set(stored_files())
    name, content = _hostile(label)
    response = client_for(officers["dm01"]).post(reverse("campaigns:achievement_add_files", args=[achievement.pk]),
                                                 {"files": [upload(name, content)]})
    assert response.status_code == 400
    assert EXPECTED[label] in response.content.decode()
    assert achievement.files.count() == 1
    assert set(stored_files()) == before


def _initiative_post(campaign, tree, people, files):
    return {"campaign": campaign.pk, "year": 2024, "unit": tree["dm01"].pk, "title": "Phiếu hẹn điện tử",
            "authors": [people["an"].pk], "problem": "Chờ lâu", "solution": "Gửi tin nhắn", "effect": "Nhanh hơn",
            "files": files}


@pytest.mark.parametrize("label", HOSTILE_IDS)
def test_hostile_initiative_files_refused(label, small_limit, client_for, officers, campaign, tree, people):
    name, content = _hostile(label)
    response = client_for(officers["dm01"]).post(reverse("campaigns:initiative_create"),
                                                 _initiative_post(campaign, tree, people, [upload(name, content)]))
    assert response.status_code == 200
    assert EXPECTED[label] in response.content.decode()
    assert Initiative.objects.count() == 0 and InitiativeFile.objects.count() == 0
    assert stored_files() == []


def test_initiative_path_separators_refused_by_service(officers, campaign, tree, people):
    with pytest.raises(ValidationError):
        services.initiative_propose(by=officers["dm01"], campaign=campaign, unit=tree["dm01"], year=2024, title="X",
                                    authors=[people["an"]], problem="p", solution="s", effect="e",
                                    files=[ContentFile(pdf_bytes(), name="../../etc/passwd.pdf")])
    assert Initiative.objects.count() == 0 and stored_files() == []


def test_good_initiative_files_accepted(client_for, officers, campaign, tree, people):
    content = docx_bytes()
    response = client_for(officers["dm01"]).post(
        reverse("campaigns:initiative_create"),
        _initiative_post(campaign, tree, people, [upload("Thuyết minh sáng kiến.docx", content)]))
    assert response.status_code == 302
    document = InitiativeFile.objects.get()
    assert document.sha256 == hashlib.sha256(content).hexdigest() and document.size == len(content)
    assert RANDOM_NAME.match(document.file.name)
    assert list(Initiative.objects.get().authors.all()) == [people["an"]]


def _model_post(campaign, photo):
    data = {"campaign": campaign.pk, "kind": "practice", "title": "Cách làm hay", "story": "Câu chuyện",
            "year": 2024, "unit": "", "person": "", "initiative": ""}
    if photo is not None:
        data["photo"] = photo
    return data


@pytest.mark.parametrize("label", HOSTILE_IDS + ["pdf_as_photo"])
def test_hostile_exemplary_photo_refused(label, small_limit, client_for, users, campaign):
    if label == "pdf_as_photo":
        name, content, expected = "anh.pdf", pdf_bytes(), "phải là tệp JPG hoặc PNG"
    else:
        name, content = _hostile(label)
        name = name.rsplit(".", 1)[0] + ".png" if label != "svg" else name
        expected = {"macro": "không phải là tệp PNG thật", "executable": "không phải là tệp PNG thật",
                    "html": "không phải là tệp PNG thật"}.get(label, EXPECTED[label])
    response = client_for(users["admin"]).post(reverse("campaigns:exemplary_create"),
                                               _model_post(campaign, upload(name, content)))
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert ExemplaryModel.objects.count() == 0
    assert stored_files() == []


def test_exemplary_photo_path_separators_refused_by_service(users, campaign):
    with pytest.raises(ValidationError):
        services.exemplary_create(by=users["admin"], photo=ContentFile(image_bytes(), name="../../etc/a.png"),
                                  campaign=campaign, kind="practice", title="T", story="S", year=2024)
    assert ExemplaryModel.objects.count() == 0 and stored_files() == []


@pytest.mark.parametrize("name,fmt,mime", [("Ảnh.jpg", "JPEG", "image/jpeg"), ("Ảnh.png", "PNG", "image/png")])
def test_good_exemplary_photo_accepted(name, fmt, mime, client_for, users, campaign):
    content = image_bytes(fmt)
    response = client_for(users["admin"]).post(reverse("campaigns:exemplary_create"),
                                               _model_post(campaign, upload(name, content)))
    assert response.status_code == 302
    model = ExemplaryModel.objects.get()
    assert model.content_type == mime and model.size == len(content)
    assert model.sha256 == hashlib.sha256(content).hexdigest()
    assert RANDOM_NAME.match(model.file.name)
    assert model.published_at is None
