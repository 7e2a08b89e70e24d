"""The generated dossier documents as files: the DOCX opens with python-docx and with LibreOffice headless, the PDF
is read back with pdftotext; each holds the nominees, the counts in words, the unit's data and the decree's form
number in force on its date, in the Decree 30/2020 page (A4, margins, Times New Roman 13–14 pt)."""

import datetime
import io
import subprocess

from docx import Document

from awards import dossier_documents, services
from awards.models import Dossier

from .conftest import docx_text, libreoffice_pdf, one_line, pdf_text


def _generated(draft, users):
    services.dossier_proposal_generate(dossier=draft, by=users["dm_officer"])
    return Dossier.objects.select_related("unit__parent", "form", "campaign", "milestone", "proposal_entry",
                                          "proposal_signer__body").get(pk=draft.pk)


def test_proposal_docx_holds_nominees_counts_number_and_signer(draft, users, dm_body, tmp_path):
    dossier = _generated(draft, users)
    assert dossier.proposal_entry.reference == "01/TTr-UBND"  # the first of DM's yearly series of Tờ trình
    content = dossier_documents.docx_bytes(dossier_documents.proposal_blocks(dossier))
    text = one_line(docx_text(content))
    for expected in ("TỜ TRÌNH", "ỦY BAN NHÂN DÂN HUYỆN ĐẮK MIL", "Số: 01/TTr-UBND", "Ủy ban nhân dân thị trấn Đắk Mil",
                     "Nguyễn Văn An", "Chủ tịch, Ủy ban nhân dân thị trấn Đắk Mil",
                     "01 (một) tập thể và 01 (một) cá nhân", "02 (hai) tập thể, cá nhân", "Phạm Văn Đức",
                     "Mẫu số 01 ban hành kèm theo Nghị định số 152/2025/NĐ-CP", "Kế hoạch số 584/KH-UBND",
                     "Chủ tịch Ủy ban nhân dân tỉnh Đắk Nông"):
        assert expected in text, expected
    day = dossier.proposal_date
    assert f"Đắk Mil, ngày {day.day:02d} tháng" in text

    converted = one_line(pdf_text(libreoffice_pdf(content, tmp_path, "to-trinh"), tmp_path))
    for expected in ("TỜ TRÌNH", "Nguyễn Văn An", "01 (một) tập thể và 01 (một) cá nhân", "Phạm Văn Đức",
                     "Mẫu số 01"):
        assert expected in converted, expected


def test_docx_page_and_fonts_follow_decree_30(draft, users, dm_body):
    dossier = _generated(draft, users)
    doc = Document(io.BytesIO(dossier_documents.docx_bytes(dossier_documents.proposal_blocks(dossier))))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    assert doc.styles["Normal"].font.name == "Times New Roman"
    runs = [run for p in doc.paragraphs for run in p.runs]
    runs += [run for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs
             for run in p.runs]
    body = [run for run in runs if run.text.strip() and not run.text.startswith("- ") and run.text != "Nơi nhận:"]
    assert body and {run.font.name for run in runs} == {"Times New Roman"}
    assert all(13 <= run.font.size.pt <= 14 for run in body), sorted({run.font.size.pt for run in body})


def test_proposal_pdf_text_and_fonts(draft, users, dm_body, tmp_path):
    dossier = _generated(draft, users)
    path = tmp_path / "to-trinh.pdf"
    path.write_bytes(dossier_documents.pdf_bytes(dossier_documents.proposal_blocks(dossier)))
    text = one_line(pdf_text(path, tmp_path))
    for expected in ("TỜ TRÌNH", "Số: 01/TTr-UBND", "Ủy ban nhân dân thị trấn Đắk Mil", "Nguyễn Văn An",
                     "01 (một) tập thể và 01 (một) cá nhân", "Phạm Văn Đức",
                     "Mẫu số 01 ban hành kèm theo Nghị định số 152/2025/NĐ-CP"):
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = fonts.replace("-", "").replace(" ", "")
    assert "LiberationSerif" in names or "Tinos" in names  # the Times-metric font of the documents, embedded


def test_unit_without_register_leaves_number_blank_and_signature_to_the_head(draft, users, tmp_path):
    dossier = _generated(draft, users)  # DM is not an issuing body here: no register, no signer
    assert dossier.proposal_entry is None and dossier.proposal_signer is None
    text = one_line(docx_text(dossier_documents.docx_bytes(dossier_documents.proposal_blocks(dossier))))
    assert "Số: ……/TTr" in text
    assert "THỦ TRƯỞNG ĐƠN VỊ" in text
    assert "UBND TỈNH ĐẮK NÔNG" in text  # the governing body above the unit's name


def test_form_number_follows_the_decree_in_force_on_the_document_date(draft, users, dm_body):
    dossier = _generated(draft, users)
    Dossier.objects.filter(pk=dossier.pk).update(proposal_date=datetime.date(2025, 6, 30))
    dossier.refresh_from_db()
    before = one_line(docx_text(dossier_documents.docx_bytes(dossier_documents.proposal_blocks(dossier))))
    assert "Mẫu số 01 ban hành kèm theo Nghị định số 98/2023/NĐ-CP" in before
    nominee = dossier.nominees.get(person__isnull=False)
    report = one_line(docx_text(dossier_documents.docx_bytes(dossier_documents.report_blocks(nominee))))
    assert "Mẫu số 03 ban hành kèm theo Nghị định số 98/2023/NĐ-CP" in report
    Dossier.objects.filter(pk=dossier.pk).update(proposal_date=datetime.date(2025, 7, 1))
    dossier.refresh_from_db()
    after = one_line(docx_text(dossier_documents.docx_bytes(dossier_documents.proposal_blocks(dossier))))
    assert "Nghị định số 152/2025/NĐ-CP" in after and "98/2023" not in after


def test_collective_report_holds_identity_achievements_initiatives_and_awards(draft, tmp_path, holdings):
    from awards.models import CommendationRecord

    nominee = draft.nominees.get(unit__isnull=False)
    CommendationRecord.objects.create(unit=nominee.unit, form=draft.form, year=2022, decision_number="88/QĐ-UBND",
                                      decision_date=datetime.date(2022, 12, 20))
    content = dossier_documents.docx_bytes(dossier_documents.report_blocks(nominee))
    text = one_line(docx_text(content))
    for expected in ("BÁO CÁO THÀNH TÍCH", "Mẫu số 02 ban hành kèm theo Nghị định số 152/2025/NĐ-CP",
                     "Tên tập thể đề nghị: Ủy ban nhân dân thị trấn Đắk Mil", "DM-01",
                     "Ủy ban nhân dân huyện Đắk Mil", "Dẫn đầu cụm thi đua về cải cách hành chính.",
                     "Giải quyết 100% hồ sơ đúng hạn", "Sổ tay thủ tục hành chính điện tử",
                     "15/QĐ-UBND ngày 01/09/2023",
                     "88/QĐ-UBND ngày 20/12/2022", "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH", "II. THÀNH TÍCH ĐẠT ĐƯỢC",
                     "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", "Thành tích khác đơn vị bổ sung:",
                     "Thành tích từ ngày 14/10/2022 đến ngày 31/12/2023"):
        assert expected in text, expected
    assert "Đối thoại với nhân dân hằng quý" not in text  # the person's achievement is in the person's report
    pdf = one_line(pdf_text(dossier_documents.pdf_bytes(dossier_documents.report_blocks(nominee)), tmp_path))
    for expected in ("BÁO CÁO THÀNH TÍCH", "Mẫu số 02", "DM-01", "Giải quyết 100% hồ sơ đúng hạn"):
        assert expected in pdf, expected


def test_individual_report_holds_the_persons_record(draft, tmp_path):
    nominee = draft.nominees.get(person__isnull=False)
    content = dossier_documents.docx_bytes(dossier_documents.report_blocks(nominee))
    text = one_line(docx_text(content))
    for expected in ("Mẫu số 03", "I. SƠ LƯỢC LÝ LỊCH", "Nguyễn Văn An", "Nam", "DM01-001", "Chủ tịch",
                     "Đối thoại với nhân dân hằng quý", "Sổ tay thủ tục hành chính điện tử",
                     "NGƯỜI BÁO CÁO THÀNH TÍCH"):
        assert expected in text, expected
    assert "Giải quyết 100% hồ sơ đúng hạn" not in text
    converted = one_line(pdf_text(libreoffice_pdf(content, tmp_path, "bctt"), tmp_path))
    assert "Nguyễn Văn An" in converted and "Mẫu số 03" in converted


def test_list_holds_every_nominee_with_summary_and_the_proposal_number(draft, users, dm_body, tmp_path):
    dossier = _generated(draft, users)
    document = dossier_documents.list_blocks(dossier)
    text = one_line(docx_text(dossier_documents.docx_bytes(document)))
    pdf = one_line(pdf_text(dossier_documents.pdf_bytes(document), tmp_path))
    for body in (text, pdf):
        for expected in ("DANH SÁCH", "Kèm theo Tờ trình số 01/TTr-UBND", "Ủy ban nhân dân thị trấn Đắk Mil",
                         "Nguyễn Văn An", "Chủ động đổi mới lề lối làm việc.", "01 (một) tập thể và 01 (một) cá nhân"):
            assert expected in body, expected
