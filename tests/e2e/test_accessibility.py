"""axe-core finds no serious or critical violation (issue 15) on the demo province: login, each role's home, lists,
forms, a detail page of each app, the dashboard and the public pages. axe comes from the npm registry
(node_modules/axe-core), is evaluated in the page by the test and never served by the product. One demo, one
browser; each page's violations are listed in the failure message."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from awards.models import CouncilSession, Decision, Dossier, Posting
from campaigns.models import Achievement, Campaign, ExemplaryModel, Initiative
from par.models import CriteriaSet, ScoreSheet
from reports.models import ReportDraft
from tests.e2e.test_daily_home import login
from units.models import Person, User

AXE = (Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
SEVERE = ("serious", "critical")


def violations(page):
    """The serious and critical axe violations of the page as shown, as readable lines."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE + "\n;0")  # evaluated by the test (the CSP forbids inline scripts in the product)
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]} {v['nodes'][0]['failureSummary']}"
            for v in found if v["impact"] in SEVERE]


def _first(queryset):
    row = queryset.first()
    assert row is not None, f"the demo has no {queryset.model.__name__} for this page"
    return row


def _pages():
    """(user or None, path) of every page checked, from the demo's rows."""
    officer = User.objects.get(username="dakmil.canbo")
    scope = officer.unit.path
    own_dossier = _first(Dossier.objects.filter(unit__path__startswith=scope, state="returned"))
    appraised = _first(Dossier.objects.filter(state="under_appraisal"))
    sheet = _first(ScoreSheet.objects.filter(status="under_appraisal"))
    own_sheet = ScoreSheet.objects.filter(unit=officer.unit).first()
    campaign = _first(Campaign.objects.filter(status="launched"))
    published = CriteriaSet.objects.filter(published_at__isnull=False).order_by("-year").first()
    model = ExemplaryModel.objects.filter(published_at__isnull=False).first()
    posting = Posting.objects.first()
    draft = ReportDraft.objects.first()
    pages = [
        (None, reverse("login")), (None, "/"), (None, reverse("campaigns:public_models")),
        (None, reverse("awards:posting_list")),
        ("dakmil.canbo", "/"), ("dakmil.canbo", reverse("awards:list")), ("dakmil.canbo", reverse("awards:create")),
        ("dakmil.canbo", own_dossier.get_absolute_url()),
        ("dakmil.canbo", reverse("awards:nominee_add", args=[own_dossier.pk])),
        ("dakmil.canbo", reverse("campaigns:achievement_create")),
        ("dakmil.canbo", reverse("campaigns:initiative_create")),
        ("dakmil.canbo", reverse("par:index")), ("dakmil.canbo", reverse("units:person_create")),
        ("snv.thamdinh", "/"), ("snv.thamdinh", reverse("awards:list")), ("snv.thamdinh", appraised.get_absolute_url()),
        ("snv.thamdinh", reverse("par:appraisal", args=[sheet.pk])),
        ("snv.thamdinh", reverse("par:set_detail", args=[sheet.criteria_set_id])),
        ("snv.thamdinh", reverse("campaigns:review_queue")),
        ("snv.thamdinh", _first(Achievement.objects.filter(status="submitted")).get_absolute_url()),
        ("snv.thamdinh", _first(Initiative.objects.all()).get_absolute_url()),
        ("snv.quantri", "/"), ("snv.quantri", campaign.get_absolute_url()),
        ("snv.quantri", reverse("campaigns:monitoring", args=[campaign.pk])),
        ("snv.quantri", _first(CouncilSession.objects.all()).get_absolute_url()),
        ("snv.quantri", _first(Decision.objects.filter(external=False)).get_absolute_url()),
        ("snv.quantri", reverse("units:list")), ("snv.quantri", reverse("units:people")),
        ("snv.quantri", officer.unit.get_absolute_url()),
        ("snv.quantri", _first(Person.objects.all()).get_absolute_url()),
        ("snv.quantri", reverse("units:accounts")), ("snv.quantri", reverse("units:account_create")),
        ("snv.quantri", reverse("units:activity")), ("snv.quantri", reverse("reports:index")),
        ("lanhdao", "/"), ("lanhdao", reverse("reports:dashboard")), ("lanhdao", reverse("par:index")),
        ("lanhdao.pheduyet", "/"), ("lanhdao.pheduyet", reverse("awards:decisions")),
    ]
    if own_sheet is not None:
        pages.append(("dakmil.canbo", own_sheet.get_absolute_url()))
    if published is not None:
        pages.append((None, reverse("par:public_ranking", args=[published.year])))
    if model is not None:
        pages.append((None, reverse("campaigns:public_model", args=[model.pk])))
    if posting is not None:
        pages.append((None, posting.get_absolute_url()))
    if draft is not None:
        pages.append(("snv.quantri", reverse("reports:draft", args=[draft.pk])))
    return pages


@pytest.mark.django_db(transaction=True)
def test_no_serious_or_critical_violation(page, live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}
    call_command("load_demo", stdout=open("/dev/null", "w"))
    base = live_server.url
    failures, checked, current = {}, 0, object()
    for user, path in sorted(_pages(), key=lambda row: row[0] or ""):
        if user != current:
            page.context.clear_cookies()
            if user is not None:
                login(page, base, user)
            current = user
        response = page.goto(f"{base}{path}")
        assert response.status == 200, f"{user or 'anonymous'} {path}: {response.status}"
        found = violations(page)
        checked += 1
        if found:
            failures[f"{user or 'anonymous'} {path}"] = found
    assert failures == {}
    assert checked >= 35
    # The check itself sees a failure: the navigation bar's old colours (2.36:1) are reported.
    page.evaluate("""document.querySelector('main').insertAdjacentHTML('beforeend',
        '<p id="probe" style="color:#92befe;background:#0d6efd">Thi đua CCHC</p>')""")
    assert any(line.startswith("color-contrast") and "#probe" in line for line in violations(page))
