from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParConfig(AppConfig):
    name = "par"
    verbose_name = _("Chỉ số cải cách hành chính")

    def ready(self):
        from core import demo

        from . import panels, services

        panels.register()
        from . import restructuring

        restructuring.register()  # its rows follow a unit restructuring (units.restructuring)
        demo.register("par.demo")
        services.register_jobs()  # a large criteria set or survey import runs in the background worker
