from django.utils.translation import gettext_lazy as _

from core import apps as kernel


class CampaignsConfig(kernel.ContributingConfig):
    name = "campaigns"
    verbose_name = _("Phong trào thi đua")
    panels = "panels.register"
    restructuring = "restructuring.register"  # its rows follow a unit restructuring (units.restructuring)
    demo = ("campaigns.demo_plan", "campaigns.demo_work")
    # Both after every other builder: the next plan as data (2026–2030, sample) once the 1/7/2025 restructuring
    # has made the new Lâm Đồng's units, then Plan 584 closed once its final review is written.
    demo_closing = ("campaigns.demo_movement", "campaigns.demo_close")
