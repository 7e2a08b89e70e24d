"""Shared fixtures for the hostile-input and concurrency tests: the small tree of tests/conftest.py plus the
campaign, award and PAR fixtures of the app test packages (re-exported here, not copied)."""

import pytest

from campaigns.services import work as campaign_services
from core.files import bytes_upload
from tests.awards.conftest import catalogue, interim, make_dossier  # noqa: F401  (re-exported fixtures)
from tests.campaigns.conftest import campaign, contents  # noqa: F401
from tests.par.conftest import district_set, district_sheets, par_users  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="minh-chung.pdf"):
    return bytes_upload(name, PDF)


@pytest.fixture
def achievement(campaign, contents, tree, users):  # noqa: F811
    """A submitted achievement of commune DM-01, recorded by the Đắk Mil officer."""
    return campaign_services.achievement_record(
        by=users["dm_officer"], campaign=campaign, unit=tree["dm01"], year=2024, content=contents[2],
        title="Một cửa điện tử liên thông", files=[pdf()], description="Giảm thời gian giải quyết hồ sơ")
