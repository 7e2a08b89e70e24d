"""What the page frame (templates/base.html) needs on every page."""

from functools import cache

from . import demo


def site(request):
    """`demo_loaded`: whether to show the banner "Dữ liệu mẫu"; asked of the database only when a page frame
    renders it (once per page; the template calls the function)."""
    return {"demo_loaded": cache(demo.is_loaded)}
