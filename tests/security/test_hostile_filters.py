"""Hostile values in the filters of every page: never a 500, never raw markup, never a change.

On the demo province, for the Sở Nội vụ administrator (every page, every row) and the district officer (scoped
pages), every page of the access matrix that answers 200 is read for its GET forms (filter rows, searches, tabs);
then the page is asked again with every field of those forms, and `page`, set to one hostile value at a time (a
key past 64 bits, a negative number, digits int() refuses, NUL, markup, a very long text, an impossible date, two
values for one name). The page must answer below 500, show the markup escaped, and change nothing.
"""

import re

import pytest

from .conftest import ROLES
from .test_access_matrix import INSIDE, MATRIX, _fingerprint, _reverse, _url_names

MARKUP = "<script>alert('x')</script>"
HOSTILE = ["9" * 25, "-1", "²", "1\x00", MARKUP, "x" * 3000, "31/02/2025", "2025-02-31", ["1", "abc"]]
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
METHOD_POST = re.compile(r"""\bmethod\s*=\s*["']?post""", re.I)
FIELD = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname\s*=\s*["']([^"']+)["']""", re.I)


def _filter_fields(html):
    """The names of the fields of the page's GET forms (a form without a method is a GET form)."""
    names = set()
    for attributes, body in FORM.findall(html):
        if not METHOD_POST.search(attributes):
            names.update(FIELD.findall(body))
    return names - {"csrfmiddlewaretoken"}


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_hostile_filter_values_never_answer_500(client, demo, role):
    assert set(ROLES) >= {"admin", "officer"}
    client.force_login(demo[role])
    problems, filtered = [], []
    before = _fingerprint()
    for name in _url_names():
        if name not in MATRIX or name == "logout":
            continue
        url = _reverse(name, INSIDE)
        response = client.get(url)
        if response.status_code != 200 or response.streaming or "text/html" not in response["Content-Type"]:
            continue
        fields = _filter_fields(response.content.decode())
        if not fields:
            continue
        filtered.append(name)
        for value in HOSTILE:
            answer = client.get(url, {field: value for field in fields | {"page"}})
            if answer.status_code >= 500:
                problems.append(f"{name} {sorted(fields)} = {str(value)[:30]!r}: {answer.status_code}")
            elif not answer.streaming and MARKUP in answer.content.decode(errors="replace"):
                problems.append(f"{name}: raw markup shown")
    assert _fingerprint() == before, "a GET with hostile filters changed data"
    assert len(filtered) >= (15 if role == "admin" else 8), f"pages with filters found: {filtered}"
    assert problems == [], "\n".join(problems)
