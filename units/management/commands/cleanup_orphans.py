"""Find and remove what an interrupted upload or a crash can leave behind in private storage.

- files that no row of any PrivateFile model references (older than --older-than-minutes, so an upload that is
  still in progress is never touched) → deleted;
- pending Excel imports (imports/…) older than a day → deleted;
- rows whose stored file is missing → reported (a missing evidence file is data loss, so the row is kept unless
  --delete-rows-without-files is given).

Storage is walked with `listdir`, so it works for the local folder and for S3-compatible stores alike.
"""

import datetime

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from core.files import PrivateFile, private_storage

IMPORT_DIR = "imports"
IMPORT_MAX_AGE = datetime.timedelta(days=1)
SHOWN = 50  # at most this many names listed per section; the counts are always complete


def file_models():
    """Every concrete model that stores an uploaded or generated file (evidence, documents, reports, …)."""
    return [model for model in apps.get_models() if issubclass(model, PrivateFile)]


def file_fields():
    """(model, field name) of every FileField in the project — PrivateFile's `file` and any other one."""
    return [(model, field.name) for model in apps.get_models() for field in model._meta.concrete_fields
            if isinstance(field, models.FileField)]


def walk(storage, folder=""):
    """Every file name in `storage` below `folder` (posix-style names, as FileField stores them)."""
    try:
        directories, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from walk(storage, f"{folder}/{directory}" if folder else directory)


def _modified(storage, name):
    try:
        return storage.get_modified_time(name)
    except (NotImplementedError, OSError):
        return None


class Command(BaseCommand):
    help = "Tìm và xoá tệp mồ côi trong kho lưu trữ riêng; báo cáo các bản ghi mất tệp."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Chỉ báo cáo, không xoá gì.")
        parser.add_argument("--older-than-minutes", type=int, default=60,
                            help="Chỉ xoá tệp mồ côi cũ hơn số phút này (mặc định 60) để không đụng tệp "
                                 "đang tải lên.")
        parser.add_argument("--delete-rows-without-files", action="store_true",
                            help="Xoá cả các bản ghi có tệp đã mất (mặc định chỉ báo cáo, vì đó là mất dữ liệu).")

    def handle(self, *args, dry_run=False, older_than_minutes=60, delete_rows_without_files=False, **options):
        storage = private_storage()
        now = timezone.now()
        orphan_limit = now - datetime.timedelta(minutes=max(older_than_minutes, 0))
        import_limit = now - IMPORT_MAX_AGE

        stored = set(walk(storage))
        referenced, missing, rows = set(), [], 0
        for model, field in file_fields():
            rows_with_file = model._base_manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
            for pk, name in rows_with_file.values_list("pk", field).order_by("pk").iterator():
                rows += 1
                referenced.add(name)
                if name not in stored:
                    missing.append((model, pk, name))

        orphans, recent, old_imports = [], 0, []
        for name in sorted(stored - referenced):
            modified = _modified(storage, name)
            if name.startswith(f"{IMPORT_DIR}/"):
                if modified is not None and modified < import_limit:
                    old_imports.append(name)
            elif modified is not None and modified < orphan_limit:
                orphans.append(name)
            else:
                recent += 1

        if not dry_run:
            for name in orphans + old_imports:
                storage.delete(name)
            if delete_rows_without_files:
                for model, pk, name in missing:
                    try:
                        model._base_manager.filter(pk=pk).delete()
                    except (ProtectedError, RestrictedError):
                        self.stderr.write(f"Không xoá được {model._meta.label} #{pk} ({name}): "
                                          "bản ghi khác còn dùng nó.")

        self._summary(stored, rows, orphans, old_imports, recent, missing, dry_run, delete_rows_without_files,
                      older_than_minutes)

    def _summary(self, stored, rows, orphans, old_imports, recent, missing, dry_run, delete_rows, minutes):
        # Operator output in Vietnamese (like load_demo), not through gettext: commands are not part of the UI.
        write = self.stdout.write
        write(f"Kho lưu trữ riêng: {len(stored)} tệp; {rows} bản ghi có tệp.")
        if dry_run:
            write("Chế độ chạy thử (--dry-run): không xoá gì.")
        verb = "sẽ xoá" if dry_run else "đã xoá"
        write(f"Tệp mồ côi (không bản ghi nào trỏ tới, cũ hơn {minutes} phút): {len(orphans)} — {verb}.")
        for name in orphans[:SHOWN]:
            write(f"  - {name}")
        write(f"Tệp nhập Excel đang chờ cũ hơn 1 ngày: {len(old_imports)} — {verb}.")
        for name in old_imports[:SHOWN]:
            write(f"  - {name}")
        if recent:
            write(f"Tệp chưa có bản ghi nhưng còn mới (có thể đang tải lên): {recent} — giữ nguyên.")
        if delete_rows:
            row_verb = "sẽ xoá bản ghi" if dry_run else "đã xoá bản ghi"
        else:
            row_verb = "giữ bản ghi; hãy khôi phục tệp từ bản sao lưu hoặc chạy lại với --delete-rows-without-files"
        write(f"Bản ghi mất tệp: {len(missing)} — {row_verb}.")
        for model, pk, name in missing[:SHOWN]:
            write(f"  - {model._meta.label} #{pk}: {name}")
        if not (orphans or old_imports or missing):
            write("Không có gì cần dọn.")
