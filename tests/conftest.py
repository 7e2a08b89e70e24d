"""Shared fixtures: a small real tree (two districts with communes and a division), one user per role.

Fixtures used by several test folders live here or in the plugin modules of tests/fixtures/ listed below (the
campaign with its contents, the award catalogue and dossiers, the PAR criteria set and sheets, the Chromium
settings of the browser tests); a folder's conftest.py keeps what only that folder uses and imports no fixture.
"""

import pytest
from django.utils import translation

from units.models import EmulationBlock, Person, Role, Unit, UnitKind, User

pytest_plugins = ["tests.fixtures.campaigns", "tests.fixtures.awards", "tests.fixtures.par", "tests.fixtures.browser"]

PASSWORD = "Mat-khau-thu-2025"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    """No collectstatic in tests; private files go to a per-test folder (real storage, real files)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "private")}},
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "private")}},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.REPORT_PART_CACHE_DIR = str(tmp_path / "report-parts")  # each test renders its report parts afresh
    settings.SIGNING_DEMO_DIR = tmp_path / "signing"  # load_demo's test identity: never the real var/signing
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache. The pieces kept under the data version (core.versions) are read again
    after a write; but a test's rows are rolled back and its fixtures may be written without an audit row or a
    signal (bulk_create), so the next test could find the same version as one before it, with other rows."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _vietnamese_first():
    """Each test starts in the site language, whatever an earlier request in this thread switched to."""
    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture
def tree(db):
    """DNO → SNV (department), DM (district) → DM-01 (commune) → DM-01.VP (division); GN (district) → GN-01."""
    cluster = EmulationBlock.objects.create(code="CUM1", name="Cụm thi đua số 1", kind="cluster")
    province = Unit.objects.create(code="DNO", name="Ủy ban nhân dân tỉnh Đắk Nông", kind=UnitKind.PROVINCE)
    snv = Unit.objects.create(code="SNV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province)
    dm = Unit.objects.create(code="DM", name="Ủy ban nhân dân huyện Đắk Mil", kind=UnitKind.DISTRICT,
                             parent=province, block=cluster)
    dm01 = Unit.objects.create(code="DM-01", name="Ủy ban nhân dân thị trấn Đắk Mil", kind=UnitKind.COMMUNE,
                               parent=dm)
    dm01_vp = Unit.objects.create(code="DM-01.VP", name="Văn phòng HĐND và UBND thị trấn Đắk Mil",
                                  kind=UnitKind.DIVISION, parent=dm01)
    gn = Unit.objects.create(code="GN", name="Ủy ban nhân dân thành phố Gia Nghĩa", kind=UnitKind.DISTRICT,
                             parent=province, block=cluster)
    gn01 = Unit.objects.create(code="GN-01", name="Ủy ban nhân dân phường Nghĩa Đức", kind=UnitKind.COMMUNE,
                               parent=gn)
    return {"province": province, "snv": snv, "dm": dm, "dm01": dm01, "dm01_vp": dm01_vp, "gn": gn,
            "gn01": gn01, "cluster": cluster}


@pytest.fixture
def people(tree):
    return {
        "an": Person.objects.create(full_name="Nguyễn Văn An", gender="male", position="Chủ tịch",
                                    unit=tree["dm01"], staff_code="DM01-001"),
        "binh": Person.objects.create(full_name="Trần Thị Bình", gender="female", position="Văn thư",
                                      unit=tree["dm01_vp"]),
        "cuong": Person.objects.create(full_name="Lê Văn Cường", gender="male", position="Phó Chủ tịch",
                                       unit=tree["gn01"]),
    }


def _user(username, role, unit=None, **extra):
    return User.objects.create_user(username=username, password=PASSWORD, role=role, unit=unit,
                                    full_name=username, **extra)


@pytest.fixture
def users(tree):
    return {
        "admin": _user("snv_admin", Role.ADMIN, tree["snv"]),
        "appraiser": _user("snv_td", Role.APPRAISER, tree["snv"]),
        "leader": _user("lanh_dao", Role.LEADER),
        "approver": _user("lanh_dao_pd", Role.APPROVER),
        "dm_officer": _user("dm_officer", Role.OFFICER, tree["dm"]),
        "gn_officer": _user("gn_officer", Role.OFFICER, tree["gn"]),
    }


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login
