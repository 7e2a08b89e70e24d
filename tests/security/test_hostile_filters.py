"""Hostile values in the filters of every page: never a 500, never raw markup, never a change.

On the demo province, for the Sở Nội vụ administrator (every page, every row) and the district officer (scoped
pages), every page of the access matrix that answers 200 is read for what it takes from its query string (the
fields of its GET forms: filter rows, searches; the parameters of its links to itself: tabs, sorting); then the
page is asked again with every one of them, and `page`, set to one hostile value at a time (a
key past 64 bits, a negative number, digits int() refuses, NUL, markup, a very long text, an impossible date, two
values for one name). The page must answer below 500, show the markup escaped, and change nothing.
"""

import html
import re
from urllib.parse import parse_qs, urlsplit

from .test_access_matrix import INSIDE, MATRIX, _fingerprint, _reverse, _url_names

MARKUP = "<script>alert('x')</script>"
HOSTILE = ["9" * 25, "-1", "²", "1\x00", MARKUP, "x" * 3000, "31/02/2025", "2025-02-31", ["1", "abc"]]
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
METHOD_POST = re.compile(r"""\bmethod\s*=\s*["']?post""", re.I)
FIELD = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname\s*=\s*["']([^"']+)["']""", re.I)
HREF = re.compile(r"""\bhref\s*=\s*["']([^"'#]*\?[^"'#]*)["']""", re.I)


def _filter_fields(url, text):
    """The names the page reads from its query string: the fields of its GET forms (a form without a method is a
    GET form) and the parameters of its links to itself (tabs, sorting, "add a person to this unit")."""
    names = set()
    for attributes, body in FORM.findall(text):
        if not METHOD_POST.search(attributes):
            names.update(FIELD.findall(body))
    for link in HREF.findall(text):
        parts = urlsplit(html.unescape(link))
        if parts.path in ("", url):
            names.update(parse_qs(parts.query, keep_blank_values=True))
    return names - {"csrfmiddlewaretoken"}


def test_hostile_filter_values_never_answer_500(client, demo):
    client.raise_request_exception = False  # a view's exception is its 500: every one is listed, not the first
    problems = []
    before = _fingerprint()
    for role, least in (("admin", 15), ("officer", 8)):  # one demo for both: loading it costs more than the walk
        client.force_login(demo[role])
        filtered = _walk(client, problems, role)
        assert len(filtered) >= least, f"{role}: pages with filters found: {filtered} (the discovery is broken)"
    assert _fingerprint() == before, "a GET with hostile filters changed data"
    assert problems == [], "\n".join(problems)


def _walk(client, problems, role):
    """Ask every page with each hostile value in all it reads; the pages that read anything."""
    filtered = []
    for name in _url_names():
        if name not in MATRIX or name == "logout":
            continue
        url = _reverse(name, INSIDE)
        response = client.get(url)
        if response.status_code != 200 or response.streaming or "text/html" not in response["Content-Type"]:
            continue
        fields = _filter_fields(url, response.content.decode())
        if not fields:
            continue
        filtered.append(name)
        for value in HOSTILE:
            answer = client.get(url, {field: value for field in fields | {"page"}})
            if answer.status_code >= 500:
                problems.append(f"{role} {name} {sorted(fields)} = {str(value)[:30]!r}: {answer.status_code}")
            elif not answer.streaming and MARKUP in answer.content.decode(errors="replace"):
                problems.append(f"{role} {name}: raw markup shown")
    return filtered
