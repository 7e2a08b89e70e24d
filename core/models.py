"""The kernel's one table: the audit trail every service writes to (see `core.audit`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import NFCCharField, NFCTextField


class AuditEntry(models.Model):
    """An immutable row for every change made through a service: who, when, what, note."""

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=60, blank=True)
    target_label = NFCCharField(max_length=255, blank=True)
    note = NFCTextField(_("ghi chú"), blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "units_auditentry"  # created by units 0001; the model moved to the kernel
        ordering = ["-at", "-id"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.target_label}"
