"""`manage.py cleanup_orphans`: orphan files are removed (old ones only), rows with a missing file are reported and
kept unless asked, pending imports older than a day go, and --dry-run touches nothing."""

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from campaigns.models import EvidenceFile
from core.files import private_storage
from units.management.commands.cleanup_orphans import file_models

pytestmark = pytest.mark.django_db

HOUR = 3600


def _store(name, age_seconds):
    storage = private_storage()
    name = storage.save(name, ContentFile(b"%PDF-1.4 orphan"))
    stamp = time.time() - age_seconds
    os.utime(storage.path(name), (stamp, stamp))
    return name


def _cleanup(*args):
    out = io.StringIO()
    call_command("cleanup_orphans", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def mess(achievement):
    """One evidence row whose file vanished, one good evidence file, and orphans of several ages."""
    storage = private_storage()
    kept, lost = achievement.files.all()[0], EvidenceFile.objects.create(
        achievement=achievement, file="minh-chung/2024/01/mat-tep.pdf", original_name="Mất tệp.pdf", size=3)
    return {
        "kept": kept, "lost": lost, "storage": storage,
        "old_orphan": _store("minh-chung/2024/01/orphan.pdf", 2 * HOUR),
        "new_orphan": _store("awards/2024/01/dang-tai-len.pdf", 60),
        "old_import": _store("imports/cu.xlsx", 2 * 24 * HOUR),
        "new_import": _store("imports/moi.xlsx", 2 * HOUR),
    }


def test_every_file_model_is_covered():
    labels = {model._meta.label for model in file_models()}
    assert {"campaigns.EvidenceFile", "campaigns.ThemeDocument", "campaigns.InitiativeFile",
            "campaigns.ExemplaryModel", "par.ParEvidenceFile", "awards.DossierDocument",
            "reports.GeneratedReport"} <= labels


def test_dry_run_reports_and_touches_nothing(mess):
    storage = mess["storage"]
    out = _cleanup("--dry-run")
    assert "chạy thử" in out
    assert mess["old_orphan"] in out and mess["old_import"] in out
    assert mess["new_orphan"] not in out and mess["new_import"] not in out
    assert f"campaigns.EvidenceFile #{mess['lost'].pk}" in out
    for name in ("old_orphan", "new_orphan", "old_import", "new_import"):
        assert storage.exists(mess[name])
    assert EvidenceFile.objects.filter(pk=mess["lost"].pk).exists()


def test_removes_old_orphans_keeps_recent_ones_and_rows(mess):
    storage = mess["storage"]
    out = _cleanup()
    assert "Tệp mồ côi (không bản ghi nào trỏ tới, cũ hơn 60 phút): 1 — đã xoá." in out
    assert "Tệp nhập Excel đang chờ cũ hơn 1 ngày: 1 — đã xoá." in out
    assert "Bản ghi mất tệp: 1 — giữ bản ghi" in out
    assert not storage.exists(mess["old_orphan"]) and not storage.exists(mess["old_import"])
    assert storage.exists(mess["new_orphan"]) and storage.exists(mess["new_import"])  # may still be uploading
    assert storage.exists(mess["kept"].file.name)  # referenced files are never touched
    assert EvidenceFile.objects.filter(pk=mess["lost"].pk).exists()  # data loss is reported, not hidden

    out = _cleanup("--older-than-minutes", "0")
    assert not storage.exists(mess["new_orphan"])
    assert storage.exists(mess["kept"].file.name)


def test_rows_without_files_go_only_when_asked(mess):
    out = _cleanup("--delete-rows-without-files")
    assert "Bản ghi mất tệp: 1 — đã xoá bản ghi." in out
    assert not EvidenceFile.objects.filter(pk=mess["lost"].pk).exists()
    assert EvidenceFile.objects.filter(pk=mess["kept"].pk).exists()
    out = _cleanup()
    assert "Bản ghi mất tệp: 0" in out


def test_a_clean_store_says_so(achievement):
    out = _cleanup()
    assert "Không có gì cần dọn." in out
    assert private_storage().exists(achievement.files.get().file.name)


def test_missing_storage_folder_is_not_an_error(db, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "chua-co")}}}
    assert "Kho lưu trữ riêng: 0 tệp" in _cleanup()
