from units.excel import people_import

from .import_units import Command as ImportUnitsCommand


class Command(ImportUnitsCommand):
    help = ("Nhập danh sách cá nhân từ tệp Excel (.xlsx) theo mẫu của lệnh export_people: tất cả các dòng "
            "hoặc không dòng nào.")

    def import_file(self, **kwargs):
        return people_import(**kwargs)
