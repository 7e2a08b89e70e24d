"""Security settings: login throttling, Argon2, session expiry, a CSP without inline scripts, HTTPS in production."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_csp_header_allows_no_inline_or_foreign_script(client_for, users):
    response = client_for(users["admin"]).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.split() == ["'self'"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_has_inline_script_or_event_handler():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                offenders.append(f"{template.relative_to(ROOT)}: inline <script>")
        for match in re.finditer(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.relative_to(ROOT)}: inline handler {match.group(0).strip()}")
    assert offenders == []


def test_login_is_throttled_after_repeated_failures(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("login"), {"username": "dm_officer", "password": "sai"}).status_code == 200
    assert client.post(reverse("login"), {"username": "dm_officer", "password": "sai"}).status_code == 429
    locked = client.post(reverse("login"), {"username": "dm_officer", "password": "Mat-khau-thu-2025"})
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked by someone else's mistakes.
    assert client.post(reverse("login"), {"username": "gn_officer", "password": "Mat-khau-thu-2025"}).status_code == 302


def test_sessions_end_with_the_browser_and_after_a_working_day(client, users):
    response = client.post(reverse("login"), {"username": "dm_officer", "password": "Mat-khau-thu-2025"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["expires"] == ""  # a browser-session cookie
    assert response.cookies["sessionid"]["httponly"]
    assert client.session.get_expiry_age() <= 12 * 3600


def test_passwords_are_hashed_with_argon2_by_the_real_settings():
    script = "from django.contrib.auth.hashers import make_password; print(make_password('mat-khau'))"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={"DEBUG": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("argon2$")
