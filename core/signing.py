"""Digital signatures (ký số) of issued PDFs and their verification, through pyHanko and pyhanko-certvalidator.

Nothing here signs or checks anything by itself: the PAdES signature, the timestamp, the embedded revocation data
and the validation are pyHanko's. This module only says *what* to sign with (identities from configuration, never
from the database or a backup), *where* the appearance goes (found in the PDF itself with poppler's
`pdftotext -bbox-layout`) and how a result is named for users.

Appearance, Decree 30/2020/NĐ-CP, Phụ lục I (thể thức văn bản điện tử), as the project reads it; the wording below
was written from the decree's published text but could not be re-checked here against the official gazette, so
`APPEARANCE_RULE_CONFIRMED` is False and the admin pages say so:
- the competent person's signature: "Vị trí: tại vị trí ký của người có thẩm quyền trên văn bản giấy. Hình ảnh:
  hình ảnh chữ ký của người có thẩm quyền trên văn bản giấy, màu xanh, định dạng .png nền trong suốt";
- the issuing body's signature: "Vị trí: trùm lên khoảng 1/3 hình ảnh chữ ký số của người có thẩm quyền về phía bên
  trái. Hình ảnh: hình ảnh dấu của cơ quan, tổ chức ban hành văn bản, màu đỏ, kích thước bằng kích thước thực tế của
  dấu, định dạng .png nền trong suốt. Thông tin: tên cơ quan, tổ chức, thời gian ký (ngày tháng năm; giờ phút giây;
  múi giờ Việt Nam theo tiêu chuẩn ISO 8601)";
- on a document attached in the same file (an appendix): "Vị trí: tại góc trên, bên phải, trang đầu của văn bản
  kèm theo. Hình ảnh: không hiển thị. Thông tin: số và ký hiệu văn bản; thời gian ký (ngày tháng năm; giờ phút giây;
  múi giờ Việt Nam theo tiêu chuẩn ISO 8601); tên cơ quan, tổ chức. Phông chữ: Times New Roman, chữ in thường,
  kiểu chữ đứng, cỡ chữ 10, màu đen" (Liberation Serif is Times New Roman's metric twin).
"""

import dataclasses
import datetime
import io
import os
import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .text import nfc

APPEARANCE_RULE_CONFIRMED = False
FONT_FILE = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
SEAL_RED = (218, 37, 29)
# The real seal of a provincial body is 35-42 mm across; the seal image is drawn at 36 mm (102 pt) unless the
# signature block is lower than that.
SEAL_DIAMETER_PT = 102
APPENDIX_FONT_PT = 10


class SigningError(Exception):
    """A document could not be signed: the message is in Vietnamese, for the signer."""


# Configuration ------------------------------------------------------------------------------------------------------


def _paths(value):
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    return [part for part in re.split(r"[,;\n" + os.pathsep + "]", value or "") if part.strip()]


def demo_dir():
    return Path(getattr(settings, "SIGNING_DEMO_DIR", Path(settings.BASE_DIR) / "var" / "signing"))


DEMO_KEY = "demo"


def identities():
    """Signer key → its identity: {"pkcs12": path, "passphrase_env": NAME} (or "passphrase_file") or
    {"pkcs11": module, "slot": n, "key_label": label, "pin_env": NAME}. The demo's test identity, when
    `load_demo` made one in var/signing, is added under the key "demo" and marked {"test": True}."""
    found = dict(getattr(settings, "SIGNING_IDENTITIES", {}) or {})
    folder = demo_dir()
    if DEMO_KEY not in found and (folder / "demo.p12").exists():
        found[DEMO_KEY] = {"pkcs12": str(folder / "demo.p12"), "passphrase_file": str(folder / "demo.passphrase"),
                           "test": True}
    return found


def is_test_identity(key):
    return bool(identities().get(key, {}).get("test"))


def trust_root_paths():
    paths = _paths(getattr(settings, "SIGNING_TRUST_ROOTS", []))
    demo_root = demo_dir() / "demo-root.pem"
    if demo_root.exists() and str(demo_root) not in paths:
        paths.append(str(demo_root))
    return paths


def _load_certificates(paths):
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    certificates = []
    for path in paths:
        data = Path(path).read_bytes()
        blobs = [der for _type, _headers, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        certificates.extend(asn1_x509.Certificate.load(blob) for blob in blobs)
    return certificates


def _load_crls(paths):
    from asn1crypto import crl, pem

    found = []
    for path in paths:
        data = Path(path).read_bytes()
        blobs = [der for _type, _headers, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        found.extend(crl.CertificateList.load(blob) for blob in blobs)
    return found


def validation_kwargs():
    """The arguments of pyhanko-certvalidator's context: the admin's trust roots (PEM files in
    SIGNING_TRUST_ROOTS), the revocation lists kept offline (SIGNING_CRLS); fetching CRLs/OCSP over the network
    only with SIGNING_FETCH_REVOCATION."""
    return {
        "trust_roots": _load_certificates(trust_root_paths()),
        "crls": _load_crls(_paths(getattr(settings, "SIGNING_CRLS", []))),
        "allow_fetching": bool(getattr(settings, "SIGNING_FETCH_REVOCATION", False)),
        # "soft-fail": without revocation data the signature is judged on its chain; a CRL that lists the
        # certificate still makes it revoked.
        "revocation_mode": "soft-fail",
    }


def validation_context():
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(**validation_kwargs())


def _secret(identity, name):
    if identity.get(f"{name}_env"):
        value = os.environ.get(identity[f"{name}_env"])
        if value is None:
            raise SigningError(_("Chưa đặt biến môi trường %(name)s chứa mật khẩu của chứng thư số.")
                               % {"name": identity[f"{name}_env"]})
        return value.encode()
    if identity.get(f"{name}_file"):
        return Path(identity[f"{name}_file"]).read_bytes().strip()
    return None


def load_signer(key):
    """The pyHanko signer of one configured identity (a PKCS#12 file or a PKCS#11 token)."""
    identity = identities().get(key)
    if not identity:
        raise SigningError(_("Chưa cấu hình chứng thư số “%(key)s” (SIGNING_IDENTITIES); hãy liên hệ quản trị viên.")
                           % {"key": key})
    if identity.get("pkcs11"):
        try:
            from pyhanko.sign import pkcs11
        except ImportError:
            raise SigningError(_("Máy chủ chưa cài thư viện python-pkcs11 để dùng thiết bị ký số (token).")) from None
        session = pkcs11.open_pkcs11_session(identity["pkcs11"], slot_no=identity.get("slot"),
                                             user_pin=_secret(identity, "pin"))
        return pkcs11.PKCS11Signer(session, key_label=identity.get("key_label"),
                                   cert_label=identity.get("cert_label", identity.get("key_label")))
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(identity["pkcs12"], passphrase=_secret(identity, "passphrase"))
    if signer is None:
        raise SigningError(_("Không mở được tệp chứng thư số “%(key)s” (sai mật khẩu hoặc tệp hỏng).") % {"key": key})
    return signer


def timestamp_url():
    return getattr(settings, "SIGNING_TIMESTAMP_URL", "") or ""


# Where things are on the page (poppler's pdftotext -bbox-layout) -------------------------------------------------


@dataclasses.dataclass
class Line:
    text: str
    x0: float
    y0: float  # from the top of the page, as poppler gives it
    x1: float
    y1: float


@dataclasses.dataclass
class Page:
    width: float
    height: float
    lines: list


class _BoxReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pages, self._line, self._word = [], None, None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "page":
            self.pages.append(Page(float(values["width"]), float(values["height"]), []))
        elif tag == "line":
            self._line = Line("", *(float(values[k]) for k in ("xmin", "ymin", "xmax", "ymax")))
        elif tag == "word" and self._line is not None:
            self._word = []

    def handle_data(self, data):
        if self._word is not None:
            self._word.append(data)

    def handle_endtag(self, tag):
        if tag == "word" and self._word is not None and self._line is not None:
            word = "".join(self._word).strip()
            self._line.text = f"{self._line.text} {word}".strip()
            self._word = None
        elif tag == "line" and self._line is not None:
            self._line.text = nfc(self._line.text)
            self.pages[-1].lines.append(self._line)
            self._line = None


def page_layout(data):
    """Every page's size and text lines with their boxes, in points from the top left (poppler)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        result = subprocess.run(["pdftotext", "-bbox-layout", handle.name, "-"], capture_output=True, check=True,
                                timeout=120)
    reader = _BoxReader()
    reader.feed(result.stdout.decode("utf-8", "replace"))
    return reader.pages


def _fold(text):
    return re.sub(r"\s+", " ", nfc(text)).strip().casefold()


def signature_block(pages, signer_name):
    """(page index, (x0, y0, x1, y1) in PDF coordinates) of the space for the signature: the last line that is the
    signer's name, and the gap between it and the line above it in the same column (the signer's title)."""
    wanted = _fold(signer_name)
    for index in range(len(pages) - 1, -1, -1):
        page = pages[index]
        names = [line for line in page.lines if _fold(line.text) == wanted]
        if not names:
            continue
        name = names[-1]
        centre = (name.x0 + name.x1) / 2
        above = [line for line in page.lines if line.y1 <= name.y0 + 0.5 and line.x0 <= centre <= line.x1]
        top = max((line.y1 for line in above), default=name.y0 - 80)
        gap = name.y0 - top
        height = max(gap - 4, 36)
        width = max(name.x1 - name.x0 + 40, 150)
        x0 = max(centre - width / 2, 0)
        y_bottom = page.height - name.y0 + 2
        return index, (x0, y_bottom, min(x0 + width, page.width), y_bottom + height)
    raise SigningError(_("Không tìm thấy tên người ký “%(name)s” trong văn bản để đặt chữ ký số.")
                       % {"name": signer_name})


def _first_line(page):
    """The page's first line of text, a running page number ("3") left aside."""
    lines = sorted((line for line in page.lines if not line.text.strip().isdigit()), key=lambda ln: (ln.y0, ln.x0))
    return lines[0] if lines else None


def appendix_pages(pages, headings, after=0):
    """The first page of each appendix: a page from `after` on whose first line starts with one of `headings`."""
    folded = [_fold(h) for h in headings]
    found = []
    for index, page in enumerate(pages[after:], start=after):
        first = _first_line(page)
        if first is not None and any(_fold(first.text).startswith(h) for h in folded):
            found.append(index)
    return found


# The appearance ---------------------------------------------------------------------------------------------------


def _red_seal(seal):
    """The seal in red on a transparent ground, whatever colour the scan had: its darkness (or alpha) as alpha."""
    seal = ImageOps.exif_transpose(seal).convert("RGBA")
    alpha = seal.getchannel("A")
    darkness = ImageOps.invert(seal.convert("L"))
    mask = Image.composite(darkness, Image.new("L", seal.size, 0), alpha)
    red = Image.new("RGBA", seal.size, SEAL_RED + (0,))
    red.putalpha(mask)
    return red


def appearance_image(box, *, signature=None, seal=None, scale=4):
    """The picture of the signature block (a PNG): the signer's image centred in the box, and the seal in red
    over the left third of it (Phụ lục I: "trùm lên khoảng 1/3 hình ảnh chữ ký ... về phía bên trái")."""
    width_pt, height_pt = box[2] - box[0], box[3] - box[1]
    canvas = Image.new("RGBA", (round(width_pt * scale), round(height_pt * scale)), (255, 255, 255, 0))
    sig_box = (0, 0, canvas.width, canvas.height)
    if signature is not None:
        picture = ImageOps.exif_transpose(signature).convert("RGBA")
        picture.thumbnail((round(canvas.width * 0.6), canvas.height))
        left = (canvas.width - picture.width) // 2
        top = (canvas.height - picture.height) // 2
        canvas.alpha_composite(picture, (left, top))
        sig_box = (left, top, left + picture.width, top + picture.height)
    if seal is not None:
        diameter = round(min(SEAL_DIAMETER_PT, height_pt) * scale)
        red = _red_seal(seal)
        red.thumbnail((diameter, diameter))
        # The seal's right edge a third of the way into the signature's image.
        right = sig_box[0] + (sig_box[2] - sig_box[0]) // 3
        canvas.alpha_composite(red, (max(right - red.width, 0), (canvas.height - red.height) // 2))
    out = io.BytesIO()
    canvas.save(out, "PNG")
    return out.getvalue()


def signing_time_text(moment):
    """ "2026-12-01T18:45:12+07:00": the local time of the deployment (Asia/Ho_Chi_Minh) with its ISO 8601 offset."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _pdf_piece(html_body, width, height):
    """A one-page PDF of `width` × `height` points laid out by WeasyPrint (its fonts embedded): the content of a
    stamp. pyHanko imports the page as the stamp's picture, so its text is real text in Liberation Serif."""
    from . import documents

    html = (f"<!doctype html><html><head><meta charset='utf-8'><style>@page {{ size: {width:.2f}pt {height:.2f}pt; "
            f"margin: 0 }} body {{ margin: 0; font-family: '{documents.FONT_FAMILY}', 'Times New Roman', serif; "
            f"color: #000 }}</style></head><body>{html_body}</body></html>")
    return documents.write_pdf(html)


def _escape(text):
    from django.utils.html import escape

    return escape(text)


def appearance_pdf(box, *, picture_png, lines):
    """The signature block: the picture (signer's image and red seal) filling the box, the signature's information
    (signer, body, signing time) in 7 pt at its bottom right."""
    import base64

    width, height = box[2] - box[0], box[3] - box[1]
    source = "data:image/png;base64," + base64.b64encode(picture_png).decode()
    text = "<br>".join(_escape(line) for line in lines)
    return _pdf_piece(
        f"<div style='position: relative; width: {width:.2f}pt; height: {height:.2f}pt'>"
        f"<img src='{source}' style='position: absolute; left: 0; top: 0; width: {width:.2f}pt; "
        f"height: {height:.2f}pt'>"
        f"<div style='position: absolute; right: 0; bottom: 0; font-size: 7pt; line-height: 8pt; "
        f"text-align: right'>{text}</div></div>", width, height)


APPENDIX_BOX_WIDTH = 260


def appendix_info_pdf(lines):
    """The body's signature information for an appendix: 10 pt, upright, black, right-aligned (Phụ lục I)."""
    height = len(lines) * (APPENDIX_FONT_PT + 2) + 2
    text = "<br>".join(_escape(line) for line in lines)
    return _pdf_piece(f"<div style='font-size: {APPENDIX_FONT_PT}pt; line-height: {APPENDIX_FONT_PT + 2}pt; "
                      f"text-align: right'>{text}</div>", APPENDIX_BOX_WIDTH, height), height


# Signing ----------------------------------------------------------------------------------------------------------


class Level:
    B_B, B_T, B_LT = "B-B", "B-T", "B-LT"


@dataclasses.dataclass
class Signed:
    data: bytes
    level: str
    signed_at: datetime.datetime
    page: int
    box: tuple


def sign_pdf(data, *, identity, signer_name, body_name, reference="", signed_at=None, signature_png=None,
             seal_png=None, appendix_headings=(), timestamper=None, progress=None):
    """`data` signed in PAdES by `identity` (a key of `identities()`), its appearance at the signer's signature
    block, the body's signature information on each appendix's first page; returns `Signed`.

    Level: B-B; B-T when a timestamp server is configured (SIGNING_TIMESTAMP_URL, or `timestamper`); B-LT when,
    with a timestamp, the chain's revocation data could be gathered (offline CRLs or fetching) and embedded."""
    progress = progress or (lambda percent: None)
    signed_at = signed_at or timezone.now()
    when = signing_time_text(signed_at)
    signer = load_signer(identity)
    pages = page_layout(data)
    page_index, box = signature_block(pages, signer_name)
    progress(30)
    with tempfile.TemporaryDirectory() as folder:
        return _sign(data, pages, page_index, box, Path(folder), signer=signer, signer_name=signer_name,
                     body_name=body_name, reference=reference, when=when, signed_at=signed_at,
                     signature_png=signature_png, seal_png=seal_png, appendix_headings=appendix_headings,
                     timestamper=timestamper, progress=progress)


def _sign(data, pages, page_index, box, folder, *, signer, signer_name, body_name, reference, when, signed_at,
          signature_png, seal_png, appendix_headings, timestamper, progress):
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.stamp import StaticContentStamp, StaticStampStyle

    # The pieces are laid out at their final size: pyHanko's default would shrink them into 5 pt margins.
    exact = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID,
                                        y_align=layout.AxisAlignment.ALIGN_MID, margins=layout.Margins.uniform(0))
    appendices = appendix_pages(pages, appendix_headings, after=page_index + 1)
    if appendices:  # the information is part of the signed content: written as a revision before the signature
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    for index in appendices:
        lines = [line for line in (reference, when, body_name) if line]
        piece, height = appendix_info_pdf(lines)
        path = folder / f"appendix-{index}.pdf"
        path.write_bytes(piece)
        page = pages[index]
        first = _first_line(page)
        right = max(line.x1 for line in page.lines)
        # Top right of the appendix's first page: right edge on the text's, just above its first line.
        bottom = min(page.height - first.y0 + 4, page.height - height - 6)
        StaticContentStamp(writer, StaticStampStyle.from_pdf_file(str(path), border_width=0, background_layout=exact),
                           box=layout.BoxConstraints(width=APPENDIX_BOX_WIDTH, height=height)
                           ).apply(index, right - APPENDIX_BOX_WIDTH, bottom)
    if appendices:
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    progress(45)
    picture = appearance_image(box, signature=_image(signature_png), seal=_image(seal_png))
    appearance = folder / "appearance.pdf"
    appearance.write_bytes(appearance_pdf(box, picture_png=picture, lines=[signer_name, body_name, when]))
    style = StaticStampStyle.from_pdf_file(str(appearance), border_width=0, background_layout=exact)
    url = timestamp_url()
    if timestamper is None and url:
        timestamper = timestamps.HTTPTimeStamper(url)
    field = f"Signature{len(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures) + 1}"
    level = Level.B_T if timestamper else Level.B_B
    meta_kwargs = {"field_name": field, "md_algorithm": "sha256", "subfilter": fields.SigSeedSubFilter.PADES,
                   "name": signer_name, "location": body_name}
    attempts = []
    if timestamper and trust_root_paths():
        attempts.append((Level.B_LT, {"embed_validation_info": True,
                                      "validation_context": validation_context()}))
    attempts.append((level, {}))
    last_error = None
    for attempt_level, extra in attempts:
        try:
            pdf_signer = signers.PdfSigner(
                signers.PdfSignatureMetadata(**meta_kwargs, **extra), signer, timestamper=timestamper,
                stamp_style=style,
                new_field_spec=fields.SigFieldSpec(field, on_page=page_index, box=tuple(round(v, 2) for v in box)))
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
            out = _outside_event_loop(lambda pdf_signer=pdf_signer, writer=writer: pdf_signer.sign_pdf(writer))
        except Exception as error:  # B-LT needs revocation data: without it the signature is made one level lower
            last_error = error
            if attempt_level != Level.B_LT:
                raise SigningError(_("Không ký được văn bản: %(error)s") % {"error": error}) from error
            continue
        progress(90)
        return Signed(out.getvalue(), attempt_level, signed_at, page_index, box)
    raise SigningError(_("Không ký được văn bản: %(error)s") % {"error": last_error})


def _outside_event_loop(call):
    """`call()` where pyHanko's synchronous API may start its own asyncio loop: in this thread, or in a helper
    thread when this one already runs a loop (a worker or test driven from async code)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def _image(data):
    if not data:
        return None
    return Image.open(io.BytesIO(data))


# Verifying --------------------------------------------------------------------------------------------------------


class Status:
    VALID = "valid"
    MODIFIED = "modified"
    UNTRUSTED = "untrusted"
    EXPIRED = "expired"
    REVOKED = "revoked"
    INVALID = "invalid"
    UNSIGNED = "unsigned"


@dataclasses.dataclass
class Verification:
    status: str
    signer_name: str = ""
    signed_at: datetime.datetime | None = None
    signature_count: int = 0
    detail: str = ""


def _subject_name(certificate):
    if certificate is None:
        return ""
    names = certificate.subject.native
    return nfc(names.get("common_name") or "") if isinstance(names, dict) else ""


def _status_of(status):
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate

    if not status.intact or not status.valid:
        return Status.MODIFIED
    if not status.docmdp_ok or (status.coverage is not None and status.coverage.name not in
                                ("ENTIRE_FILE", "ENTIRE_REVISION")):
        return Status.MODIFIED
    problem = status.trust_problem_indic
    if status.revoked or problem in (AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE,
                                     getattr(AdESFailure, "REVOKED", None)):
        return Status.REVOKED
    if problem in (AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
                   AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED):
        return Status.EXPIRED
    if problem is not None:
        return Status.UNTRUSTED
    return Status.VALID


# A later, worse result wins when a file carries several signatures.
_SEVERITY = [Status.VALID, Status.UNTRUSTED, Status.EXPIRED, Status.REVOKED, Status.INVALID, Status.MODIFIED]


def verify_pdf(data):
    """Every signature of `data` checked against the configured trust roots and revocation data (no network unless
    SIGNING_FETCH_REVOCATION); the worst result, with the last signature's signer and time."""
    # A signature dictionary is always written in the clear (its /ByteRange is filled in after the file is
    # written, so it cannot sit in a compressed object stream): without one there is nothing to parse.
    if b"/ByteRange" not in data:
        return Verification(Status.UNSIGNED)
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as error:  # a damaged file: its signature cannot hold
        return Verification(Status.MODIFIED, detail=f"{type(error).__name__}: {error}"[:500])
    if not signatures:
        return Verification(Status.UNSIGNED)
    try:  # the revocation data a B-LT signature carries (its DSS) joins the configured data
        context = DocumentSecurityStore.read_dss(reader).as_validation_context(validation_kwargs())
    except Exception:  # no DSS in the file
        context = validation_context()
    worst, name, when, details = Status.VALID, "", None, []
    for embedded in signatures:
        try:
            status = _outside_event_loop(
                lambda embedded=embedded: validate_pdf_signature(embedded, signer_validation_context=context))
            result = _status_of(status)
            name = _subject_name(status.signing_cert) or name
            when = (status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt)
            details.append(f"{embedded.field_name}: {result}")
        except Exception as error:
            result = Status.MODIFIED if "digest" in str(error).lower() else Status.INVALID
            details.append(f"{embedded.field_name}: {type(error).__name__}: {error}"[:300])
        if _SEVERITY.index(result) > _SEVERITY.index(worst):
            worst = result
    return Verification(worst, name, when, len(signatures), "; ".join(details)[:2000])


# Who signs, the request and the worker (domain-free: the apps' services call these) -----------------------------


def signing_profile(signer):
    """The signer's image row (with its identity key and account), or None."""
    from .models import SignatureImage

    return SignatureImage.objects.filter(signer=signer).first() if signer else None


def may_sign(user, signer):
    """The account an admin linked to `signer`, whose identity is configured: the only one with the button."""
    profile = signing_profile(signer)
    return bool(profile and getattr(user, "is_authenticated", False) and profile.account_id == user.pk
                and profile.identity in identities())


def signing_refusal(entry, signer):
    """Why `entry` cannot be signed by `signer` now (a Vietnamese sentence), or ""."""
    from .models import SignedDocument, SigningStatus

    profile = signing_profile(signer)
    if profile is None or not profile.identity:
        return _("Người ký %(name)s chưa được gán chứng thư số; hãy liên hệ quản trị viên Sở Nội vụ.") % {
            "name": signer.full_name if signer else "—"}
    if profile.identity not in identities():
        return _("Chứng thư số “%(key)s” chưa được cấu hình trên máy chủ; hãy liên hệ quản trị viên.") % {
            "key": profile.identity}
    if SignedDocument.objects.filter(entry=entry).exclude(status=SigningStatus.FAILED).exists():
        return _("Văn bản %(ref)s đã được ký số hoặc đang được ký.") % {"ref": entry.reference}
    return ""


def request_signing(*, entry, signer, pdf, by, name, appendix_headings=()):
    """Keep `pdf` (the unsigned version, as it was signed) and queue its signing; inside the caller's transaction
    (the app's service, which checked its rule and locked its row). Returns the SignedDocument row."""
    import hashlib
    import secrets

    from django.core.exceptions import PermissionDenied, ValidationError
    from django.core.files.base import ContentFile
    from django.db import transaction

    from . import audit
    from .models import RegisteredDocument, SignedDocument

    entry = RegisteredDocument.objects.select_for_update().get(pk=entry.pk)
    if not may_sign(by, signer):
        raise PermissionDenied
    refusal = signing_refusal(entry, signer)
    if refusal:
        raise ValidationError(refusal)
    profile = signing_profile(signer)
    row = SignedDocument(entry=entry, signer=signer, identity=profile.identity,
                         test_identity=is_test_identity(profile.identity), uploaded_by=by, original_name=name,
                         content_type="application/pdf", source_sha256=hashlib.sha256(pdf).hexdigest(),
                         options={"appendix_headings": list(appendix_headings)})
    row.source.save(f"signing/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.pdf", ContentFile(pdf), save=False)
    try:
        row.save()
    except Exception:
        row.source.storage.delete(row.source.name)
        raise
    audit.record(actor=by, action="document_sign_requested", target=entry,
                 changes={"signer": signer.full_name, "source_sha256": row.source_sha256})
    transaction.on_commit(lambda: _queue(row.pk))
    return row


def _queue(row_id):
    from . import tasks
    from .models import SignedDocument

    result = tasks.sign_document.enqueue(row_id)
    SignedDocument.objects.filter(pk=row_id).update(task_id=str(result.id))


def signing_run(row_id):
    """The worker's half: sign the kept source, store the signed file (a new immutable version), record its
    verification. Safe to call twice: a finished row is left as it is."""
    import hashlib
    import logging
    import secrets

    from django.core.files.base import ContentFile
    from django.db import transaction

    from . import audit
    from .models import SealImage, SignedDocument, SigningStatus

    with transaction.atomic():
        row = SignedDocument.objects.select_for_update().filter(pk=row_id).first()
        if row is None or row.is_finished:
            return row
        row.status, row.progress = SigningStatus.RUNNING, 5
        row.save(update_fields=["status", "progress"])
    row = SignedDocument.objects.select_related("entry", "signer__body").get(pk=row_id)

    def progress(percent):
        SignedDocument.objects.filter(pk=row_id).update(progress=percent)

    try:
        with row.source.open("rb") as handle:
            source = handle.read()
        profile = signing_profile(row.signer)
        seal = SealImage.objects.filter(body=row.signer.body).first()
        signed = sign_pdf(source, identity=row.identity, signer_name=row.signer.full_name,
                          body_name=row.signer.body.name, reference=row.entry.reference,
                          signature_png=_read(profile), seal_png=_read(seal),
                          appendix_headings=row.options.get("appendix_headings", ()), progress=progress)
    except Exception as error:  # the page shows the error; the signer may try again
        logging.getLogger(__name__).exception("signing %s failed", row_id)
        message = str(error) if isinstance(error, SigningError) else f"{type(error).__name__}: {error}"
        SignedDocument.objects.filter(pk=row_id).update(status=SigningStatus.FAILED, error=message[:2000])
        audit.record(actor=None, action="document_sign_failed", target=row.entry, note=message[:500])
        return SignedDocument.objects.get(pk=row_id)
    with transaction.atomic():
        row = SignedDocument.objects.select_for_update().get(pk=row_id)
        if row.is_finished:
            return row
        row.file.save(f"signing/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.pdf", ContentFile(signed.data),
                      save=False)
        row.sha256 = hashlib.sha256(signed.data).hexdigest()
        row.size = len(signed.data)
        row.level = signed.level
        row.signed_at = signed.signed_at
        row.status, row.progress = SigningStatus.DONE, 100
        row.save()
        record_verification(row.sha256, signed.data)
        audit.record(actor=row.uploaded_by, action="document_signed", target=row.entry,
                     changes={"sha256": row.sha256, "level": row.level, "signer": row.signer.full_name})
    return row


def _read(image_row):
    if image_row is None or not image_row.file:
        return None
    with image_row.file.open("rb") as handle:
        return handle.read()


def record_verification(sha256, data):
    """Check `data`'s signatures and keep the result under its SHA-256 (checked again when the file comes back)."""
    from .models import PdfVerification

    result = verify_pdf(data)
    row, _created = PdfVerification.objects.update_or_create(sha256=sha256, defaults={
        "status": result.status, "signer_name": result.signer_name[:255], "signed_at": result.signed_at,
        "signature_count": result.signature_count, "detail": result.detail, "checked_at": timezone.now()})
    return row


def verifications_for(files):
    """{sha256: PdfVerification} for the PDFs among `files` (rows of any PrivateFile model), in one query."""
    from .models import PdfVerification

    hashes = {f.sha256 for f in files if f.sha256 and (f.content_type == "application/pdf"
                                                       or (f.original_name or "").lower().endswith(".pdf"))}
    if not hashes:
        return {}
    return {row.sha256: row for row in PdfVerification.objects.filter(sha256__in=hashes)}
