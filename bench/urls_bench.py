"""The project's URLs plus a plain Django admin for the models the project admin leaves out (benchmark baselines).

Used only by bench/settings_bench.py: `/bench-admin/` lists dossiers, PAR sheets and registrations with stock
ModelAdmin classes, so each key page can be compared with the stock admin page of the same model.
"""

from django.contrib import admin
from django.urls import path

from config.urls import urlpatterns as project_urls

site = admin.AdminSite(name="bench_admin")


def _register():
    from campaigns.models import Achievement, Registration
    from units.models import Person, Unit

    site.register(Unit, list_display=["code", "name", "kind", "parent"], search_fields=["code", "name"])
    site.register(Person, list_display=["full_name", "gender", "position", "unit"], search_fields=["full_name"])
    site.register(Achievement, list_display=["title", "unit", "year", "content", "status"], list_filter=["status"])
    site.register(Registration, list_display=["unit", "year", "campaign", "registered_at"], list_filter=["year"])
    try:
        from awards.models import Dossier
        site.register(Dossier, list_display=["id", "unit", "form", "milestone", "state", "due_on"],
                      list_filter=["state"])
    except ImportError:
        pass
    try:
        from par.models import ScoreSheet
        site.register(ScoreSheet, list_display=["unit", "criteria_set", "status", "index_percent", "band"],
                      list_filter=["status"])
    except ImportError:
        pass


_register()

urlpatterns = [path("bench-admin/", site.urls), *project_urls]
