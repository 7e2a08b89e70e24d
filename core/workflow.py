"""One transition runner for every stateful model (campaign, achievement, PAR sheet, award dossier).

A service locks its row (`lock`), checks who may act, then runs the django-fsm transition through `transition`:
the state the page was showing (`expected`) must still be the row's state and the transition must be allowed
from it, otherwise the user gets the one Vietnamese "changed meanwhile" message. When the block ends without an
error the row is saved and one activity row records from → to.
"""

import contextlib

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin, can_proceed

from . import audit


def lock(instance, *, related=()):
    """The row again, locked for update until the transaction ends (`related`: select_related names)."""
    return type(instance).objects.select_for_update(of=("self",)).select_related(*related).get(pk=instance.pk)


def state_field(instance):
    return next(f.name for f in instance._meta.concrete_fields if isinstance(f, FSMFieldMixin))


def changed_meanwhile(instance):
    """The one message for "someone else changed this" (or the action no longer applies to its state)."""
    field = state_field(instance)
    return ValidationError(
        _("%(object)s vừa được người khác thay đổi hoặc không còn ở bước cho phép thao tác này (trạng thái hiện "
          "tại: “%(state)s”). Hãy tải lại trang, xem lại rồi thao tác lại nếu vẫn cần.") % {
            "object": f"{capfirst(instance._meta.verbose_name)} “{instance}”",
            "state": getattr(instance, f"get_{field}_display")()},
        code="changed")


class Step:
    """What a running transition knows: the state before and after, and the note/changes the audit row gets."""

    def __init__(self, before, note="", changes=None):
        self.before = before
        self.note = note
        self.changes = dict(changes or {})


@contextlib.contextmanager
def transition(instance, method, *, by, action, expected=None, note="", changes=None, update_fields=None):
    """Run `instance.<method>()` (a django-fsm transition) on a row the caller has locked.

    Inside the block the caller sets the other fields of the step (and may change `step.note`); on leaving it,
    the row is saved (`update_fields` to save only those) and the activity row written. An exception inside the
    block leaves nothing recorded (the caller's transaction rolls the row back).
    """
    field = state_field(instance)
    before = getattr(instance, field)
    bound = getattr(instance, method)
    if (expected and expected != before) or not can_proceed(bound):
        raise changed_meanwhile(instance)
    bound()
    step = Step(before, note, changes)
    yield step
    instance.save(update_fields=update_fields)
    audit.record(actor=by, action=action, target=instance, note=step.note,
                 changes={"from": before, "to": getattr(instance, field), **step.changes})


def run(instance, method, **kwargs):
    """`transition` with nothing else to do inside: returns the state before."""
    with transition(instance, method, **kwargs) as step:
        pass
    return step.before


def transition_all(instances, method, *, by, action, note="", fields=(), batch_size=500):
    """`transition` for many rows the caller has locked, in a constant number of queries per batch.

    Every row must allow `method` from its state (else the "changed meanwhile" message and nothing changes); the
    caller sets `fields` on each row beforehand. One UPDATE per batch saves the state, `fields` and `updated_at`
    (when the model has it), and one INSERT per batch writes the activity rows, each as `transition` writes it.
    """
    instances = list(instances)
    if not instances:
        return []
    model = type(instances[0])
    field = state_field(instances[0])
    befores = []
    for instance in instances:
        bound = getattr(instance, method)
        if not can_proceed(bound):
            raise changed_meanwhile(instance)
        befores.append(getattr(instance, field))
        bound()
    names = [field, *fields]
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        now = timezone.now()
        for instance in instances:
            instance.updated_at = now  # bulk_update does not run auto_now
        names.append("updated_at")
    model.objects.bulk_update(instances, names, batch_size=batch_size)
    audit.record_many(actor=by, action=action, batch_size=batch_size, rows=[
        (instance, note, {"from": before, "to": getattr(instance, field)})
        for instance, before in zip(instances, befores, strict=True)])
    return befores
