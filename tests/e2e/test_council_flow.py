"""The appraiser proposes three dossiers; the administrator opens a council session, puts them to it from the list,
records the secret-ballot counts (one nominee under the threshold), closes the session, prepares one decision for
the two passed dossiers, registers it (its number from the province's register) and downloads the final PDF."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from awards.models import Dossier
from tests.e2e.test_dossier_flow import _login
from tests.fixtures.browser import pick
from units.models import Person


def _pdf_text(path):
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], capture_output=True, check=True,
                         text=True).stdout
    return " ".join(re.sub(r"(?<=\S)([-/])\n", r"\1", raw).split())


@pytest.mark.django_db(transaction=True)
def test_council_session_to_registered_decision(page, live_server, users, tree, people, make_dossier, signers):
    base = live_server.url
    dossiers = [make_dossier("under_appraisal", nominees=[{"unit": tree["dm01"]}]),
                make_dossier("under_appraisal", nominees=[{"unit": tree["dm01_vp"]}]),
                make_dossier("under_appraisal", nominees=[{"person": people["an"]}])]
    members = [Person.objects.create(full_name=name, gender="female", unit=tree["snv"], position="Thành viên Hội đồng")
               for name in ["Hồ Thị Mai", "Lê Văn Phúc", "Nguyễn Thị Hoa", "Trần Văn Long", "Đỗ Văn Hải"]]

    _login(page, base, "snv_td")
    for dossier in dossiers:
        page.goto(f"{base}{dossier.get_absolute_url()}")
        page.get_by_label("Ý kiến thẩm định").fill("Đủ tiêu chuẩn.")
        page.get_by_role("button", name="Đề nghị khen thưởng", exact=True).click()
        expect(page.locator("#dossier-state")).to_have_text("Đề nghị khen thưởng")

    _login(page, base, "snv_admin")
    page.goto(f"{base}/khen-thuong/hoi-dong/")
    page.get_by_role("link", name="Mở phiên họp").click()
    page.get_by_label("Ngày họp").fill("15/12/2023")
    page.get_by_label("Địa điểm").fill("Phòng họp số 1, Ủy ban nhân dân tỉnh")
    pick(page, "id_chair", "ho thi mai", members[0].pk)
    pick(page, "id_secretary", "do van hai", members[-1].pk)
    pick(page, "id_vice_chairs", "le van phuc", members[1].pk)
    for member in members[2:-1]:
        pick(page, "id_members", member.search_name, member.pk)
    page.get_by_role("button", name="Mở phiên họp").click()
    expect(page.locator("#session-state")).to_have_text("Đang họp")
    expect(page.locator("#session-members li")).to_have_count(5)

    page.goto(f"{base}/khen-thuong/?state=proposed")
    for dossier in dossiers:
        page.get_by_label(f"Chọn hồ sơ {dossier.code}").check()
    page.get_by_label("Thao tác hàng loạt").select_option("council")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#bulk-applicable li")).to_have_count(3)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator("#session-items tbody tr")).to_have_count(3)

    counts = {"Ủy ban nhân dân thị trấn Đắk Mil": ("5", "5"),
              "Văn phòng HĐND và UBND thị trấn Đắk Mil": ("5", "2"),    # 2/5 = 40 % < 50 %
              "Nguyễn Văn An": ("5", "4")}
    for who, (valid, approve) in counts.items():
        page.get_by_label(f"Phiếu hợp lệ: {who}").fill(valid)
        page.get_by_label(f"Phiếu đồng ý: {who}").fill(approve)
    page.get_by_role("button", name="Ghi kết quả kiểm phiếu").click()
    expect(page.locator("#session-items .ballot-result")).to_have_text(
        ["5/5 (100%) · Đạt", "2/5 (40%) · Không đạt", "4/5 (80%) · Đạt"])
    page.get_by_role("button", name="Kết thúc phiên họp").click()
    page.locator("#confirm-modal-yes").click()  # the confirmation step (core.confirm)
    expect(page.locator("#session-state")).to_have_text("Đã kết thúc")
    states = [Dossier.objects.get(pk=d.pk).state for d in dossiers]
    assert states == ["council_passed", "not_awarded", "council_passed"]

    page.goto(f"{base}/khen-thuong/?state=council_passed")
    passed = [dossiers[0], dossiers[2]]
    for dossier in passed:
        page.get_by_label(f"Chọn hồ sơ {dossier.code}").check()
    page.get_by_label("Thao tác hàng loạt").select_option("decision")
    page.get_by_role("button", name="Xem trước").click()
    page.get_by_label("Ngày quyết định").fill("22/12/2023")
    page.get_by_label("Số tờ trình của Sở Nội vụ").fill("125/TTr-SNV")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator("#decision-state")).to_have_text("Dự thảo")
    page.get_by_role("button", name="Đăng ký số và ban hành").click()
    page.locator("#confirm-modal-yes").click()  # the confirmation step (core.confirm)
    expect(page.locator("#decision-state")).to_have_text("Đã ban hành")
    expect(page.locator("#decision-number")).to_have_text("01/QĐ-UBND")
    # 22/12/2023: a collective 2.0 × 1,800,000 and an individual 1.0 × 1,800,000.
    expect(page.locator("#decision-total")).to_contain_text("5.400.000")
    with page.expect_download() as download:
        page.locator("#decision-pdf").click()
    assert download.value.suggested_filename == "quyet-dinh-01-QD-UBND.pdf"
    text = _pdf_text(download.value.path())
    assert "Số: 01/QĐ-UBND" in text and "DỰ THẢO" not in text
    assert "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 01 tập thể và 01 cá nhân" in text
    assert "Tổng cộng tiền thưởng: 5.400.000 đồng" in text
    assert "Văn phòng HĐND và UBND thị trấn Đắk Mil" not in text
    assert {Dossier.objects.get(pk=d.pk).state for d in passed} == {"awarded"}
