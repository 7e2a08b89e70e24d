import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from units.excel import units_import


class Command(BaseCommand):
    """A system import (full scope, no user): every row or none; every bad row printed with its Excel row."""

    help = ("Nhập danh sách đơn vị từ tệp Excel (.xlsx) theo mẫu của lệnh export_units: tất cả các dòng hoặc "
            "không dòng nào.")

    def import_file(self, **kwargs):
        return units_import(**kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .xlsx cần nhập")
        parser.add_argument("--dry-run", action="store_true",
                            help="Chỉ kiểm tra và cho biết sẽ thêm/sửa bao nhiêu dòng; không ghi gì.")

    def handle(self, *args, file, dry_run=False, **options):
        if not os.path.isfile(file):
            raise CommandError(_("Không tìm thấy tệp %(file)s.") % {"file": file})
        result = self.import_file(file=file, by=None, dry_run=dry_run)
        if not result.ok:
            lines = result.error_lines()
            for line in lines:
                self.stderr.write(line)
            raise CommandError(
                _("Tệp %(file)s có %(count)s lỗi; không có dữ liệu nào được ghi.\n%(errors)s")
                % {"file": file, "count": len(lines), "errors": "\n".join(lines)})
        summary = _("Mới: %(new)s, cập nhật: %(updated)s, không đổi: %(unchanged)s.") % {
            "new": result.new, "updated": result.updated, "unchanged": result.unchanged}
        if dry_run:
            summary += " " + _("(Chạy thử: chưa ghi gì vào cơ sở dữ liệu.)")
        self.stdout.write(self.style.SUCCESS(summary))
