"""The shell: Vietnamese error pages, navigation by role, login/logout, dates as dd/mm/yyyy."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from units.models import Unit

pytestmark = pytest.mark.django_db


def test_404_and_403_pages_are_vietnamese(client_for, users, tree):
    client = client_for(users["dm_officer"])
    not_found = client.get(reverse("units:detail", args=["GN"]))
    assert not_found.status_code == 404
    assert "nằm ngoài phạm vi đơn vị của bạn" in not_found.content.decode()
    forbidden = client.get(reverse("units:edit", args=["DM"]))
    assert forbidden.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in forbidden.content.decode()


def test_500_page_renders_without_a_request_context():
    html = render_to_string("500.html")
    assert "Hệ thống gặp lỗi" in html and "chưa được lưu" in html


def test_login_logout_and_wrong_password_message(client, users):
    bad = client.post(reverse("login"), {"username": "dm_officer", "password": "sai"})
    assert bad.status_code == 200
    assert "mật khẩu chính xác" in bad.content.decode()  # Django's own Vietnamese message
    good = client.post(reverse("login"), {"username": "dm_officer", "password": "Mat-khau-thu-2025"})
    assert good.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    portal = client.get(reverse("home"))  # signed out, "/" is the public portal (tests/ux/test_portal.py)
    assert portal.status_code == 200 and 'id="portal"' in portal.content.decode()


def test_navigation_shows_each_role_what_it_may_use(client_for, users):
    officer_page = client_for(users["dm_officer"]).get(reverse("units:list")).content.decode()
    assert reverse("units:import") not in officer_page and reverse("admin:index") not in officer_page
    admin_page = client_for(users["admin"]).get(reverse("units:list")).content.decode()
    assert reverse("units:import") in admin_page


def test_dates_are_shown_as_dd_mm_yyyy(client_for, users, tree):
    Unit.objects.filter(code="GN").update(valid_to=datetime.date(2025, 6, 30))
    page = client_for(users["admin"]).get(reverse("units:detail", args=["GN"])).content.decode()
    assert "30/06/2025" in page


def test_health_check_answers_anonymously_with_one_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok" and response["Content-Type"].startswith("text/plain")
    assert client.post(reverse("health")).status_code == 405
