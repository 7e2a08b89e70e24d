from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel every app uses and that knows no domain (see docs/architecture.md)."""

    name = "core"
    verbose_name = _("Nhật ký và dùng chung")
