import os

from django.core.management.base import BaseCommand
from django.db import transaction

from core import demo
from units.demo.builder import DEMO_PASSWORD, build_demo
from units.models import User


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: cây đơn vị tỉnh Đắk Nông, Kế hoạch 584, cá nhân và tài khoản thử (chạy lại vẫn an toàn)."

    def handle(self, *args, **options):
        with transaction.atomic():
            result = build_demo()
            summaries = demo.build_all()  # the later apps' builders, registered from their AppConfig.ready
            demo.mark_loaded()  # the page frame's banner "Dữ liệu mẫu"
        self.stdout.write(self.style.SUCCESS(
            f"Đã nạp dữ liệu mẫu: {result['units']} đơn vị, {result['people']} cá nhân."))
        for summary in summaries:
            if summary:
                self.stdout.write(f"  {summary}")
        self.stdout.write("Tài khoản thử (tên đăng nhập / vai trò / đơn vị):")
        units = dict(User.objects.filter(username__in=[a[0] for a in result["accounts"]])
                     .values_list("username", "unit__name"))  # after the builders (a restructuring moves some)
        for username, role, _unit, _password in result["accounts"]:
            self.stdout.write(f"  {username:16} {role:38} {units.get(username) or ''}")
        self.stdout.write(f"Mật khẩu chung của các tài khoản thử: {DEMO_PASSWORD}")
        port = os.environ.get("PORT") or "8000"
        self.stdout.write(f"Mở http://127.0.0.1:{port} để đăng nhập.")
