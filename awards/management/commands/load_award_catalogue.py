from django.core.management.base import BaseCommand

from awards.catalogue import ensure_catalogue


class Command(BaseCommand):
    help = "Tạo danh mục hình thức khen thưởng, thành phần hồ sơ và ngày nghỉ lễ (không ghi đè dữ liệu đã sửa)."

    def handle(self, *args, **options):
        created = ensure_catalogue()
        self.stdout.write(f"Đã tạo {created} hình thức khen thưởng mới.")
