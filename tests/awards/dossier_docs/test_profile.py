"""The achievement profile of a unit and of a person: everything recorded over the years, scoped like the unit and
person pages, linked from them through `core.panels`, and as a PDF."""

import datetime

from awards.models import CommendationRecord
from campaigns.models import Registration
from par import services as par_services
from tests.fixtures.par import full_run

from .conftest import one_line, pdf_text


def _record(catalogue, **who):
    return CommendationRecord.objects.create(form=catalogue["GIAYKHEN"], year=2021, decision_number="45/QĐ-UBND",
                                             decision_date=datetime.date(2021, 12, 30), **who)


def test_unit_profile_shows_every_part_over_the_years(draft, tree, campaign, catalogue, users, client_for, holdings,
                                                      tmp_path, django_assert_max_num_queries):
    Registration.objects.create(campaign=campaign, unit=tree["dm01"], year=2023)
    _record(catalogue, unit=tree["dm01"])
    client = client_for(users["dm_officer"])
    with django_assert_max_num_queries(25):
        response = client.get("/khen-thuong/ho-so-thanh-tich/don-vi/DM-01/")
    html = response.content.decode()
    assert response.status_code == 200
    for expected in ("584/KH-UBND", "Giải quyết 100% hồ sơ đúng hạn", "Sổ tay thủ tục hành chính điện tử",
                     "45/QĐ-UBND", draft.code, "Chưa có kết quả được công bố."):
        assert expected in html, expected
    assert "Đối thoại với nhân dân hằng quý" not in html  # an individual's achievement is on the person's profile
    response = client.get("/khen-thuong/ho-so-thanh-tich/don-vi/DM-01/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = one_line(pdf_text(response.content, tmp_path))
    for expected in ("HỒ SƠ THÀNH TÍCH", "Ủy ban nhân dân thị trấn Đắk Mil", "Giải quyết 100% hồ sơ đúng hạn",
                     "45/QĐ-UBND", "Sổ tay thủ tục hành chính điện tử", draft.code):
        assert expected in text, expected


def test_unit_profile_shows_published_par_results(district_sheets, district_set, par_users, users, client_for):
    for sheet in district_sheets.values():
        full_run(sheet, par_users, {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5})
    par_services.set_publish(criteria_set=district_set, by=par_users["admin"])
    html = client_for(users["dm_officer"]).get("/khen-thuong/ho-so-thanh-tich/don-vi/DM/").content.decode()
    assert "Bộ chỉ số CCHC cấp huyện 2024" in html and "Chưa có kết quả được công bố." not in html


def test_person_profile(draft, people, catalogue, users, client_for, holdings, tmp_path):
    _record(catalogue, person=people["an"])
    client = client_for(users["dm_officer"])
    html = client.get(f"/khen-thuong/ho-so-thanh-tich/ca-nhan/{people['an'].pk}/").content.decode()
    for expected in ("Nguyễn Văn An", "Đối thoại với nhân dân hằng quý", "Sổ tay thủ tục hành chính điện tử",
                     "45/QĐ-UBND", draft.code):
        assert expected in html, expected
    assert "Giải quyết 100% hồ sơ đúng hạn" not in html
    text = one_line(pdf_text(client.get(f"/khen-thuong/ho-so-thanh-tich/ca-nhan/{people['an'].pk}/pdf/").content,
                             tmp_path))
    assert "Nguyễn Văn An" in text and "Đối thoại với nhân dân hằng quý" in text


def test_profiles_are_scoped_like_the_unit_and_person_pages(draft, people, users, client_for):
    client = client_for(users["gn_officer"])
    for url in ("/khen-thuong/ho-so-thanh-tich/don-vi/DM-01/", "/khen-thuong/ho-so-thanh-tich/don-vi/DM-01/pdf/",
                f"/khen-thuong/ho-so-thanh-tich/ca-nhan/{people['an'].pk}/",
                f"/khen-thuong/ho-so-thanh-tich/ca-nhan/{people['an'].pk}/pdf/"):
        assert client.get(url).status_code == 404, url
    own = client.get("/khen-thuong/ho-so-thanh-tich/don-vi/GN-01/")
    assert own.status_code == 200
    assert client_for(users["leader"]).get("/khen-thuong/ho-so-thanh-tich/don-vi/DM-01/").status_code == 200


def test_nominations_listed_only_from_dossiers_the_reader_may_see(draft, tree, users, client_for):
    """DM-01's own officer does not see district DM's dossier: its profile does not list that nomination."""
    from tests.conftest import _user
    from units.models import Role

    commune_officer = _user("dm01_officer", Role.OFFICER, tree["dm01"])
    html = client_for(commune_officer).get("/khen-thuong/ho-so-thanh-tich/don-vi/DM-01/").content.decode()
    assert draft.code not in html
    assert draft.code in client_for(users["dm_officer"]).get(
        "/khen-thuong/ho-so-thanh-tich/don-vi/DM-01/").content.decode()


def test_unit_and_person_pages_link_to_the_profile(tree, people, users, client_for):
    client = client_for(users["dm_officer"])
    assert "/khen-thuong/ho-so-thanh-tich/don-vi/DM-01/" in client.get("/don-vi/DM-01/").content.decode()
    person_page = client.get(f"/ca-nhan/{people['an'].pk}/").content.decode()
    assert f"/khen-thuong/ho-so-thanh-tich/ca-nhan/{people['an'].pk}/" in person_page
