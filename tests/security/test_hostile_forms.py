"""Hostile text in every text field of the project's forms, through the real views.

For each form a role can reach, every free-text field (every plain CharField the view's own form instance has) gets
its own script payload; after saving, the pages that show the object (detail, list, public page) must show each
value escaped (&lt;script&gt;…) and never the raw markup. Each length-limited text field, given one character too
many, must be refused with Vietnamese "tối đa N kí tự" and nothing saved; a very long text in an unlimited field must
never answer 500 (a form without a limit in front of a limited column would crash on PostgreSQL).
"""

import datetime

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import Nominee, PublicComment
from campaigns.models import (
    Achievement,
    Campaign,
    EmulationContent,
    ExemplaryModel,
    Initiative,
    Inspection,
    Registration,
    YearlyTheme,
)
from campaigns.services import work as campaign_services
from core.models import AuditEntry
from par.models import Criterion, Score
from reports.models import ReportDraft
from units.models import Person, Unit

from .conftest import PDF

PROJECT_APPS = ("core", "units", "campaigns", "par", "awards", "reports")
LONG_UNLIMITED = 30_000


def payload(i, limit=None):
    """The longest of three payloads that fits the field: (value, raw markup that must never appear, escaped form)."""
    tiers = [(f'<script>alert({i})</script>"><img src=x onerror=alert({i})>',
              [f"<script>alert({i})</script>", f"<img src=x onerror=alert({i})>"]),
             (f"<script>alert({i})</script>", [f"<script>alert({i})</script>"]),
             (f"<script>{i}</script>", [f"<script>{i}</script>"])]
    for value, raw in tiers:
        if limit is None or len(value) <= limit:
            return value, raw, raw[0].replace("<", "&lt;").replace(">", "&gt;")
    raise AssertionError(f"field of {limit} characters: too short for a payload")


class Case:
    role = "admin"
    identifiers = ()  # code-like fields validated to a character set: tested separately (polite refusal)
    not_shown = ()  # stored but not displayed on any page (nothing to escape)
    edits_in_place = False  # the form edits one existing object rather than creating one

    def __init__(self, f):
        self.f = f
        self.users = f("users")
        self.setup()

    def setup(self):
        pass

    def extra(self):
        return {}

    def post_url(self):
        return self.url()

    def more_texts(self, context):
        """Text fields outside the view's main form (a formset), by their POST name."""
        return {}


class UnitCase(Case):
    identifiers = ("code",)

    def url(self):
        return reverse("units:create")

    def base(self):
        return {"code": "XSS-1", "kind": "division", "parent": self.f("tree")["dm01"].pk}

    def created(self):
        return Unit.objects.filter(code="XSS-1").first()

    def pages(self, obj):
        return [reverse("units:detail", kwargs={"code": obj.code}), reverse("units:list"),
                reverse("units:detail", kwargs={"code": "DM-01"})]


class PersonCase(Case):
    role = "dm_officer"
    identifiers = ("staff_code",)

    def url(self):
        return reverse("units:person_create")

    def base(self):
        return {"gender": "female", "unit": self.f("tree")["dm01"].pk, "staff_code": "XSS-001"}

    def created(self):
        return Person.objects.filter(staff_code="XSS-001").first()

    def pages(self, obj):
        return [reverse("units:person_detail", kwargs={"pk": obj.pk}), reverse("units:people")]


class CampaignCase(Case):
    def url(self):
        return reverse("campaigns:create")

    def base(self):
        return {"issued_on": "14/10/2024", "kind": "thematic", "starts_on": "14/10/2024", "ends_on": "31/12/2026",
                "participant_unit_kinds": ["commune"], "individuals_take_part": "on"}

    def created(self):
        return Campaign.objects.order_by("-pk").exclude(number="584/KH-UBND").first()

    def setup(self):
        self.f("campaign")

    def pages(self, obj):
        return [reverse("campaigns:detail", kwargs={"pk": obj.pk}), reverse("campaigns:list")]


class ContentCase(Case):
    def url(self):
        return reverse("campaigns:content_create", kwargs={"pk": self.f("campaign").pk})

    def base(self):
        return {"number": 6}

    def created(self):
        return EmulationContent.objects.filter(number=6).first()

    def pages(self, obj):
        return [reverse("campaigns:detail", kwargs={"pk": obj.campaign_id})]


class ThemeCase(Case):
    def url(self):
        return reverse("campaigns:theme_create", kwargs={"pk": self.f("campaign").pk})

    def base(self):
        return {"year": 2024}

    def created(self):
        return YearlyTheme.objects.first()

    def pages(self, obj):
        return [reverse("campaigns:theme_detail", kwargs={"pk": obj.pk}),
                reverse("campaigns:detail", kwargs={"pk": obj.campaign_id})]


class RegistrationCase(Case):
    role = "dm_officer"

    def url(self):
        return reverse("campaigns:register", kwargs={"pk": self.f("campaign").pk, "code": "DM-01", "year": 2025})

    def base(self):
        return {}

    def created(self):
        return Registration.objects.first()

    def pages(self, obj):
        return [reverse("campaigns:registration_detail", kwargs={"pk": obj.pk}),
                reverse("campaigns:registrations", kwargs={"pk": obj.campaign_id})]


class AchievementCase(Case):
    role = "dm_officer"

    def url(self):
        return reverse("campaigns:achievement_create")

    def base(self):
        return {"campaign": self.f("campaign").pk, "year": 2024, "content": self.f("contents")[2].pk,
                "unit": self.f("tree")["dm01"].pk}

    def extra(self):
        return {"files": SimpleUploadedFile("minh-chung.pdf", PDF)}

    def created(self):
        return Achievement.objects.first()

    def pages(self, obj):
        return [reverse("campaigns:achievement_detail", kwargs={"pk": obj.pk}),
                reverse("campaigns:achievement_list")]


class InitiativeCase(Case):
    role = "dm_officer"

    def url(self):
        return reverse("campaigns:initiative_create")

    def base(self):
        return {"campaign": self.f("campaign").pk, "year": 2024, "unit": self.f("tree")["dm01"].pk,
                "authors": [self.f("people")["an"].pk]}

    def extra(self):
        return {"files": SimpleUploadedFile("minh-chung.pdf", PDF)}

    def created(self):
        return Initiative.objects.first()

    def pages(self, obj):
        return [reverse("campaigns:initiative_detail", kwargs={"pk": obj.pk}), reverse("campaigns:initiative_list")]


class InspectionCase(Case):
    def setup(self):
        from campaigns.services import plan as plan_services

        campaign = self.f("campaign")
        self.f("contents")
        plan_services.registration_create(
            campaign=campaign, unit=self.f("tree")["dm01"], year=datetime.date.today().year
            if datetime.date.today().year in campaign.years else campaign.years[-1],
            commitments={c.pk: "Cam kết" for c in campaign.contents.all()}, note="", by=self.users["dm_officer"])

    def url(self):
        return reverse("campaigns:inspection_create", kwargs={"pk": self.f("campaign").pk})

    def base(self):
        return {"unit": self.f("tree")["dm01"].pk, "inspected_on": "10/05/2025", "tasks-TOTAL_FORMS": "1",
                "tasks-INITIAL_FORMS": "0", "tasks-MIN_NUM_FORMS": "0", "tasks-MAX_NUM_FORMS": "1000",
                "tasks-0-deadline": "30/06/2025"}

    def more_texts(self, context):
        return {"tasks-0-description": context["tasks"].forms[0].fields["description"]}

    def created(self):
        return Inspection.objects.first()

    def pages(self, obj):
        return [reverse("campaigns:inspection_detail", kwargs={"pk": obj.pk}),
                reverse("campaigns:inspections", kwargs={"pk": obj.campaign_id})]


class ExemplaryCase(Case):
    def url(self):
        return reverse("campaigns:exemplary_create")

    def base(self):
        return {"campaign": self.f("campaign").pk, "kind": "practice", "year": 2024}

    def created(self):
        return ExemplaryModel.objects.first()

    def pages(self, obj):
        campaign_services.exemplary_publish(model=obj, by=self.users["admin"])
        return [reverse("campaigns:exemplary_manage"), reverse("campaigns:exemplary_edit", kwargs={"pk": obj.pk}),
                "anonymous:" + reverse("campaigns:public_models"),
                "anonymous:" + reverse("campaigns:public_model", kwargs={"pk": obj.pk})]


class CriterionCase(Case):
    identifiers = ("code",)

    def url(self):
        return reverse("par:criterion_add", kwargs={"pk": self.f("district_set").pk})

    def base(self):
        return {"code": "3", "max_points": "5"}

    def created(self):
        return Criterion.objects.filter(code="3").first()

    def pages(self, obj):
        return [reverse("par:set_detail", kwargs={"pk": obj.criteria_set_id})]


class ExplanationCase(Case):
    role = "dm_officer"
    edits_in_place = True

    def setup(self):
        self.sheet = self.f("district_sheets")["DM"]
        self.criterion = self.sheet.criteria_set.criteria.get(code="1.1")

    def url(self):
        return reverse("par:score_edit", kwargs={"pk": self.sheet.pk, "criterion_pk": self.criterion.pk})

    def base(self):
        return {"self_score": "3"}

    def created(self):
        return Score.objects.filter(sheet=self.sheet, criterion=self.criterion).exclude(explanation="").first()

    def pages(self, obj):
        return [reverse("par:sheet", kwargs={"pk": self.sheet.pk}),
                "appraiser:" + reverse("par:appraisal", kwargs={"pk": self.sheet.pk})]


class NomineeCase(Case):
    role = "dm_officer"

    def setup(self):
        self.dossier = self.f("make_dossier")("draft", complete=False)

    def url(self):
        return reverse("awards:nominee_add", kwargs={"pk": self.dossier.pk})

    def base(self):
        return {"unit": self.f("tree")["dm01"].pk}

    def created(self):
        return Nominee.objects.filter(dossier=self.dossier).first()

    def pages(self, obj):
        return [reverse("awards:detail", kwargs={"pk": self.dossier.pk}),
                "appraiser:" + reverse("awards:detail", kwargs={"pk": self.dossier.pk})]


class ReportCase(Case):
    edits_in_place = True
    def setup(self):
        from reports import services as report_services

        self.f("contents")
        self.draft = report_services.draft_create(by=self.users["admin"], campaign=self.f("campaign"),
                                                  kind="interim")

    def url(self):
        return reverse("reports:draft", kwargs={"pk": self.draft.pk})

    def base(self):
        return {"issued_on": "20/12/2023"}

    def created(self):
        draft = ReportDraft.objects.get(pk=self.draft.pk)
        return draft if draft.strengths else None

    def pages(self, obj):
        return [reverse("reports:draft", kwargs={"pk": obj.pk}), reverse("reports:preview", kwargs={"pk": obj.pk})]


class PublicCommentCase(Case):
    """Anyone (no account) may comment on a published list of nominees; Sở Nội vụ reads the comments."""

    role = None

    def setup(self):
        from awards import services as award_services

        self.dossier = self.f("make_dossier")("proposed")
        self.posting = award_services.posting_publish(dossiers=[self.dossier], by=self.users["admin"],
                                                      title="Công khai danh sách đề nghị khen thưởng")

    def url(self):
        return reverse("awards:posting_detail", kwargs={"pk": self.posting.pk})

    def post_url(self):
        return reverse("awards:comment_add", kwargs={"pk": self.posting.pk})

    def base(self):
        return {"dossier": self.dossier.pk}

    def created(self):
        return PublicComment.objects.first()

    def pages(self, obj):
        return ["appraiser:" + self.url(), "anonymous:" + self.url()]


CASES = {"unit": UnitCase, "person": PersonCase, "campaign": CampaignCase, "content": ContentCase,
         "theme": ThemeCase, "registration": RegistrationCase, "achievement": AchievementCase,
         "initiative": InitiativeCase, "inspection": InspectionCase, "exemplary": ExemplaryCase,
         "criterion": CriterionCase, "explanation": ExplanationCase, "nominee": NomineeCase, "report": ReportCase,
         "public comment": PublicCommentCase}


@pytest.fixture
def case(request, db, client):
    def build(name):
        built = CASES[name](request.getfixturevalue)
        _login(client, built, built.role)
        response = client.get(built.url())
        assert response.status_code == 200, f"{name}: the form page answers {response.status_code}"
        form = response.context["form"]
        texts = {field_name: field for field_name, field in form.fields.items()
                 if type(field) is forms.CharField and field_name not in built.identifiers and not field.disabled}
        texts.update(built.more_texts(response.context))
        assert texts, f"{name}: no text field found"
        return built, texts
    return build


def _rows():
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()
              if model._meta.app_label in PROJECT_APPS}
    counts["audit"] = AuditEntry.objects.count()
    return counts


def _filled(built, texts, override=None):
    data = {**built.base(), **{name: f"Nội dung hợp lệ {n}" for n, name in enumerate(texts)}, **built.extra()}
    data.update(override or {})
    return data


def _errors_of(response):
    context = response.context
    form = context.get("form") if context else None
    return dict(form.errors) if form is not None else response.content.decode()[:2000]


def _login(client, built, role):
    if role is None:
        client.logout()
    else:
        client.force_login(built.users[role])


def _get(client, built, page):
    """GET a page as the case's user, or as "appraiser:" / "anonymous:" when the page says so."""
    role, url = built.role, page
    for prefix, who in (("appraiser:", "appraiser"), ("anonymous:", None)):
        if page.startswith(prefix):
            role, url = who, page[len(prefix):]
    _login(client, built, role)
    response = client.get(url)
    _login(client, built, built.role)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    return response.content.decode()


@pytest.mark.parametrize("name", CASES)
def test_script_in_every_text_field_is_shown_escaped(case, client, name):
    built, texts = case(name)
    marks = {field_name: i for i, field_name in enumerate(texts, start=1)}
    payloads = {field_name: payload(i, texts[field_name].max_length) for field_name, i in marks.items()}
    response = client.post(built.post_url(), _filled(built, texts, {k: v[0] for k, v in payloads.items()}))
    assert response.status_code == 302, f"{name}: not saved: {_errors_of(response)}"
    obj = built.created()
    assert obj is not None, f"{name}: nothing saved"
    html = "".join(_get(client, built, page) for page in built.pages(obj))
    raw = [(field_name, marker) for field_name, (_v, markers, _e) in payloads.items() for marker in markers
           if marker in html]
    assert raw == [], f"{name}: raw markup on the page: {raw}"
    hidden = sorted(field_name for field_name, (_v, _m, escaped) in payloads.items() if escaped not in html)
    assert hidden == sorted(built.not_shown), f"{name}: fields not shown (escaped) on any page: {hidden}"


@pytest.mark.parametrize("name", CASES)
def test_over_long_text_is_refused_in_vietnamese(case, client, name):
    built, texts = case(name)
    limited = {field_name: field.max_length for field_name, field in texts.items() if field.max_length}
    problems = []
    for field_name in texts:
        limit = limited.get(field_name)
        data = _filled(built, texts, {field_name: "ữ" * (limit + 1 if limit else LONG_UNLIMITED)})
        before = _rows()
        response = client.post(built.post_url(), data)
        if response.status_code >= 500:
            problems.append(f"{field_name}: {response.status_code}")
        elif limit:
            if response.status_code == 302 or f"Tối đa {limit} ký tự" not in response.content.decode():
                problems.append(f"{field_name}: {limit + 1} characters not refused in Vietnamese "
                                f"({response.status_code})")
            after = _rows()
            if after != before:
                problems.append(f"{field_name}: something was saved: "
                                f"{ {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v} }")
        saved = built.created()
        if saved is not None and not built.edits_in_place:
            saved.delete()  # an accepted long text: start the next field from a clean slate
    assert problems == [], f"{name}: {problems}"


@pytest.mark.parametrize("name", ["unit", "criterion"])
def test_markup_in_a_code_field_is_refused_politely(case, client, name):
    """Codes are validated to a character set: markup is refused on the form, in Vietnamese, nothing saved."""
    _refused_in_code_fields(case, client, name)


def _refused_in_code_fields(case, client, name):
    built, texts = case(name)
    assert built.identifiers
    for field_name in built.identifiers:
        data = _filled(built, texts, {field_name: "<script>9</script>"})
        before = _rows()
        response = client.post(built.post_url(), data)
        assert response.status_code == 200, f"{name}.{field_name}: {response.status_code}"
        assert _rows() == before
        assert "<script>9</script>" not in response.content.decode()
        errors = response.context["form"].errors.get(field_name)
        assert errors and all(any(ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ" for ch in e)
                              for e in errors), errors


def test_markup_in_a_staff_code_is_refused_politely(case, client):
    """The people import refuses a staff code outside [A-Z0-9._-]; the person form must refuse it too."""
    _refused_in_code_fields(case, client, "person")
