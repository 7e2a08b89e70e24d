"""Reads of the predecessor/successor links (`UnitLink`): who a unit was formed from, who carries on an ended unit,
and which unit is in force on a day. History stays with the unit that earned it; pages, reports, documents and
eligibility checks read it through these functions.

The links are few (a province has hundreds, not millions) and every function loads them in one query, then walks
them in memory: a chain of mergers is a handful of steps.
"""

import datetime
from dataclasses import dataclass

from .models import Unit, UnitKind, UnitLink


def _links():
    """(predecessor id, successor id) pairs, successors in code order (the first is a split unit's main one)."""
    return list(UnitLink.objects.order_by("successor__code").values_list("predecessor_id", "successor_id"))


def _walk(start_ids, step):
    seen, frontier = set(start_ids), list(start_ids)
    while frontier:
        frontier = [nxt for pk in frontier for nxt in step.get(pk, ()) if nxt not in seen]
        seen.update(frontier)
    return seen


def lineage_ids(unit_ids):
    """The units and every unit they were formed from, however many restructurings back (ids, a set)."""
    back = {}
    for predecessor, successor in _links():
        back.setdefault(successor, []).append(predecessor)
    return _walk(set(unit_ids), back)


def successor_ids(unit_ids):
    """The units and every unit that carries them on, transitively (ids, a set)."""
    forward = {}
    for predecessor, successor in _links():
        forward.setdefault(predecessor, []).append(successor)
    return _walk(set(unit_ids), forward)


def predecessors_of(unit):
    """The units `unit` was formed from directly, with the link's date (for "hình thành từ …"). The divisions that
    ended with a predecessor are left out of this list (their history is still read through `lineage_ids`)."""
    links = UnitLink.objects.filter(successor=unit).select_related("predecessor").order_by("predecessor__code")
    if unit.kind != UnitKind.DIVISION:
        links = links.exclude(predecessor__kind=UnitKind.DIVISION)
    return list(links)


def successors_of(unit):
    """The units that took `unit` over directly, with the link's date (for "đã sáp nhập vào …")."""
    return list(UnitLink.objects.filter(predecessor=unit).select_related("successor").order_by("successor__code"))


def exists_on(unit, day):
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or unit.valid_to >= day)


@dataclass(frozen=True)
class Structure:
    """Where each unit's work lies on a day: `of(pk)` is the unit in force then that carries it (itself when it
    still exists; its successor's successor … when it ended; None when nothing carries it)."""

    day: datetime.date
    forward: dict  # predecessor id → [successor ids], main first
    units: dict  # id → Unit (every unit the links or the caller named)

    def of(self, pk):
        seen = set()
        while pk is not None and pk not in seen:
            seen.add(pk)
            unit = self.units.get(pk)
            if unit is not None and exists_on(unit, self.day):
                return pk
            following = [nxt for nxt in self.forward.get(pk, ()) if nxt not in seen]
            pk = following[0] if following else None
        return None


def structure_on(day, units=None):
    """The structure in force on `day`, for the given units (all linked units are loaded too): two queries."""
    forward = {}
    for predecessor, successor in _links():
        forward.setdefault(predecessor, []).append(successor)
    wanted = set(forward) | {pk for targets in forward.values() for pk in targets}
    loaded = {unit.pk: unit for unit in (units or [])}
    missing = wanted - set(loaded)
    if missing:
        loaded.update({unit.pk: unit for unit in Unit.objects.filter(pk__in=missing)})
    return Structure(day, forward, loaded)


def in_force(unit, day):
    """The unit that carries `unit`'s work on `day` (the unit itself while it exists), or None."""
    if unit is None:
        return None
    if exists_on(unit, day):
        return unit
    structure = structure_on(day, [unit])
    pk = structure.of(unit.pk)
    return structure.units.get(pk) if pk is not None else None

