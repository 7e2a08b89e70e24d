"""Writes: one function per user action, each in one transaction, each leaving an audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from core import audit

from . import rules
from .models import Person, Unit

UNIT_FIELDS = ("code", "name", "kind", "parent", "block", "valid_from", "valid_to", "successor")
PERSON_FIELDS = ("full_name", "gender", "position", "unit", "staff_code")


def _check_parent(unit, parent):
    if parent is not None and unit.pk is not None and parent.is_within(unit):
        raise ValidationError(
            {"parent": _("Đơn vị cấp trên không thể là chính đơn vị này hoặc đơn vị cấp dưới của nó.")})


@transaction.atomic
def unit_create(*, by, **data):
    parent = data.get("parent")
    if not rules.can_add_unit_under(by, parent):
        raise PermissionDenied
    unit = Unit(**{k: v for k, v in data.items() if k in UNIT_FIELDS})
    return audit.save_recorded(unit, by=by, action="unit_create")


@transaction.atomic
def unit_update(*, unit, by, **data):
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not rules.can_edit_unit(by, unit):
        raise PermissionDenied
    new_parent = data.get("parent", unit.parent)
    if not rules.can_manage_unit_tree(by) and (new_parent is None or not rules.can_add_unit_under(by, new_parent)):
        raise PermissionDenied
    _check_parent(unit, new_parent)
    changes = audit.changes(unit, data, UNIT_FIELDS)
    old_path, old_depth = unit.path, unit.depth
    for name, value in data.items():
        if name in UNIT_FIELDS:
            setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    if unit.path != old_path:
        move_descendants(old_path, unit.path, unit.depth - old_depth)
    if changes:
        audit.record(actor=by, action="unit_update", target=unit, changes=changes)
    return unit


def move_descendants(old_path, new_path, depth_delta):
    """Re-root a subtree's materialised paths in one UPDATE after a move or a code change."""
    Unit.objects.filter(path__startswith=old_path).exclude(path=new_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )


@transaction.atomic
def person_create(*, by, **data):
    if not rules.can_edit_people(by, data.get("unit")):
        raise PermissionDenied
    person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    return audit.save_recorded(person, by=by, action="person_create")


@transaction.atomic
def person_update(*, person, by, **data):
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    if not rules.can_edit_people(by, person.unit) or not rules.can_edit_people(by, data.get("unit", person.unit)):
        raise PermissionDenied
    return audit.update_recorded(person, data, PERSON_FIELDS, by=by, action="person_update")
