"""Digital signatures (ký số) of issued PDFs and their verification, through pyHanko and pyhanko-certvalidator.

Nothing here signs or checks anything by itself: the PAdES signature, the timestamp, the embedded revocation data
and the validation are pyHanko's. This module only says *what* to sign with (identities from configuration, never
from the database or a backup), *where* the appearance goes (found in the PDF itself with poppler's
`pdftotext -bbox-layout`) and how a result is named for users.

Appearance: Decree 30/2020/NĐ-CP on clerical work (công tác văn thư), Phụ lục I "Thể thức, kỹ thuật trình bày văn
bản hành chính và bản sao văn bản", Phần I, as its appendix file Phuluc1.docx reads (the file published with the
decree, kept with its text in the public repository ericphan28/van-ban-plus, docs/van-ban-phap-quy/nghi-dinh/
30-2020-ND-CP/van-ban-goc; not re-read in the Official Gazette):
- Mục II, point 7.d, the competent person's digital signature: "Hình ảnh, vị trí chữ ký số của người có thẩm quyền
  là hình ảnh chữ ký của người có thẩm quyền trên văn bản giấy, màu xanh, định dạng Portable Network Graphics (.png)
  nền trong suốt; đặt canh giữa chức vụ của người ký và họ tên người ký." Here: the signer's uploaded PNG, centred
  in the gap between the title line and the name line (`signature_block`, `appearance_image`);
- Mục II, point 8.a, the issuing body's digital signature: "Hình ảnh, vị trí chữ ký số của cơ quan, tổ chức là hình
  ảnh dấu của cơ quan, tổ chức ban hành văn bản trên văn bản, màu đỏ, kích thước bằng kích thước thực tế của dấu,
  định dạng (.png) nền trong suốt, trùm lên khoảng 1/3 hình ảnh chữ ký số của người có thẩm quyền về bên trái."
  Here: the body's seal PNG in red, at its real size when the scan says its resolution (dpi), else 36 mm, over the
  left third of the signer's image (`appearance_image`);
- Mục II, point 8.b, and Mục III, point 1.d, the appendices: "Đối với Phụ lục cùng tệp tin với nội dung văn bản
  điện tử, Văn thư cơ quan chỉ thực hiện ký số văn bản và không thực hiện ký số lên Phụ lục." Only an appendix in a
  file of its own carries the body's signature, "Vị trí: Góc trên, bên phải, trang đầu của mỗi tệp tin. Hình ảnh
  chữ ký số của cơ quan, tổ chức: Không hiển thị. Thông tin: Số và ký hiệu văn bản; thời gian ký (ngày tháng năm;
  giờ phút giây; múi giờ Việt Nam theo tiêu chuẩn ISO 8601) được trình bày bằng phông chữ Times New Roman, chữ in
  thường, kiểu chữ đứng, cỡ chữ 10, màu đen." The decisions and reports signed here carry their appendices in the
  same file, so an appendix page gets nothing: the document's one signature covers it (the appendices' headings
  only keep the signature off their pages).
Phụ lục I prescribes no text in the signature block itself; the signer's name, the body and the signing time with
its ISO 8601 offset (Asia/Ho_Chi_Minh, +07:00) are written there in 7 pt at the bottom right, small enough to leave
the two images as the decree places them, so that a printed copy still says who signed and when.
"""

import contextlib
import dataclasses
import datetime
import hashlib
import io
import os
import re
import subprocess
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .text import nfc

APPEARANCE_RULE_CONFIRMED = True  # checked against Phụ lục I of Decree 30/2020/NĐ-CP: see the points quoted above
FONT_FILE = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
SEAL_RED = (218, 37, 29)
# A seal is drawn at its real size ("kích thước bằng kích thước thực tế của dấu"): its scan's width in pixels over its
# resolution. A scan that does not say its resolution is drawn at 36 mm (102 pt), a provincial body's seal being
# 35-42 mm across. Either way never higher than the signature block, which the appearance cannot leave.
SEAL_DIAMETER_PT = 102
SEAL_DPI_RANGE = (72, 2400)  # a resolution outside this is a missing or made-up one: the 36 mm default is used


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
    """Signer key → its identity: {"pkcs12": path, "passphrase_env": NAME} (or "passphrase_file") or a PKCS#11
    token {"pkcs11": module path, "token_label": label (or "slot": index among the module's slots, from 0),
    "key_label": label, "cert_label": label (default: the key's), "pin_env": NAME}. The demo's test identity, when
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


def _load_der(paths, kind):
    """Every `kind` (an asn1crypto class) in the files: each a PEM file of one or several, or one DER blob."""
    from asn1crypto import pem

    found = []
    for path in paths:
        data = Path(path).read_bytes()
        blobs = [der for _type, _headers, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        found.extend(kind.load(blob) for blob in blobs)
    return found


def _load_certificates(paths):
    from asn1crypto import x509 as asn1_x509

    return _load_der(paths, asn1_x509.Certificate)


def _load_crls(paths):
    from asn1crypto import crl

    return _load_der(paths, crl.CertificateList)


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
    """The passphrase or PIN an identity names (an environment variable, or a file for the demo): never a value
    written in the configuration itself, so it reaches neither the database nor a backup."""
    if identity.get(f"{name}_env"):
        value = os.environ.get(identity[f"{name}_env"])
        if value is None:
            raise SigningError(_("Chưa đặt biến môi trường %(name)s chứa mật khẩu của chứng thư số.")
                               % {"name": identity[f"{name}_env"]})
        return value.encode()
    if identity.get(f"{name}_file"):
        return Path(identity[f"{name}_file"]).read_bytes().strip()
    return None


@contextlib.contextmanager
def load_signer(key):
    """The pyHanko signer of one configured identity (a PKCS#12 file or a PKCS#11 token), for a `with` block: a
    token's session (its login) is closed when the block ends, whether the signing worked or not."""
    identity = identities().get(key)
    if not identity:
        raise SigningError(_("Chưa cấu hình chứng thư số “%(key)s” (SIGNING_IDENTITIES); hãy liên hệ quản trị viên.")
                           % {"key": key})
    if identity.get("pkcs11"):
        with _TOKEN_LOCK:
            session, signer = _token_signer(key, identity)
            try:
                yield signer
            finally:
                session.close()
        return
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(identity["pkcs12"], passphrase=_secret(identity, "passphrase"))
    if signer is None:
        raise SigningError(_("Không mở được tệp chứng thư số “%(key)s” (sai mật khẩu hoặc tệp hỏng).") % {"key": key})
    yield signer


# A process's sessions share one login on a token (PKCS#11): a second login while another thread signs would be
# refused, and its logout would end the first one's. One signing on a token at a time per process, then.
_TOKEN_LOCK = threading.Lock()
# A token locks itself after a few wrong PINs (the user PIN, then only its vendor unlocks it): a PIN it refused is
# not offered again by this process. The PIN comes from the environment, so it changes only with a restart.
_REFUSED_PINS = set()


def _token_signer(key, identity):
    """(open session, signer) on the identity's PKCS#11 token, its key and certificate already found: every
    configuration mistake is told here, in Vietnamese, before anything is signed."""
    try:
        import pkcs11 as p11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11 as hanko_pkcs11
    except ImportError:
        raise SigningError(_("Máy chủ chưa cài thư viện python-pkcs11 để dùng thiết bị ký số (token).")) from None
    module = identity["pkcs11"]
    names = {"key": key, "module": module}
    if not Path(module).is_file():
        raise SigningError(_("Không tìm thấy thư viện PKCS#11 “%(module)s” của chứng thư số “%(key)s”: hãy cài trình "
                             "điều khiển token của nhà cung cấp và kiểm tra đường dẫn trong SIGNING_IDENTITIES.")
                           % names)
    try:
        p11.lib(module)  # loaded once per process (python-pkcs11 keeps it), so a bad file is told apart from a token
    except p11.PKCS11Error as error:
        raise SigningError(_("Tệp “%(module)s” của chứng thư số “%(key)s” không phải là thư viện PKCS#11 dùng được: "
                             "%(error)s") % {**names, "error": error}) from error
    pin = _secret(identity, "pin")
    criteria = TokenCriteria(label=identity["token_label"]) if identity.get("token_label") else None
    slot = identity.get("slot")
    tried = (module, identity.get("token_label"), slot, hashlib.sha256(pin or b"").hexdigest())
    if tried in _REFUSED_PINS:
        raise SigningError(_("Mã PIN trong biến môi trường %(name)s đã bị thiết bị ký số của chứng thư số “%(key)s” từ "
                             "chối; máy chủ không thử lại để token không bị khóa: hãy sửa biến môi trường rồi khởi "
                             "động lại máy chủ và tiến trình chạy nền.")
                           % {"key": key, "name": identity.get("pin_env")})
    try:
        session = hanko_pkcs11.open_pkcs11_session(module, slot_no=None if slot in (None, "") else int(slot),
                                                   token_criteria=criteria,
                                                   user_pin=pin.decode() if pin is not None else None)
    except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange) as error:
        _REFUSED_PINS.add(tried)
        raise SigningError(_("Sai mã PIN của thiết bị ký số (chứng thư số “%(key)s”): hãy kiểm tra biến môi trường "
                             "%(name)s. Nhập sai nhiều lần sẽ khóa token.")
                           % {"key": key, "name": identity.get("pin_env", "—")}) from error
    except p11.PinLocked as error:
        raise SigningError(_("Thiết bị ký số của chứng thư số “%(key)s” đã bị khóa mã PIN; hãy liên hệ nhà cung cấp "
                             "chứng thư số để mở khóa.") % names) from error
    except p11.PKCS11Error as error:
        raise SigningError(_("Không tìm thấy thiết bị ký số (token) của chứng thư số “%(key)s”: hãy cắm token vào máy "
                             "chủ và kiểm tra nhãn token hoặc số khe (slot) trong SIGNING_IDENTITIES (%(error)s).")
                           % {**names, "error": error}) from error
    key_label = identity.get("key_label")
    # Every certificate on the token is pulled: the CA's intermediate certificates a token carries go into the
    # signature, so that a verifier trusting only the root can build the chain.
    signer = hanko_pkcs11.PKCS11Signer(session, key_label=key_label,
                                       cert_label=identity.get("cert_label") or key_label, other_certs_to_pull=None)
    try:
        signer.signing_cert  # noqa: B018 (finds the certificate and the key now, not halfway through a signing)
    except p11.PKCS11Error as error:
        session.close()
        raise SigningError(_("Không tìm thấy khóa hoặc chứng thư có nhãn “%(label)s” trên thiết bị ký số của chứng "
                             "thư số “%(key)s” (%(error)s).") % {"key": key, "label": key_label or "—", "error": error}
                           ) from error
    # Many tokens (SoftHSM2 among them) sign ECDSA only over a digest made outside (CKM_ECDSA), not with the
    # hashing mechanism pyHanko asks for by default: pyHanko then hashes and the token signs the digest.
    if signer.signing_cert.public_key.algorithm == "ec":
        signer.use_raw_mechanism = p11.Mechanism.ECDSA_SHA256 not in session.token.slot.get_mechanisms()
    return session, signer


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
        diameter = round(min(seal_diameter_pt(seal), height_pt) * scale)
        red = _red_seal(seal)
        red.thumbnail((diameter, diameter))
        # The seal's right edge a third of the way into the signature's image.
        right = sig_box[0] + (sig_box[2] - sig_box[0]) // 3
        canvas.alpha_composite(red, (max(right - red.width, 0), (canvas.height - red.height) // 2))
    out = io.BytesIO()
    canvas.save(out, "PNG")
    return out.getvalue()


def seal_diameter_pt(seal):
    """The seal's real size in points: the scan's larger side over its resolution (the PNG's pHYs, which the upload
    keeps), else SEAL_DIAMETER_PT."""
    dpi = seal.info.get("dpi")
    resolution = float(dpi[0]) if isinstance(dpi, tuple) and dpi else 0.0
    if not SEAL_DPI_RANGE[0] <= resolution <= SEAL_DPI_RANGE[1]:
        return SEAL_DIAMETER_PT
    return max(seal.size) / resolution * 72


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
    block, looked for before the first appendix (a page whose first line starts with one of `appendix_headings`);
    the appendices in the same file get nothing of their own (Phụ lục I, Mục III, point 1.d); returns `Signed`.
    `reference`, the document's number, is not drawn: Phụ lục I prints it only on an appendix in a file of its own.

    Level: B-B; B-T when a timestamp server is configured (SIGNING_TIMESTAMP_URL, or `timestamper`); B-LT when,
    with a timestamp, the chain's revocation data could be gathered (offline CRLs or fetching) and embedded."""
    progress = progress or (lambda percent: None)
    signed_at = signed_at or timezone.now()
    when = signing_time_text(signed_at)
    pages = page_layout(data)
    # The document's first page is never an appendix: its agency heading comes first.
    appendices = appendix_pages(pages, appendix_headings, after=1)
    try:
        page_index, box = signature_block(pages[:appendices[0]] if appendices else pages, signer_name)
    except SigningError:  # a body page that merely begins with a heading's words ("Phụ lục I nêu …"): all pages
        page_index, box = signature_block(pages, signer_name)
    progress(30)
    with load_signer(identity) as signer, tempfile.TemporaryDirectory() as folder:
        return _sign(data, page_index, box, Path(folder), signer=signer, signer_name=signer_name,
                     body_name=body_name, when=when, signed_at=signed_at, signature_png=signature_png,
                     seal_png=seal_png, timestamper=timestamper, progress=progress)


def _sign(data, page_index, box, folder, *, signer, signer_name, body_name, when, signed_at, signature_png,
          seal_png, timestamper, progress):
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.stamp import StaticStampStyle

    # The pieces are laid out at their final size: pyHanko's default would shrink them into 5 pt margins.
    exact = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID,
                                        y_align=layout.AxisAlignment.ALIGN_MID, margins=layout.Margins.uniform(0))
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
