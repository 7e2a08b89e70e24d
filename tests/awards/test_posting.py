"""Public posting (công khai): Sở Nội vụ publishes proposed nominees for a window of working days; anyone may
comment without an account (rate-limited); appraisers see the comments beside the dossier; publishing and
closing are logged."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.models import Posting, PublicComment
from awards.workdays import add_working_days
from core.models import AuditEntry


def test_publish_preview_apply_comment_and_close(client, client_for, users, make_dossier):
    proposed = make_dossier("proposed")
    draft = make_dossier("draft", complete=False)
    admin = client_for(users["admin"])
    preview = admin.post(reverse("awards:bulk_preview"), {"action": "publish", "ids": [proposed.pk, draft.pk]})
    assert "chỉ công khai hồ sơ đã được đề nghị khen thưởng" in preview.content.decode()
    response = admin.post(reverse("awards:bulk_apply"), {"action": "publish", "ids": [proposed.pk],
                                                         "title": "Danh sách sơ kết", "working_days": 10})
    posting = Posting.objects.get()
    assert response.url == posting.get_absolute_url()
    assert list(posting.dossiers.all()) == [proposed]
    assert posting.closes_on == add_working_days(timezone.localdate(posting.opened_at), 10)
    assert AuditEntry.objects.filter(action="posting_publish", target_id=str(posting.pk)).count() == 1
    admin.logout()

    public = client.get(posting.get_absolute_url()).content.decode()  # no account
    assert "Nguyễn Văn An" in public and "Ủy ban nhân dân thị trấn Đắk Mil" in public
    client.post(reverse("awards:comment_add", args=[posting.pk]),
                {"dossier": proposed.pk, "name": "Người dân", "text": "Ông An làm việc rất tận tình."})
    assert PublicComment.objects.get().text == "Ông An làm việc rất tận tình."
    seen = client_for(users["appraiser"]).get(reverse("awards:detail", args=[proposed.pk])).content.decode()
    assert "Ông An làm việc rất tận tình." in seen

    client_for(users["admin"]).post(reverse("awards:posting_close", args=[posting.pk]))
    posting.refresh_from_db()
    assert posting.closed_at is not None
    assert AuditEntry.objects.filter(action="posting_close", target_id=str(posting.pk)).count() == 1
    with pytest.raises(ValidationError, match="hết hạn"):
        services.comment_add(posting=posting, dossier=proposed, text="Muộn", source="1.2.3.4")


def test_comments_are_rate_limited_per_source(users, make_dossier):
    dossier = make_dossier("proposed")
    posting = services.posting_publish(dossiers=[dossier], by=users["admin"], title="Công khai")
    for n in range(services.COMMENTS_PER_HOUR):
        services.comment_add(posting=posting, dossier=dossier, text=f"Ý kiến {n}", source="10.0.0.1")
    with pytest.raises(ValidationError, match="thử lại sau"):
        services.comment_add(posting=posting, dossier=dossier, text="Thêm nữa", source="10.0.0.1")
    services.comment_add(posting=posting, dossier=dossier, text="Người khác", source="10.0.0.2")
    assert PublicComment.objects.count() == services.COMMENTS_PER_HOUR + 1


def test_only_admin_publishes_and_only_postable_dossiers(users, make_dossier):
    dossier = make_dossier("proposed")
    with pytest.raises(Exception) as refused:
        services.posting_publish(dossiers=[dossier], by=users["appraiser"], title="x")
    assert refused.type.__name__ == "PermissionDenied"
    early = make_dossier("submitted")
    with pytest.raises(ValidationError, match="Không công khai hồ sơ nào"):
        services.posting_publish(dossiers=[dossier, early], by=users["admin"], title="x")
    assert not Posting.objects.exists()


def test_comment_only_on_dossiers_of_the_posting(client, users, make_dossier):
    inside = make_dossier("proposed")
    outside = make_dossier("proposed")
    posting = services.posting_publish(dossiers=[inside], by=users["admin"], title="x")
    response = client.post(reverse("awards:comment_add", args=[posting.pk]), {"dossier": outside.pk, "text": "x"})
    assert response.status_code == 404
    assert client.get(reverse("awards:comment_add", args=[posting.pk])).status_code == 405


def test_public_list_shows_open_postings_to_anyone(client, users, make_dossier):
    posting = services.posting_publish(dossiers=[make_dossier("proposed")], by=users["admin"], title="Sơ kết 2023")
    page = client.get(reverse("awards:posting_list")).content.decode()
    assert "Sơ kết 2023" in page
    services.posting_close(posting=posting, by=users["admin"])
    assert "Sơ kết 2023" not in client.get(reverse("awards:posting_list")).content.decode()
    assert client.get(posting.get_absolute_url()).status_code == 404
