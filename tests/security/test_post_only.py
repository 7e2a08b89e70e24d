"""POST-only views answer the same way in every app: an anonymous GET is sent to login, a signed-in GET gets 405.

The POST-only views are found from the resolver: a function view wrapped by `require_POST` /
`require_http_methods` without GET, or a class-based view whose `http_method_names` lack "get". A signed-in GET
that answers 405 on a view not found that way fails too (a hand-written method check would escape the walk).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

# Genuinely public POST endpoints: an anonymous GET is refused with 405 instead of a login redirect.
PUBLIC_POST = {
    "awards:comment_add": "the public comment form under a posted list: citizens comment without an account",
    "logout": "Django's LogoutView: signing out needs no sign-in, and a GET never signs anyone out",
}


def _allowed_methods(callback):
    """The methods a view takes, when a decorator or the view class says so; None when it takes any."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        names = {name.upper() for name in view_class.http_method_names if hasattr(view_class, name)}
        return names if "GET" not in names else None
    func = callback
    while func is not None:
        names = func.__code__.co_freevars if hasattr(func, "__code__") else ()
        if "request_method_list" in names and func.__closure__:
            methods = func.__closure__[names.index("request_method_list")].cell_contents
            if "GET" not in methods:
                return set(methods)
        func = getattr(func, "__wrapped__", None)
    return None


def _patterns():
    """(url name, an example URL, the view) for every project pattern (Django's admin excluded)."""
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                converters = getattr(pattern.pattern, "converters", {})
                kwargs = {key: 1 if isinstance(conv, IntConverter) else "x" for key, conv in converters.items()}
                name = f"{namespace}{pattern.name}"
                yield name, reverse(name, kwargs=kwargs), pattern.callback
    return list(walk(get_resolver().url_patterns))


@pytest.mark.django_db
def test_anonymous_get_on_a_post_only_view_goes_to_login(client, users):
    patterns = _patterns()
    post_only = {name for name, _url, view in patterns if _allowed_methods(view)}
    # The walk sees the POST-only views of every app (so the checks below are not vacuous).
    for app in ("campaigns", "par", "awards", "reports"):
        assert any(name.startswith(f"{app}:") for name in post_only), app
    assert {"campaigns:achievement_accept", "campaigns:launch", "par:submit", "awards:decide",
            "reports:generate", "logout"} | set(PUBLIC_POST) <= post_only
    problems = []
    for name, url, _view in patterns:
        if name not in post_only:
            continue
        response = client.get(url)
        if name in PUBLIC_POST:
            if response.status_code != 405:
                problems.append(f"anonymous GET {name} (public): {response.status_code}, expected 405")
        elif not (response.status_code == 302 and response["Location"].startswith(reverse("login"))):
            problems.append(f"anonymous GET {name}: {response.status_code}, expected the login redirect")

    client.force_login(users["admin"])
    for name, url, _view in patterns:
        if name == "logout":
            continue
        status = client.get(url).status_code
        if name in post_only and status != 405:
            problems.append(f"signed-in GET {name}: {status}, expected 405")
        if name not in post_only and status == 405:
            problems.append(f"signed-in GET {name}: 405 from a view the walk does not see as POST-only")
    assert problems == [], "\n".join(problems)
