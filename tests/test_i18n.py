"""Vietnamese first, English through the language switch with every string translated."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "venv", "node_modules", "var", "staticfiles", ".git", "static", "results"}


def test_every_string_has_an_english_translation(tmp_path):
    """Extract the strings from a copy of the sources: none may be missing or fuzzy in the English catalogue."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=lambda folder, names: [n for n in names if n in SKIP_DIRS])
    env = {**os.environ, "DEBUG": "1"}
    # bench/ is developer tooling with no interface strings.
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "-v", "0", "--ignore", "bench/*"],
                   cwd=copy, env=env,
                   check=True, timeout=300)
    catalogue = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    missing = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", str(catalogue)],
                             capture_output=True, text=True, check=True).stdout
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-obsolete", str(catalogue)],
                           capture_output=True, text=True, check=True).stdout
    untranslated = [line for line in missing.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert untranslated == [], f"{len(untranslated)} strings without English: {untranslated[:10]}"
    assert "msgid" not in fuzzy.replace('msgid ""', ""), fuzzy[:2000]


@pytest.mark.django_db
def test_language_switch_shows_english(client_for, users):
    client = client_for(users["dm_officer"])
    assert "Xin chào" in client.get(reverse("home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "Hello" in page and "Xin chào" not in page
    assert "Unit tree" in client.get(reverse("units:list")).content.decode()


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_vietnamese_until_the_switch_is_used(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page and "Đăng nhập" in page
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'lang="en"' in page
