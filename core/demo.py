"""Demo data: `python manage.py load_demo` builds the units demo, then calls every builder the later apps
registered here from their `AppConfig.ready()`, in registration (INSTALLED_APPS) order, so the command needs no
knowledge of the apps after it.

A builder is a module with an idempotent `build()` returning a one-line summary ("" when there is nothing to say);
it is named by its dotted path and imported only when the demo is loaded (never at start-up of a web process).
"""

import importlib

_modules: list[str] = []
_closing: list[str] = []


def register(module, *, closing=False):
    """Have `load_demo` call `module.build()` (a dotted path) after the builders registered before it.

    `closing=True`: after every other builder, whatever the registration order. An earlier app needs it for a step
    that must follow what later apps build (closing a plan once the reports app has written its final review).
    """
    target = _closing if closing else _modules
    if module not in _modules + _closing:
        target.append(module)


def modules():
    return _modules + _closing


def build_all():
    """Call every registered builder in order (inside the caller's transaction); their summaries."""
    return [importlib.import_module(module).build() for module in modules()]


DEMO_FLAG = "demo"


def mark_loaded():
    """Remember that the demo data are in this database: every page then shows the banner "Dữ liệu mẫu" (the demo's
    names and titles carry no marker of their own)."""
    from .models import SiteFlag

    SiteFlag.objects.get_or_create(name=DEMO_FLAG)


def is_loaded():
    from .models import SiteFlag

    return SiteFlag.objects.filter(name=DEMO_FLAG).exists()
