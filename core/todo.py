"""The home page's to-do: what waits for this user, contributed by each app through the "home" panel slot.

An app's part is a card of tasks: a kind of work ("Hồ sơ chờ tiếp nhận") with how many rows wait, the oldest of
them and the link to its list filtered on exactly those rows; overdue ones are marked (red, and said in words).
`oldest_per_task` reads a whole part in a constant number of queries: the count and overdue count of every task
in one aggregate, then the first few rows of each task. The kernel knows no task; the apps
name them (`awards.panels`, `par.panels`, `campaigns.panels`) and render `core/panels/todo.html`
(through `{% todo_panel %}`, which keeps each rendered part in the cache under what it shows).
"""

import functools
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When

from . import versions

TEMPLATE = "core/panels/todo_cached.html"  # what the apps register: renders PANEL_TEMPLATE once per content
PANEL_TEMPLATE = "core/panels/todo.html"
OLDEST = 3  # items shown under each task


@dataclass
class Item:
    label: str
    url: str
    date: Any = None  # the date that makes it urgent (due date, submission date)
    date_label: str = ""  # what that date is ("hạn", "nộp ngày")
    overdue: bool = False
    note: str = ""


@dataclass
class Task:
    key: str  # stable name, for tests and anchors
    label: str
    count: int
    url: str  # the list filtered on these rows
    items: list = field(default_factory=list)
    overdue: int = 0


def cached(function):
    """A part's task function (`function(user)`) read once per user and data version (`core.versions`): the home
    page is opened far more often than its rows change. Called with a given day (the tests) it reads afresh."""
    name = f"todo.{function.__module__}.{function.__name__}"

    @functools.wraps(function)
    def wrapped(user, *args, **kwargs):
        if args or kwargs:
            return function(user, *args, **kwargs)
        return versions.cached(name, [user.pk], lambda: function(user))

    return wrapped


def oldest_per_task(queryset, tasks, *, order_by, overdue=None, per_task=OLDEST):
    """{task key: (count, overdue count, [its first `per_task` rows by `order_by`])}.

    `tasks` maps a task key to the Q its rows match (the first matching task wins); `overdue` is the Q of an
    overdue row. Rows matching no task are left out. One grouped query counts every task over the rows of some
    task only (an index on the state serves it), then one query per task reads its first rows (ORDER BY …
    LIMIT): 1 + len(tasks) queries whatever the rows, and no query ranks the whole table (a window over every
    row cost the home page most of its time at province scale).
    """
    if not tasks:
        return {}
    task = Case(*[When(condition, then=Value(key)) for key, condition in tasks.items()], default=Value(""))
    late = Case(When(overdue, then=Value(1)), default=Value(0), output_field=IntegerField()) if overdue is not None \
        else Value(0, output_field=IntegerField())
    tagged = queryset.filter(any_of(*tasks.values())).annotate(todo_task=task, todo_late=late)
    totals = {row["todo_task"]: row for row in tagged.order_by().values("todo_task").annotate(
        todo_count=Count("pk"), todo_late_count=Sum("todo_late"))}
    result = {}
    for key, condition in tasks.items():
        # The task's own condition first (an index on the state serves it), then "the first matching task wins".
        # Asked even for a task with no rows, so that the page's query count depends on the role only.
        rows = list(tagged.filter(condition, todo_task=key).order_by(*order_by)[:per_task])
        if key in totals:
            result[key] = (totals[key]["todo_count"], totals[key]["todo_late_count"] or 0, rows)
    return result


def any_of(*conditions):
    """The Q matching any of `conditions` (a task made of several states)."""
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined
