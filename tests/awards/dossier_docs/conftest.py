"""A draft dossier of district DM (an issuing body with its chairman as signer) proposing commune DM-01 and
Nguyễn Văn An, with an accepted achievement, a recognised initiative and an earlier commendation each; and the
file readers the document tests share (python-docx, pdftotext, LibreOffice headless)."""

import datetime
import io
import shutil
import subprocess

import pytest
from docx import Document

from awards import services
from campaigns.models import Achievement, Initiative
from core.models import IssuingBody, Signer, SignerPosition


@pytest.fixture
def dm_body(tree):
    body = IssuingBody.objects.create(key="DM", name="Ủy ban nhân dân huyện Đắk Mil", abbreviation="UBND",
                                      governing="", place="Đắk Mil", head_title="Chủ tịch",
                                      deputy_title="Phó Chủ tịch", collective="Ủy ban nhân dân")
    Signer.objects.create(body=body, full_name="Phạm Văn Đức", position=SignerPosition.HEAD,
                          valid_from=datetime.date(2020, 1, 1))
    return body


@pytest.fixture
def holdings(tree, people, campaign, catalogue, contents):
    """What the application already holds for the interim period (2022–2023) of the two nominees."""
    unit_work = Achievement.objects.create(campaign=campaign, unit=tree["dm01"], year=2023, content=contents[2],
                                           title="Giải quyết 100% hồ sơ đúng hạn", status="accepted")
    person_work = Achievement.objects.create(campaign=campaign, unit=tree["dm01"], person=people["an"], year=2023,
                                             content=contents[1], title="Đối thoại với nhân dân hằng quý",
                                             status="accepted")
    initiative = Initiative.objects.create(campaign=campaign, unit=tree["dm01"], year=2023,
                                           title="Sổ tay thủ tục hành chính điện tử", problem="p", solution="s",
                                           effect="e", status="recognised", level="grassroots",
                                           decision_number="15/QĐ-UBND", decision_date=datetime.date(2023, 9, 1))
    initiative.authors.add(people["an"])
    return {"unit_work": unit_work, "person_work": person_work, "initiative": initiative}


@pytest.fixture
def draft(make_dossier, tree, people, users, holdings):
    dossier = make_dossier("draft", complete=False)
    services.nominee_add(dossier=dossier, by=users["dm_officer"], unit=tree["dm01"],
                         summary="Dẫn đầu cụm thi đua về cải cách hành chính.")
    services.nominee_add(dossier=dossier, by=users["dm_officer"], person=people["an"],
                         summary="Chủ động đổi mới lề lối làm việc.")
    return dossier


def docx_text(content):
    """Every paragraph of the body and of every table cell (python-docx opens the file or fails)."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def pdf_text(path_or_bytes, tmp_path, name="doc.pdf"):
    path = path_or_bytes
    if isinstance(path_or_bytes, bytes):
        path = tmp_path / name
        path.write_bytes(path_or_bytes)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def libreoffice_pdf(content, tmp_path, stem="doc"):
    """The DOCX converted by LibreOffice headless (own profile folder: no clash with another run)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / f"{stem}.docx"
    source.write_bytes(content)
    out = tmp_path / "lo-out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(out), str(source)], capture_output=True, check=True, timeout=180)
    return out / f"{stem}.pdf"


def one_line(text):
    return " ".join(text.split())
