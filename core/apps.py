from django.apps import AppConfig
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel every app uses and that knows no domain (see docs/architecture.md)."""

    default = True  # this module holds a second AppConfig, the base below: Django is told which one is core's
    name = "core"
    verbose_name = _("Nhật ký và dùng chung")


class ContributingConfig(AppConfig):
    """An app's configuration that only declares what the app puts into the kernel's registries; `ready()` fills
    them, in the order below (each registry keeps its own order, across apps the INSTALLED_APPS one).

    An app imports this module, not the class (`from core import apps as kernel`): a second AppConfig class in its
    apps.py would leave Django unable to tell which one is the app's.

    Paths are relative to the app ("panels.register" is `<app>.panels.register`); they are imported only here, at
    start-up, so an app's modules are never imported by the kernel before Django is ready.
    """

    panels = None  # a function that registers the app's panels, columns and badges (core.panels, core.badges)
    restructuring = None  # a function that registers its movers (units.restructuring)
    action_labels = None  # a {action: label} dict: the activity page's names of its actions (core.audit)
    demo = ()  # dotted paths of its demo builders, run by `load_demo` in this order (core.demo)
    demo_closing = ()  # builders run after every other app's, in this order (core.demo, closing=True)
    jobs = None  # a function that registers its background imports (core.imports)

    def ready(self):
        from core import audit, demo

        def own(path):
            return import_string(f"{self.name}.{path}")

        if self.panels:
            own(self.panels)()
        if self.restructuring:
            own(self.restructuring)()
        if self.action_labels:
            audit.label_actions(own(self.action_labels))
        for module in self.demo:
            demo.register(module)
        for module in self.demo_closing:
            demo.register(module, closing=True)
        if self.jobs:
            own(self.jobs)()
