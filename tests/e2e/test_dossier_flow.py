"""A district officer builds a dossier with two nominees and submits it; the appraiser returns it; the officer adds
the missing (signed) minutes and resubmits; the appraiser proposes it; the administrator records the decision;
the awardee's commendation history shows the award."""

import pytest
from playwright.sync_api import expect

from awards.models import DocumentType, Dossier
from tests.conftest import PASSWORD
from tests.fixtures.awards import PDF
from tests.fixtures.browser import pick


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def _upload(page, code, name):
    page.locator("#id_doc_type").select_option(str(DocumentType.objects.get(code=code).pk))
    page.locator("#id_file").set_input_files(files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("#documents")).to_contain_text(name)


@pytest.mark.django_db(transaction=True)
def test_dossier_from_draft_to_decision(page, live_server, users, tree, people, catalogue, signers, interim):
    base = live_server.url
    _login(page, base, "dm_officer")
    page.get_by_role("button", name="Khen thưởng", exact=True).click()
    page.get_by_role("link", name="Hồ sơ khen thưởng").first.click()
    page.get_by_role("link", name="Tạo hồ sơ").click()
    page.get_by_label("Phong trào và đợt khen thưởng").select_option(str(interim.pk))
    page.get_by_label("Hình thức khen thưởng").select_option(str(catalogue["BK-TINH-CD"].pk))
    page.get_by_role("button", name="Tạo hồ sơ").click()
    expect(page.locator("#dossier-state")).to_have_text("Đang soạn")
    dossier = Dossier.objects.get()
    detail = f"{base}/khen-thuong/ho-so/{dossier.pk}/"

    for field, text, value in (("id_unit", "thi tran dak mil", tree["dm01"].pk),
                               ("id_person", "nguyen van an", people["an"].pk)):
        page.get_by_role("link", name="Thêm đối tượng").click()
        pick(page, field, text, value)
        page.get_by_label("Tóm tắt thành tích").fill("Hoàn thành xuất sắc nhiệm vụ cải cách hành chính.")
        page.get_by_role("button", name="Thêm đối tượng").click()
    expect(page.locator("#nominees")).to_contain_text("Ủy ban nhân dân thị trấn Đắk Mil")
    expect(page.locator("#nominees")).to_contain_text("Nguyễn Văn An")

    for code, name in (("TOTRINH", "Tờ trình.pdf"), ("BCTT_TT", "Báo cáo tập thể.pdf"),
                       ("BCTT_CN", "Báo cáo cá nhân.pdf"), ("BIENBAN", "Biên bản (chưa ký).pdf")):
        _upload(page, code, name)
    page.get_by_label("Ngày họp Hội đồng Thi đua - Khen thưởng").fill("20/11/2023")
    page.get_by_label("Tổng số thành viên Hội đồng").fill("9")
    page.get_by_label("Số thành viên có mặt").fill("9")
    page.get_by_label("Số phiếu đồng ý").fill("9")
    page.get_by_role("button", name="Lưu thông tin cuộc họp").click()
    expect(page.locator("#missing-parts")).to_have_count(0)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("#dossier-state")).to_have_text("Đã nộp, chờ tiếp nhận")

    _login(page, base, "snv_td")
    page.goto(detail)
    page.get_by_label("Lý do trả lại, nội dung cần bổ sung").fill(
        "Biên bản họp Hội đồng chưa ký; bổ sung biên bản đã ký.")
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    page.locator("#confirm-modal-yes").click()  # the confirmation step (core.confirm)
    expect(page.locator("#dossier-state")).to_have_text("Trả lại để bổ sung")

    _login(page, base, "dm_officer")
    page.goto(detail)
    expect(page.locator("#return-reasons")).to_contain_text("bổ sung biên bản đã ký")
    _upload(page, "BIENBAN", "Biên bản họp Hội đồng (đã ký).pdf")
    page.get_by_role("button", name="Nộp lại hồ sơ").click()
    expect(page.locator("#dossier-state")).to_have_text("Đã nộp, chờ tiếp nhận")

    _login(page, base, "snv_td")
    page.goto(detail)
    expect(page.locator("#submissions")).to_contain_text("Thêm tài liệu: Biên bản họp Hội đồng Thi đua - Khen thưởng "
                                                         "(ghi tỷ lệ phiếu) — Biên bản họp Hội đồng (đã ký).pdf")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.get_by_role("button", name="Bắt đầu thẩm định").click()
    page.get_by_label("Ý kiến thẩm định").fill("Đủ tiêu chuẩn.")
    page.get_by_role("button", name="Đề nghị khen thưởng", exact=True).click()
    expect(page.locator("#dossier-state")).to_have_text("Đề nghị khen thưởng")

    _login(page, base, "snv_admin")
    page.goto(detail)
    page.get_by_role("button", name="Trình Hội đồng").click()
    expect(page.locator("#dossier-state")).to_have_text("Đã trình Hội đồng")
    # The number comes from the province's register (the first decision of 2024); the Chairman signs by default.
    page.get_by_label("Ngày quyết định").fill("22/01/2024")
    page.get_by_label("Số tờ trình của Sở Nội vụ").fill("15/TTr-SNV")
    page.get_by_role("button", name="Ghi nhận quyết định khen thưởng").click()
    page.locator("#confirm-modal-yes").click()  # the confirmation step (core.confirm)
    expect(page.locator("#dossier-state")).to_have_text("Đã khen thưởng")

    page.goto(f"{base}/khen-thuong/lich-su/?person={people['an'].pk}")
    row = page.locator("#history-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("01/QĐ-UBND")
    expect(row).to_contain_text("Bằng khen của Chủ tịch UBND tỉnh (theo chuyên đề, phong trào)")
    expect(row).to_contain_text("22/01/2024")
