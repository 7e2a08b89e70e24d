from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Phong trào thi đua")

    def ready(self):
        from core import demo

        from . import panels

        panels.register()
        from . import restructuring

        restructuring.register()  # its rows follow a unit restructuring (units.restructuring)
        demo.register("campaigns.demo_plan")
        demo.register("campaigns.demo_work")
        # Both after every other builder: the next plan as data (2026–2030, sample) once the 1/7/2025 restructuring
        # has made the new Lâm Đồng's units, then Plan 584 closed once its final review is written.
        demo.register("campaigns.demo_movement", closing=True)
        demo.register("campaigns.demo_close", closing=True)
