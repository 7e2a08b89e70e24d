"""Reports across the 2025 restructuring: the header is the body in force on the issue date (Sở Nội vụ tỉnh Lâm Đồng
after 1/7/2025, tested on the PDF text), and the per-unit table of a period ending after a merger groups the
units by the structure at its end, the predecessors' figures rolled into their successor with a note."""

import datetime

from awards.catalogue import ensure_issuers
from campaigns.models import Achievement, AchievementStatus, Campaign, Registration
from core.models import IssuingBody, Signer, SignerPosition
from reports import render
from reports.context import build_for
from reports.models import ReportDraft
from units import services as unit_services
from units.models import Unit, UnitKind

from .test_documents import pdf_text

ON = datetime.date(2025, 7, 1)


def _lam_dong(tree, users):
    """Lâm Đồng's committee and its Sở Nội vụ from 1/7/2025; Đắk Nông's Sở Nội vụ merges into it."""
    lamdong = Unit.objects.create(code="LDG", name="Ủy ban nhân dân tỉnh Lâm Đồng", kind=UnitKind.PROVINCE,
                                  valid_from=ON)
    unit_services.restructuring_apply(by=users["admin"], ended=[tree["snv"]], on=ON, new_units=[
        {"code": "LDG-SNV", "name": "Sở Nội vụ tỉnh Lâm Đồng", "kind": UnitKind.DEPARTMENT, "parent": lamdong}])
    ensure_issuers()
    for key in ("SNV", "LDG-SNV"):
        Signer.objects.create(body=IssuingBody.objects.get(key=key),
                              full_name=f"Giám đốc {key}", position=SignerPosition.HEAD,
                              valid_from=datetime.date(2021, 1, 1))


def _pdf(campaign, issued_on, tmp_path):
    draft = ReportDraft.objects.create(campaign=campaign, kind="final", issued_on=issued_on)
    path = tmp_path / f"bc-{issued_on}.pdf"
    path.write_bytes(render.render_pdf(render.render_html(build_for(campaign, "final", draft=draft))))
    draft.delete()
    return pdf_text(path)


def test_a_report_after_the_merger_is_issued_by_lam_dong(tree, users, campaign, tmp_path):
    _lam_dong(tree, users)
    campaign = Campaign.objects.get(pk=campaign.pk)  # as a page loads it: its organiser ended on 30/06/2025
    after = _pdf(campaign, datetime.date(2025, 12, 15), tmp_path)
    assert "UBND TỈNH LÂM ĐỒNG" in after and "SỞ NỘI VỤ" in after
    assert "Lâm Đồng, ngày 15 tháng 12 năm 2025" in after and "ĐẮK NÔNG" not in after.split("BÁO CÁO")[0]
    before = _pdf(campaign, datetime.date(2025, 6, 20), tmp_path)
    assert "UBND TỈNH ĐẮK NÔNG" in before and "Đắk Nông, ngày 20 tháng 6 năm 2025" in before


def test_the_unit_table_groups_by_the_structure_at_the_end_of_the_period(tree, people, users, campaign):
    contents = {c.number: c for c in campaign.contents.all()}
    gn02 = Unit.objects.create(code="GN-02", name="Ủy ban nhân dân phường Nghĩa Phú", kind=UnitKind.COMMUNE,
                               parent=tree["gn"])
    for unit, year in ((tree["gn01"], 2023), (gn02, 2024)):
        Registration.objects.create(campaign=campaign, unit=unit, year=year)
        Achievement.objects.create(campaign=campaign, unit=unit, year=year, content=contents[1], title="x",
                                   status=AchievementStatus.ACCEPTED)
    unit_services.restructuring_apply(by=users["admin"], ended=[tree["gn01"], gn02], on=ON, new_units=[
        {"code": "LD-BGN", "name": "Ủy ban nhân dân phường Bắc Gia Nghĩa", "parent": tree["gn"]}])
    final = build_for(campaign, "final")
    rows = {row["code"]: row for row in final["units"]}
    assert "GN-01" not in rows and "GN-02" not in rows
    merged = rows["LD-BGN"]
    assert merged["accepted"] == 2 and merged["registered_years"] == 2
    assert set(merged["predecessors"]) == {"Ủy ban nhân dân phường Nghĩa Đức", "Ủy ban nhân dân phường Nghĩa Phú"}
    assert final["units_rolled_up"]
    # The interim review (period ending 31/12/2023) keeps that year's structure.
    interim = {row["code"] for row in build_for(campaign, "interim")["units"]}
    assert "GN-01" in interim and "LD-BGN" not in interim
