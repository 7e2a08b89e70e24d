"""Signing with a PKCS#11 token, for real: a throw-away SoftHSM2 token (its own configuration and token folder in a
temporary directory) holding a key pair and certificate of the test's own CA, configured as an identity the way
SIGNING_IDENTITIES describes one (module path, token label or slot, key label, the PIN in an environment variable).
A decision is signed through the service and the worker and checked with pyHanko and poppler's pdfsig; a wrong
PIN, a missing module and the other configuration mistakes give their Vietnamese message."""

import io
import os
import subprocess

import pkcs11
import pytest
from cryptography.hazmat.primitives import serialization

from awards import services
from core import signing
from core.models import AuditEntry, SignedDocument

from .test_signing import TASKS_IMMEDIATE, _link

# Debian's softhsm2 package (scripts/setup_os.sh installs it): not skipped when missing, the test fails.
MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "test"
KEY_LABEL = "chu-tich"
PIN = "PIN-thu-nghiem-4817"
SO_PIN = "so-pin-thu-nghiem-2093"
PIN_ENV = "TEST_TOKEN_PIN"


@pytest.fixture(scope="module")
def token(pki, tmp_path_factory):
    """A SoftHSM2 token made for this module, with the signer's key, its certificate and the intermediate CA's
    certificate. SoftHSM2 reads SOFTHSM2_CONF once, when the module is first loaded into the process (python-pkcs11
    keeps it loaded), so the variable is set for the whole module and the token exists before that."""
    assert os.path.isfile(MODULE), "SoftHSM2 (Debian's softhsm2) must be installed: scripts/setup_os.sh installs it"
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    try:
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", PIN,
                        "--so-pin", SO_PIN], check=True, capture_output=True)
        authority = pki["ca"]
        certificate, key = authority.issue("Hồ Văn Mười")
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
        Attribute = pkcs11.Attribute
        certificate_der = certificate.public_bytes(serialization.Encoding.DER)
        with pkcs11.lib(MODULE).get_token(token_label=TOKEN_LABEL).open(rw=True, user_pin=PIN) as session:
            session.create_object({**pkcs11.util.ec.decode_ec_private_key(der), Attribute.LABEL: KEY_LABEL,
                                   Attribute.ID: b"\x01", Attribute.TOKEN: True, Attribute.PRIVATE: True,
                                   Attribute.SENSITIVE: True, Attribute.SIGN: True})
            session.create_object({**pkcs11.util.x509.decode_x509_public_key(certificate_der),
                                   Attribute.LABEL: KEY_LABEL, Attribute.ID: b"\x01", Attribute.TOKEN: True})
            for label, cert in ((KEY_LABEL, certificate), ("ca-trung-gian", authority.intermediate)):
                session.create_object({
                    **pkcs11.util.x509.decode_x509_certificate(cert.public_bytes(serialization.Encoding.DER)),
                    Attribute.LABEL: label, Attribute.ID: b"\x01" if label == KEY_LABEL else b"\x02",
                    Attribute.TOKEN: True})
        yield {"certificate": certificate, "config": config}
    finally:
        pkcs11.unload(MODULE)
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture
def token_identity(token, signing_setup, settings, monkeypatch):
    """The identity "token" as an administrator configures one: no PIN in the settings, only the variable's name."""
    settings.TASKS = TASKS_IMMEDIATE
    settings.SIGNING_IDENTITIES = {**settings.SIGNING_IDENTITIES, "token": {
        "pkcs11": MODULE, "token_label": TOKEN_LABEL, "key_label": KEY_LABEL, "pin_env": PIN_ENV}}
    monkeypatch.setenv(PIN_ENV, PIN)
    return settings.SIGNING_IDENTITIES["token"]


def _sign_decision(make_dossier, users, capture):
    decision = make_dossier("awarded").decision
    _link(decision.signer_ref, "token", users["approver"])
    with capture(execute=True):
        row = services.decision_sign(decision=decision, by=users["approver"])
    row.refresh_from_db()
    return decision, row


def _logged_in_sessions_left():
    """Whether some session of this process is still logged in to the token: PKCS#11 shares the login among an
    application's sessions, so a new session without a PIN sees the private key only while another is open."""
    with pkcs11.lib(MODULE).get_token(token_label=TOKEN_LABEL).open() as session:
        return bool(list(session.get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.PRIVATE_KEY})))


def test_decision_signed_on_the_token_is_valid_for_pyhanko_and_pdfsig(token, token_identity, make_dossier, users,
                                                                      django_capture_on_commit_callbacks, tmp_path):
    decision, row = _sign_decision(make_dossier, users, django_capture_on_commit_callbacks)
    assert row.status == "done", row.error
    assert row.identity == "token" and not row.test_identity
    data = row.file.open("rb").read()

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert len(embedded) == 1
    # The certificate is the one on the token (not the PKCS#12 identities' of the other tests), its chain built
    # through the intermediate certificate pulled from the token.
    assert embedded[0].signer_cert.serial_number == token["certificate"].serial_number
    status = signing._outside_event_loop(lambda: validate_pdf_signature(embedded[0], signing.validation_context()))
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.coverage.name == "ENTIRE_FILE"
    assert embedded[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"

    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert "Hồ Văn Mười" in report

    # The token's session was closed after signing: no login is left open in this process.
    assert not _logged_in_sessions_left()
    # The PIN lives in the environment only: neither the signing row nor the activity trail holds it.
    assert PIN not in repr(SignedDocument.objects.filter(pk=row.pk).values().get())
    assert not any(PIN in repr(values) for values in AuditEntry.objects.values())


def test_wrong_pin_is_told_in_vietnamese_and_nothing_is_signed(token, token_identity, make_dossier, users,
                                                               django_capture_on_commit_callbacks, monkeypatch,
                                                               client_for):
    monkeypatch.setenv(PIN_ENV, "0000-sai")
    decision, row = _sign_decision(make_dossier, users, django_capture_on_commit_callbacks)
    assert row.status == "failed" and not row.file
    assert row.error == ("Sai mã PIN của thiết bị ký số (chứng thư số “token”): hãy kiểm tra biến môi trường "
                         "TEST_TOKEN_PIN. Nhập sai nhiều lần sẽ khóa token.")
    page = client_for(users["approver"]).get(decision.get_absolute_url()).content.decode()
    assert "Sai mã PIN của thiết bị ký số" in page
    assert not _logged_in_sessions_left()
    # The wrong PIN did reach the token (SoftHSM2 flags a failed login) ...
    assert pkcs11.lib(MODULE).get_token(token_label=TOKEN_LABEL).flags & pkcs11.TokenFlag.USER_PIN_COUNT_LOW
    # ... and is not offered to it again (a real token locks itself after a few): the next attempt is refused
    # before any login; the right PIN, once the variable is fixed, signs.
    with pytest.raises(signing.SigningError, match="máy chủ không thử lại để token không bị khóa"):
        with signing.load_signer("token"):
            pass
    monkeypatch.setenv(PIN_ENV, PIN)
    with signing.load_signer("token") as signer:
        assert signer.signing_cert.serial_number == token["certificate"].serial_number


def test_missing_module_is_told_in_vietnamese(token_identity, settings, make_dossier, users,
                                              django_capture_on_commit_callbacks):
    settings.SIGNING_IDENTITIES["token"] = {**token_identity, "pkcs11": "/usr/lib/khong-co/libtoken-nha-cung-cap.so"}
    _decision, row = _sign_decision(make_dossier, users, django_capture_on_commit_callbacks)
    assert row.status == "failed"
    assert row.error == ("Không tìm thấy thư viện PKCS#11 “/usr/lib/khong-co/libtoken-nha-cung-cap.so” của chứng thư "
                         "số “token”: hãy cài trình điều khiển token của nhà cung cấp và kiểm tra đường dẫn trong "
                         "SIGNING_IDENTITIES.")


@pytest.mark.parametrize(("change", "message"), [
    ({"pkcs11": "not a library"}, "không phải là thư viện PKCS#11 dùng được"),
    ({"token_label": "khong-co"}, "Không tìm thấy thiết bị ký số (token) của chứng thư số “token”"),
    ({"key_label": "khong-co"}, "Không tìm thấy khóa hoặc chứng thư có nhãn “khong-co”"),
    ({"pin_env": "TEST_TOKEN_PIN_KHONG_DAT"}, "Chưa đặt biến môi trường TEST_TOKEN_PIN_KHONG_DAT"),
])
def test_configuration_mistakes_are_told_in_vietnamese(token_identity, settings, tmp_path, change, message):
    if change.get("pkcs11"):  # a file that exists but is no PKCS#11 module
        (tmp_path / "libnot.so").write_bytes(b"not a library")
        change = {"pkcs11": str(tmp_path / "libnot.so")}
    settings.SIGNING_IDENTITIES["token"] = {**token_identity, **change}
    with pytest.raises(signing.SigningError, match=message.replace("(", r"\(").replace(")", r"\)")):
        with signing.load_signer("token"):
            pass
    assert not _logged_in_sessions_left()


def test_slot_index_instead_of_the_token_label(token_identity, settings):
    """SoftHSM2 lists the initialised token first, then one empty slot: slot 0 is the token, slot 1 has none."""
    settings.SIGNING_IDENTITIES["token"] = {key: value for key, value in token_identity.items() if key != "token_label"}
    settings.SIGNING_IDENTITIES["token"]["slot"] = 0
    with signing.load_signer("token") as signer:
        assert signer.signing_cert.subject.native["common_name"] == "Hồ Văn Mười"
        assert _logged_in_sessions_left()  # open while the block runs
    assert not _logged_in_sessions_left()
    settings.SIGNING_IDENTITIES["token"]["slot"] = 1
    with pytest.raises(signing.SigningError, match="Không tìm thấy thiết bị ký số"):
        with signing.load_signer("token"):
            pass
