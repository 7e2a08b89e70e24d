"""Every page of the units' work renders for the roles that use it; the answer-files field refuses hostile files."""

import pytest
from django.urls import reverse

from campaigns.models import AchievementStatus
from campaigns.services import work as services

from . import test_work_support as support
from .test_work_support import HOSTILE_IDS, SMALL_LIMIT, hostile_uploads, make_achievement, pdf_bytes, upload

officers = support.officers
work_files_in_test_storage = support.work_files_in_test_storage


@pytest.fixture
def work(campaign, contents, tree, people, officers, users):
    achievement = make_achievement(campaign, contents[2], tree["dm01"], officers["dm01"])
    initiative = services.initiative_propose(
        by=officers["dm01"], campaign=campaign, unit=tree["dm01"], year=2024, title="Sáng kiến A",
        authors=[people["an"]], problem="p", solution="s", effect="e", files=[upload("a.pdf", pdf_bytes())])
    model = services.exemplary_create(by=users["admin"], campaign=campaign, kind="practice", title="Gương A",
                                      story="S", year=2024)
    return {"achievement": achievement, "initiative": initiative, "model": model}


def test_pages_render_for_each_role(work, users, officers, client_for):
    a, i, m = work["achievement"].pk, work["initiative"].pk, work["model"].pk
    pages = {
        "dm01": ["achievement_list", "achievement_create", ("achievement_detail", a), ("achievement_files", a),
                 "initiative_list", "initiative_create", ("initiative_detail", i), "public_models"],
        "appraiser": ["review_queue", "achievement_list", ("achievement_detail", a), "initiative_list",
                      ("initiative_detail", i)],
        "leader": ["achievement_list", ("achievement_detail", a), "initiative_list", ("initiative_detail", i)],
        "admin": ["exemplary_manage", "exemplary_create", ("exemplary_edit", m), "review_queue"],
    }
    for who, names in pages.items():
        client = client_for(officers.get(who) or users[who])
        for entry in names:
            name, args = (entry, []) if isinstance(entry, str) else (entry[0], [entry[1]])
            response = client.get(reverse(f"campaigns:{name}", args=args))
            assert response.status_code == 200, (who, name)
            assert 'href="/thanh-tich/"' in response.content.decode() or 'href="/thanh-tich/xem-xet/"' in \
                response.content.decode(), (who, name)  # the "Minh chứng" navigation link


def test_review_controls_only_for_reviewers(work, users, officers, client_for):
    url = reverse("campaigns:achievement_detail", args=[work["achievement"].pk])
    assert 'id="review-actions"' in client_for(users["appraiser"]).get(url).content.decode()
    for user in (officers["dm01"], users["leader"]):
        assert 'id="review-actions"' not in client_for(user).get(url).content.decode()


@pytest.mark.parametrize("label", HOSTILE_IDS)
def test_hostile_answer_files_refused(label, work, users, officers, client_for, settings):
    settings.UPLOAD_MAX_BYTES = SMALL_LIMIT
    achievement = work["achievement"]
    services.achievement_ask_clarification(achievement=achievement, by=users["appraiser"], comment="Làm rõ")
    before = set(support.stored_files())
    name, content = next((n, c) for key, n, c in hostile_uploads() if key == label)
    response = client_for(officers["dm01"]).post(reverse("campaigns:achievement_resubmit", args=[achievement.pk]),
                                                 {"answer": "Đã bổ sung", "files": [upload(name, content)]})
    assert response.status_code == 400
    assert name in response.content.decode()
    achievement.refresh_from_db()
    assert achievement.status == AchievementStatus.CLARIFICATION and achievement.unit_answer == ""
    assert achievement.files.count() == 1 and set(support.stored_files()) == before
