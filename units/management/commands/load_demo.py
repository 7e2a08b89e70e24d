from django.core.management.base import BaseCommand

from units.demo.builder import build_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: cây đơn vị tỉnh Đắk Nông, cá nhân và tài khoản thử (chạy lại nhiều lần vẫn an toàn)."

    def handle(self, *args, **options):
        result = build_demo()
        self.stdout.write(self.style.SUCCESS(
            f"Đã nạp dữ liệu mẫu: {result['units']} đơn vị, {result['people']} cá nhân."))
        self.stdout.write("Tài khoản thử (tên đăng nhập / vai trò / đơn vị / mật khẩu):")
        for username, role, unit, password in result["accounts"]:
            self.stdout.write(f"  {username:16} {role:38} {unit:40} {password}")
        self.stdout.write("Mở http://127.0.0.1:8000 để đăng nhập.")
