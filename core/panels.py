"""Panels: what an app shows on a page of an app before it, without that page knowing the later app.

A page names a slot ("unit", "person", "home" …) and its template renders whatever is registered there:

    {% load panels %}{% render_panels "unit" unit %}

An app contributes from its `AppConfig.ready()` (see `awards/panels.py`):

    panels.register("unit", "awards.history", "awards/panels/history.html", unit_history)

`unit_history(request, unit)` returns the template's context, or None to leave the panel out. Panels render in
the order they were registered, that is the order of INSTALLED_APPS (upstream apps first), each with its own
context only, as an inclusion tag would (the page's variables do not leak in). A panel is built once for the
page's one object, so it costs its few queries once, never once per row.

A list page takes columns instead (slot "monitoring"). A column's `values(request, obj, rows)` receives the whole
page of rows at once and returns {key(row): value} computed in one query (from a selector of its app); its header
and its cell are two small templates (the cell gets `row` and `value`):

    panels.register_column("monitoring", "awards.overdue", header="awards/panels/overdue_header.html",
                           cell="awards/panels/overdue_cell.html", values=overdue_by_unit, default=0)

    {% panel_columns "monitoring" campaign page as columns %}
    <tr>…{% for column in columns %}{% column_header column %}{% endfor %}</tr>
    {% for row in page %}<tr>…{% for column in columns %}{% column_cell column row %}{% endfor %}</tr>{% endfor %}

Registering the same (slot, name) again replaces the entry in place. The kernel knows no slot and no app.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.template import Context, Engine
from django.utils.safestring import mark_safe

PANEL_SEPARATOR = "\n"  # between two panels of a slot, as two tags on their own lines would leave it


@dataclass(frozen=True)
class Panel:
    slot: str
    name: str
    template: str
    context: Callable[[Any, Any], Mapping | None]  # (request, obj) → the template's context, or None: not shown


@dataclass(frozen=True)
class Column:
    slot: str
    name: str
    header: str  # template of the header cell(s)
    cell: str  # template of one row's cell: `row`, `value`
    values: Callable[[Any, Any, list], Mapping]  # (request, obj, rows) → {key(row): value}, in one query
    key: Callable[[Any], Any] = attrgetter("pk")
    default: Any = None  # the value of a row the mapping does not hold


_panels: dict[str, dict[str, Panel]] = {}
_columns: dict[str, dict[str, Column]] = {}


def register(slot, name, template, context):
    """Show `template` on the pages of `slot`, with the context `context(request, obj)` builds."""
    _panels.setdefault(slot, {})[name] = Panel(slot, name, template, context)


def register_column(slot, name, *, header, cell, values, key=attrgetter("pk"), default=None):
    """Add a column to the list page `slot`; `values(request, obj, rows)` answers for the whole page at once."""
    _columns.setdefault(slot, {})[name] = Column(slot, name, header, cell, values, key, default)


def panels(slot):
    return list(_panels.get(slot, {}).values())


def columns(slot):
    return list(_columns.get(slot, {}).values())


def _engine(parent):
    template = getattr(parent, "template", None)
    return template.engine if template is not None else Engine.get_default()


def _render(template_name, values, parent):
    engine = _engine(parent)
    context = parent.new(values) if parent is not None else Context(values)
    return engine.get_template(template_name).render(context)


def render(slot, obj=None, *, request=None, parent=None, only=None):
    """The HTML of the panels registered for `slot` (those named in `only`, if given), in registration order.

    `parent` is the template context rendering the page (the template tag passes it); each panel still sees only
    the context its function built.
    """
    parts = []
    for panel in panels(slot):
        if only is not None and panel.name not in only:
            continue
        values = panel.context(request, obj)
        if values is not None:
            parts.append(_render(panel.template, values, parent))
    return mark_safe(PANEL_SEPARATOR.join(parts))  # each part is a template's autoescaped output


@dataclass
class BoundColumn:
    """A column with its values for one page of rows."""

    column: Column
    values: Mapping
    parent: Any = field(default=None, repr=False)

    @property
    def name(self):
        return self.column.name

    def value(self, row):
        return self.values.get(self.column.key(row), self.column.default)

    def header(self):
        return mark_safe(_render(self.column.header, {}, self.parent))

    def cell(self, row):
        return mark_safe(_render(self.column.cell, {"row": row, "value": self.value(row)}, self.parent))


def bind_columns(slot, obj, rows, *, request=None, parent=None):
    """The columns of `slot` for this page of `rows`: one call of each column's `values` (its one query)."""
    rows = list(rows)
    return [BoundColumn(column, column.values(request, obj, rows), parent) for column in columns(slot)]
