"""Check the digital signatures of any PDF against the configured trust roots and revocation data:
`manage.py verify_pdf FILE` prints the result (valid, modified after signing, not trusted, expired, revoked, no
signature), the signer and the signing time; `--strict` fails (exit 1) unless every signature is valid."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import signing
from core.models import VerificationStatus


class Command(BaseCommand):
    help = "Kiểm tra chữ ký số của một tệp PDF (theo các chứng thư gốc tin cậy đã cấu hình)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="đường dẫn tệp PDF")
        parser.add_argument("--strict", action="store_true", help="báo lỗi (mã thoát 1) nếu chữ ký không hợp lệ")

    def handle(self, *, file, strict, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {file}.")
        result = signing.verify_pdf(path.read_bytes())
        label = VerificationStatus(result.status).label
        self.stdout.write(f"Kết quả: {label} ({result.status})")
        if result.signature_count:
            self.stdout.write(f"Số chữ ký: {result.signature_count}")
            self.stdout.write(f"Người ký: {result.signer_name or '—'}")
            if result.signed_at:
                self.stdout.write(f"Thời gian ký: {signing.signing_time_text(result.signed_at)}")
            if result.detail:
                self.stdout.write(f"Chi tiết: {result.detail}")
        if strict and result.status != VerificationStatus.VALID:
            raise CommandError(f"Chữ ký số không hợp lệ: {label}.")
