"""A throw-away PKI made by each test run (root, intermediate, signers, one revoked, a CRL) and the settings that
point the signing kernel at it. No network: the revocation data is the CRL written here."""

import datetime

import pytest

from core.signing_demo import TestPKI
from tests.campaigns.test_work_support import officers  # noqa: F401 (the evidence test's fixture)
from tests.reports.conftest import body, dataset, final_draft  # noqa: F401 (the report test's fixtures)

PASSPHRASE = b"mat-khau-thu-nghiem"


@pytest.fixture(scope="session")
def pki():
    authority = TestPKI(crl_url="http://crl.thu-nghiem.invalid/intermediate.crl")  # never fetched: given offline
    good, good_key = authority.issue("Hồ Văn Mười")
    revoked, revoked_key = authority.issue("Người Bị Thu Hồi")
    authority.revoke(revoked)
    return {"ca": authority, "good": (good, good_key), "revoked": (revoked, revoked_key)}


@pytest.fixture
def signing_setup(settings, tmp_path, pki, monkeypatch):
    """Identities "good" and "revoked" as PKCS#12 files with their passphrase in the environment; the test root
    trusted; the CRL offline; the demo folder empty."""
    authority = pki["ca"]
    identities = {}
    for key in ("good", "revoked"):
        certificate, private_key = pki[key]
        path = tmp_path / f"{key}.p12"
        path.write_bytes(authority.pkcs12(certificate, private_key, PASSPHRASE))
        identities[key] = {"pkcs12": str(path), "passphrase_env": "TEST_SIGNING_PASSPHRASE"}
    monkeypatch.setenv("TEST_SIGNING_PASSPHRASE", PASSPHRASE.decode())
    root = tmp_path / "root.pem"
    root.write_bytes(authority.pem(authority.root))
    crl = tmp_path / "intermediate.crl"
    crl.write_bytes(authority.crl_der())
    settings.SIGNING_IDENTITIES = identities
    settings.SIGNING_TRUST_ROOTS = [str(root)]
    settings.SIGNING_CRLS = [str(crl)]
    settings.SIGNING_TIMESTAMP_URL = ""
    settings.SIGNING_FETCH_REVOCATION = False
    settings.SIGNING_DEMO_DIR = tmp_path / "no-demo"
    return {"root": root, "crl": crl, "dir": tmp_path}


def other_root(tmp_path):
    """A root nobody configured: a signer under it is not trusted."""
    stranger = TestPKI(now=datetime.datetime.now(datetime.UTC))
    certificate, key = stranger.issue("Người Lạ")
    path = tmp_path / "stranger.p12"
    path.write_bytes(stranger.pkcs12(certificate, key, PASSPHRASE))
    return path
