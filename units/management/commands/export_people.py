from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from units.excel import export_people
from units.models import Person


class Command(BaseCommand):
    help = "Xuất toàn bộ danh sách cá nhân ra tệp Excel (.xlsx); tệp này cũng là mẫu để nhập lại."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .xlsx sẽ ghi ra")

    def handle(self, *args, file, **options):
        people = Person.objects.select_related("unit").order_by("search_name", "id")
        try:
            Path(file).write_bytes(export_people(people))
        except OSError as error:
            message = _("Không ghi được tệp %(file)s: %(error)s") % {"file": file, "error": error}
            raise CommandError(message) from None
        message = _("Đã xuất %(count)s cá nhân vào %(file)s.") % {"count": people.count(), "file": file}
        self.stdout.write(message)
