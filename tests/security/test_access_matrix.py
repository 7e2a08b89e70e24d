"""The role × URL access matrix, over every URL pattern of the project (taken from the resolver).

On the demo province (load_demo), for anonymous users and each of the five roles:
- anonymous users are sent to login, except on the public pages;
- a unit officer asking for an object outside its subtree gets 404 (405 only for the method a view never takes);
- no GET changes anything (core's tables included: jobs, registers, signed versions), and no page answers 500;
- every search-as-you-type picker a page shows (core.forms.SearchSelect) is answered by that page itself with its
  options (core.views.picker), for each role that opens the page;
- the read-only leader changes nothing, whatever it POSTs;
- award decisions (award, not award, one dossier or a batch) are recorded by Sở Nội vụ administrators and the
  approving leader only (DECIDES below);
- a URL pattern missing from the matrix fails the test, so every new view must be added here.
"""

import json
import re

from django.apps import apps
from django.db import transaction
from django.db.models import Count
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from awards.models import (
    CertificateLayout,
    CouncilSession,
    Decision,
    Dossier,
    DossierDocument,
    Nominee,
    Posting,
    Printer,
)
from campaigns.models import (
    Achievement,
    Campaign,
    EvidenceFile,
    ExemplaryModel,
    FollowUpTask,
    Initiative,
    InitiativeFile,
    Inspection,
    Registration,
    ThemeDocument,
    YearlyTheme,
)
from core import roles
from core.models import AuditEntry, IssuingBody, SignedDocument, Signer
from core.roles import Role
from par.models import CriteriaSet, ParEvidenceFile, ScoreSheet
from reports.models import GeneratedReport, ReportDraft
from units.models import Person, User
from units.selectors import activity_visible_to

from .conftest import OFFICER, ROLES

MISSING = 999999  # an id no object has: the page must answer 404 (or refuse the method)
# Inside the officer's subtree (xã Đức Lập, formed from Đắk Mil's communes: tests/security/conftest.py), and
# outside it (Gia Nghĩa, a former district, ended).
INSIDE, OUTSIDE, OFFICER_UNIT = "LDG/LDG-24664/", "DNO/GN/", "LDG-24664"
# Who records award decisions (awards:decide, awards:not_award, the batch decision through awards:bulk_apply).
DECIDES = {"admin": True, "approver": True, "appraiser": False, "leader": False, "officer": False}
PUBLIC = {"home", "health", "login", "set_language", "password_reset", "password_reset_done",
          "campaigns:public_models", "campaigns:public_model",
          "campaigns:public_photo", "par:public_ranking", "awards:posting_list", "awards:posting_detail",
          "awards:comment_add", "password_reset_confirm", "password_reset_complete"}
# POSTs that legitimately change something for any logged-in user (their own session or inbox).
OWN_STATE = {"logout", "set_language", "password_change", "awards:inbox_read"}
PROJECT_APPS = ("core", "units", "campaigns", "par", "awards", "reports")


def _pk(queryset, path_lookup, scope):
    """The first object of `queryset` whose unit lies inside (or outside) the officer's subtree."""
    if scope is None:
        obj = queryset.order_by("pk").first()
    else:
        obj = queryset.filter(**{f"{path_lookup}__startswith": scope}).order_by("pk").first()
    return obj.pk if obj else MISSING


def _campaign(scope):
    return {"pk": Campaign.objects.get(number="584/KH-UBND").pk}


def _campaign_child(field, related):
    def kwargs(scope):
        campaign = Campaign.objects.get(number="584/KH-UBND")
        child = getattr(campaign, related).order_by("pk").first()
        return {"pk": campaign.pk, field: child.pk if child else MISSING}
    return kwargs


def _scoped(model, path_lookup, *extra):
    """kwargs {"pk": …} (plus a file id) for an object inside or outside the officer's subtree."""
    def kwargs(scope):
        result = {"pk": _pk(model.objects.all(), path_lookup, scope)}
        for name, child_model, parent_field in extra:
            child = child_model.objects.filter(**{parent_field: result["pk"]}).order_by("pk").first()
            result[name] = child.pk if child else MISSING
        return result
    return kwargs


def _unscoped(model, **filters):
    def kwargs(scope):
        obj = model.objects.filter(**filters).order_by("pk").first()
        return {"pk": obj.pk if obj else MISSING}
    return kwargs


def _set_child(scope):
    criteria_set = CriteriaSet.objects.order_by("pk").first()
    criterion = criteria_set.criteria.order_by("pk").first()
    return {"pk": criteria_set.pk, "criterion_pk": criterion.pk}


def _sheet_criterion(scope):
    sheet = ScoreSheet.objects.filter(unit__path__startswith=scope).order_by("pk").first()
    if sheet is None:  # the officer's commune was formed on 1/7/2025: its earlier sheets stay with the former units
        sheet = ScoreSheet.objects.filter(scores__isnull=False).order_by("pk").first()
    score = sheet.scores.order_by("pk").first()
    return {"pk": sheet.pk, "criterion_pk": score.criterion_id}


def _no_kwargs(scope):
    return {}


def _signed_version(model):
    """kwargs {"pk", "version"} of a registered document's signed version (core.signing) for a decision or draft."""
    def kwargs(scope):
        owner = model.objects.filter(entry__isnull=False).order_by("pk").first()
        signed = SignedDocument.objects.filter(entry_id=owner.entry_id).first() if owner else None
        return {"pk": owner.pk if owner else MISSING, "version": signed.pk if signed else MISSING}
    return kwargs


def _with(builder, **fixed):
    """`builder`'s kwargs plus fixed path parts (a document kind, a format)."""
    return lambda scope: {**builder(scope), **fixed}


def _layout_form(scope):
    layout = CertificateLayout.objects.order_by("pk").first()
    return {"form_pk": layout.form_id if layout else MISSING}


def _unit_code(scope):
    return {"code": OFFICER_UNIT if scope == INSIDE else "GN-01"}


def _register(scope):
    return {"pk": _campaign(scope)["pk"], "code": OFFICER_UNIT if scope == INSIDE else "GN-01", "year": 2025}


SCOPED_PERSON = _scoped(Person, "unit__path")
SCOPED_ACHIEVEMENT = _scoped(Achievement, "unit__path")
SCOPED_INITIATIVE = _scoped(Initiative, "unit__path")
SCOPED_DOSSIER = _scoped(Dossier, "unit__path")
SCOPED_SHEET = _scoped(ScoreSheet, "unit__path")
SCOPED_ACCOUNT = _scoped(User, "unit__path")


def _activity_row(scope):
    """An activity row the officer may read (inside), or one it may not (outside: another district's, a bulk row)."""
    readable = activity_visible_to(User.objects.get(username=OFFICER)).values("pk")
    rows = AuditEntry.objects.all()
    row = (rows.filter(pk__in=readable) if scope == INSIDE else rows.exclude(pk__in=readable)).order_by("pk").first()
    return {"pk": row.pk if row else MISSING}

# url name → (kwargs builder, whether the object belongs to a unit: then the outside-scope checks apply)
MATRIX = {
    "home": (_no_kwargs, False), "health": (_no_kwargs, False), "login": (_no_kwargs, False),
    "logout": (_no_kwargs, False),
    "password_change": (_no_kwargs, False), "password_change_done": (_no_kwargs, False),
    "set_language": (_no_kwargs, False),
    # units
    "units:list": (_no_kwargs, False), "units:export": (_no_kwargs, False), "units:create": (_no_kwargs, False),
    "units:import": (_no_kwargs, False), "units:restructuring": (_no_kwargs, False),
    "units:detail": (_unit_code, True), "units:edit": (_unit_code, True),
    "units:people": (_no_kwargs, False), "units:people_export": (_no_kwargs, False),
    "units:person_create": (_no_kwargs, False), "units:people_import": (_no_kwargs, False),
    "units:person_detail": (SCOPED_PERSON, True), "units:person_edit": (SCOPED_PERSON, True),
    "password_reset_confirm": (lambda scope: {"uidb64": "MQ", "token": "sai-ma"}, False),
    "password_reset_complete": (_no_kwargs, False),
    "password_reset": (_no_kwargs, False), "password_reset_done": (_no_kwargs, False),
    "units:accounts": (_no_kwargs, False), "units:account_create": (_no_kwargs, False),
    **{f"units:{name}": (SCOPED_ACCOUNT, True) for name in [
        "account_detail", "account_edit", "account_reset", "account_deactivate", "account_activate",
        "account_unlock"]},
    "units:activity": (_no_kwargs, False), "units:activity_detail": (_activity_row, True),
    # the signing images (Sở Nội vụ administrators only: every other account gets 404 for any body or signer)
    "units:signing_images": (_no_kwargs, False),
    **{f"units:{name}": (_unscoped(Signer), True) for name in [
        "signature_upload", "signature_preview", "signature_retire"]},
    **{f"units:{name}": (_unscoped(IssuingBody, seal_image__isnull=False), True) for name in [
        "seal_upload", "seal_preview", "seal_retire"]},
    # campaigns: the plan
    "campaigns:list": (_no_kwargs, False), "campaigns:create": (_no_kwargs, False),
    "campaigns:detail": (_campaign, False), "campaigns:edit": (_campaign, False),
    "campaigns:launch": (_campaign, False), "campaigns:close": (_campaign, False),
    "campaigns:content_create": (_campaign, False),
    "campaigns:content_edit": (_campaign_child("content_pk", "contents"), False),
    "campaigns:milestone_create": (_campaign, False),
    "campaigns:milestone_edit": (_campaign_child("milestone_pk", "milestones"), False),
    "campaigns:theme_create": (_campaign, False),
    "campaigns:theme_detail": (_unscoped(YearlyTheme), False), "campaigns:theme_edit": (_unscoped(YearlyTheme), False),
    "campaigns:theme_upload": (_unscoped(YearlyTheme), False),
    "campaigns:theme_publish": (_unscoped(YearlyTheme), False),
    "campaigns:theme_document": (_unscoped(ThemeDocument), False),
    "campaigns:choose": (_no_kwargs, False),  # the movement switcher (a session preference)
    "campaigns:registration_go": (_no_kwargs, False), "campaigns:registrations": (_campaign, False),
    "campaigns:registration_remind": (_campaign, False), "campaigns:register": (_register, True),
    "campaigns:registration_detail": (_scoped(Registration, "unit__path"), True),
    "campaigns:registration_edit": (_scoped(Registration, "unit__path"), True),
    "campaigns:monitoring_go": (_no_kwargs, False), "campaigns:monitoring": (_campaign, False),
    "campaigns:monitoring_export": (_campaign, False), "campaigns:monitoring_remind": (_campaign, False),
    "campaigns:inspections": (_campaign, False), "campaigns:inspection_create": (_campaign, False),
    "campaigns:inspection_detail": (_scoped(Inspection, "unit__path"), True),
    "campaigns:task_complete": (_scoped(FollowUpTask, "inspection__unit__path"), True),
    # campaigns: the units' work
    "campaigns:achievement_list": (_no_kwargs, False), "campaigns:review_queue": (_no_kwargs, False),
    "campaigns:achievement_create": (_no_kwargs, False),
    "campaigns:achievement_detail": (SCOPED_ACHIEVEMENT, True),
    "campaigns:achievement_files": (SCOPED_ACHIEVEMENT, True),
    "campaigns:achievement_add_files": (SCOPED_ACHIEVEMENT, True),
    "campaigns:evidence_download": (_scoped(Achievement, "unit__path", ("file_pk", EvidenceFile, "achievement")),
                                    True),
    "campaigns:achievement_accept": (SCOPED_ACHIEVEMENT, True),
    "campaigns:achievement_clarify": (SCOPED_ACHIEVEMENT, True),
    "campaigns:achievement_resubmit": (SCOPED_ACHIEVEMENT, True),
    "campaigns:initiative_list": (_no_kwargs, False), "campaigns:initiative_create": (_no_kwargs, False),
    "campaigns:initiative_detail": (SCOPED_INITIATIVE, True),
    "campaigns:initiative_file_download": (
        _scoped(Initiative, "unit__path", ("file_pk", InitiativeFile, "initiative")), True),
    "campaigns:initiative_recognise": (SCOPED_INITIATIVE, True),
    "campaigns:initiative_refuse": (SCOPED_INITIATIVE, True),
    "campaigns:exemplary_manage": (_no_kwargs, False), "campaigns:exemplary_create": (_no_kwargs, False),
    "campaigns:exemplary_edit": (_unscoped(ExemplaryModel), False),
    "campaigns:exemplary_publish": (_unscoped(ExemplaryModel), False),
    "campaigns:exemplary_unpublish": (_unscoped(ExemplaryModel), False),
    "campaigns:exemplary_preview_photo": (_unscoped(ExemplaryModel), False),
    "campaigns:public_models": (_no_kwargs, False),
    "campaigns:public_model": (_unscoped(ExemplaryModel, published_at__isnull=False), False),
    "campaigns:public_photo": (_unscoped(ExemplaryModel, published_at__isnull=False), False),
    # PAR index
    "par:index": (_no_kwargs, False), "par:public_ranking": (lambda scope: {"year": 2023}, False),
    "par:set_create": (_no_kwargs, False),
    **{f"par:{name}": (_unscoped(CriteriaSet), False) for name in [
        "set_detail", "set_edit", "criterion_add", "set_import", "set_export", "set_copy", "sheets_open",
        "survey_import", "set_publish", "set_reopen", "ranking", "ranking_export", "ranking_chart"]},
    "par:criterion_edit": (_set_child, False), "par:criterion_delete": (_set_child, False),
    **{f"par:{name}": (SCOPED_SHEET, True) for name in [
        "sheet", "appraisal", "submit", "resubmit", "start_appraisal", "return", "complete_appraisal"]},
    "par:score_edit": (_sheet_criterion, True), "par:score_appraise": (_sheet_criterion, True),
    "par:evidence_download": (_scoped(ScoreSheet, "unit__path", ("file_pk", ParEvidenceFile, "score__sheet")), True),
    "par:linked_evidence_download": (
        _scoped(ScoreSheet, "unit__path", ("file_pk", EvidenceFile, "par_scores__sheet")), True),
    # award dossiers
    "awards:list": (_no_kwargs, False), "awards:export": (_no_kwargs, False), "awards:catalogue": (_no_kwargs, False),
    "awards:create": (_no_kwargs, False), "awards:history": (_no_kwargs, False), "awards:inbox": (_no_kwargs, False),
    "awards:inbox_read": (_no_kwargs, False), "awards:bulk_preview": (_no_kwargs, False),
    "awards:bulk_apply": (_no_kwargs, False),
    **{f"awards:{name}": (SCOPED_DOSSIER, True) for name in [
        "detail", "council", "nominee_add", "document_upload", "submit", "withdraw", "receive", "start", "return",
        "propose", "not_propose", "to_council", "decide", "not_award", "reopen"]},
    "awards:nominee_remove": (_scoped(Dossier, "unit__path", ("nominee_pk", Nominee, "dossier")), True),
    "awards:document_delete": (_scoped(Dossier, "unit__path", ("document_pk", DossierDocument, "dossier")), True),
    "awards:document_download": (_scoped(Dossier, "unit__path", ("document_pk", DossierDocument, "dossier")), True),
    "awards:nominee_edit": (_scoped(Dossier, "unit__path", ("nominee_pk", Nominee, "dossier")), True),
    "awards:decision_detail": (_unscoped(Decision), False), "awards:decision_pdf": (_unscoped(Decision), False),
    "awards:decisions": (_no_kwargs, False), "awards:decision_register": (_unscoped(Decision), False),
    "awards:decision_discard": (_unscoped(Decision), False),
    "awards:decision_sign": (_unscoped(Decision), False),
    "awards:decision_signed_download": (_signed_version(Decision), False),
    "awards:prize_money": (_no_kwargs, False), "awards:prize_money_export": (_no_kwargs, False),
    "awards:sessions": (_no_kwargs, False), "awards:session_create": (_no_kwargs, False),
    **{f"awards:{name}": (_unscoped(CouncilSession), False) for name in [
        "session_detail", "session_attendance", "session_ballots", "session_close", "session_minutes",
        "session_tally"]},
    "awards:propose_central": (SCOPED_DOSSIER, True), "awards:central_decision": (SCOPED_DOSSIER, True),
    "awards:history_import": (_no_kwargs, False), "awards:history_template": (_no_kwargs, False),
    # certificates, the award register, the national-records export (Sở Nội vụ; not unit-scoped)
    **{f"awards:{name}": (_layout_form, False) for name in [
        "certificate_layout", "certificate_blank_upload", "certificate_blank_image", "certificate_sample"]},
    "awards:certificate_layouts": (_no_kwargs, False),
    "awards:certificate_font": (lambda scope: {"key": "garamond", "style": "italic"}, False),
    "awards:printer_add": (_no_kwargs, False), "awards:printer_edit": (_unscoped(Printer), False),
    "awards:printer_calibration": (_no_kwargs, False),
    "awards:decision_print": (_unscoped(Decision), False), "awards:decision_certificates": (_unscoped(Decision), False),
    "awards:register": (_no_kwargs, False), "awards:register_export": (_no_kwargs, False),
    "awards:national_export": (_no_kwargs, False),
    # dossier documents generated from the data, achievement profiles (scoped like the dossier, unit, person)
    "awards:proposal_generate": (SCOPED_DOSSIER, True),
    "awards:generated_document": (_with(SCOPED_DOSSIER, kind="to-trinh", fmt="docx"), True),
    "awards:nominee_report": (
        _with(_scoped(Dossier, "unit__path", ("nominee_pk", Nominee, "dossier")), fmt="pdf"), True),
    "awards:unit_profile": (_unit_code, True), "awards:unit_profile_pdf": (_unit_code, True),
    "awards:person_profile": (SCOPED_PERSON, True), "awards:person_profile_pdf": (SCOPED_PERSON, True),
    "awards:posting_list": (_no_kwargs, False), "awards:posting_detail": (_unscoped(Posting), False),
    "awards:comment_add": (_unscoped(Posting), False), "awards:posting_close": (_unscoped(Posting), False),
    # reports (Sở Nội vụ and leaders only; not unit-scoped)
    "reports:index": (_no_kwargs, False), "reports:dashboard": (_no_kwargs, False),
    "reports:draft_open": (_campaign, False),
    **{f"reports:{name}": (_unscoped(ReportDraft), False) for name in ["draft", "preview", "generate", "versions",
                                                                         "register"]},
    "reports:version": (_unscoped(GeneratedReport), False), "reports:retry": (_unscoped(GeneratedReport), False),
    "reports:sign": (_unscoped(ReportDraft), False), "reports:signed_download": (_signed_version(ReportDraft), False),
}


def _url_names():
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # Django's admin: its own permission system, for super-users only
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name}"
    return sorted(set(walk(get_resolver().url_patterns)))


PICKER = re.compile(r"hx-vals='(\{\"pick\": [^']*\})'")


def _pickers(response):
    """The fields of the page's search-as-you-type pickers (core.forms.SearchSelect), whose searches ask the page
    itself (`?pick=<field>&pick_q=…`)."""
    if response.status_code != 200 or response.streaming or "text/html" not in response.get("Content-Type", ""):
        return []
    return sorted({json.loads(vals)["pick"] for vals in PICKER.findall(response.content.decode())})


def _fingerprint():
    """Row counts of every project model, audit rows, and the spread of workflow states."""
    counts = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        counts.append((model._meta.label, model.objects.count()))
        for field in ("status", "state"):
            if any(f.name == field for f in model._meta.concrete_fields):
                counts.append((model._meta.label, field, tuple(
                    model.objects.values_list(field).annotate(n=Count("pk")).order_by(field))))
    counts.append(("audit", AuditEntry.objects.count()))
    return counts


def test_every_url_is_in_the_matrix():
    missing = [name for name in _url_names() if name not in MATRIX]
    assert missing == [], f"add these views to the access matrix: {missing}"


def _reverse(name, scope):
    builder, _scoped_object = MATRIX[name]
    return reverse(name, kwargs=builder(scope))


def test_access_matrix(client, demo):
    problems = []
    names = [name for name in _url_names() if name in MATRIX]

    # Anonymous visitors: sent to login except on public pages; never a 500.
    for name in names:
        url = _reverse(name, INSIDE)
        response = client.get(url)
        if name in PUBLIC:
            if response.status_code not in (200, 302, 404, 405):
                problems.append(f"anonymous GET {name}: {response.status_code}")
        elif name == "logout":  # Django's LogoutView: POST only for everyone, signed in or not
            if response.status_code != 405:
                problems.append(f"anonymous GET {name}: {response.status_code} (expected 405)")
        elif not (response.status_code == 302 and response["Location"].startswith(reverse("login"))):
            problems.append(f"anonymous GET {name}: {response.status_code} (expected login redirect)")

    pickers = set()
    for role, user in demo.items():
        client.force_login(user)
        for name in names:
            if name == "logout":
                continue
            url = _reverse(name, INSIDE)
            before = _fingerprint()
            response = client.get(url)
            if response.status_code not in (200, 302, 403, 404, 405):
                problems.append(f"{role} GET {name}: {response.status_code}")
            if _fingerprint() != before:
                problems.append(f"{role} GET {name} changed data")
            for field in _pickers(response):  # core.views.picker: the page itself answers its pickers' searches
                pickers.add(f"{name}.{field}")
                before = _fingerprint()
                answer = client.get(url, {"pick": field, "pick_q": "a"})
                if answer.status_code != 200 or "<option" not in answer.content.decode() \
                        or "<html" in answer.content.decode():
                    problems.append(f"{role} picker {field} of {name}: {answer.status_code}, not its options")
                if _fingerprint() != before:
                    problems.append(f"{role} picker {field} of {name} changed data")
        client.logout()
    assert len(pickers) >= 20, f"pickers found: {sorted(pickers)} (the discovery is broken)"

    # The officer of Đắk Mil asking for Gia Nghĩa's objects: 404 by GET (or 405 for an action) and by POST.
    client.force_login(demo["officer"])
    for name in names:
        if not MATRIX[name][1]:
            continue
        url = _reverse(name, OUTSIDE)
        before = _fingerprint()
        # 405 only says the method is wrong (a GET-only page, a POST-only action); the other method must be 404.
        statuses = (client.get(url).status_code, client.post(url, {}).status_code)
        if not set(statuses) <= {404, 405} or 404 not in statuses:
            problems.append(f"officer out-of-scope {name}: GET {statuses[0]}, POST {statuses[1]}")
        if _fingerprint() != before:
            problems.append(f"officer out-of-scope {name} changed data")

    # The leader reads everything and changes nothing.
    client.force_login(demo["leader"])
    for name in names:
        if name in OWN_STATE:
            continue
        before = _fingerprint()
        response = client.post(_reverse(name, INSIDE), {})
        if response.status_code >= 500:
            problems.append(f"leader POST {name}: {response.status_code}")
        if _fingerprint() != before:
            problems.append(f"leader POST {name} changed data")

    assert problems == [], "\n".join(problems)


# The number comes from the province's register and the signer defaults to the head in office on the date.
DECISION = {"date": "15/01/2025", "proposal_number": "12/TTr-SNV"}


def test_who_records_award_decisions(client, demo):
    """DECIDES, over the demo's dossier at the council: the decision, "not award" and the batch decision."""
    # Đắk Mil's dossier at the council, carried on by xã Đức Lập since the demo's restructuring.
    dossier = Dossier.objects.get(state="at_council", unit__code=OFFICER_UNIT)
    attempts = {
        "decide": lambda: client.post(reverse("awards:decide", args=[dossier.pk]), DECISION),
        "not_award": lambda: client.post(reverse("awards:not_award", args=[dossier.pk]),
                                         {"note": "Hội đồng không thông qua"}),
        "bulk_apply": lambda: client.post(reverse("awards:bulk_apply"),
                                          {"action": "decision", "ids": [dossier.pk], **DECISION}),
        "bulk_preview": lambda: client.post(reverse("awards:bulk_preview"),
                                            {"action": "decision", "ids": [dossier.pk]}),
    }
    changes = {"decide": True, "not_award": True, "bulk_apply": True, "bulk_preview": False}  # the preview writes none
    problems = []
    assert set(DECIDES) == set(ROLES)
    for role, may in DECIDES.items():
        client.force_login(demo[role])
        for name, attempt in attempts.items():
            with transaction.atomic():
                before = _fingerprint()
                response = attempt()
                changed = _fingerprint() != before
                transaction.set_rollback(True)
            if may and (response.status_code not in (200, 302) or changed != changes[name]):
                problems.append(f"{role} {name}: {response.status_code}, changed {changed} (expected {changes[name]})")
            if not may and (response.status_code != 403 or changed):
                problems.append(f"{role} {name}: {response.status_code}, changed {changed} (expected 403, nothing)")
        page = client.get(dossier.get_absolute_url()).content.decode()
        if may != (reverse("awards:decide", args=[dossier.pk]) in page):
            problems.append(f"{role}: the decision form is {'missing' if may else 'offered'} on the dossier page")
        client.logout()
    assert problems == [], "\n".join(problems)


def test_role_labels_say_what_the_role_may_do():
    assert Role.LEADER.label == "Lãnh đạo (chỉ xem)"
    assert Role.APPROVER.label == "Lãnh đạo phê duyệt"
    assert [role for role in Role if roles.reads_province(User(role=role))] == [
        Role.ADMIN, Role.APPRAISER, Role.LEADER, Role.APPROVER]


# A sample of each kind of private response, each app: HTML pages, XLSX exports, file downloads, report files.
PRIVATE_SAMPLE = {
    "home": "text/html", "units:list": "text/html", "units:export": "spreadsheetml",
    "units:people_export": "spreadsheetml", "campaigns:monitoring": "text/html",
    "campaigns:monitoring_export": "spreadsheetml", "campaigns:evidence_download": "",
    "par:ranking": "text/html", "par:ranking_export": "spreadsheetml", "awards:list": "text/html",
    "awards:export": "spreadsheetml", "awards:document_download": "", "awards:decision_pdf": "application/pdf",
    "reports:index": "text/html", "reports:version": "spreadsheetml",
}


def _directives(response):
    return {part.strip().split("=", 1)[0].lower() for part in response.get("Cache-Control", "").split(",")}


def test_private_responses_are_never_stored(client, demo):
    problems = []
    client.force_login(demo["admin"])
    for name in _url_names():
        if name not in MATRIX or name == "logout":
            continue
        response = client.get(_reverse(name, INSIDE))
        if name in PRIVATE_SAMPLE and not (response.status_code == 200
                                           and PRIVATE_SAMPLE[name] in response["Content-Type"]):
            problems.append(f"{name}: {response.status_code} {response['Content-Type']} (the sample must answer)")
        if not {"private", "no-store"} <= _directives(response) or "public" in _directives(response):
            problems.append(f"{name}: Cache-Control {response.get('Cache-Control')!r} for a signed-in user")
    client.logout()
    # Public pages to anonymous visitors stay as they were (cacheable).
    for name in ("campaigns:public_models", "par:public_ranking", "awards:posting_list"):
        response = client.get(_reverse(name, INSIDE))
        if response.status_code != 200 or "no-store" in _directives(response):
            problems.append(f"anonymous {name}: {response.status_code} {response.get('Cache-Control')!r}")
    assert problems == [], "\n".join(problems)
