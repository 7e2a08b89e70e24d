"""Inspections: Sở Nội vụ records them with follow-up tasks; the inspected unit's officer completes the tasks."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import FollowUpTask, Inspection
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _record(client, campaign, tree):
    return client.post(reverse("campaigns:inspection_create", args=[campaign.pk]), {
        "unit": tree["dm01"].pk, "inspected_on": "12/09/2024", "inspectors": "Đoàn Sở Nội vụ",
        "findings": "Niêm yết thủ tục hành chính chưa đầy đủ.",
        "tasks-TOTAL_FORMS": 3, "tasks-INITIAL_FORMS": 0,
        "tasks-0-description": "Niêm yết đủ thủ tục hành chính", "tasks-0-deadline": "30/09/2024",
        "tasks-1-description": "Cập nhật cổng dịch vụ công", "tasks-1-deadline": "31/12/2099",
        "tasks-2-description": "", "tasks-2-deadline": "",
    })


def test_appraiser_records_and_officer_completes_a_task(users, tree, campaign, client_for):
    response = _record(client_for(users["appraiser"]), campaign, tree)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert inspection.inspected_on == datetime.date(2024, 9, 12) and inspection.created_by == users["appraiser"]
    assert inspection.tasks.count() == 2
    overdue = inspection.tasks.get(deadline=datetime.date(2024, 9, 30))

    officer = client_for(users["dm_officer"])  # DM-01 is in Đắk Mil's subtree
    page = officer.get(reverse("campaigns:inspection_detail", args=[inspection.pk])).content.decode()
    assert "Quá hạn" in page and "table-danger" in page
    listing = officer.get(reverse("campaigns:inspections", args=[campaign.pk])).content.decode()
    assert "Ủy ban nhân dân thị trấn Đắk Mil" in listing

    response = officer.post(reverse("campaigns:task_complete", args=[overdue.pk]), {"note": "Đã niêm yết đủ."})
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.completed_on is not None and overdue.completion_note == "Đã niêm yết đủ."
    assert AuditEntry.objects.get(action="task_complete", target_id=str(overdue.pk)).actor == users["dm_officer"]

    # Marking it again is refused with a message; an empty note is refused too.
    page = officer.post(reverse("campaigns:task_complete", args=[overdue.pk]), {"note": "lại"},
                        follow=True).content.decode()
    assert "đã được đánh dấu hoàn thành" in page
    other = inspection.tasks.exclude(pk=overdue.pk).get()
    page = officer.post(reverse("campaigns:task_complete", args=[other.pk]), {"note": ""},
                        follow=True).content.decode()
    assert "Hãy ghi kết quả khắc phục" in page
    other.refresh_from_db()
    assert other.completed_on is None


def test_another_districts_officer_gets_404(users, tree, campaign, client_for):
    _record(client_for(users["admin"]), campaign, tree)
    inspection = Inspection.objects.get()
    task = inspection.tasks.first()
    officer = client_for(users["gn_officer"])
    assert officer.get(reverse("campaigns:inspection_detail", args=[inspection.pk])).status_code == 404
    assert officer.post(reverse("campaigns:task_complete", args=[task.pk]), {"note": "x"}).status_code == 404
    assert "Đắk Mil" not in officer.get(reverse("campaigns:inspections", args=[campaign.pk])).content.decode()
    task.refresh_from_db()
    assert task.completed_on is None


def test_only_admin_and_appraiser_record_and_they_cannot_complete(users, tree, campaign, client_for):
    for role in ("leader", "dm_officer"):
        assert _record(client_for(users[role]), campaign, tree).status_code == 403
    assert not Inspection.objects.exists()
    _record(client_for(users["admin"]), campaign, tree)
    task = FollowUpTask.objects.first()
    for role in ("admin", "leader"):
        assert client_for(users[role]).post(reverse("campaigns:task_complete", args=[task.pk]),
                                            {"note": "x"}).status_code == 403


def test_task_without_deadline_is_explained(users, tree, campaign, client_for):
    response = client_for(users["admin"]).post(reverse("campaigns:inspection_create", args=[campaign.pk]), {
        "unit": tree["dm01"].pk, "inspected_on": "12/09/2024", "inspectors": "Đoàn", "findings": "Tốt",
        "tasks-TOTAL_FORMS": 1, "tasks-INITIAL_FORMS": 0, "tasks-0-description": "Việc", "tasks-0-deadline": ""})
    assert response.status_code == 200
    assert "Hãy nhập hạn hoàn thành cho việc này." in response.content.decode()
    assert not Inspection.objects.exists()
