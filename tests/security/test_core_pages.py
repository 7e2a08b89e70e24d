"""What the kernel (core) serves, role by role, and hostile input to it.

core has no address of its own (no core/urls.py; test_access_matrix.py walks every URL pattern and finds none whose
view lives in core). What it serves answers at other apps' addresses: the picker's search (`?pick=<field>&pick_q=`
on any form page, core.views.picker), the progress of a background import (`?job=` on an import page,
core.imports), the confirmation page before an irreversible POST (core.confirm.ConfirmFirstMiddleware); the public
portal and the signing images pages (/chu-ky-so/, over core's Signer, IssuingBody and image tables) live in units.

PAGES says who may open each (anonymous, the officer of another district, Sở Nội vụ staff, the administrator, and
the officer of the object's own district) and what each gets: 200, "login" (302 to the login page), 403 or 404.
The other tests send hostile input to core's pieces: none answers 500, none shows raw markup, none saves anything.
"""

import io
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from awards.models import CouncilSession, Dossier, Nominee
from core.models import AuditEntry, ImportJob
from tests.signing.test_images_page import _png
from units import signing_images
from units.models import Person

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "gn_officer", "appraiser", "admin", "dm_officer")
HUGE = "9" * 25  # a key no 64-bit integer holds
LOGIN = "login"


def _rows():
    """Row counts of every model of the project (core's tables included) and of the activity rows."""
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()
              if model._meta.app_label in ("core", "units", "campaigns", "par", "awards", "reports")}
    counts["audit"] = AuditEntry.objects.count()
    return counts


def _options(html):
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)


def _xlsx():
    workbook = Workbook()
    workbook.active.append(["Họ và tên"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def world(users, tree, people, signers, make_dossier, client, settings):
    """The DM district's draft dossier, a background people import queued by the DM officer (its job row), and the
    chair's signature image."""
    settings.IMPORT_BACKGROUND_BYTES = 0  # every workbook is read by the worker: the upload leaves a job row
    client.force_login(users["dm_officer"])
    response = client.post(reverse("units:people_import"), {"file": SimpleUploadedFile("ds.xlsx", _xlsx())})
    assert response.status_code == 302
    client.logout()
    signing_images.signature_image_upload(signer=signers["chair"], by=users["admin"],
                                          image=SimpleUploadedFile("chu-ky.png", _png()))
    return {"dossier": make_dossier("draft"), "job": ImportJob.objects.get(uploaded_by=users["dm_officer"]),
            "chair": signers["chair"]}


# page → (its address from the world, what each role gets: 200, LOGIN, 403 or 404). A 200 is checked further below
# (SHOWS) for what the page may show to whom.
PAGES = {
    # the public portal to everyone, each signed-in user's home page
    "portal": (lambda w: reverse("home"),
               {"anonymous": 200, "gn_officer": 200, "appraiser": 200, "admin": 200, "dm_officer": 200}),
    # the picker answers within the form's page: whoever may open the page, from that user's own scope
    "unit picker": (lambda w: f"{reverse('units:person_create')}?pick=unit&pick_q=uy ban",
                    {"anonymous": LOGIN, "gn_officer": 200, "appraiser": 403, "admin": 200, "dm_officer": 200}),
    "person picker of a dossier": (
        lambda w: f"{reverse('awards:nominee_add', args=[w['dossier'].pk])}?pick=person&pick_q=van",
        {"anonymous": LOGIN, "gn_officer": 404, "appraiser": 403, "admin": 403, "dm_officer": 200}),
    # a background import's progress: its owner only (an administrator included, 404)
    "import progress": (lambda w: f"{reverse('units:people_import')}?job={w['job'].pk}",
                        {"anonymous": LOGIN, "gn_officer": 404, "appraiser": 403, "admin": 404, "dm_officer": 200}),
    # the signing images (/chu-ky-so/): Sở Nội vụ administrators only; any signer or body is not found for others
    "signing images": (lambda w: reverse("units:signing_images"),
                       {"anonymous": LOGIN, "gn_officer": 403, "appraiser": 403, "admin": 200, "dm_officer": 403}),
    "signature preview": (lambda w: reverse("units:signature_preview", args=[w["chair"].pk]),
                          {"anonymous": LOGIN, "gn_officer": 404, "appraiser": 404, "admin": 200,
                           "dm_officer": 404}),
}

# What a 200 shows (and must not show) to each role: (page, role) → (texts present, texts absent).
SHOWS = {
    ("portal", "anonymous"): (["Ủy ban nhân dân tỉnh Đắk Nông"], ["Đăng xuất"]),
    ("unit picker", "dm_officer"): (["DM-01 · Ủy ban nhân dân thị trấn Đắk Mil"], ["GN-01", "SNV"]),
    ("unit picker", "gn_officer"): (["GN-01 · Ủy ban nhân dân phường Nghĩa Đức"], ["DM-01", "SNV"]),
    ("unit picker", "admin"): (["DM-01 ·", "GN-01 ·"], []),
    ("person picker of a dossier", "dm_officer"): (["Nguyễn Văn An"], ["Lê Văn Cường"]),
    ("import progress", "dm_officer"): (["ds.xlsx"], []),
    ("signing images", "admin"): (["Hồ Văn Mười"], []),
}


def test_who_may_open_what_core_serves(client, users, world):
    assert set(PAGES) >= {page for page, _role in SHOWS}
    problems = []
    for page, (address, expected) in PAGES.items():
        assert set(expected) == set(ROLES), page
        url = address(world)
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(users[role])
            before = _rows()
            # the progress bar is what the page's htmx polls ask for; the other pages answer plain GETs
            response = client.get(url, headers={"HX-Request": "true"} if page == "import progress" else {})
            got = response.status_code
            if got == 302 and response["Location"].startswith(reverse("login")):
                got = LOGIN
            if got != expected[role]:
                problems.append(f"{role} {page}: {got} (expected {expected[role]})")
            if _rows() != before:
                problems.append(f"{role} {page}: a GET changed data")
            if got == 200 and (page, role) in SHOWS:
                html = b"".join(response).decode() if response.streaming else response.content.decode()
                present, absent = SHOWS[(page, role)]
                problems += [f"{role} {page}: {text!r} missing" for text in present if text not in html]
                problems += [f"{role} {page}: shows {text!r}" for text in absent if text in html]
    assert problems == [], "\n".join(problems)


# The picker (core.views.picker, core.forms.search_rows / SearchSelect) -----------------------------------------


@pytest.fixture
def nominee_page(client_for, users, make_dossier):
    return client_for(users["dm_officer"]), reverse("awards:nominee_add", args=[make_dossier("draft").pk])


@pytest.mark.parametrize("params", [
    {"pick": "person", "pick_q": "van", "person": HUGE},  # a chosen key beyond 64 bits (SQLite: OverflowError)
    {"pick": "person", "pick_q": "van", "person": ["abc", "-1", "1.5", "1\x00"]},
    {"pick": "person", "pick_q": "van\x00an"},  # NUL (PostgreSQL refuses it in a query)
    {"pick": "person", "pick_q": "van an " * 600},  # 1,200 words (SQLite's expression depth is 1,000)
    {"pick": "person", "pick_q": "ữ" * 30_000},
    {"pick": "person", "pick_q": "<script>alert(1)</script>"},
], ids=["huge key", "keys that are not keys", "NUL", "many words", "very long", "markup"])
def test_hostile_picker_searches_answer_options_never_500(nominee_page, people, params):
    client, url = nominee_page
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<html" not in html  # options only, nothing of the query echoed
    values = [value for value, _label in _options(html)]
    assert str(people["cuong"].pk) not in values  # never anyone outside the district
    if "van an" in params["pick_q"] or params["pick_q"] == "van\x00an":
        assert str(people["an"].pk) in values  # the words past the first ones, and a NUL, narrow nothing away


def test_a_chosen_key_outside_scope_is_not_shown_by_the_picker(nominee_page, people):
    client, url = nominee_page
    html = client.get(url, {"pick": "person", "pick_q": "van", "person": people["cuong"].pk}).content.decode()
    assert f'value="{people["cuong"].pk}"' not in html and "Cường" not in html


def test_markup_in_a_picked_name_is_escaped(nominee_page, tree):
    client, url = nominee_page
    Person.objects.create(full_name="<script>alert(7)</script>", search_name="script alert 7", gender="male",
                          unit=tree["dm01"])
    html = client.get(url, {"pick": "person", "pick_q": "script"}).content.decode()
    assert "<script>alert(7)</script>" not in html and "&lt;script&gt;alert(7)&lt;/script&gt;" in html


def test_a_pick_that_names_no_picker_gets_the_form_page(nominee_page):
    """`pick` naming a field that is no picker (or none) is not a picker's question: the form page itself."""
    client, url = nominee_page
    for name in ("summary", "khong-co", ""):
        response = client.get(url, {"pick": name, "pick_q": "van"})
        assert response.status_code == 200 and "<form" in response.content.decode(), name


# A key no browser sends. Beyond 64 bits it is refused as any key naming no row is ("Hãy chọn một lựa chọn hợp
# lệ…"); a NUL or a word gets Django's own refusal, which its Vietnamese catalogue leaves in English (None below:
# refused, nothing saved, no 500).
INVALID_CHOICE = "Hãy chọn một lựa chọn hợp lệ"


@pytest.mark.parametrize(("value", "message"), [(HUGE, INVALID_CHOICE), ("-1", INVALID_CHOICE), ("1\x00", None)])
def test_a_hostile_key_posted_to_a_picker_is_refused(nominee_page, value, message):
    client, url = nominee_page
    before = _rows()
    response = client.post(url, {"person": value, "summary": "Hoàn thành xuất sắc nhiệm vụ."})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "person" in errors and (message is None or message in errors["person"][0]), errors
    assert _rows() == before and not Nominee.objects.filter(summary="Hoàn thành xuất sắc nhiệm vụ.").exists()


@pytest.mark.parametrize(("value", "message"), [(HUGE, INVALID_CHOICE), ("1\x00", None), ("abc", None)])
def test_a_hostile_key_posted_to_a_multiple_picker_is_refused(client_for, users, people, value, message):
    """The council session's members (a multiple picker): Django checks the keys by `pk__in`, which SQLite's driver
    cannot bind beyond 64 bits (a 500); core.forms.scope_choices makes that key one more that names no row."""
    client = client_for(users["admin"])
    before = _rows()
    response = client.post(reverse("awards:session_create"), {
        "date": "15/12/2025", "place": "Phòng họp số 1", "chair": people["an"].pk, "secretary": people["binh"].pk,
        "members": [people["cuong"].pk, value]})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "members" in errors and (message is None or message in errors["members"][0]), errors
    assert _rows() == before and not CouncilSession.objects.exists()


# The background import's progress (core.imports.job_for) --------------------------------------------------------


@pytest.mark.parametrize("job", [HUGE, "-1", "1\x00", "<script>", ""])
def test_a_hostile_job_number_is_not_found(client_for, users, job):
    response = client_for(users["dm_officer"]).get(reverse("units:people_import"), {"job": job},
                                                   headers={"HX-Request": "true"})
    if job:
        assert response.status_code == 404
    else:  # no job asked: the import page itself
        assert response.status_code == 200 and "<form" in response.content.decode()


# The confirmation page (core.confirm.ConfirmFirstMiddleware) -----------------------------------------------------


@pytest.fixture
def submitted(make_dossier):
    return make_dossier("submitted")


def test_hostile_text_on_the_confirmation_page_is_shown_escaped(client_for, users, submitted):
    client = client_for(users["dm_officer"])
    before = _rows()
    response = client.post(reverse("awards:withdraw", args=[submitted.pk]), {
        "_confirm": "<script>alert(1)</script>Rút hồ sơ?", "_confirm_label": '"><img src=x onerror=alert(2)>',
        "note": '"><script>alert(3)</script>', '"><b>x': "y"}, headers={"Referer": "https://ke-xau.example/"})
    assert response.status_code == 200
    html = response.content.decode()
    for raw in ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<script>alert(3)</script>",
                '"><b>x'):
        assert raw not in html, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Rút hồ sơ?" in html
    assert 'href="/"' in html and "ke-xau.example" not in html  # back to the site, never to a foreign Referer
    assert _rows() == before
    assert Dossier.objects.get(pk=submitted.pk).state == "submitted"


def test_the_confirmation_page_shows_nothing_of_an_object_outside_scope(client_for, users, submitted):
    """The page comes before the view: for the Gia Nghĩa officer it echoes only what it posted, and saying yes
    reaches the view, which answers 404 and changes nothing."""
    client = client_for(users["gn_officer"])
    before = _rows()
    question = {"_confirm": "Rút hồ sơ?", "note": "Thử"}
    page = client.post(reverse("awards:withdraw", args=[submitted.pk]), question)
    assert page.status_code == 200
    html = page.content.decode()
    assert submitted.code not in html and submitted.unit.name not in html and "Đắk Mil" not in html
    assert client.post(reverse("awards:withdraw", args=[submitted.pk]),
                       {**question, "_confirmed": "1"}).status_code == 404
    assert _rows() == before


def test_an_anonymous_post_never_gets_the_confirmation_page(client, submitted):
    response = client.post(reverse("awards:withdraw", args=[submitted.pk]), {"_confirm": "Rút hồ sơ?"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
