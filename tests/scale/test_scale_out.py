"""The same code on several machines (issue 18): two gunicorn instances on two ports of 127.0.0.1, one PostgreSQL
database, moto's S3 server as the private file store (django-storages, configured only through
PRIVATE_STORAGE_BACKEND / PRIVATE_STORAGE_OPTIONS) and two `db_worker` processes, each "machine" with its own
VAR_DIR (its part cache, its logs). Evidence uploaded through one instance downloads through the other; reports
asked from both are each rendered exactly once by one of the workers; every PDF holds its own report's text.

Run by `make test-scale` (and by `pytest tests/scale` when DATABASE_URL is PostgreSQL). About a minute.
"""

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
HOST = "127.0.0.1"
BUCKET = "thidua-private"
CSRF = "s" * 32  # an unmasked CSRF secret: sent as the cookie and as the X-CSRFToken header

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL=postgres://…): several app servers and workers share one database "
           "server, which an SQLite file on one machine is not")

PDF = (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(url, process, seconds=90):
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} stopped with {process.returncode}")
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    pytest.importorskip("moto")
    pytest.importorskip("storages")
    import boto3
    import psycopg

    work = tmp_path_factory.mktemp("scale-out")
    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = f"scale_out_{secrets.token_hex(4)}"
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    processes = []

    def start(command, env, log):
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=open(work / log, "w"),  # noqa: SIM115
                                   stderr=subprocess.STDOUT)
        processes.append(process)
        return process

    try:
        s3_port = free_port()
        s3 = start([sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(s3_port)], dict(os.environ), "s3.log")
        endpoint = f"http://{HOST}:{s3_port}"
        wait_for(endpoint, s3)
        credentials = {"aws_access_key_id": "scale-out-test", "aws_secret_access_key": "scale-out-test",
                       "region_name": "us-east-1"}
        bucket = boto3.client("s3", endpoint_url=endpoint, **credentials)
        bucket.create_bucket(Bucket=BUCKET)

        shared = {
            **os.environ,
            "DATABASE_URL": urllib.parse.urlunsplit(parts._replace(path=f"/{name}")),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),  # one key for every server: sessions and signed links hold
            "DEBUG": "0", "LOCAL_HTTP": "1", "ALLOWED_HOSTS": HOST, "LOG_LEVEL": "WARNING",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "PRIVATE_STORAGE_BACKEND": "storages.backends.s3.S3Storage",
            "PRIVATE_STORAGE_OPTIONS": json.dumps({
                "bucket_name": BUCKET, "endpoint_url": endpoint, "access_key": credentials["aws_access_key_id"],
                "secret_key": credentials["aws_secret_access_key"], "region_name": "us-east-1",
                "default_acl": "private", "querystring_auth": True, "file_overwrite": False}),
            "PYTHONPATH": str(ROOT),
        }
        shared.pop("PRIVATE_MEDIA_ROOT", None)

        def machine(label):
            var = work / label
            var.mkdir()
            return {**shared, "VAR_DIR": str(var), "REPORT_PART_CACHE_DIR": str(var / "cache" / "report-parts")}

        machines = {"a": machine("a"), "b": machine("b")}
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=machines["a"], cwd=ROOT, check=True)
        subprocess.run([*manage, "load_demo"], env=machines["a"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        prepared = subprocess.run([*manage, "shell", "-c", "from tests.scale.prepare import main; main()"],
                                  env=machines["a"], cwd=ROOT, check=True, capture_output=True, text=True)
        data = json.loads(prepared.stdout.strip().splitlines()[-1])

        urls = {}
        for label, env in machines.items():
            port = free_port()
            server = start(["timeout", "--signal=TERM", "600", sys.executable, "-m", "gunicorn",
                            "config.wsgi:application", "--bind", f"{HOST}:{port}", "--workers", "2",
                            "--worker-class", "gthread", "--threads", "2", "--log-level", "warning"], env,
                           f"gunicorn-{label}.log")
            urls[label] = f"http://{HOST}:{port}"
            start(["timeout", "--signal=TERM", "600", *manage, "db_worker", "--queue-name", "*",
                   "--worker-id", f"worker-{label}"], env, f"worker-{label}.log")
            wait_for(f"{urls[label]}/healthz/", server)
        yield {"urls": urls, "data": data, "bucket": bucket, "machines": machines, "work": work,
               "database": shared["DATABASE_URL"]}
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


def client(session):
    import requests

    browser = requests.Session()
    browser.cookies.set("sessionid", session)
    browser.cookies.set("csrftoken", CSRF)
    browser.headers["X-CSRFToken"] = CSRF
    return browser


def sql(deployment, query, *args):
    import psycopg

    with psycopg.connect(deployment["database"]) as connection:
        return connection.execute(query, args).fetchall()


def test_evidence_uploaded_through_one_server_downloads_through_the_other(deployment):
    urls, data = deployment["urls"], deployment["data"]
    officer = client(data["officer"])
    content = PDF + f"% {secrets.token_hex(16)}\n".encode()
    pk = data["achievement"]
    response = officer.post(f"{urls['a']}/thanh-tich/{pk}/minh-chung/bo-sung/", allow_redirects=False,
                            files=[("files", ("Minh chứng nhiều máy chủ.pdf", content, "application/pdf"))])
    assert response.status_code == 302, response.text[:500]
    [(file_pk, name, sha256)] = sql(deployment, "SELECT id, file, sha256 FROM campaigns_evidencefile "
                                                "WHERE achievement_id = %s ORDER BY id DESC LIMIT 1", pk)
    assert sha256 == hashlib.sha256(content).hexdigest()
    # The file is in the shared object store, not on the disk of the server that took it.
    stored = deployment["bucket"].get_object(Bucket=BUCKET, Key=name)["Body"].read()
    assert stored == content
    assert not any(p.is_file() and p.name == Path(name).name for p in deployment["work"].rglob("*"))
    download = officer.get(f"{urls['b']}/thanh-tich/{pk}/minh-chung/{file_pk}/tai-ve/")
    assert download.status_code == 200 and download.content == content
    assert "attachment" in download.headers["Content-Disposition"]


def test_reports_asked_from_both_servers_each_run_once(deployment):
    urls, data = deployment["urls"], deployment["data"]
    admin = client(data["admin"])
    (first, first_marker), (second, second_marker) = data["drafts"]
    markers = {first: first_marker, second: second_marker}
    asked = [("a", first, "pdf"), ("b", second, "pdf"), ("b", first, "xlsx"), ("a", second, "xlsx")]
    for label, draft, kind in asked:
        response = admin.post(f"{urls[label]}/bao-cao/du-thao/{draft}/tao-bao-cao/", allow_redirects=False,
                              data={"format": kind, "watermark": "on"})
        assert response.status_code == 302, response.text[:500]
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        rows = sql(deployment, "SELECT id, draft_id, format, status, attempts, task_id, sha256, file "
                               "FROM reports_generatedreport ORDER BY id")
        if len(rows) >= len(asked) and all(row[3] in ("done", "failed") for row in rows):
            break
        time.sleep(1)
    assert [(row[1], row[2], row[3], row[4]) for row in rows] == [(d, k, "done", 1) for _l, d, k in asked]
    tasks = sql(deployment, "SELECT id::text, status, worker_ids FROM django_tasks_database_dbtaskresult "
                            "WHERE task_path LIKE %s", "%generate_report")
    by_id = {task_id: (status, workers) for task_id, status, workers in tasks}
    ran_by = []
    for row in rows:
        status, workers = by_id[row[5]]
        assert status == "SUCCESSFUL" and len(workers) == 1  # claimed by one worker, run once
        ran_by += workers
    assert set(ran_by) <= {"worker-a", "worker-b"}
    # Each PDF, downloaded through the server that did not ask for it, is its own report: it holds its draft's own
    # sentence and not the other draft's (the part caches of the two machines never give one report another's part).
    for row, (label, draft, kind) in zip(rows, asked, strict=True):
        other = "b" if label == "a" else "a"
        download = admin.get(f"{urls[other]}/bao-cao/phien-ban/{row[0]}/tai-ve/")
        assert download.status_code == 200 and hashlib.sha256(download.content).hexdigest() == row[6]
        if kind == "pdf":
            text = _words(subprocess.run(["pdftotext", "-", "-"], input=download.content, capture_output=True,
                                         check=True).stdout.decode())
            assert markers[draft] in text
            assert markers[second if draft == first else first] not in text


def _words(text):
    return " ".join((text or "").split())


def test_backup_reads_the_private_files_from_the_object_store(deployment):
    """`make backup` on one machine takes every private file from S3 (through the storage API), with the database."""
    import tarfile

    out = deployment["work"] / "backups"
    subprocess.run(["bash", "scripts/backup.sh"], env={**deployment["machines"]["a"], "BACKUP_DIR": str(out)},
                   cwd=ROOT, check=True, capture_output=True)
    [archive] = list(out.glob("thidua-*.tar.gz"))
    with tarfile.open(archive) as backup:
        names = set(backup.getnames())
        manifest = json.load(backup.extractfile("manifest.json"))
    stored = [key["Key"] for key in deployment["bucket"].list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert stored and {f"media/{key}" for key in stored} <= names
    assert set(manifest["files"]) == set(stored)
