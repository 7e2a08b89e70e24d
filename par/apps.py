from django.utils.translation import gettext_lazy as _

from core import apps as kernel


class ParConfig(kernel.ContributingConfig):
    name = "par"
    verbose_name = _("Chỉ số cải cách hành chính")
    panels = "panels.register"
    restructuring = "restructuring.register"  # its rows follow a unit restructuring (units.restructuring)
    demo = ("par.demo",)
    jobs = "services.register_jobs"  # a large criteria set or survey import runs in the background worker
