from django.utils.translation import gettext_lazy as _

from core import apps as kernel


class ReportsConfig(kernel.ContributingConfig):
    name = "reports"
    verbose_name = _("Báo cáo")
    panels = "panels.register"  # the final review's state on a campaign whose period is over
    action_labels = "services.ACTION_LABELS"
    demo = ("reports.demo",)  # the filled sơ kết and tổng kết drafts of the demo
