from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "awards"

    def ready(self):
        from core import demo

        from . import panels

        panels.register()
        demo.register("awards.demo")
