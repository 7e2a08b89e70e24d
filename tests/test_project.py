"""Project-wide guarantees: migrations match the models, production settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _manage(*args, **env):
    inherited = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in inherited}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     DEBUG="0", SECRET_KEY="x" * 20 + "production-secret-key-that-is-long-and-random-9f8e7d",
                     ALLOWED_HOSTS="thidua.example.gov.vn")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_make_run_mode_keeps_debug_off_with_a_key_made_once_for_the_machine(tmp_path):
    """`make run` sets LOCAL_HTTP=1: DEBUG stays off (Vietnamese error pages, no technical 404), plain HTTP on
    loopback works, and the key is generated once into VAR_DIR and reused, never the insecure development key."""
    show = ("from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
            "','.join(s.ALLOWED_HOSTS), s.SECRET_KEY)")
    first = _manage("shell", "-c", show, LOCAL_HTTP="1", SECRET_KEY="", VAR_DIR=str(tmp_path))
    second = _manage("shell", "-c", show, LOCAL_HTTP="1", SECRET_KEY="", VAR_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    debug, redirect, secure_cookie, hosts, key = first.stdout.strip().splitlines()[-1].split(" ", 4)
    assert (debug, redirect, secure_cookie) == ("False", "False", "False")
    assert hosts == "127.0.0.1,localhost"
    assert key.strip() == (tmp_path / "secret_key").read_text().strip() and len(key.strip()) >= 50
    assert "insecure" not in key and second.stdout == first.stdout
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
