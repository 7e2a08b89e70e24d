from django.utils.translation import gettext_lazy as _

from core import apps as kernel


class UnitsConfig(kernel.ContributingConfig):
    name = "units"
    verbose_name = _("Đơn vị và cá nhân")
    action_labels = "services.ACTION_LABELS"
    jobs = "excel.register_jobs"  # the units and people imports run in the background worker when they are large
