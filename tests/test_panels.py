"""The panel registry of the kernel (`core.panels`): what the later apps show on the earlier apps' pages."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from core import panels


def test_each_page_shows_the_later_apps_panels_in_app_order():
    assert [p.name for p in panels.panels("home")] == ["campaigns.home", "campaigns.todo", "par.todo", "awards.todo"]
    assert [p.name for p in panels.panels("unit")] == ["par.results", "awards.history", "awards.profile"]
    assert [p.name for p in panels.panels("person")] == ["campaigns.initiatives", "awards.history", "awards.profile"]
    assert [c.name for c in panels.columns("monitoring")] == ["awards.overdue"]
    assert panels.panels("monitoring") == [] and panels.columns("unit") == []


@pytest.fixture
def registry(monkeypatch, settings, tmp_path):
    """An empty registry and a folder of test templates."""
    monkeypatch.setattr(panels, "_panels", {})
    monkeypatch.setattr(panels, "_columns", {})
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    def template(name, text):
        (tmp_path / name).write_text(text, encoding="utf-8")
        return name

    return template


def test_panels_render_in_order_with_their_own_context_only(registry):
    first = registry("first.html", "[{{ name }}|{{ secret }}|{{ request.path }}]")
    second = registry("second.html", "<{{ name }}>")
    panels.register("page", "a.first", first, lambda request, obj: {"name": f"{obj} & co"})
    panels.register("page", "b.hidden", second, lambda request, obj: None)  # None: not shown
    panels.register("page", "c.second", second, lambda request, obj: {"name": request.path})
    panels.register("page", "a.first", first, lambda request, obj: {"name": obj})  # replaces, keeps its place
    request = RequestFactory().get("/trang")
    html = Template('{% load panels %}{% render_panels "page" thing %}').render(
        Context({"thing": "x<y", "secret": "page variable", "request": request}))
    assert html == "[x&lt;y||]\n</trang>"
    assert panels.render("page", "z", request=request, only={"c.second"}) == "</trang>"
    assert Template('{% load panels %}{% render_panels "nothing" %}').render(Context()) == ""


def test_a_column_answers_for_the_whole_page_at_once(registry):
    calls = []

    def values(request, obj, rows):
        calls.append((obj, [row["pk"] for row in rows]))
        return {row["pk"]: row["pk"] * 10 for row in rows if row["pk"] != 2}

    panels.register_column("list", "a.tens", header=registry("th.html", "<th>{{ row }}T</th>"),
                           cell=registry("td.html", "<td>{{ row.pk }}:{{ value }}</td>"), values=values,
                           key=lambda row: row["pk"], default=0)
    rows = [{"pk": 1}, {"pk": 2}, {"pk": 3}]
    html = Template('{% load panels %}{% panel_columns "list" "obj" rows as columns %}'
                    "{% for c in columns %}{% column_header c %}{% endfor %}"
                    "{% for row in rows %}{% for c in columns %}{% column_cell c row %}{% endfor %}{% endfor %}"
                    ).render(Context({"rows": rows}))
    assert html == "<th>T</th><td>1:10</td><td>2:0</td><td>3:30</td>"
    assert calls == [("obj", [1, 2, 3])]
