"""Yearly themes: created and published by Sở Nội vụ, seen by units on their home page once published."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import ThemeDocument, YearlyTheme
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _create_theme(client, campaign, year=2025, title="Năm chuyển đổi số toàn diện"):
    response = client.post(reverse("campaigns:theme_create", args=[campaign.pk]),
                           {"year": year, "title": title, "guidance": "Hướng dẫn chi tiết"})
    assert response.status_code == 302, response.content.decode()
    return YearlyTheme.objects.get(campaign=campaign, year=year)


def test_publish_theme_then_officer_sees_it_on_home_page(users, campaign, client_for):
    admin = client_for(users["admin"])
    theme = _create_theme(admin, campaign)
    response = admin.post(reverse("campaigns:theme_upload", args=[theme.pk]),
                          {"file": SimpleUploadedFile("Hướng dẫn chủ đề 2025.pdf", PDF)})
    assert response.status_code == 302
    document = ThemeDocument.objects.get(theme=theme)
    assert document.original_name == "Hướng dẫn chủ đề 2025.pdf" and document.size == len(PDF)
    assert document.file.name.isascii()

    # Not yet published: an officer sees neither the theme on the home page nor its page or document.
    officer = client_for(users["dm_officer"])
    home = officer.get(reverse("home")).content.decode()
    assert "Năm chuyển đổi số toàn diện" not in home
    assert "Chưa công bố chủ đề thi đua năm 2025" in home
    assert officer.get(reverse("campaigns:theme_detail", args=[theme.pk])).status_code == 404
    assert officer.get(reverse("campaigns:theme_document", args=[document.pk])).status_code == 404

    admin = client_for(users["admin"])
    admin.post(reverse("campaigns:theme_publish", args=[theme.pk]))
    theme.refresh_from_db()
    assert theme.published_at is not None
    assert AuditEntry.objects.filter(action="theme_publish", target_id=str(theme.pk)).count() == 1

    officer = client_for(users["dm_officer"])
    home = officer.get(reverse("home")).content.decode()
    assert "Năm chuyển đổi số toàn diện" in home
    assert "chưa đăng ký thi đua năm 2025" in home
    assert reverse("campaigns:register", args=[campaign.pk, "DM", 2025]) in home
    download = officer.get(reverse("campaigns:theme_document", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_unpublished_theme_of_another_year_stays_invisible(users, campaign, client_for):
    admin = client_for(users["admin"])
    published = _create_theme(admin, campaign, 2024, "Chủ đề 2024 đã công bố")
    admin.post(reverse("campaigns:theme_publish", args=[published.pk]))
    _create_theme(admin, campaign, 2025, "Chủ đề 2025 còn nháp")
    officer = client_for(users["gn_officer"])
    detail = officer.get(campaign.get_absolute_url()).content.decode()
    assert "Chủ đề 2024 đã công bố" in detail and "Chủ đề 2025 còn nháp" not in detail
    assert "Chủ đề 2025 còn nháp" not in officer.get(reverse("home")).content.decode()


def test_theme_year_outside_campaign_and_duplicate_year_refused(users, campaign, client_for):
    admin = client_for(users["admin"])
    _create_theme(admin, campaign, 2024)
    response = admin.post(reverse("campaigns:theme_create", args=[campaign.pk]),
                          {"year": 2024, "title": "Lần hai", "guidance": ""})
    assert response.status_code == 200
    assert "Năm 2024 đã có chủ đề thi đua" in response.content.decode()
    response = admin.post(reverse("campaigns:theme_create", args=[campaign.pk]), {"year": 2030, "title": "x"})
    assert response.status_code == 200 and YearlyTheme.objects.count() == 1


def test_hostile_guidance_document_is_refused(users, campaign, client_for):
    admin = client_for(users["admin"])
    theme = _create_theme(admin, campaign)
    response = admin.post(reverse("campaigns:theme_upload", args=[theme.pk]),
                          {"file": SimpleUploadedFile("huong-dan.pdf", b"MZ\x90\x00 not a pdf")}, follow=True)
    assert "không phải là tệp PDF thật" in response.content.decode()
    assert not ThemeDocument.objects.exists()


def test_officer_cannot_publish(users, campaign, client_for):
    theme = YearlyTheme.objects.create(campaign=campaign, year=2025, title="Nháp")
    officer = client_for(users["dm_officer"])
    assert officer.post(reverse("campaigns:theme_publish", args=[theme.pk])).status_code == 404
    appraiser = client_for(users["appraiser"])
    assert appraiser.post(reverse("campaigns:theme_publish", args=[theme.pk])).status_code == 404
    admin_visible = YearlyTheme.objects.create(campaign=campaign, year=2024, title="Đã công bố",
                                               published_at="2024-01-05T00:00:00Z")
    assert appraiser.post(reverse("campaigns:theme_publish", args=[admin_visible.pk])).status_code == 403
    theme.refresh_from_db()
    assert theme.published_at is None
