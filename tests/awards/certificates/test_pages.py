"""The certificate, register and national-records pages: who may open them, the layout editor saving through its
service (errors shown in Vietnamese, nothing saved), downloads as the files they claim to be."""

import io
import json

import pytest
from openpyxl import load_workbook
from PIL import Image

from awards.models import CertificateLayout, Printer
from core.models import AuditEntry

from .conftest import layout_fields

pytestmark = pytest.mark.django_db


def _post_data(**overrides):
    data = {"paper_width": "210", "paper_height": "297", "orientation": "landscape"}
    for slot, values in layout_fields(**overrides).items():
        for name, value in values.items():
            if isinstance(value, bool):
                if value:
                    data[f"{slot}-{name}"] = "on"
            else:
                data[f"{slot}-{name}"] = str(value)
    return data


def test_the_layout_editor_saves_through_its_service_and_refuses_bad_input(users, catalogue, client_for):
    client = client_for(users["admin"])
    form = catalogue["BK-TINH-CD"]
    page = client.get(f"/khen-thuong/mau-in/{form.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="certificate-preview"' in body and "certificate-editor.js" in body and "<script>" not in body
    assert 'id="certificate-data"' in body  # the preview's data as JSON, not as inline script
    refused = client.post(f"/khen-thuong/mau-in/{form.pk}/", _post_data(name={"min_size": 30}))
    assert refused.status_code == 200 and "Cỡ chữ nhỏ nhất không được lớn hơn cỡ chữ." in refused.content.decode()
    assert not CertificateLayout.objects.exists()
    wrong_style = client.post(f"/khen-thuong/mau-in/{form.pk}/", _post_data(name={"style": "bold"}))
    assert "không có kiểu chữ này đủ dấu tiếng Việt" in wrong_style.content.decode()
    outside = client.post(f"/khen-thuong/mau-in/{form.pk}/", _post_data(signer={"x": 400}))
    assert "nằm ngoài trang 297" in outside.content.decode()
    assert not CertificateLayout.objects.exists()
    saved = client.post(f"/khen-thuong/mau-in/{form.pk}/", _post_data(name={"y": 96}))
    assert saved.status_code == 302
    layout = CertificateLayout.objects.get(form=form)
    assert layout.fields.count() == 8 and float(layout.fields.get(slot="name").y) == 96
    client.post(f"/khen-thuong/mau-in/{form.pk}/", _post_data(name={"y": 98}))
    row = AuditEntry.objects.filter(action="certificate_layout_save").get()
    assert row.changes["name.y"] == ["96.0", "98"]


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (600, 420), (240, 230, 200)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "phoi-bang-khen.png"
    return buffer


def test_blank_image_sample_and_calibration_are_files(users, catalogue, client_for, make_layout):
    client = client_for(users["admin"])
    form = catalogue["BK-TINH-CD"]
    make_layout(form)
    assert client.post(f"/khen-thuong/mau-in/{form.pk}/anh-phoi/", {"image": _png()}).status_code == 302
    image = client.get(f"/khen-thuong/mau-in/{form.pk}/anh-phoi/xem/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    sample = client.get(f"/khen-thuong/mau-in/{form.pk}/in-thu.pdf?test=1")
    assert sample.status_code == 200 and sample.content.startswith(b"%PDF")
    client.post("/khen-thuong/may-in/them/", {"name": "Canon LBP phòng TĐKT", "offset_x": "1.5", "offset_y": "-0.5"})
    printer = Printer.objects.get()
    assert float(printer.offset_x) == 1.5
    calibration = client.get(f"/khen-thuong/may-in/can-chinh.pdf?paper=A4&orientation=portrait&printer={printer.pk}")
    assert calibration.status_code == 200 and calibration.content.startswith(b"%PDF")
    font = client.get("/khen-thuong/mau-in/phong-chu/garamond/italic/")
    assert font.status_code == 200 and font["Content-Type"] == "font/otf"
    assert client.get("/khen-thuong/mau-in/phong-chu/garamond/bold/").status_code == 404


def test_a_decisions_certificates_register_and_exports(make_dossier, users, catalogue, client_for, make_layout,
                                                       django_assert_max_num_queries):
    decision = make_dossier("awarded").decision
    client = client_for(users["admin"])
    missing = client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/in-bang-khen.pdf")
    assert missing.status_code == 302  # no layout yet: back to the decision with the message
    make_layout(catalogue["BK-TINH-CD"])
    assert "In bằng khen, giấy khen" in client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/").content.decode()
    assert client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/in-bang-khen/").status_code == 200
    printed = client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/in-bang-khen.pdf")
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    with django_assert_max_num_queries(12):
        register = client.get("/khen-thuong/so-khen-thuong/")
    assert register.status_code == 200 and "001/BK-2024" in register.content.decode()
    workbook = client.get("/khen-thuong/so-khen-thuong/xuat-excel/?body=DNO&year=2024&family=BK")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert any(row[0] == "002" for row in sheet.iter_rows(values_only=True))
    as_json = client.get(f"/khen-thuong/csdl-quoc-gia/?decision={decision.pk}&format=json")
    assert len(json.loads(as_json.content)["records"]) == 2
    period = client.get("/khen-thuong/csdl-quoc-gia/?start=01/01/2024&end=31/01/2024&format=xlsx")
    assert period["Content-Type"].startswith("application/vnd.openxmlformats")
    wrong = client.get("/khen-thuong/csdl-quoc-gia/?start=31/01/2024&end=01/01/2024&format=xlsx")
    assert wrong.status_code == 200 and "Ngày kết thúc phải sau ngày bắt đầu." in wrong.content.decode()


def test_an_officer_may_not_print_configure_or_read_the_register(make_dossier, users, catalogue, client_for):
    decision = make_dossier("awarded").decision
    client = client_for(users["dm_officer"])
    for url in ["/khen-thuong/mau-in/", f"/khen-thuong/mau-in/{catalogue['BK-TINH-CD'].pk}/",
                f"/khen-thuong/quyet-dinh/{decision.pk}/in-bang-khen.pdf", "/khen-thuong/so-khen-thuong/",
                "/khen-thuong/may-in/can-chinh.pdf"]:
        assert client.get(url).status_code == 403, url
    assert client.get(f"/khen-thuong/csdl-quoc-gia/?decision={decision.pk}&format=json").status_code == 403
    assert client.post("/khen-thuong/may-in/them/", {"name": "X", "offset_x": "0", "offset_y": "0"}).status_code == 403
    appraiser = client_for(users["appraiser"])
    assert appraiser.get("/khen-thuong/mau-in/").status_code == 200  # Sở Nội vụ staff print
    assert appraiser.get(f"/khen-thuong/mau-in/{catalogue['BK-TINH-CD'].pk}/").status_code == 403  # admins configure
