"""Start the application's numbering after the numbers a body's register already used this year (kept by hand
before the application): `manage.py register_continue DNO QĐ 2025 149` → the next decision is 150/QĐ-UBND."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core import register
from core.models import IssuingBody


class Command(BaseCommand):
    help = "Tiếp tục sổ đăng ký văn bản đi sau số đã dùng (không bao giờ lùi số)."

    def add_arguments(self, parser):
        parser.add_argument("body", help="mã cơ quan ban hành (ví dụ DNO)")
        parser.add_argument("kind", help="loại văn bản: " + ", ".join(register.KINDS))
        parser.add_argument("year", type=int)
        parser.add_argument("last", type=int, help="số cuối cùng đã dùng")

    def handle(self, *, body, kind, year, last, **options):
        issuer = IssuingBody.objects.filter(key=body).first()
        if issuer is None:
            raise CommandError(f"Không có cơ quan ban hành mã {body}.")
        if kind not in register.KINDS:
            raise CommandError(f"Loại văn bản không hợp lệ: {kind}.")
        try:
            register.continue_from(body=issuer, kind=kind, year=year, last=last, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Số tiếp theo: {register.reference(last + 1, issuer.symbol(kind))}")
