"""The kernel's shared rules, each tested once here (the apps' tests cover them again through their services)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Achievement, CampaignStatus, EvidenceFile
from core import audit, roles, workflow
from core.files import private_storage, stored_batch, validate_uploads
from core.models import AuditEntry
from units.models import Role, User

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name):
    return SimpleUploadedFile(name, PDF)


# Roles -------------------------------------------------------------------------------------------------------


def test_role_predicates(users, tree):
    admin, appraiser, leader, officer = (users[k] for k in ("admin", "appraiser", "leader", "dm_officer"))
    assert [roles.is_snv_admin(u) for u in (admin, appraiser, leader, officer)] == [True, False, False, False]
    assert [roles.is_snv_staff(u) for u in (admin, appraiser, leader, officer)] == [True, True, False, False]
    assert [roles.reads_province(u) for u in (admin, appraiser, leader, officer)] == [True, True, True, False]
    assert [roles.is_officer(u) for u in (admin, appraiser, leader, officer)] == [False, False, False, True]
    assert roles.acts_for(officer, tree["dm01_vp"]) and roles.acts_for(officer, tree["dm"])
    assert not roles.acts_for(officer, tree["gn01"]) and not roles.acts_for(officer, tree["province"])


def test_a_super_user_is_an_administrator_never_a_units_officer(tree):
    root = User.objects.create_superuser(username="root", password="x", role=Role.OFFICER, unit=tree["dm"])
    assert roles.is_snv_admin(root) and roles.is_snv_staff(root) and roles.reads_province(root)
    assert not roles.is_officer(root) and not roles.acts_for(root, tree["dm01"])


def test_anonymous_users_are_nobody(rf):
    from django.contrib.auth.models import AnonymousUser

    nobody = AnonymousUser()
    assert not any(check(nobody) for check in (roles.is_officer, roles.is_snv_admin, roles.is_snv_staff,
                                               roles.reads_province, roles.is_signed_in))


# Audit diff --------------------------------------------------------------------------------------------------


def test_changes_lists_only_what_differs_as_text(tree):
    unit = tree["dm01"]
    diff = audit.changes(unit, {"name": "UBND xã mới", "code": unit.code, "valid_to": None, "block": tree["cluster"]},
                         ("name", "code", "valid_to", "block", "kind"))
    assert diff == {"name": [unit.name, "UBND xã mới"], "block": ["", str(tree["cluster"])]}


# Transition runner -------------------------------------------------------------------------------------------


@pytest.fixture
def achievement(campaign, contents, tree, users):
    return Achievement.objects.create(campaign=campaign, unit=tree["dm01"], year=2023, content=contents[1],
                                      title="Một cửa điện tử", created_by=users["dm_officer"])


def test_transition_saves_and_records_from_and_to(achievement, users):
    locked = workflow.lock(achievement)
    with workflow.transition(locked, "accept", by=users["appraiser"], action="achievement_accept") as step:
        step.note = "Đạt"
    achievement.refresh_from_db()
    assert achievement.status == "accepted"
    entry = AuditEntry.objects.get(action="achievement_accept")
    assert entry.changes == {"from": "submitted", "to": "accepted"} and entry.note == "Đạt"
    assert entry.actor == users["appraiser"]


def test_a_stale_page_gets_the_one_changed_meanwhile_message_and_nothing_is_recorded(achievement, users):
    with pytest.raises(ValidationError) as refused:
        workflow.run(workflow.lock(achievement), "accept", by=users["appraiser"], action="achievement_accept",
                     expected="clarification")
    assert refused.value.code == "changed"
    assert "vừa được người khác thay đổi" in refused.value.messages[0]
    assert "Một cửa điện tử" in refused.value.messages[0]
    workflow.run(workflow.lock(achievement), "accept", by=users["appraiser"], action="achievement_accept")
    with pytest.raises(ValidationError, match="vừa được người khác thay đổi"):  # no transition from accepted
        workflow.run(workflow.lock(achievement), "accept", by=users["appraiser"], action="achievement_accept")
    assert AuditEntry.objects.filter(action="achievement_accept").count() == 1


def test_an_error_inside_the_block_leaves_no_row_and_no_audit(campaign, users):
    campaign.status = CampaignStatus.DRAFT
    campaign.save()
    with pytest.raises(ValidationError, match="thiếu"):
        with workflow.transition(workflow.lock(campaign), "launch", by=users["admin"], action="campaign_launch"):
            raise ValidationError("thiếu nội dung")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert not AuditEntry.objects.filter(action="campaign_launch").exists()


# Files stored all or nothing ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_stored_batch_discards_every_file_it_stored_when_the_action_fails(achievement):
    storage = private_storage()
    names = []
    with pytest.raises(RuntimeError):
        with stored_batch() as batch:
            batch.store_all([_pdf("a.pdf"), _pdf("b.pdf")], lambda: EvidenceFile(achievement=achievement),
                            folder="minh-chung")
            names = [f.file.name for f in batch.instances]
            assert all(storage.exists(name) for name in names)
            raise RuntimeError("lỗi giữa chừng")
    assert len(names) == 2 and not any(storage.exists(name) for name in names)
    assert not EvidenceFile.objects.exists()


def test_stored_batch_keeps_files_and_rows_when_the_action_succeeds(achievement):
    with stored_batch() as batch:
        batch.store_all([_pdf("a.pdf")], lambda: EvidenceFile(achievement=achievement), folder="minh-chung")
    stored = EvidenceFile.objects.get()
    assert batch.names == ["a.pdf"] and private_storage().exists(stored.file.name)


def test_validate_uploads_reports_every_bad_file_under_its_field():
    with pytest.raises(ValidationError) as refused:
        validate_uploads([_pdf("tốt.pdf"), SimpleUploadedFile("rỗng.pdf", b""),
                          SimpleUploadedFile("giả.pdf", b"not a pdf at all")], field="files")
    messages = refused.value.message_dict["files"]
    assert len(messages) == 2 and "rỗng.pdf" in messages[0] and "giả.pdf" in messages[1]
