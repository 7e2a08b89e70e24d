"""python manage.py build_report --campaign 584/KH-UBND --kind final --format pdf --output bao-cao.pdf"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from reports import kinds
from reports.generation import build_file
from reports.models import ReportDraft, ReportFormat


class Command(BaseCommand):
    help = "Tạo báo cáo (năm, sơ kết, tổng kết) dạng PDF hoặc Excel từ dữ liệu hiện có."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="Số, ký hiệu kế hoạch, ví dụ 584/KH-UBND")
        parser.add_argument("--kind", required=True, choices=kinds.codes())
        per_year = ", ".join(spec.code for spec in kinds.SPECS.values() if spec.per_year)
        parser.add_argument("--year", type=int, help=f"Năm báo cáo (bắt buộc với --kind {per_year})")
        parser.add_argument("--format", default="pdf", choices=ReportFormat.values)
        parser.add_argument("--output", required=True, help="Đường dẫn tệp kết quả")

    def handle(self, *args, **options):
        try:
            campaign = Campaign.objects.select_related("organiser__parent").get(number=options["campaign"])
        except Campaign.DoesNotExist:
            raise CommandError(f"Không có phong trào số “{options['campaign']}”.") from None
        kind = options["kind"]
        spec = kinds.spec_for(kind)
        year = options["year"] if spec.per_year else None
        if spec.per_year and year is None:
            raise CommandError(f"{spec.label} cần --year.")
        draft = ReportDraft.objects.filter(campaign=campaign, kind=kind, year=year).first()
        try:
            data = build_file(campaign=campaign, kind=kind, year=year, fmt=options["format"], draft=draft)
        except ValueError as error:
            raise CommandError(str(error)) from None
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(f"{output} ({len(data)} byte)")
