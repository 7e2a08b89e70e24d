from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Khen thưởng")

    def ready(self):
        from core import audit, demo

        from . import panels, selectors

        panels.register()
        from . import restructuring

        restructuring.register()  # its rows follow a unit restructuring (units.restructuring)
        audit.label_actions(selectors.ACTION_LABELS)  # the activity page's names of the dossier actions
        demo.register("awards.demo")
        demo.register("awards.demo_restructuring")  # 1/7/2025: Đắk Nông's units become Lâm Đồng's
        demo.register("core.signing_demo")  # the test signing identity, for the demo decision's signer
        from . import history_import

        history_import.register_jobs()  # a large import of earlier awards runs in the background worker
