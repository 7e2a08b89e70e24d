"""The audit trail every service writes to at the end of its transaction."""

from .models import AuditEntry


def record(*, actor, action, target, note="", changes=None):
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        note=note,
        changes=changes or {},
    )


def record_bulk(*, actor, action, label, note="", changes=None):
    """One row for a bulk action (an import) rather than a row per record."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action, target_type="", target_label=label[:255], note=note, changes=changes or {},
    )


def changes(instance, data, fields=None):
    """{field: [old, new]} for each of `fields` (default: every key of `data`) whose new value differs.

    Values are shown as text ("" for None), as the activity pages print them.
    """
    changed = {}
    for name in fields if fields is not None else data:
        if name in data and getattr(instance, name, None) != data[name]:
            changed[name] = [_text(getattr(instance, name, None)), _text(data[name])]
    return changed


def _text(value):
    return "" if value is None else str(value)
