"""What the certificate tests share: a layout made through the service, and the PDF read back as positioned words
(`pdftotext -bbox`), in mm from the page's top-left corner."""

import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from html import unescape

import pytest

from awards import certificates, services
from awards.models import CertificateSlot

PT_PER_MM = 72 / 25.4


def layout_fields(**overrides):
    """The default fields of every slot, with `overrides` ({slot: {attribute: value}}) applied."""
    fields = {slot.value: certificates.default_field_values(slot.value) for slot in CertificateSlot}
    for slot, values in overrides.items():
        fields[slot].update(values)
    return fields


@pytest.fixture
def make_layout(users):
    def make(form, *, paper=(210, 297), orientation="landscape", **overrides):
        return services.certificate_layout_save(
            form=form, by=users["admin"], paper_width=Decimal(paper[0]), paper_height=Decimal(paper[1]),
            orientation=orientation, fields=layout_fields(**overrides))

    return make


@dataclass
class Word:
    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass
class Page:
    width: float
    height: float
    words: list

    def line(self, text):
        """The words of `text` found in a row on this page, as one box (x_min, y_min, x_max, y_max) in mm."""
        wanted = text.split()
        for start in range(len(self.words)):
            found = self.words[start:start + len(wanted)]
            if [w.text for w in found] == wanted and len({round(w.y_min, 1) for w in found}) == 1:
                return (found[0].x_min, found[0].y_min, found[-1].x_max, found[-1].y_max)
        return None


def read_pdf(path):
    """[Page] of the PDF: its size and its words with their boxes, in mm."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xhtml, re.S):
        words = [Word(len(pages), unescape(m.group(5)), *(float(m.group(i)) / PT_PER_MM for i in range(1, 5)))
                 for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                                      r'(.*?)</word>', page.group(3))]
        pages.append(Page(float(page.group(1)) / PT_PER_MM, float(page.group(2)) / PT_PER_MM, words))
    return pages


def baseline(box, field):
    """The baseline (mm) of a line whose glyph box pdftotext reports: its top plus the font's ascent (pdftotext
    takes the box from the embedded font's ascent and descent, the same hhea values WeasyPrint lays out with)."""
    font = certificates.FONTS[field["font"]]
    found = certificates.metrics(font.family, field["style"])
    height = box[3] - box[1]
    return box[1] + height * found.ascent / (found.ascent + found.descent)


TOLERANCE = 1.0  # mm


def anchor_x(box, field):
    return {"left": box[0], "right": box[2]}.get(field["align"], (box[0] + box[2]) / 2)


def assert_fields_in_place(page, record, fields):
    """Each field's text (its first line, as fitted) on `page` at the field's anchor and baseline (±1 mm), within
    its width."""
    texts = certificates.certificate_texts(record)
    for slot in CertificateSlot:
        field = fields[slot.value]
        fitted = certificates.fit(texts[slot], width_mm=field["width"], size=field["size"],
                                  min_size=field["min_size"], max_lines=field["max_lines"], font=field["font"],
                                  style=field["style"])
        box = page.line(fitted.lines[0])
        assert box is not None, (slot, fitted.lines[0], [w.text for w in page.words])
        assert abs(anchor_x(box, field) - float(field["x"])) <= TOLERANCE, (slot, box)
        assert abs(baseline(box, field) - float(field["y"])) <= TOLERANCE, (slot, box)
        assert box[2] - box[0] <= float(field["width"]) + TOLERANCE, (slot, box)


def convert_with_libreoffice(content, tmp_path, name):
    """The workbook converted to PDF by LibreOffice Calc, headless (it opens and lays out what Excel would)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (libreoffice-calc-nogui) must be installed: scripts/setup_os.sh installs it"
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(content)
    result = subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                            capture_output=True, text=True, timeout=240)
    target = tmp_path / f"{name}.pdf"
    assert result.returncode == 0 and target.exists(), result.stderr
    return target
