"""The anonymous side (issue 15, point 8): "/" is a public portal of what the apps publish, the login page names the
issuing body and links there and to "Quên mật khẩu", error pages are Vietnamese in the site frame, and a year
without published PAR results is a plain page."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views import defaults

from awards.models import Posting
from campaigns.models import ExemplaryModel
from par.models import CriteriaSet

pytestmark = pytest.mark.django_db


def _text(response):
    return response.content.decode()


def test_anonymous_home_is_the_portal_with_what_is_published(client, tree, campaign, users):
    published = ExemplaryModel.objects.create(campaign=campaign, kind="practice", title="Một cửa liên thông ở Đắk Mil",
                                              story="…", year=2024, published_at=timezone.now())
    ExemplaryModel.objects.create(campaign=campaign, kind="practice", title="Bản nháp chưa công bố", story="…",
                                  year=2024)
    CriteriaSet.objects.create(year=2023, group="district", title="Bộ chỉ số 2023", published_at=timezone.now())
    CriteriaSet.objects.create(year=2024, group="district", title="Bộ chỉ số 2024")
    Posting.objects.create(title="Công khai đợt sơ kết", closes_on=timezone.localdate() + datetime.timedelta(days=5))
    Posting.objects.create(title="Đợt đã hết hạn", closes_on=timezone.localdate() - datetime.timedelta(days=1))

    response = client.get("/")
    page = _text(response)
    assert response.status_code == 200 and 'id="portal"' in page
    assert "Ủy ban nhân dân tỉnh Đắk Nông" in page and "Sở Nội vụ" in page
    assert reverse("campaigns:public_model", args=[published.pk]) in page and "Bản nháp chưa công bố" not in page
    assert reverse("par:public_ranking", args=[2023]) in page and reverse("par:public_ranking", args=[2024]) not in page
    assert "Công khai đợt sơ kết" in page and "Đợt đã hết hạn" not in page
    assert reverse("login") in page
    for section in ("portal-models", "portal-par", "portal-postings"):
        assert f'id="{section}"' in page


def test_a_signed_in_user_keeps_the_home(client_for, users):
    page = _text(client_for(users["dm_officer"]).get("/"))
    assert 'id="portal"' not in page and "Xin chào" in page


def test_login_page_names_the_issuing_body_and_links_the_public_pages(client, tree):
    page = _text(client.get(reverse("login")))
    assert "Ủy ban nhân dân tỉnh Đắk Nông" in page and "Sở Nội vụ" in page
    assert f'href="{reverse("password_reset")}"' in page and "Quên mật khẩu" in page
    links = re.search(r'id="public-links".*?</nav>', page, re.S).group(0)
    for name in ("home", "campaigns:public_models", "awards:posting_list"):
        assert f'href="{reverse(name)}"' in links


def test_forgotten_password_sends_the_one_time_link_in_vietnamese(client, users):
    users["dm_officer"].email = "lan@example.vn"
    users["dm_officer"].save()
    done = client.post(reverse("password_reset"), {"email": "lan@example.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in _text(done)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Đặt lại mật khẩu tài khoản hệ thống thi đua cải cách hành chính"
    assert "Tên đăng nhập: dm_officer" in message.body
    link = re.search(r"http://testserver(/dat-mat-khau/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Chọn mật khẩu cho tài khoản dm_officer" in _text(form)
    # An unknown address: the same answer, no mail (nobody learns which addresses have accounts).
    again = client.post(reverse("password_reset"), {"email": "khong-co@example.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in _text(again) and len(mail.outbox) == 1


def test_error_pages_are_vietnamese_in_the_site_frame(client, users, settings):
    settings.DEBUG = False
    missing = client.get("/khong-co-trang-nay/")
    page = _text(missing)
    assert missing.status_code == 404 and "Không tìm thấy trang" in page
    assert 'class="navbar' in page and "URLconf" not in page and "Page not found" not in page

    bad = client.get("/", HTTP_HOST="ke-la.invalid")
    assert bad.status_code == 400 and "Yêu cầu không hợp lệ" in _text(bad) and "DisallowedHost" not in _text(bad)

    strict = Client(enforce_csrf_checks=True)
    expired = strict.post(reverse("login"), {"username": "x", "password": "y"})
    assert expired.status_code == 403 and "Phiên làm việc đã hết hạn" in _text(expired)
    assert "CSRF verification failed" not in _text(expired) and "Forbidden" not in _text(expired)

    crashed = defaults.server_error(RequestFactory().get("/"))
    page = crashed.content.decode()
    assert crashed.status_code == 500 and "Hệ thống gặp lỗi" in page and 'class="navbar' in page
    assert "Traceback" not in page


def test_403_is_vietnamese_in_the_site_frame(client_for, users):
    forbidden = client_for(users["dm_officer"]).get(reverse("units:create"))
    page = _text(forbidden)
    assert forbidden.status_code == 403 and "Bạn không có quyền thực hiện thao tác này" in page
    assert 'class="navbar' in page and 'id="error-links"' in page


def test_a_year_without_published_results_is_a_plain_page(client, tree):
    CriteriaSet.objects.create(year=2023, group="district", title="Bộ chỉ số 2023", published_at=timezone.now())
    response = client.get(reverse("par:public_ranking", args=[2019]))
    page = _text(response)
    assert response.status_code == 404
    assert "Kết quả Chỉ số cải cách hành chính năm 2019 chưa được công bố." in page
    assert f'href="{reverse("par:public_ranking", args=[2023])}"' in page
    assert "Trang hoặc dữ liệu bạn tìm không tồn tại" not in page  # not the generic not-found page
