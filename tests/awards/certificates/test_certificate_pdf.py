"""A decision's certificates as one PDF: one page per awardee in the page size of the layout, each field's text
where the layout puts it (±1 mm, read back with `pdftotext -bbox`), long names set smaller to fit their width, the
blank's image only on a test print, a printer's offset moving everything back."""

import io
import subprocess

import pytest
from PIL import Image

from awards import certificates, services
from core.files import bytes_upload

from .conftest import TOLERANCE, assert_fields_in_place, layout_fields, read_pdf

pytestmark = pytest.mark.django_db


def _write(tmp_path, content, name="in.pdf"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_every_field_of_every_awardee_is_where_the_layout_puts_it(make_dossier, make_layout, catalogue, tmp_path):
    dossier = make_dossier("awarded")
    decision = dossier.decision
    layout = make_layout(catalogue["BK-TINH-CD"], paper=(210, 297), orientation="landscape",
                         serial={"align": "left", "x": 20}, signer={"align": "right", "x": 270})
    pages = read_pdf(_write(tmp_path, certificates.decision_certificates_pdf(decision)))
    records = list(decision.records.order_by("register_number"))
    assert len(records) == 2 and len(pages) == len(records)
    fields = layout_fields(serial={"align": "left", "x": 20}, signer={"align": "right", "x": 270})
    for page, record in zip(pages, records, strict=True):
        assert (round(page.width), round(page.height)) == (297, 210)  # A4 turned: a landscape blank
        assert_fields_in_place(page, record, fields)
    first = pages[0]
    assert first.line(records[0].register_reference) is not None  # the register's number is printed
    assert layout.page_size == (297, 210)


def _png(width=297 * 4, height=210 * 4):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (250, 240, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def _images(path):
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return [line for line in listing.splitlines()[2:] if line.strip()]


def test_a_long_name_is_set_smaller_to_fit_its_width(make_dossier, make_layout, catalogue, people, tmp_path):
    person = people["an"]
    person.full_name = "Nguyễn Hoàng Thị Phương Thảo Quỳnh Như Ngọc Diễm Hương Xuân"
    person.save()
    decision = make_dossier("awarded", nominees=[{"person": person}]).decision
    make_layout(catalogue["BK-TINH-CD"], name={"width": 120, "size": 28, "min_size": 12})
    record = decision.records.get()
    fitted = certificates.fit(person.full_name, width_mm=120, size=28, min_size=12, font="garamond", style="italic")
    assert 12 <= fitted.size < 28 and not fitted.overflow and len(fitted.lines) == 1
    page = read_pdf(_write(tmp_path, certificates.decision_certificates_pdf(decision)))[0]
    box = page.line(person.full_name)
    assert box is not None
    assert box[2] - box[0] <= 120  # inside the field's width
    assert box[2] - box[0] > 100  # and set as large as fits, not much smaller
    short = certificates.fit("Lê Văn Cường", width_mm=120, size=28, min_size=12, font="garamond", style="italic")
    assert short.size == 28  # a short name keeps its size
    assert record.register_number == 1


def test_the_blank_is_printed_only_on_a_test_print_and_a_printer_offset_moves_every_field(
        make_dossier, make_layout, catalogue, users, tmp_path):
    decision = make_dossier("awarded").decision
    layout = make_layout(catalogue["BK-TINH-CD"])
    services.certificate_blank_upload(layout=layout, by=users["admin"], upload=bytes_upload("phoi.png", _png()))
    normal = _write(tmp_path, certificates.decision_certificates_pdf(decision), "normal.pdf")
    test = _write(tmp_path, certificates.decision_certificates_pdf(decision, test_print=True), "test.pdf")
    assert _images(normal) == []
    assert len(_images(test)) == 2  # the blank under each of the two pages
    printer = services.printer_save(by=users["admin"], name="HP LaserJet phòng TĐKT", offset_x=2, offset_y=-1.5)
    shifted = _write(tmp_path, certificates.decision_certificates_pdf(decision, printer=printer), "shifted.pdf")
    signer = decision.signer
    before, after = read_pdf(normal)[0].line(signer), read_pdf(shifted)[0].line(signer)
    assert abs((after[0] - before[0]) - (-2)) < 0.1  # printed 2 mm to the right: printed 2 mm further left
    assert abs((after[1] - before[1]) - 1.5) < 0.1  # printed 1.5 mm too high: printed 1.5 mm lower


def test_the_calibration_page_has_crosshairs_at_known_positions(users, tmp_path):
    pages = read_pdf(_write(tmp_path, certificates.calibration_pdf(width=210, height=297)))
    assert len(pages) == 1 and (round(pages[0].width), round(pages[0].height)) == (210, 297)
    centres = certificates.crosshairs(210, 297)
    assert centres[0] == (20, 20) and centres[-1] == (190, 277)
    for x, y in centres:
        label = pages[0].line(f"({x:g}; {y:g})")
        assert label is not None, (x, y)
        assert abs(label[0] - (x + 4)) <= TOLERANCE  # each label sits just right of and below its crosshair
    landscape = read_pdf(_write(tmp_path, certificates.calibration_pdf(orientation="landscape"), "l.pdf"))[0]
    assert (round(landscape.width), round(landscape.height)) == (297, 210)


def test_every_certificate_font_has_every_vietnamese_letter():
    for key, font in certificates.FONTS.items():
        for style in font.styles:
            assert certificates.font_file(font.family, style), (key, style)  # installed (scripts/setup_os.sh)
            assert certificates.vietnamese_coverage(font.family, style) == [], (key, style)


def test_the_names_font_is_embedded_in_its_italic(make_dossier, make_layout, catalogue, tmp_path):
    make_layout(catalogue["BK-TINH-CD"])
    path = _write(tmp_path, certificates.decision_certificates_pdf(make_dossier("awarded").decision))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "EB-Garamond-Italic" in fonts and "Oblique" not in fonts  # the real italic, not a slanted upright
