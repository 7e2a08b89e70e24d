"""Throw-away certificates for the demo and the tests, and the demo's test signing identity.

`TestPKI` makes a root, an intermediate and end-entity certificates with `cryptography`, revokes some, writes a CRL:
nothing here is ever a real identity. `build()` (run by `load_demo`, registered through `core.demo`) puts one test
identity in var/signing (never in the database, nor in a backup: backups hold the database and private storage),
its certificate's subject saying it is a test, and gives the demo's signer an image, its body a seal.
"""

import datetime
import io
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TEST_MARK = "CHỨNG THƯ THỬ NGHIỆM – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"


def _name(common, organisation=TEST_MARK):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


class TestPKI:
    """A root CA, an intermediate CA under it, and signers the intermediate issues; revocations and a CRL."""

    __test__ = False  # not a pytest class

    def __init__(self, *, now=None, crl_url=None):
        self.now = now or datetime.datetime.now(datetime.UTC)
        self.crl_url = crl_url
        self.revoked = []
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        root_name = _name("CA GỐC THỬ NGHIỆM")
        self.root = self._certificate(root_name, self.root_key.public_key(), root_name, self.root_key, ca=True,
                                      days=3650)
        self.intermediate_key = ec.generate_private_key(ec.SECP256R1())
        self.intermediate = self._certificate(_name("CA TRUNG GIAN THỬ NGHIỆM"), self.intermediate_key.public_key(),
                                              self.root.subject, self.root_key, ca=True, days=1825)

    def _certificate(self, subject, public_key, issuer, issuer_key, *, ca, days, not_before=None, usage=None):
        start = not_before or self.now - datetime.timedelta(days=1)
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
                   .serial_number(x509.random_serial_number()).not_valid_before(start)
                   .not_valid_after(start + datetime.timedelta(days=days))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))
        if ca:
            builder = builder.add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
                critical=True)
        else:
            builder = builder.add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False),
                critical=True).add_extension(x509.ExtendedKeyUsage([usage or ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                                             critical=usage is not None)
        if issuer != subject:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        if self.crl_url and not ca:
            builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(self.crl_url)], relative_name=None, reasons=None,
                crl_issuer=None)]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    def issue(self, common_name, *, days=365, not_before=None, organisation=TEST_MARK, timestamping=False):
        """(certificate, key) of a signer (or, with `timestamping`, of a timestamp authority: RSA, as pyHanko's
        test timestamper signs only with RSA) under the intermediate."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if timestamping else \
            ec.generate_private_key(ec.SECP256R1())
        certificate = self._certificate(_name(common_name, organisation), key.public_key(), self.intermediate.subject,
                                        self.intermediate_key, ca=False, days=days, not_before=not_before,
                                        usage=ExtendedKeyUsageOID.TIME_STAMPING if timestamping else None)
        return certificate, key

    def revoke(self, certificate, when=None):
        self.revoked.append((certificate.serial_number, when or self.now - datetime.timedelta(hours=1)))

    def crl_der(self):
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.intermediate.subject)
                   .last_update(self.now - datetime.timedelta(hours=2))
                   .next_update(self.now + datetime.timedelta(days=30))
                   .add_extension(x509.CRLNumber(1), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       self.intermediate_key.public_key()), critical=False))
        for serial, when in self.revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build())
        return builder.sign(self.intermediate_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def pkcs12(self, certificate, key, passphrase):
        return pkcs12.serialize_key_and_certificates(
            b"signer", key, certificate, [self.intermediate, self.root],
            serialization.BestAvailableEncryption(passphrase))

    @staticmethod
    def pem(*certificates):
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


# The demo -----------------------------------------------------------------------------------------------------------


def _signature_png(name):
    """A blue scribble with the signer's name: stands for the scanned signature an admin would upload."""
    from PIL import Image, ImageDraw, ImageFont

    from .signing import FONT_FILE

    image = Image.new("RGBA", (600, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT_FILE.replace("Regular", "Italic"), 64)
    draw.text((30, 70), name.split()[-1], fill=(20, 40, 170, 255), font=font)
    draw.line([(30, 170), (200, 150), (420, 175), (560, 140)], fill=(20, 40, 170, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _seal_png(text):
    from PIL import Image, ImageDraw, ImageFont

    from .signing import FONT_FILE

    image = Image.new("RGBA", (400, 400), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 390, 390), outline=(200, 0, 0, 255), width=14)
    draw.ellipse((60, 60, 340, 340), outline=(200, 0, 0, 255), width=6)
    font = ImageFont.truetype(FONT_FILE.replace("Regular", "Bold"), 40)
    for row, line in enumerate(text.split("\n")):
        width = draw.textlength(line, font=font)
        draw.text(((400 - width) / 2, 140 + row * 60), line, fill=(200, 0, 0, 255), font=font)
    draw.text((120, 40), "THỬ NGHIỆM", fill=(200, 0, 0, 255), font=ImageFont.truetype(FONT_FILE, 28))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def make_demo_identity(folder, holder):
    """var/signing/demo.p12 (its passphrase beside it, random), demo-root.pem (the root to trust)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pki = TestPKI()
    certificate, key = pki.issue(f"{holder} (THỬ NGHIỆM)", days=3 * 365)
    passphrase = secrets.token_urlsafe(24).encode()
    (folder / "demo.passphrase").write_bytes(passphrase)
    (folder / "demo.p12").write_bytes(pki.pkcs12(certificate, key, passphrase))
    (folder / "demo-root.pem").write_bytes(pki.pem(pki.root))
    for name in ("demo.passphrase", "demo.p12"):
        (folder / name).chmod(0o600)


def build():
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from .files import bytes_upload, store_upload
    from .models import IssuingBody, RegisteredDocument, SealImage, SignatureImage, Signer, SignerPosition
    from .signing import DEMO_KEY, demo_dir

    # The body of the demo's registered decision (its "QĐ" series), else the first people's committee.
    decision = RegisteredDocument.objects.filter(kind="QĐ").order_by("-registered_at").first()
    body = (IssuingBody.objects.filter(key=decision.issuer).first() if decision else None) or \
        IssuingBody.objects.filter(Q(abbreviation="UBND") & ~Q(key="")).order_by("key").first()
    signer = Signer.objects.filter(body=body, position=SignerPosition.HEAD).first() if body else None
    if signer is None:
        return ""
    if not (demo_dir() / "demo.p12").exists():
        make_demo_identity(demo_dir(), signer.full_name)
    account = get_user_model().objects.filter(username="lanhdao.pheduyet").first()
    if not SignatureImage.objects.filter(signer=signer).exists():
        image = SignatureImage(signer=signer, identity=DEMO_KEY, account=account)
        store_upload(image, bytes_upload("chu-ky-thu-nghiem.png", _signature_png(signer.full_name)), folder="signing")
        image.save()
    if not SealImage.objects.filter(body=body).exists():
        seal = SealImage(body=body)
        store_upload(seal, bytes_upload("con-dau-thu-nghiem.png", _seal_png("ỦY BAN\nNHÂN DÂN")), folder="signing")
        seal.save()
    return (f"Chứng thư ký số thử nghiệm (không có giá trị pháp lý) cho {signer.full_name}: "
            f"tài khoản {account.username if account else '—'} ký được quyết định đã đăng ký.")
