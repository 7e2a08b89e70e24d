"""Award fixtures: the catalogue, the campaign with its interim round, and dossiers driven into any state
through the real services (no direct state writes: the FSM field is protected)."""

import datetime

import pytest

from awards import services
from awards.catalogue import ensure_catalogue
from awards.models import AwardForm, DocumentType
from core.files import bytes_upload
from tests.campaigns.conftest import campaign, contents  # noqa: F401  (re-exported fixtures)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="tai-lieu.pdf"):
    return bytes_upload(name, PDF)


@pytest.fixture
def catalogue(db):
    ensure_catalogue()
    return {f.code: f for f in AwardForm.objects.all()}


@pytest.fixture
def interim(campaign):  # noqa: F811
    return campaign.milestones.get(kind="interim")


def upload_required(dossier, officer, codes=("TOTRINH", "BCTT_TT", "BCTT_CN", "BIENBAN")):
    for code in codes:
        services.document_upload(dossier=dossier, by=officer, doc_type=DocumentType.objects.get(code=code),
                                 upload=pdf(f"{code}.pdf"))


def council(dossier, officer, votes=9, members=10):
    services.dossier_update(dossier=dossier, by=officer, council_date=datetime.date(2023, 11, 20),
                            council_members=members, council_present=members, council_votes=votes)


@pytest.fixture
def make_dossier(tree, people, users, catalogue, campaign, interim):  # noqa: F811
    """make_dossier(state) → a complete BK-TINH-CD dossier of district DM for commune DM-01 and Nguyễn Văn An."""

    def make(state="draft", *, form="BK-TINH-CD", officer=None, unit=None, nominees=None, complete=True):
        officer = officer or users["dm_officer"]
        dossier = services.dossier_create(by=officer, campaign=campaign, milestone=interim,
                                          unit=unit or tree["dm"], form=catalogue[form])
        if complete:
            for nominee in nominees or [{"unit": tree["dm01"]}, {"person": people["an"]}]:
                services.nominee_add(dossier=dossier, by=officer, summary="Hoàn thành xuất sắc nhiệm vụ CCHC.",
                                     **nominee)
            upload_required(dossier, officer)
            council(dossier, officer)
        return advance(dossier, state, users)

    return make


PATH = ["submitted", "received", "under_appraisal", "proposed", "at_council", "awarded"]


def advance(dossier, state, users):
    officer, appraiser, admin = users["dm_officer"], users["appraiser"], users["admin"]
    steps = {
        "submitted": lambda d: services.dossier_submit(dossier=d, by=officer),
        "received": lambda d: services.dossier_receive(dossier=d, by=appraiser),
        "under_appraisal": lambda d: services.dossier_start_appraisal(dossier=d, by=appraiser),
        "proposed": lambda d: services.dossier_propose(dossier=d, by=appraiser),
        "at_council": lambda d: services.dossiers_put_to_council(dossiers=[d], by=admin),
        "awarded": lambda d: services.decision_record(dossiers=[d], by=admin, number=f"{d.pk}/QĐ-UBND",
                                                      date=datetime.date(2024, 1, 15), signer="Hồ Văn Mười",
                                                      signer_title="Chủ tịch UBND tỉnh"),
    }
    side = {
        "returned": ("under_appraisal", lambda d: services.dossier_return(dossier=d, by=appraiser,
                                                                          reasons="Thiếu biên bản")),
        "not_proposed": ("under_appraisal", lambda d: services.dossier_not_propose(dossier=d, by=appraiser,
                                                                                   note="Chưa đủ tiêu chuẩn")),
        "not_awarded": ("at_council", lambda d: services.dossier_not_award(dossier=d, by=admin, note="Hội đồng")),
        "withdrawn": ("draft", lambda d: services.dossier_withdraw(dossier=d, by=officer)),
    }
    final = None
    if state in side:
        state, final = side[state]
    if state != "draft":
        for step in PATH[:PATH.index(state) + 1]:
            steps[step](dossier)
    if final:
        final(dossier)
    dossier.refresh_from_db()
    return dossier
