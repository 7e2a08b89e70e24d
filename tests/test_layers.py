"""The apps depend one way only: core ← units ← campaigns ← par ← awards ← reports.

No module or template of an app refers to an app after it (and the kernel, core, to none of them). A page that
shows something of a later app gets it through a registry of the kernel (`core.panels`, `core.demo`), filled by the
later app from its `AppConfig.ready`. Walked here:

- every .py module of each app, migrations and template tags included: its imports, and the strings that name
  another app's module or model ("awards.demo", "awards.Dossier"), URL ("awards:list") or template
  ("awards/panels/history.html"), or the app label itself where it stands for the app (a migration dependency
  `("awards", "0001_initial")`, `apps.get_model("awards", …)`);
  docstrings are documentation and are not read;
- every template of templates/<app>/ (templates/documents/ is the kernel's): the libraries it `{% load %}`s, the
  templates it `{% include %}`s or `{% extends %}`, and the quoted URL names and template paths it uses
  (`{% url 'awards:list' %}`).

The project's own templates (templates/base.html, pagination.html, the error pages) sit above every app.
"""

import ast
import re
from pathlib import Path

import pytest
from django.template import engines

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "units", "campaigns", "par", "awards", "reports"]
TEMPLATE_FOLDERS = {"documents": "core"}  # shared template folders that are not named after their app

_NAMED = re.compile(r"^(?P<app>[a-z_]+)[.:/]")
_LABEL_CALLS = {"get_model", "get_app_config", "is_installed", "swappable_dependency"}
_LOAD = re.compile(r"\{%\s*load\s+(?P<names>.*?)\s*%\}", re.S)
_INCLUDE = re.compile(r"""\{%\s*(?:include|extends)\s+(?P<q>["'])(?P<path>[^"']+)(?P=q)""")
_QUOTED = re.compile(r"""(?P<q>["'])(?P<app>[a-z_]+)(?P<rest>:[\w-]+|/[\w./-]+)(?P=q)""")


def _later(app):
    return set(LAYERS[LAYERS.index(app) + 1:])


def _owner_of_template(path):
    first = path.split("/", 1)[0]
    first = TEMPLATE_FOLDERS.get(first, first)
    return first if first in LAYERS else None


def _docstrings(tree):
    nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                nodes.add(id(first.value))
    return nodes


def _bare_labels(tree):
    """The strings that stand for an app label by position: ("awards", "0001_initial"), get_model("awards", …)."""
    nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2:
            nodes.add(id(node.elts[0]))
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in _LABEL_CALLS:
                nodes.add(id(node.args[0]))
    return nodes


def python_references(source, filename="<source>"):
    """[(line, app, what)] for every app a Python module names: imports and strings."""
    tree = ast.parse(source, filename)
    skip, labels = _docstrings(tree), _bare_labels(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0], f"import {alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0], f"from {node.module} import …"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            match = _NAMED.match(node.value)
            if match or (id(node) in labels and node.value in LAYERS):
                found.append((node.lineno, match["app"] if match else node.value, repr(node.value[:80])))
    return [(line, app, what) for line, app, what in found if app in LAYERS]


def template_references(text, libraries):
    """[(line, app, what)] for every app a template names: loaded libraries, included templates, URLs, paths.

    A library that no installed app provides is reported with app None."""
    found = []

    def line_of(match):
        return text.count("\n", 0, match.start()) + 1

    for match in _LOAD.finditer(text):
        names = match["names"].split()
        if "from" in names:  # {% load tag1 tag2 from library %}
            names = names[names.index("from") + 1:]
        for name in names:
            module = libraries.get(name)
            app = module.split(".")[0] if module else None
            if module is None or app in LAYERS:
                found.append((line_of(match), app, f"{{% load {name} %}}"))
    for match in _INCLUDE.finditer(text):
        app = _owner_of_template(match["path"])
        if app:
            found.append((line_of(match), app, match.group(0) + " %}"))
    for match in _QUOTED.finditer(text):
        app = TEMPLATE_FOLDERS.get(match["app"], match["app"]) if match["rest"].startswith("/") else match["app"]
        if app in LAYERS:
            found.append((line_of(match), app, match.group(0)))
    return found


def _libraries():
    return dict(engines["django"].engine.libraries)


def _python_files(app):
    return sorted(path for path in (ROOT / app).rglob("*.py") if "__pycache__" not in path.parts)


def _template_files(app):
    folders = [ROOT / "templates" / app, ROOT / app / "templates"]
    folders += [ROOT / "templates" / folder for folder, owner in TEMPLATE_FOLDERS.items() if owner == app]
    return sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*") if path.is_file())


@pytest.mark.parametrize("app", LAYERS)
def test_no_app_refers_to_a_later_one(app):
    later, libraries, offences = _later(app), _libraries(), []
    for path in _python_files(app):
        for line, target, what in python_references(path.read_text(encoding="utf-8"), str(path)):
            if target in later:
                offences.append(f"{path.relative_to(ROOT)}:{line}: {app} → {target}: {what}")
    for path in _template_files(app):
        for line, target, what in template_references(path.read_text(encoding="utf-8"), libraries):
            if target is None:
                offences.append(f"{path.relative_to(ROOT)}:{line}: unknown template library: {what}")
            elif target in later:
                offences.append(f"{path.relative_to(ROOT)}:{line}: {app} → {target}: {what}")
    assert offences == [], "\n".join(offences)


def test_every_app_folder_is_walked():
    """The walk sees real files (a renamed folder must not make the test pass by finding nothing)."""
    for app in LAYERS:
        assert _python_files(app), app
    for app in ("units", "campaigns", "par", "awards", "reports", "core"):
        assert _template_files(app), app


def test_the_walk_sees_each_kind_of_reference():
    source = '''"""Docstrings may mention awards:list or awards.demo."""
import awards
import awards.selectors as s
from reports.models import Report
from . import rules
from units import selectors
MODULE = "par.demo"
URL = "awards:list"
TEMPLATE = "campaigns/panels/home.html"
DEPENDENCY = ("awards", "0001_initial")
MODEL = apps.get_model("reports", "Report")
LABEL = "awards reports"
KEY = {"par": 1}
'''
    found = {(app, what.split()[0]) for _line, app, what in python_references(source)}
    assert found == {("awards", "import"), ("reports", "from"), ("units", "from"), ("par", "'par.demo'"),
                     ("awards", "'awards:list'"), ("campaigns", "'campaigns/panels/home.html'"),
                     ("awards", "'awards'"), ("reports", "'reports'")}

    libraries = {"i18n": "django.templatetags.i18n", "award_panels": "awards.templatetags.award_panels"}
    text = ('{% extends "base.html" %}{% load i18n award_panels %}\n{% load thing from gone_library %}\n'
            '{% include "par/_band.html" %}{% include "documents/_header.html" %}{% include variable %}\n'
            "<a href=\"{% url 'awards:list' %}?unit=1\">{% include 'units/x.html' with url=\"campaigns:y\" %}")
    found = template_references(text, libraries)
    assert {(line, app) for line, app, _what in found} == {
        (1, "awards"), (2, None), (3, "par"), (3, "core"), (4, "awards"), (4, "units"), (4, "campaigns")}
