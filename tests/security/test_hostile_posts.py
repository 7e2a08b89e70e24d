"""Hostile values in every form a page posts: never a 500, never raw markup.

On the demo province, as the Sở Nội vụ administrator (who reaches every page and every action) and as a visitor (the
public pages' forms: comments on a posted dossier), every page of the access matrix that answers 200 is read for its
POST forms (their action and their fields, buttons included); each distinct form is then posted with every field set
to one hostile value at a time (a key past 64 bits, a negative number, digits int() refuses, NUL, markup, letters,
two values for one name), then each field a view may read itself (hidden, check box, choice, button) alone with the
values that once gave a 500, already confirmed (`_confirmed=1`, as the confirmation step sends it).
Each answer must be below 500 and show markup escaped. Whatever the forms refuse or accept is theirs to say; this
test only proves that no view turns request text into a number, a key or a date without checking it.
"""

import html
import re

import pytest
from django.urls import resolve, reverse

from awards import services as award_services
from awards.models import Dossier
from core.confirm import CONFIRMED, LABEL, QUESTION

from .test_access_matrix import INSIDE, MATRIX, PUBLIC, _reverse, _url_names

MARKUP = "<script>alert('x')</script>"
HOSTILE = ["9" * 25, "-1", "²", "1\x00", MARKUP, "abc", ["1", "abc"]]
ALONE = ["9" * 25, "²", "1\x00"]  # the values that reached a 500 before: past 64 bits, int() refuses, NUL
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
METHOD_POST = re.compile(r"""\bmethod\s*=\s*["']?post""", re.I)
TAG = re.compile(r"<(input|select|textarea|button)\b([^>]*)>", re.I)
ATTRIBUTE = r"""\b{0}\s*=\s*["']([^"']*)["']"""
# Inputs a person types into: their form field checks them (a CharField refuses NUL, an IntegerField letters).
# The rest (hidden fields, check boxes, radio buttons, selects, buttons) are what a view may read from the request
# itself, so each of those is also posted alone.
TYPED = {"text", "number", "date", "email", "password", "search", "tel", "url", "file", "textarea"}
NOT_POSTED = {"csrfmiddlewaretoken", QUESTION, LABEL}
# Forms that end the session under test rather than act on data.
LEAVES = {reverse("logout"), reverse("set_language")}


def _attribute(attributes, name):
    found = re.search(ATTRIBUTE.format(name), attributes, re.I)
    return html.unescape(found.group(1)) if found else None


def _fields(tags):
    """(every field name, the names a view may read itself) of these (tag, attributes) pairs."""
    names, raw = set(), set()
    for tag, attributes in tags:
        if (name := _attribute(attributes, "name")) is None or name in NOT_POSTED:
            continue
        names.add(name)
        kind = "textarea" if tag.lower() == "textarea" else (
            (_attribute(attributes, "type") or "text").lower() if tag.lower() == "input" else tag.lower())
        if kind not in TYPED:
            raw.add(name)
    return frozenset(names), frozenset(raw)


def _post_forms(page_url, text):
    """(action URL, field names, the names a view may read itself) of each POST form of the page: the fields
    inside it and those outside that name it (`form="<its id>"`, the check boxes of a list whose actions sit in a
    bar above it)."""
    forms = []
    for attributes, body in FORM.findall(text):
        if not METHOD_POST.search(attributes):
            continue
        url = _attribute(attributes, "action") or page_url
        tags = TAG.findall(body)
        if form_id := _attribute(attributes, "id"):
            tags += [(tag, rest) for tag, rest in TAG.findall(text) if _attribute(rest, "form") == form_id]
        forms.append((url, *_fields(tags)))
    return forms


def _post_everything(client, names, user):
    """Post each distinct form of the pages `names` with each hostile value; the problems found and the count of
    forms posted."""
    problems, posted = [], set()
    client.raise_request_exception = False  # a view's exception is its 500: every one is listed, not the first
    for name in names:
        if user:
            client.force_login(user)  # a form posted before may have changed what the session holds
        page_url = _reverse(name, INSIDE)
        response = client.get(page_url)
        if response.status_code != 200 or response.streaming or "text/html" not in response["Content-Type"]:
            continue
        for url, fields, raw in _post_forms(page_url, response.content.decode()):
            path = url.split("?")[0]
            if path in LEAVES or not url.startswith("/"):
                continue
            kind = (resolve(path).view_name, fields)  # one row's form of a list stands for the others
            if kind in posted:
                continue
            posted.add(kind)
            # Every field at once, then each field a view may read itself alone (a check box like "all" would
            # otherwise always decide).
            attempts = [(sorted(fields), value) for value in HOSTILE]
            attempts += [([field], value) for field in sorted(raw) for value in ALONE]
            for names_set, value in attempts:
                answer = client.post(url, {**{field: value for field in names_set}, CONFIRMED: "1"})
                if answer.status_code >= 500:
                    problems.append(f"{name} → {url} {names_set} = {str(value)[:30]!r}: {answer.status_code}")
                elif not answer.streaming and MARKUP in answer.content.decode(errors="replace"):
                    problems.append(f"{name} → {url}: raw markup shown")
    return problems, len(posted)


@pytest.fixture
def posted(demo):
    """The demo with two proposed dossiers published for comments, so the public pages carry the comment form."""
    dossiers = list(Dossier.objects.filter(state__in=award_services.POSTABLE_STATES).order_by("pk")[:2])
    assert dossiers, "the demo has no dossier to publish"
    award_services.posting_publish(dossiers=dossiers, by=demo["admin"], title="Công khai trước khi khen thưởng")
    return demo


def test_hostile_values_in_every_form_posted(client, posted):
    """As a visitor (the public pages, first: the administrator's walk closes the posting), then as the
    administrator (every page and action), on one demo: loading it costs more than either walk."""
    names = [name for name in _url_names() if name in MATRIX and name != "logout"]
    public_problems, public_forms = _post_everything(client, [name for name in names if name in PUBLIC], None)
    assert public_forms >= 3, f"only {public_forms} forms found on the public pages (the discovery is broken)"
    problems, forms = _post_everything(client, names, posted["admin"])
    assert forms >= 60, f"only {forms} forms found (the discovery is broken)"
    assert public_problems + problems == [], "\n".join(public_problems + problems)
