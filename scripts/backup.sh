#!/usr/bin/env bash
# `make backup`: one archive var/backups/thidua-YYYYMMDD-HHMMSS.tar.gz holding
#   db.xml         the whole database as `dumpdata --format xml --natural-foreign --natural-primary` (the same for
#                  SQLite and PostgreSQL; restorable into either), read in one snapshot. XML, not JSON: Django's JSON
#                  encoder cuts datetimes to milliseconds, the XML serializer keeps every microsecond;
#   media/…        every file of the private storage (evidence, documents, reports, pending imports), read through
#                  the storage API, so a local folder and an S3-compatible store are backed up alike;
#   manifest.json  row counts per model and the SHA-256 of every file, checked by scripts/restore.sh.
# The database is chosen as the application chooses it (DATABASE_URL, else var/db.sqlite3); the media as well
# (PRIVATE_MEDIA_ROOT / PRIVATE_STORAGE_*). BACKUP_DIR overrides the output folder.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3
# Without SECRET_KEY (a developer's machine) the settings need DEBUG=1 to load; nothing is served here.
if [ -z "${SECRET_KEY:-}" ]; then export DEBUG="${DEBUG:-1}"; fi

exec "$PY" - "${BACKUP_DIR:-var/backups}" <<'PYTHON'
import datetime
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from core.files import private_storage  # noqa: E402
from units.management.commands.cleanup_orphans import walk  # noqa: E402

EXCLUDE = ["contenttypes", "auth.permission", "sessions"]
SKIPPED_APPS = {"contenttypes", "sessions"}


def counted_models():
    return [m for m in apps.get_models()
            if m._meta.app_label not in SKIPPED_APPS and m._meta.label != "auth.Permission" and not m._meta.proxy]


out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
target = os.path.join(out_dir, f"thidua-{stamp}.tar.gz")
suffix = 1
while os.path.exists(target):
    suffix += 1
    target = os.path.join(out_dir, f"thidua-{stamp}-{suffix}.tar.gz")

with tempfile.TemporaryDirectory() as work:
    dump = os.path.join(work, "db.xml")
    with transaction.atomic():
        if connection.vendor == "postgresql":  # one consistent snapshot for the dump and the counts
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command("dumpdata", format="xml", natural_foreign=True, natural_primary=True, exclude=EXCLUDE,
                     output=dump, verbosity=0)
        counts = {m._meta.label: m._base_manager.count() for m in counted_models()}

    storage = private_storage()
    files = {}
    tmp_name = target + ".partial"
    with tarfile.open(tmp_name, "w:gz") as archive:
        archive.add(dump, arcname="db.xml")
        for name in sorted(walk(storage)):
            try:
                with storage.open(name, "rb") as handle:
                    data = handle.read()
            except FileNotFoundError:  # removed while we were reading: not part of this backup
                continue
            info = tarfile.TarInfo(f"media/{name}")
            info.size = len(data)
            info.mtime = int(storage.get_modified_time(name).timestamp())
            archive.addfile(info, io.BytesIO(data))
            files[name] = hashlib.sha256(data).hexdigest()
        manifest = json.dumps({
            "created_at": datetime.datetime.now().astimezone().isoformat(),
            "database": connection.vendor,
            "counts": counts,
            "files": files,
        }, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        archive.addfile(info, io.BytesIO(manifest))
    os.replace(tmp_name, target)

rows = sum(counts.values())
size = os.path.getsize(target)
print(f"Đã sao lưu: {rows} bản ghi ({connection.vendor}) và {len(files)} tệp vào {target} "
      f"({size / 1048576:.1f} MB).")
print(f"Khôi phục: make restore FILE={target}")
PYTHON
