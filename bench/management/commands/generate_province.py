from django.core.management.base import BaseCommand, CommandError

from bench.generate import GeneratorError, generate


class Command(BaseCommand):
    help = ("Sinh dữ liệu quy mô tỉnh vào một cơ sở dữ liệu trống: --scale 1 ≈ 1.100 đơn vị, 15.000 cá nhân, "
            "100.000 minh chứng, 10.000 hồ sơ khen thưởng (cùng seed cho cùng dữ liệu).")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=584)

    def handle(self, *args, scale, seed, **options):
        if scale <= 0:
            raise CommandError("--scale phải lớn hơn 0.")
        try:
            counts = generate(scale=scale, seed=seed, stdout=self.stdout)
        except GeneratorError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(
            "Đã sinh dữ liệu: " + ", ".join(f"{key}={value}" for key, value in counts.items())))
