"""What the page frame (templates/base.html) needs on every page."""

from functools import cache

from . import demo, versions


def _demo_loaded():
    # On a page that read the data version already (the home page), the flag is kept under it: the demo is loaded
    # in one transaction with the audit rows of its builders, so the version moves on when the flag appears.
    version = versions.already_read()
    if version is None:
        return demo.is_loaded()
    return versions.cached("core.demo", [], lambda: (demo.is_loaded(),), version=version)[0]


def site(request):
    """`demo_loaded`: whether to show the banner "Dữ liệu mẫu"; asked of the database only when a page frame
    renders it (once per page; the template calls the function)."""
    return {"demo_loaded": cache(_demo_loaded)}
