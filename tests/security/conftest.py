"""Fixtures of the hostile-input and concurrency tests; the tree, campaign, award and PAR fixtures they also use
come from tests/conftest.py and tests/fixtures/."""

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from campaigns.services import work as campaign_services
from core.files import bytes_upload
from reports import services as report_services
from reports.models import GeneratedReport
from units.models import User

# The demo's accounts by role (load_demo). The officer acted for Đắk Mil; since the demo's 1/7/2025 restructuring it
# acts for xã Đức Lập (LDG-24664).
OFFICER = "dakmil.canbo"
ROLES = {"admin": "snv.quantri", "appraiser": "snv.thamdinh", "leader": "lanhdao", "approver": "lanhdao.pheduyet",
         "officer": OFFICER}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="minh-chung.pdf"):
    return bytes_upload(name, PDF)


@pytest.fixture
def achievement(campaign, contents, tree, users):
    """A submitted achievement of commune DM-01, recorded by the Đắk Mil officer."""
    return campaign_services.achievement_record(
        by=users["dm_officer"], campaign=campaign, unit=tree["dm01"], year=2024, content=contents[2],
        title="Một cửa điện tử liên thông", files=[pdf()], description="Giảm thời gian giải quyết hồ sơ")


@pytest.fixture
def reach(request, db, settings, client):
    """reach(key) → (a client logged in as the right user, the Target) for a key of the requesting test module's
    `UPLOAD_FIELDS` (tests/security/test_hostile_uploads.py, which test_recovery.py imports)."""
    settings.UPLOAD_MAX_BYTES = 1024 * 1024

    def build(key):
        target = request.module.UPLOAD_FIELDS[key](request.getfixturevalue)
        client.force_login(target.user)
        return client, target
    return build


@pytest.fixture
def demo(db, settings, tmp_path, django_capture_on_commit_callbacks):
    """The demo province (load_demo) with one interim report generated; its users by role (ROLES)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "reports"]}}
    call_command("load_demo", stdout=open("/dev/null", "w"))
    users = {role: User.objects.get(username=username) for role, username in ROLES.items()}
    draft = report_services.draft_create(by=users["admin"], campaign=Campaign.objects.get(number="584/KH-UBND"),
                                         kind="interim")
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_request(draft=draft, by=users["admin"], format="xlsx")
    assert GeneratedReport.objects.filter(status="done").exists()
    return users
