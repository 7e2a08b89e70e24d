"""Small helpers every app's views share: pagination and the filter query string kept across pages."""

from django.core.paginator import Paginator


def paginate(request, queryset, size):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def querystring(request, drop=("page",)):
    """The current filters without the page number (or other `drop` keys), for pagination and export links."""
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()
