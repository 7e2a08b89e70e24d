"""Exemplary models: Sở Nội vụ manages and publishes; the public page shows only published ones, without login."""

import pytest
from django.urls import reverse

from campaigns.models import ExemplaryModel
from campaigns.services import work as services
from core.models import AuditEntry

from . import test_work_support as support
from .test_work_support import (
    image_bytes,
    make_achievement,
    upload,
)

officers = support.officers
work_files_in_test_storage = support.work_files_in_test_storage


@pytest.fixture
def models(campaign, tree, people, users):
    admin = users["admin"]
    published = services.exemplary_create(by=admin, campaign=campaign, kind="collective", title="Bộ phận một cửa mẫu",
                                          story="Câu chuyện công khai", year=2024, unit=tree["dm01"],
                                          photo=upload("Ảnh.png", image_bytes()))
    services.exemplary_publish(model=published, by=admin)
    hidden = services.exemplary_create(by=admin, campaign=campaign, kind="individual", title="Bản nháp bí mật",
                                       story="Chưa duyệt", year=2024, person=people["an"],
                                       photo=upload("Ảnh kín.jpg", image_bytes("JPEG")))
    return {"published": ExemplaryModel.objects.get(pk=published.pk), "hidden": hidden}


def test_public_list_without_login_shows_only_published(models, client):
    response = client.get(reverse("campaigns:public_models"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bộ phận một cửa mẫu" in body and "Bản nháp bí mật" not in body
    assert "/thanh-tich/" not in body and "/sang-kien/" not in body and "tai-ve" not in body


def test_public_detail_and_photo(models, client):
    model = models["published"]
    page = client.get(reverse("campaigns:public_model", args=[model.pk]))
    assert page.status_code == 200 and "Câu chuyện công khai" in page.content.decode()
    photo = client.get(reverse("campaigns:public_photo", args=[model.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content) == image_bytes()


@pytest.mark.parametrize("who", [None, "admin", "dm_officer"])
def test_unpublished_is_404_on_public_urls_for_everyone(who, models, client, users, client_for):
    if who:
        client = client_for(users[who])
    hidden = models["hidden"]
    assert client.get(reverse("campaigns:public_model", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("campaigns:public_photo", args=[hidden.pk])).status_code == 404


def test_no_evidence_or_comments_reach_the_public_page(models, campaign, contents, tree, officers, users, client):
    achievement = make_achievement(campaign, contents[2], tree["dm01"], officers["dm01"], title="Hồ sơ nội bộ")
    services.achievement_ask_clarification(achievement=achievement, by=users["appraiser"], comment="Ý kiến nội bộ")
    for url in [reverse("campaigns:public_models"), reverse("campaigns:public_model", args=[models["published"].pk])]:
        body = client.get(url).content.decode()
        assert "Hồ sơ nội bộ" not in body and "Ý kiến nội bộ" not in body
    download = reverse("campaigns:evidence_download", args=[achievement.pk, achievement.files.get().pk])
    assert client.get(download).status_code == 302  # to the login page, never the file


def test_unpublish_hides_again_and_audits(models, users, client_for, client):
    model = models["published"]
    admin = client_for(users["admin"])
    assert admin.post(reverse("campaigns:exemplary_unpublish", args=[model.pk])).status_code == 302
    client.logout()
    assert client.get(reverse("campaigns:public_model", args=[model.pk])).status_code == 404
    actions = list(AuditEntry.objects.filter(target_type="campaigns.exemplarymodel", target_id=str(model.pk))
                   .values_list("action", flat=True).order_by("id"))
    assert actions == ["exemplary_create", "exemplary_publish", "exemplary_unpublish"]


@pytest.mark.parametrize("who", ["appraiser", "dm_officer", "leader"])
def test_only_admin_manages(who, models, users, client_for):
    client = client_for(users[who])
    assert client.get(reverse("campaigns:exemplary_manage")).status_code == 403
    assert client.post(reverse("campaigns:exemplary_publish", args=[models["hidden"].pk])).status_code == 403
    assert ExemplaryModel.objects.get(pk=models["hidden"].pk).published_at is None


def test_publish_is_post_only(models, users, client_for):
    client = client_for(users["admin"])
    assert client.get(reverse("campaigns:exemplary_publish", args=[models["hidden"].pk])).status_code == 405
    assert client.get(reverse("campaigns:exemplary_unpublish", args=[models["hidden"].pk])).status_code == 405


def test_admin_edits_and_replaces_photo(models, users, client_for, campaign):
    model = models["hidden"]
    client = client_for(users["admin"])
    response = client.post(reverse("campaigns:exemplary_edit", args=[model.pk]), {
        "campaign": campaign.pk, "kind": "individual", "title": "Tiêu đề mới", "story": "Chuyện mới", "year": 2025,
        "unit": "", "person": "", "initiative": "", "photo": upload("Ảnh mới.png", image_bytes())})
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.title == "Tiêu đề mới" and model.original_name == "Ảnh mới.png" and model.year == 2025
    assert client.get(reverse("campaigns:exemplary_manage")).status_code == 200
