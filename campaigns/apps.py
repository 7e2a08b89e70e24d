from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"

    def ready(self):
        from core import demo

        from . import panels

        panels.register()
        demo.register("campaigns.demo_plan")
        demo.register("campaigns.demo_work")
