"""python manage.py build_report --campaign 584/KH-UBND --kind final --format pdf --output bao-cao.pdf"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from reports.models import ReportDraft, ReportFormat, ReportKind
from reports.services import build_file


class Command(BaseCommand):
    help = "Tạo báo cáo (năm, sơ kết, tổng kết) dạng PDF hoặc Excel từ dữ liệu hiện có."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="Số, ký hiệu kế hoạch, ví dụ 584/KH-UBND")
        parser.add_argument("--kind", required=True, choices=ReportKind.values)
        parser.add_argument("--year", type=int, help="Năm báo cáo (bắt buộc với --kind yearly)")
        parser.add_argument("--format", default="pdf", choices=ReportFormat.values)
        parser.add_argument("--output", required=True, help="Đường dẫn tệp kết quả")

    def handle(self, *args, **options):
        try:
            campaign = Campaign.objects.select_related("organiser__parent").get(number=options["campaign"])
        except Campaign.DoesNotExist:
            raise CommandError(f"Không có phong trào số “{options['campaign']}”.") from None
        kind = options["kind"]
        year = options["year"] if kind == ReportKind.YEARLY else None
        if kind == ReportKind.YEARLY and year is None:
            raise CommandError("Báo cáo kết quả năm cần --year.")
        draft = ReportDraft.objects.filter(campaign=campaign, kind=kind, year=year).first()
        try:
            data = build_file(campaign=campaign, kind=kind, year=year, fmt=options["format"], draft=draft)
        except ValueError as error:
            raise CommandError(str(error)) from None
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(f"{output} ({len(data)} byte)")
