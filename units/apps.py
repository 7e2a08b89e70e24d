from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Đơn vị và cá nhân")

    def ready(self):
        from core import audit

        from . import excel, services

        excel.register_jobs()  # the units and people imports run in the background worker when they are large
        audit.label_actions(services.ACTION_LABELS)  # the activity page's names of this app's actions
