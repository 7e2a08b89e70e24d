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


def record_many(*, actor, action, rows, batch_size=500):
    """One activity row per target for a bulk action, written in one INSERT per `batch_size` rows.

    `rows` are (target, note, changes) triples; the rows read exactly as `record` would have written them.
    """
    actor = actor if getattr(actor, "is_authenticated", False) else None
    entries = [AuditEntry(actor=actor, action=action, target_type=target._meta.label_lower,
                          target_id=str(target.pk), target_label=str(target)[:255], note=note,
                          changes=changes or {})
               for target, note, changes in rows]
    return AuditEntry.objects.bulk_create(entries, batch_size=batch_size)


def save_recorded(instance, *, by, action, changes=None):
    """Validate (`full_clean`) and save `instance`, then write its activity row; returns the instance.

    For the plain "create a row" services (`update_recorded` for "change a row"); a service with more to do
    between the save and the activity row writes the steps itself.
    """
    instance.full_clean()
    instance.save()
    record(actor=by, action=action, target=instance, changes=changes)
    return instance


def update_recorded(instance, data, fields, *, by, action):
    """Set the `fields` that `data` has on `instance` (a row the caller has locked), validate and save it, and
    record what changed (`changes`); no activity row when nothing did. Returns the instance."""
    diff = changes(instance, data, fields)
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    instance.full_clean()
    instance.save()
    if diff:
        record(actor=by, action=action, target=instance, changes=diff)
    return instance


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


# What the activity page calls each action: every app names its own, from its AppConfig.ready() -----------------

_action_labels = {}


def label_actions(labels):
    """Register {action: label} (lazy Vietnamese strings) for the actions an app's services record."""
    _action_labels.update(labels)


def action_label(action):
    """The registered label of `action`, or the action's own name when no app labelled it."""
    return _action_labels.get(action, action)
