"""The restructuring operation (sắp xếp đơn vị): units end on a day and one or several units carry them on.

What moves belongs partly to later apps (open registrations, achievements under review, this year's PAR sheets,
open dossiers). Units must not import them, so each later app registers a `Mover` here from its
`AppConfig.ready()`: `planned(plan)` says which of its rows go where, `move(moves)` writes that. The preview counts
the very lists `planned` gives, and `apply` writes the same lists inside its one transaction, so the preview's
figures are what moves. `kept(plan)` counts what stays with the ended units (their history).

The plan names targets by id: a unit that already exists by its pk, a new unit (not yet written during a preview)
by a negative placeholder, so a preview writes nothing and a mover's uniqueness checks (one PAR sheet per unit and
set) see no rows for a new unit.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Mover:
    name: str
    label: Any  # what moves, for the preview ("Đăng ký thi đua chưa kết thúc")
    planned: Callable  # (plan) → [(row pk, target id)]
    move: Callable  # (moves: [(row pk, target pk)]) → None; runs inside the operation's transaction
    kept_label: Any = None  # what stays with the ended units ("Lịch sử khen thưởng")
    kept: Callable | None = None  # (plan) → int


_movers: dict[str, Mover] = {}


def register(name, *, label, planned, move, kept_label=None, kept=None):
    """A later app's rows follow the operation (registering the same name again replaces it)."""
    _movers[name] = Mover(name, label, planned, move, kept_label, kept)


def movers():
    return list(_movers.values())


def unit_mover(model):
    """The usual `move` of a mover: each row's `unit` becomes its target (one UPDATE per target)."""
    def move(moves):
        by_target = {}
        for pk, target in moves:
            by_target.setdefault(target, []).append(pk)
        for target, pks in by_target.items():
            model.objects.filter(pk__in=pks).update(unit_id=target)
    return move


ACCOUNTS_MOVE, ACCOUNTS_DEACTIVATE = "move", "deactivate"
ACCOUNT_CHOICES = [(ACCOUNTS_MOVE, gettext_lazy("Chuyển sang đơn vị kế thừa")),
                   (ACCOUNTS_DEACTIVATE, gettext_lazy("Khóa tài khoản"))]


@dataclass
class Plan:
    """Who ends, who carries on, where each person goes. `main` is the successor that takes an ended unit's
    collective rows (the first successor chosen for it); people go where `people` says, else to their unit's
    main successor. Accounts of the ended units move to their unit's main successor or are deactivated."""

    on: datetime.date  # the first day of the new structure; ended units end the day before
    ended: list  # Unit rows ending (the chosen ones and their divisions)
    successors: list  # Unit rows (existing, or new and unsaved during a preview)
    main: dict  # ended unit pk → target id
    people: dict = field(default_factory=dict)  # person pk → target id
    accounts: str = ACCOUNTS_MOVE
    basis: str = ""

    @property
    def last_day(self):
        return self.on - datetime.timedelta(days=1)

    @property
    def ended_ids(self):
        return [unit.pk for unit in self.ended]

    def target_id(self, successor):
        """A successor's id in the plan: its pk, or a placeholder while it is not written."""
        return successor.pk if successor.pk is not None else -(self.successors.index(successor) + 1)

    def target_of(self, unit_id, person_id=None):
        """Where a row of `unit_id` (of person `person_id`, when it is an individual's) goes."""
        if person_id is not None and person_id in self.people:
            return self.people[person_id]
        return self.main.get(unit_id)

    def unique_moves(self, rows, key):
        """[(pk, target)] for rows (pk, unit id, person id, key value) when a target may hold only one row per key
        (one registration per campaign and year, one PAR sheet per set): the first row per key moves when the
        target has none; the others stay with their ended unit. `key(target ids)` gives the keys already held."""
        rows = list(rows)
        targets = {self.target_of(unit_id, person_id) for _pk, unit_id, person_id, _k in rows}
        taken = set(key([t for t in targets if t is not None and t > 0]))
        moves = []
        for pk, unit_id, person_id, value in rows:
            target = self.target_of(unit_id, person_id)
            if target is None or (target, value) in taken:
                continue
            taken.add((target, value))
            moves.append((pk, target))
        return moves


def resolve(moves, pk_of):
    """Placeholders → pks once the new units are written."""
    return [(pk, pk_of.get(target, target)) for pk, target in moves]
