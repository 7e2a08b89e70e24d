"""Council sessions: members with roles and attendance, dossiers put to a session in bulk, a secret-ballot count per
nominee against the threshold of the dossier's rule at the session date, minutes and ballot-count record as Decree
30 PDFs attached to each dossier, results moving the dossiers; a session closes only when every nominee has a count.
"""

import datetime
import re
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import pdf, services
from awards.models import CommendationRecord, CouncilSession, Dossier
from units.models import Person

D = datetime.date


@pytest.fixture
def council(tree):
    """Seven people of the province's council: a chair, a vice chair, four members, a secretary."""
    names = ["Hồ Văn Mười", "Lê Văn Phúc", "Nguyễn Thị Hoa", "Trần Văn Long", "Phạm Minh Tâm", "Vũ Thị Lan",
             "Đỗ Văn Hải"]
    people = [Person.objects.create(full_name=name, gender="male", unit=tree["snv"], position="Thành viên")
              for name in names]
    roles = ["chair", "vice_chair", "member", "member", "member", "member", "secretary"]
    return list(zip(people, roles, strict=True))


def _text(content, tmp_path, name="bb.pdf"):
    path = tmp_path / name
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], capture_output=True, check=True,
                         text=True).stdout
    return " ".join(re.sub(r"(?<=\S)([-/])\n", r"\1", raw).split())


SESSION_DAY = D(2023, 12, 15)


def _session(users, council, day=SESSION_DAY):
    return services.council_session_create(by=users["admin"], date=day, place="Phòng họp số 1, UBND tỉnh",
                                           members=council)


def test_a_session_with_five_dossiers_one_under_the_threshold(client_for, users, tree, people, make_dossier, council,
                                                              signers, tmp_path):
    dossiers = [make_dossier("proposed", nominees=[{"unit": tree["dm01"]}]),
                make_dossier("proposed", nominees=[{"unit": tree["dm01_vp"]}]),
                make_dossier("proposed", nominees=[{"person": people["an"]}]),
                make_dossier("proposed", nominees=[{"person": people["binh"]}]),
                make_dossier("proposed", nominees=[{"unit": tree["dm01"]}, {"person": people["binh"]}])]
    session = _session(users, council)
    absent = session.members.get(person__full_name="Vũ Thị Lan")
    services.council_attendance(session=session, by=users["admin"],
                                present=session.members.exclude(pk=absent.pk).values_list("pk", flat=True))
    # Put to the session in bulk from the list (“Đề nghị khen thưởng” → “Đã trình Hội đồng”).
    client = client_for(users["admin"])
    response = client.post(reverse("awards:bulk_apply"), {"action": "council", "ids": [d.pk for d in dossiers],
                                                          "session": session.pk})
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert set(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("state", flat=True)) == {
        "at_council"}
    # BK-TINH-CD on 15/12/2023 (Decree 91/2017 regime): at least 50 % of the 7 members.
    assert {float(item.threshold) for item in session.items.all()} == {50.0}
    nominees = {d.pk: list(d.nominees.all()) for d in dossiers}
    tallies = {n.pk: (6, 6) for d in dossiers[:3] for n in nominees[d.pk]}
    tallies[nominees[dossiers[3].pk][0].pk] = (6, 3)                  # 3/7 = 42.86 % < 50 %: not passed
    mixed_unit, mixed_person = nominees[dossiers[4].pk]
    tallies[mixed_unit.pk] = (6, 5)
    with pytest.raises(ValidationError, match="chưa có kết quả kiểm phiếu"):
        services.council_ballots_record(session=session, by=users["admin"], tallies=tallies)
        services.council_session_close(session=session, by=users["admin"])
    tallies[mixed_person.pk] = (6, 2)                                 # 2/7: this nominee only is not passed
    services.council_ballots_record(session=session, by=users["admin"], tallies=tallies)
    services.council_session_close(session=session, by=users["admin"])
    states = [Dossier.objects.get(pk=d.pk).state for d in dossiers]
    assert states == ["council_passed"] * 3 + ["not_awarded", "council_passed"]
    session.refresh_from_db()
    assert (session.state, session.minutes.reference, session.tally.reference) == (
        "closed", "01/BB-HĐTĐKT", "02/BB-HĐTĐKT")

    # The minutes state the attendance and each count, and are attached (with the ballot-count record) to each dossier.
    minutes = _text(pdf.minutes_pdf(session), tmp_path)
    for expected in ["UBND TỈNH ĐẮK NÔNG", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG TỈNH", "Số: 01/BB-HĐTĐKT",
                     "Đắk Nông, ngày 15 tháng 12 năm 2023", "BIÊN BẢN",
                     "Chủ trì: Hồ Văn Mười, Chủ tịch Hội đồng. Thư ký: Đỗ Văn Hải.",
                     "Thành viên Hội đồng: tổng số 7; có mặt 6; vắng mặt 1. Vắng mặt: Vũ Thị Lan.",
                     "Hội đồng xem xét 5 hồ sơ", "Trần Thị Bình", "3/7 6 42,86 50 Không đạt", "6/7 6 85,71 50 Đạt",
                     "2/7 6 28,57 50 Không đạt", "5/7 6 71,43 50 Đạt",
                     "Hội đồng thống nhất đề nghị khen thưởng 03 tập thể và 01 cá nhân",
                     "2 trường hợp không đạt tỷ lệ phiếu đồng ý tối thiểu", "THƯ KÝ", "CHỦ TỌA"]:
        assert expected in minutes, expected
    tally = _text(pdf.tally_pdf(session), tmp_path, "kp.pdf")
    assert "BIÊN BẢN KIỂM PHIẾU" in tally and "Số: 02/BB-HĐTĐKT" in tally
    assert "Tổng số thành viên Hội đồng: 7. Số thành viên có mặt, nhận phiếu: 6." in tally
    for dossier in dossiers:
        attached = {d.doc_type.code: d for d in Dossier.objects.get(pk=dossier.pk).documents.select_related("doc_type")}
        assert {"BB_HOP_TINH", "BB_KIEMPHIEU"} <= set(attached)
        stored = attached["BB_HOP_TINH"].file.open("rb").read()
        assert stored.startswith(b"%PDF") and "01/BB-HĐTĐKT" in _text(stored, tmp_path, "stored.pdf")

    # A closed session changes no more.
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.council_ballots_record(session=session, by=users["admin"], tallies={mixed_person.pk: (6, 6)})

    # The decision for the passed dossiers awards their passed nominees only.
    passed = [d for d, state in zip(dossiers, states, strict=True) if state == "council_passed"]
    decision = services.decision_record(dossiers=passed, by=users["admin"], date=D(2023, 12, 22),
                                        signer=signers["chair"])
    awarded = CommendationRecord.objects.filter(decision=decision)
    assert awarded.count() == 4 and not awarded.filter(dossier=dossiers[4], person=people["binh"]).exists()
    assert "Trần Thị Bình" not in pdf.decision_html(decision).split("DANH SÁCH KHEN THƯỞNG")[1]


def test_the_threshold_follows_the_rule_version_of_the_session_date(users, tree, make_dossier, council):
    """Cờ thi đua: at least 50 % under Decree 91/2017 (to 31/12/2023), 80 % under Decree 98/2023 (from 1/1/2024)."""
    results = {}
    for day in (D(2023, 12, 28), D(2024, 1, 5)):
        dossier = make_dossier("proposed", form="CO-TINH", nominees=[{"unit": tree["dm01"]}])
        session = _session(users, council, day)
        services.council_session_add(session=session, dossiers=[dossier], by=users["admin"])
        nominee = dossier.nominees.get()
        services.council_ballots_record(session=session, by=users["admin"], tallies={nominee.pk: (7, 5)})  # 71 %
        services.council_session_close(session=session, by=users["admin"])
        item = session.items.get()
        results[day.year] = (float(item.threshold), Dossier.objects.get(pk=dossier.pk).state)
    assert results == {2023: (50.0, "council_passed"), 2024: (80.0, "not_awarded")}


def test_counts_are_checked_and_only_proposed_dossiers_go_to_a_session(users, tree, make_dossier, council):
    ready = make_dossier("proposed", nominees=[{"unit": tree["dm01"]}])
    early = make_dossier("under_appraisal", nominees=[{"unit": tree["dm01_vp"]}])
    session = _session(users, council)
    with pytest.raises(ValidationError, match="Không thực hiện thao tác nào"):
        services.council_session_add(session=session, dossiers=[ready, early], by=users["admin"])
    assert Dossier.objects.get(pk=ready.pk).state == "proposed" and not session.items.exists()
    services.council_session_add(session=session, dossiers=[ready], by=users["admin"])
    nominee = ready.nominees.get()
    for tally, message in (((8, 3), "nhiều hơn 7 thành viên có mặt"), ((5, 6), "nhiều hơn 5 phiếu hợp lệ")):
        with pytest.raises(ValidationError, match=message):
            services.council_ballots_record(session=session, by=users["admin"], tallies={nominee.pk: tally})
    with pytest.raises(ValidationError, match="đúng một Chủ tịch"):
        services.council_session_create(by=users["admin"], date=D(2024, 1, 2), place="Phòng họp",
                                        members=[(p, "member") for p, _role in council])
    with pytest.raises(PermissionDenied):
        services.council_session_create(by=users["appraiser"], date=D(2024, 1, 2), place="Phòng họp",
                                        members=council)


def test_session_pages_in_a_browserless_flow(client_for, users, tree, make_dossier, council):
    dossier = make_dossier("proposed", nominees=[{"unit": tree["dm01"]}])
    client = client_for(users["admin"])
    response = client.post(reverse("awards:session_create"), {
        "date": "15/12/2023", "place": "Hội trường UBND tỉnh", "chair": council[0][0].pk,
        "secretary": council[-1][0].pk, "vice_chairs": [council[1][0].pk],
        "members": [p.pk for p, _r in council[2:-1]]})
    assert response.status_code == 302
    session = CouncilSession.objects.get()
    assert session.members.count() == 7 and session.members.filter(role="chair").get().person == council[0][0]
    client.post(reverse("awards:bulk_apply"), {"action": "council", "ids": [dossier.pk], "session": session.pk})
    nominee = dossier.nominees.get()
    client.post(reverse("awards:session_ballots", args=[session.pk]), {f"valid-{nominee.pk}": "7",
                                                                       f"approve-{nominee.pk}": "7"})
    with CaptureQueriesContext(connection) as captured:
        page = client.get(session.get_absolute_url()).content.decode()
    assert "7/7 (100%)" in page and "Đạt" in page
    assert len(captured) < 25
    client.post(reverse("awards:session_close", args=[session.pk]))
    assert Dossier.objects.get(pk=dossier.pk).state == "council_passed"
    assert client.get(reverse("awards:session_minutes", args=[session.pk])).content.startswith(b"%PDF")
    # Officers have nothing to do with sessions; the read-only leader reads them.
    assert client_for(users["dm_officer"]).get(session.get_absolute_url()).status_code == 404
    assert client_for(users["leader"]).get(session.get_absolute_url()).status_code == 200
    assert client_for(users["leader"]).post(reverse("awards:session_close", args=[session.pk])).status_code == 403


def test_session_and_decision_lists_query_counts_do_not_grow(client_for, users, tree, make_dossier, council, signers):
    client = client_for(users["admin"])

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def one_more(day):
        session = _session(users, council, day)
        pending = make_dossier("proposed", nominees=[{"unit": tree["dm01"]}])
        services.council_session_add(session=session, dossiers=[pending], by=users["admin"])
        with pytest.raises(ValidationError, match="đang chờ kết quả của phiên họp"):  # the session decides first
            services.decision_prepare(dossiers=[pending], by=users["admin"], date=day, signer=signers["chair"])
        ready = make_dossier("at_council", nominees=[{"unit": tree["dm01_vp"]}])
        services.decision_prepare(dossiers=[ready], by=users["admin"], date=day, signer=signers["chair"])

    one_more(D(2024, 2, 1))
    few = (count(reverse("awards:sessions")), count(reverse("awards:decisions")))
    for day in (D(2024, 2, 2), D(2024, 2, 5), D(2024, 2, 6)):
        one_more(day)
    assert (count(reverse("awards:sessions")), count(reverse("awards:decisions"))) == few
