"""The login throttle cannot be turned against a person (core/lockout.py over django-axes).

A user name's failures, from anywhere, make every further attempt wait a delay that grows and always runs out; from
an address where the person signed in before only that address's failures count; one address guessing many
accounts is throttled on its own. The client address is read behind the configured number of proxies only.
Time passes by moving the recorded failures back, never by sleeping.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from tests.conftest import PASSWORD
from units.models import Role, User

pytestmark = pytest.mark.django_db

GUESSER, HOME, OFFICE = "10.9.9.9", "10.1.1.1", "10.2.2.2"


def _login(client, username, password, address, **headers):
    client.logout()
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address,
                       **headers)


def _signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("home")


def _time_passes(seconds):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


def test_wrong_guesses_elsewhere_delay_the_account_but_never_lock_it(client, users, settings):
    assert (settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_DELAY_SECONDS) == (5, 60)
    assert _signed_in(_login(client, "dm_officer", PASSWORD, OFFICE))  # the officer's own office, known from now
    for _ in range(5):
        _login(client, "dm_officer", "doan-mo", GUESSER)

    # From an address the person never used: the user name alone is throttled, the right password waits too.
    waiting = _login(client, "dm_officer", PASSWORD, HOME)
    assert waiting.status_code == 429
    page = waiting.content.decode()
    assert '<html lang="vi"' in page and "Tạm khóa đăng nhập" in page and "Hãy thử lại sau 1 phút." in page
    assert "_auth_user_id" not in client.session
    # The guesser's own next try is refused too, without counting: the wait does not restart or grow.
    assert _login(client, "dm_officer", "doan-mo", GUESSER).status_code == 429
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 5

    # From the office where the person signs in, the guesses elsewhere do not count.
    assert _signed_in(_login(client, "dm_officer", PASSWORD, OFFICE))
    assert not AccessAttempt.objects.exists()  # a success clears the user name's failures


def test_the_delay_grows_with_each_failure_and_runs_out(client, users):
    for _ in range(5):
        _login(client, "dm_officer", "doan-mo", GUESSER)
    assert _login(client, "dm_officer", PASSWORD, HOME).status_code == 429
    _time_passes(61)
    assert _login(client, "dm_officer", "doan-mo", GUESSER).status_code == 429  # the 6th failure: now 2 minutes
    _time_passes(61)
    assert "Hãy thử lại sau 1 phút." in _login(client, "dm_officer", PASSWORD, HOME).content.decode()
    _time_passes(60)
    assert _signed_in(_login(client, "dm_officer", PASSWORD, HOME))


def test_an_address_guessing_many_accounts_is_throttled_on_its_own(client, users, settings):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    for number in range(20):
        _login(client, f"khong-co-{number}", "doan-mo", GUESSER)
    refused = _login(client, "gn_officer", PASSWORD, GUESSER)
    assert refused.status_code == 429
    assert "Từ địa chỉ mạng này đã có quá nhiều lần đăng nhập sai" in refused.content.decode()
    assert _signed_in(_login(client, "gn_officer", PASSWORD, HOME))  # the account itself is not held
    _time_passes(61)
    assert _signed_in(_login(client, "dm_officer", PASSWORD, GUESSER))


PROXIED = [  # TRUSTED_PROXY_COUNT, X-Forwarded-For as it reaches the application, the address recorded
    (0, "198.51.100.7", "127.0.0.1"),  # no proxy configured: the header is the client's own words, ignored
    (1, "198.51.100.7", "198.51.100.7"),  # nginx in front: the address it appended
    (1, "203.0.113.1, 198.51.100.7", "198.51.100.7"),  # what the client wrote itself is ignored
    (2, "198.51.100.7, 10.0.0.5", "198.51.100.7"),  # a load balancer, then nginx
]


def test_the_client_address_is_read_behind_the_configured_proxies(client, users, settings):
    recorded = []
    for proxies, forwarded, _expected in PROXIED:
        settings.TRUSTED_PROXY_COUNT = proxies
        _login(client, "dm_officer", "doan-mo", "127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        recorded.append(AccessAttempt.objects.get().ip_address)
        AccessAttempt.objects.all().delete()
    assert recorded == [expected for _p, _f, expected in PROXIED]


def test_behind_the_shared_proxy_a_colleague_guessing_does_not_hold_the_office(client, users, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_user(username="dm_officer2", password=PASSWORD, role=Role.OFFICER,
                             unit=users["dm_officer"].unit)
    for number in range(20):
        _login(client, f"khong-co-{number}", "doan-mo", "127.0.0.1", HTTP_X_FORWARDED_FOR=GUESSER)
    assert _login(client, "dm_officer2", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR=GUESSER).status_code == 429
    assert _signed_in(_login(client, "dm_officer2", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE))
