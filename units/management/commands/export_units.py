from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from units.excel import export_units
from units.models import Unit


class Command(BaseCommand):
    help = "Xuất toàn bộ danh sách đơn vị ra tệp Excel (.xlsx); tệp này cũng là mẫu để nhập lại."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .xlsx sẽ ghi ra")

    def handle(self, *args, file, **options):
        units = Unit.objects.select_related("parent", "block").order_by("path")
        try:
            Path(file).write_bytes(export_units(units))
        except OSError as error:
            message = _("Không ghi được tệp %(file)s: %(error)s") % {"file": file, "error": error}
            raise CommandError(message) from None
        message = _("Đã xuất %(count)s đơn vị vào %(file)s.") % {"count": units.count(), "file": file}
        self.stdout.write(message)
