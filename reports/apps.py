from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        from core import audit, demo

        from . import panels, services

        panels.register()  # the final review's state on a campaign whose period is over
        demo.register("reports.demo")  # the filled sơ kết and tổng kết drafts of the demo
        audit.label_actions(services.ACTION_LABELS)  # the activity page's names of this app's actions
