"""Fixtures of the hostile-input and concurrency tests; the tree, campaign, award and PAR fixtures they also use
come from tests/conftest.py and tests/fixtures/."""

import pytest

from campaigns.services import work as campaign_services
from core.files import bytes_upload

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
