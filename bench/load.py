#!/usr/bin/env python
"""Load test (issue 7): 50 clients for 60 s against gunicorn on 127.0.0.1; zero 5xx and nothing lost.

    .venv/bin/python bench/load.py                      # uses var/bench/scale-1.sqlite3 from `make bench`
    .venv/bin/python bench/load.py --scale 0.1          # generates var/bench/load-0.1.sqlite3 first if missing
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/bench   # a generated PG db

Most clients read the key pages as the Sở Nội vụ admin; `--writers` clients are unit officers who create people
through the real "Thêm cá nhân" form (GET the form, POST it with its CSRF token, expect a redirect). Afterwards
every person whose creation was answered with a redirect must be in the database, and nothing may have been
written for a request that failed. Exit status 0 only when there was no 5xx, no connection error and nothing lost.

The server is started here on a free loopback port, bounded in time (`timeout`), and stopped at the end.
It never targets anything but 127.0.0.1. Not part of `make test`.
"""

import argparse
import http.client
import json
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import HOST, ROOT, WORK, child_env, start_gunicorn, stop_gunicorn  # noqa: E402

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _env(options, db_path):
    env = child_env(db_path)
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
    return env


def run_setup(options, db_path, *args):
    out = WORK / f"load-{args[0]}.json"
    out.unlink(missing_ok=True)
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", *args, "--out", str(out)],
                   env=_env(options, db_path), cwd=ROOT, check=True)
    return json.loads(out.read_text())


def child(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tag", default="")
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--scale", type=float, default=0.1)
    options = parser.parse_args(argv)
    import django

    django.setup()
    if options.child == "generate":
        from bench.generate import generate

        data = generate(scale=options.scale, seed=584, stdout=sys.stdout)
    elif options.child == "prepare":
        data = _prepare(options.writers)
    else:
        data = _verify(options.tag)
    Path(options.out).write_text(json.dumps(data, ensure_ascii=False))


def _session_cookie(user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _prepare(writers):
    from bench.run import _key_pages
    from units.models import Role, Unit, User

    admin = User.objects.get(username="g.quantri")
    officers = list(User.objects.filter(role=Role.OFFICER, username__startswith="g.cb.").order_by("username"))
    writer_sessions = []
    for number in range(writers):
        officer = officers[number % len(officers)]
        units = list(Unit.objects.filter(path__startswith=officer.unit.path).order_by("path")
                     .values_list("pk", flat=True)[:20])
        writer_sessions.append({"cookie": _session_cookie(officer), "units": units})
    return {"reader_cookie": _session_cookie(admin), "writers": writer_sessions,
            "pages": [url for _key, _label, url, _b, _bu in _key_pages()]}


def _verify(tag):
    from units.models import Person

    return {"codes": list(Person.objects.filter(staff_code__startswith=tag).values_list("staff_code", flat=True))}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.latencies = []
        self.created = set()  # staff codes answered with a redirect
        self.failed = set()  # staff codes whose POST did not succeed

    def add(self, status, seconds):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)


def _request(conn, method, path, cookie, body=None):
    headers = {"Cookie": cookie}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    return response, content


def reader(port, cookie, pages, deadline, stats, number):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    position = number
    while time.monotonic() < deadline:
        path = pages[position % len(pages)]
        position += 1
        started = time.perf_counter()
        try:
            response, _ = _request(conn, "GET", path, cookie)
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
        stats.add(status, time.perf_counter() - started)
    conn.close()


def writer(port, session, tag, deadline, stats, number):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    sequence = 0
    while time.monotonic() < deadline:
        sequence += 1
        code = f"{tag}-{number:02d}-{sequence:05d}"
        started = time.perf_counter()
        try:
            response, content = _request(conn, "GET", "/ca-nhan/them-moi/", session["cookie"])
            stats.add(response.status, time.perf_counter() - started)
            match = CSRF_RE.search(content.decode("utf-8", "replace"))
            cookies = [h.split(";", 1)[0] for k, h in response.getheaders() if k.lower() == "set-cookie"]
            csrf_cookie = next((c for c in cookies if c.startswith("csrftoken=")), None)
            if csrf_cookie:
                session["csrf"] = csrf_cookie
            if response.status != 200 or not match:
                continue
            cookie = session["cookie"] + (f"; {session['csrf']}" if session.get("csrf") else "")
            body = urllib.parse.urlencode({
                "csrfmiddlewaretoken": match.group(1), "full_name": f"Người thử tải {number} {sequence}",
                "gender": "female" if sequence % 2 else "male", "position": "Chuyên viên",
                "unit": session["units"][sequence % len(session["units"])], "staff_code": code,
            })
            started = time.perf_counter()
            response, _ = _request(conn, "POST", "/ca-nhan/them-moi/", cookie, body)
            stats.add(response.status, time.perf_counter() - started)
            with stats.lock:
                (stats.created if response.status == 302 else stats.failed).add(code)
        except (OSError, http.client.HTTPException) as error:
            stats.add(type(error).__name__, time.perf_counter() - started)
            with stats.lock:
                stats.failed.add(code)
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--writers", type=int, default=10, help="how many of the clients create people")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--scale", type=float, default=None,
                        help="use var/bench/load-<scale>.sqlite3, generating it first if missing")
    parser.add_argument("--database-url", default="", help="an already generated database instead of SQLite")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "static").mkdir(exist_ok=True)
    if options.scale is not None:
        db_path = WORK / f"load-{options.scale:g}.sqlite3"
        if not db_path.exists() and not options.database_url:
            subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                           env=_env(options, db_path), cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
            run_setup(options, db_path, "generate", "--scale", str(options.scale))
    else:
        db_path = WORK / "scale-1.sqlite3"
        if not db_path.exists() and not options.database_url:
            sys.exit("Chưa có var/bench/scale-1.sqlite3: chạy `make bench` trước, hoặc dùng --scale 0.1.")
    writers = min(options.writers, options.clients)
    setup = run_setup(options, db_path, "prepare", "--writers", str(writers))
    tag = f"LOAD{int(time.time())}"
    process, port = _start(options, db_path)
    stats = Stats()
    try:
        deadline = time.monotonic() + options.seconds
        threads = [threading.Thread(target=writer, args=(port, setup["writers"][i], tag, deadline, stats, i),
                                    daemon=True) for i in range(writers)]
        threads += [threading.Thread(target=reader, args=(port, setup["reader_cookie"], setup["pages"], deadline,
                                                          stats, i), daemon=True)
                    for i in range(options.clients - writers)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=options.seconds + 120)
        elapsed = time.monotonic() - started
    finally:
        stop_gunicorn(process)
    stored = set(run_setup(options, db_path, "verify", "--tag", tag)["codes"])
    lost = sorted(stats.created - stored)
    unexpected = sorted(stored - stats.created)
    total = sum(stats.statuses.values())
    server_errors = sum(c for s, c in stats.statuses.items() if isinstance(s, int) and s >= 500)
    connection_errors = sum(c for s, c in stats.statuses.items() if not isinstance(s, int))
    summary = {
        "clients": options.clients, "writers": writers, "seconds": round(elapsed, 1), "requests": total,
        "per_second": round(total / elapsed, 1), "statuses": {str(k): v for k, v in stats.statuses.items()},
        "median_ms": round(statistics.median(stats.latencies) * 1000, 1) if stats.latencies else None,
        "server_errors": server_errors, "connection_errors": connection_errors,
        "people_created": len(stats.created), "people_stored": len(stored), "lost": lost[:20],
        "written_without_success": unexpected[:20], "failed_writes": len(stats.failed),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    ok = server_errors == 0 and connection_errors == 0 and not lost and not unexpected
    print("KẾT QUẢ: ĐẠT" if ok else "KẾT QUẢ: KHÔNG ĐẠT")
    return 0 if ok else 1


def _start(options, db_path):
    if not options.database_url:
        return start_gunicorn(db_path, workers=options.workers, max_seconds=int(options.seconds + 180))
    import bench.run as run

    original = run.child_env
    run.child_env = lambda path: _env(options, path)
    try:
        return start_gunicorn(db_path, workers=options.workers, max_seconds=int(options.seconds + 180))
    finally:
        run.child_env = original


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(sys.argv[1:])
    else:
        sys.exit(main())
