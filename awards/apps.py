from django.utils.translation import gettext_lazy as _

from core import apps as kernel


class AwardsConfig(kernel.ContributingConfig):
    name = "awards"
    verbose_name = _("Khen thưởng")
    panels = "panels.register"
    restructuring = "restructuring.register"  # its rows follow a unit restructuring (units.restructuring)
    action_labels = "selectors.ACTION_LABELS"
    demo = (
        "awards.demo",
        "awards.demo_restructuring",  # 1/7/2025: Đắk Nông's units become Lâm Đồng's
        "core.signing_demo",  # the test signing identity, for the demo decision's signer
    )
    jobs = "history_import.register_jobs"  # a large import of earlier awards runs in the background worker
