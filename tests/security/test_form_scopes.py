"""Every model-choice field of every form of the project lists only what the user may see (issue 17, point 1).

The guard walks every module of the apps (forms, views, import views, anything else), collects each form class
defined there, instantiates it for the Đắk Mil district officer, and checks each ModelChoiceField /
ModelMultipleChoiceField (declared or built by a ModelForm from a foreign key or many-to-many field):

- a field over a global catalogue (GLOBAL_CATALOGUES below: reviewed, one reason each) may list every row, except
  what the catalogue's own visibility hides from an officer (draft campaigns and their rounds);
- any other field must have been given its queryset through `core.forms.scope_choices` at instantiation (from a
  scoped selector), and none of its rows may belong to a unit outside the officer's subtree (DM and below).

The data hold, for every model checked, rows outside that subtree (the other district GN, the province, Sở Nội vụ, a
draft campaign), so a queryset that is not scoped shows up; the test fails if they do not.

A new form the test cannot build fails the test, with the way to add it: its keyword arguments are taken by name
from `_context` (user, campaign, dossier, …); add the missing one there.
"""

import datetime
import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms

from awards.models import AwardBasis, AwardForm, CommendationRecord, CouncilSession, DocumentType
from campaigns.models import Campaign, CampaignStatus, EmulationContent, EvidenceFile, Milestone, MilestoneKind
from campaigns.selectors.plan import campaigns_visible_to, milestones_visible_to
from campaigns.services import work as campaign_services
from core.models import Signer
from tests.fixtures.par import leaf
from units.models import EmulationBlock, Person, Unit

from .conftest import pdf

pytestmark = pytest.mark.django_db

PROJECT_PACKAGES = ("core", "units", "campaigns", "par", "awards", "reports")

# Global catalogues: the same list for every user of the province. Model → (why it is not scoped, the rows an
# officer may see, or None for all). Reviewed: adding a model here needs a reason a reviewer can agree with.
GLOBAL_CATALOGUES = {
    AwardForm: ("award forms are the law as data (Law 06/2022), the same for every unit", None),
    DocumentType: ("document types of a dossier are fixed by the law, the same for every unit", None),
    EmulationBlock: ("the khối/cụm thi đua list is province-wide; every unit page names its block", None),
    Campaign: ("plans of the province; launched and closed ones are public to every user, drafts are not",
               campaigns_visible_to),
    EmulationContent: ("the contents of a plan are public with the plan (drafts excepted)",
                       lambda user: EmulationContent.objects.filter(campaign__in=campaigns_visible_to(user))),
    Milestone: ("the rounds of a plan are public with the plan (drafts excepted)", milestones_visible_to),
    Signer: ("who signs the province's decisions (a public official, named on every decision); no unit's data",
             None),
    CouncilSession: ("meetings of the provincial emulation council: province level, no unit's data", None),
}


def _project_modules():
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            if any(part in {"migrations", "tests"} for part in info.name.split(".")):
                continue
            yield importlib.import_module(info.name)


def project_forms():
    """Every form class defined in a module of the project (django.forms.BaseForm subclasses), by dotted name;
    private bases (`_UnitWorkForm`) are checked through the forms that use them."""
    found = {}
    for module in _project_modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm) and not name.startswith("_"):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


UNIT_OF = {
    Unit: lambda row: row,
    Person: lambda row: row.unit,
    EvidenceFile: lambda row: row.achievement.unit,
    CommendationRecord: lambda row: row.unit or row.person.unit,
}


def unit_getter(model):
    """row → the unit the row belongs to (its scope), or None when the test does not know the model: then teach
    UNIT_OF. A model with a `unit` foreign key needs no entry."""
    if model in UNIT_OF:
        return UNIT_OF[model]
    if any(f.name == "unit" and f.related_model is Unit for f in model._meta.get_fields()):
        return lambda row: row.unit
    return None


MISSING = re.compile(r"missing \d+ required (?:keyword-only|positional) arguments?: (.*)$")


def instantiate(cls, context):
    """`cls(**kwargs)` with the keyword arguments it asks for, by name, from `context`; a reason when it cannot."""
    kwargs = {}
    for _attempt in range(10):
        try:
            return cls(**kwargs), None
        except TypeError as error:
            match = MISSING.search(str(error))
            names = re.findall(r"'(\w+)'", match.group(1)) if match else []
            unknown = [name for name in names if name not in context]
            if not names or unknown:
                return None, (
                    f"cannot build {cls.__module__}.{cls.__qualname__} for the officer ({error}). Add the keyword "
                    f"argument(s) {unknown or '?'} it takes to `_context` in tests/security/test_form_scopes.py "
                    f"(an object of the officer's own unit), so its model-choice fields are checked too.")
            kwargs.update({name: context[name] for name in names})
    return None, f"cannot build {cls.__module__}.{cls.__qualname__}: too many keyword arguments"


@pytest.fixture
def world(tree, people, users, campaign, contents, catalogue, make_dossier, district_sheets, district_set):
    """Rows of every model a form offers, inside the DM subtree and outside it."""
    officer, gn_officer, appraiser = users["dm_officer"], users["gn_officer"], users["appraiser"]
    draft = Campaign.objects.create(
        number="12/KH-UBND", issued_on=datetime.date(2025, 3, 1), issuer="Ủy ban nhân dân tỉnh Đắk Nông",
        title="Phong trào đang soạn", starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2026, 12, 31),
        participant_unit_kinds=["district", "commune"], organiser=tree["snv"], status=CampaignStatus.DRAFT)
    EmulationContent.objects.create(campaign=draft, number=1, short_title="Nội dung dự thảo", text="Dự thảo")
    Milestone.objects.create(campaign=draft, kind=MilestoneKind.FINAL_REVIEW, title="Tổng kết dự thảo",
                             period_start=draft.starts_on, period_end=draft.ends_on, due_on=draft.ends_on)
    for by, unit, person in ((officer, tree["dm01"], people["an"]), (gn_officer, tree["gn01"], people["cuong"])):
        campaign_services.achievement_record(by=by, campaign=campaign, unit=unit, year=2024, content=contents[1],
                                             title=f"Thành tích {unit.code}", files=[pdf()])
        initiative = campaign_services.initiative_propose(
            by=by, campaign=campaign, unit=unit, year=2024, title=f"Sáng kiến {unit.code}", authors=[person],
            problem="Vấn đề", solution="Giải pháp", effect="Hiệu quả", files=[pdf()])
        campaign_services.initiative_recognise(initiative=initiative, by=appraiser, level="grassroots",
                                               decision_number=f"1/QĐ-{unit.code}",
                                               decision_date=datetime.date(2024, 6, 1))
        for holder in ({"unit": unit}, {"person": person}):
            CommendationRecord.objects.create(form=catalogue["BK-TINH-CD"], year=2023, basis=AwardBasis.REGULAR,
                                              decision_number=f"9/QĐ-{unit.code}",
                                              decision_date=datetime.date(2023, 12, 1), **holder)
    dossier = make_dossier("draft")
    return {"dossier": dossier, "sheet": district_sheets["DM"], "criterion": leaf(district_set, "1.1")}


def _context(users, campaign, world):
    """Keyword arguments a form may ask for, as the officer's views pass them (objects of the officer's unit)."""
    officer = users["dm_officer"]
    return {
        "user": officer,
        "campaign": campaign,
        "campaigns": list(campaigns_visible_to(officer)),
        "contents": list(campaign.contents.order_by("number")),
        "dossier": world["dossier"],
        "nominee": world["dossier"].nominees.order_by("pk").first(),
        "sheet": world["sheet"],
        "criterion": world["criterion"],
    }


def _outside(unit, subtree_path):
    return not unit.path.startswith(subtree_path)


def test_every_model_choice_field_is_scoped_to_the_officer(users, campaign, world):
    officer = users["dm_officer"]
    subtree = officer.unit.path
    found = project_forms()
    assert len(found) > 30, "form discovery is broken"
    context = _context(users, campaign, world)
    problems, checked, catalogues_used = [], [], set()
    for dotted, cls in sorted(found.items()):
        form, reason = instantiate(cls, context)
        if form is None:
            problems.append(reason)
            continue
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            where = f"{dotted}.{name}"
            model = field.queryset.model
            checked.append(where)
            if model in GLOBAL_CATALOGUES:
                catalogues_used.add(model)
                visible = GLOBAL_CATALOGUES[model][1]
                if visible is not None:
                    hidden = set(field.queryset.values_list("pk", flat=True)) - set(
                        visible(officer).values_list("pk", flat=True))
                    if hidden:
                        problems.append(f"{where}: lists {model.__name__} rows the officer may not see {hidden}")
                continue
            if not getattr(field, "scoped", False):
                problems.append(f"{where}: its queryset is not set through core.forms.scope_choices from a scoped "
                                f"selector (or {model.__name__} is a global catalogue: add it to GLOBAL_CATALOGUES "
                                f"with its reason)")
            unit_of = unit_getter(model)
            if unit_of is None:
                problems.append(f"{where}: the test does not know which unit a {model.__name__} belongs to; "
                                f"teach UNIT_OF")
                continue
            foreign = [row for row in field.queryset if _outside(unit_of(row), subtree)]
            if foreign:
                problems.append(f"{where}: offers the DM officer rows outside its subtree: {foreign[:5]}")
            if not [row for row in model._default_manager.all() if _outside(unit_of(row), subtree)]:
                problems.append(f"{where}: the test data hold no {model.__name__} outside the DM subtree, so the "
                                f"check proves nothing; add one to the `world` fixture")
    assert not problems, "\n".join(problems)
    assert len(checked) >= 20, f"too few model-choice fields found: {checked}"
    unused = set(GLOBAL_CATALOGUES) - catalogues_used
    assert not unused, f"allow-listed catalogues no form uses any more (remove them): {unused}"


def test_a_form_the_guard_cannot_build_fails_it_with_the_way_to_add_it(users, campaign, world):
    class NeedsSomethingNew(forms.Form):
        unit = forms.ModelChoiceField(queryset=Unit.objects.none())

        def __init__(self, *args, user, election, **kwargs):
            super().__init__(*args, **kwargs)

    form, reason = instantiate(NeedsSomethingNew, _context(users, campaign, world))
    assert form is None
    assert "['election']" in reason and "_context" in reason and "test_form_scopes.py" in reason
