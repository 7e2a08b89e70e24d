"""Text fields that always reach the database in NFC, whatever the input (forms, imports, bulk inserts)."""

from django.db import models

from .text import nfc


class NFCMixin:
    def pre_save(self, model_instance, add):
        value = nfc(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return nfc(super().get_prep_value(value))


class NFCCharField(NFCMixin, models.CharField):
    pass


class NFCTextField(NFCMixin, models.TextField):
    pass
