from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Phong trào thi đua")

    def ready(self):
        from core import demo

        from . import panels

        panels.register()
        demo.register("campaigns.demo_plan")
        demo.register("campaigns.demo_work")
