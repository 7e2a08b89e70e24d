"""Demo data: `python manage.py load_demo` builds the units demo, then calls every builder the later apps
registered here from their `AppConfig.ready()`, in registration (INSTALLED_APPS) order, so the command needs no
knowledge of the apps after it.

A builder is a module with an idempotent `build()` returning a one-line summary ("" when there is nothing to say);
it is named by its dotted path and imported only when the demo is loaded (never at start-up of a web process).
"""

import importlib

_modules: list[str] = []


def register(module):
    """Have `load_demo` call `module.build()` (a dotted path) after the builders registered before it."""
    if module not in _modules:
        _modules.append(module)


def modules():
    return list(_modules)


def build_all():
    """Call every registered builder in order (inside the caller's transaction); their summaries."""
    return [importlib.import_module(module).build() for module in _modules]
