"""What every app's views share (whole numbers read from a request are core.text.number_or_none): pagination, the filter
query string kept across pages, calling a service (from a form page, a POST action or a small form a POST action
carries) and answering a picker's search (`picker`)."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS, url_has_allowed_host_and_scheme

from .forms import PICK_LIMIT, chosen_rows, picker_field, search_rows


def paginate(request, queryset, size):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def local_url(request, url, fallback="/"):
    """`url` when it leads back into this site (a path, or an address on this host), else `fallback`: a "next" or a
    Referer sent with a request never sends anyone to another site, and is never handed to `redirect()`, which takes
    a text without "/" or "." for a view's name (a NoReverseMatch, a 500)."""
    if url and url.startswith(("/", "http://", "https://")) and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return fallback


def linker(name):
    """The URL of page `name` for any one key, from a single reverse(): a page of rows calls reverse() once rather
    than once per row (a reverse costs as much as rendering the rest of a row). The key is quoted as reverse()
    quotes it."""
    marker = "0" * 12 + "1"  # digits, so that an <int:…> converter takes it too
    before, after = reverse(name, args=[marker]).rsplit(marker, 1)
    return lambda key: f"{before}{quote(str(key), safe=RFC3986_SUBDELIMS + '/~:@')}{after}"


def querystring(request, drop=("page",)):
    """The current filters without the page number (or other `drop` keys), for pagination and export links."""
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


# Calling a service from a view ------------------------------------------------------------------------------
# A service raises ValidationError with Vietnamese messages (per field when it names one); these two helpers are
# the only places that turn it into what the user sees: errors on the form, or a message after a POST action.


def error_text(error):
    """All messages of a ValidationError as one line (field names are not shown)."""
    return " ".join(error.messages)


def put_errors_on(form, error):
    """A service's ValidationError on the form: on its field when the form has it, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class _Failed:
    """What a helper returns when the service refused (falsy, and distinct from a service that returns None)."""

    def __bool__(self):
        return False

    def __repr__(self):
        return "FAILED"


FAILED = _Failed()


def form_service(form, action):
    """`action()` for a form view: its result, or FAILED with the error on `form`."""
    try:
        return action()
    except ValidationError as error:
        put_errors_on(form, error)
        return FAILED


def picker(request, *forms):
    """The answer to a picker's search (`?pick=<field's name>&pick_q=<text>`, sent by htmx from the page holding
    the form), or None when the request is not one: the matching rows of that field's queryset, the scoped one the
    form validates against, as <option>s, the chosen ones first and kept chosen. A view that shows a form with a
    picker returns this first (form_page does it)."""
    name = request.GET.get("pick")
    if not name or request.method != "GET":
        return None
    for form in forms:
        for field_name in form.fields:
            if form[field_name].html_name != name or (field := picker_field(form, field_name)) is None:
                continue
            chosen = chosen_rows(field.queryset, request.GET.getlist(name))
            found = [row for row in search_rows(field.queryset, request.GET.get("pick_q", ""),
                                                field.widget.search_fields) if row not in chosen]
            options = [(field.prepare_value(row), field.label_from_instance(row), True) for row in chosen]
            if field.empty_label is not None and not field.widget.allow_multiple_selected:
                options.insert(0, ("", field.empty_label, not chosen))
            options += [(field.prepare_value(row), field.label_from_instance(row), False)
                        for row in found[:PICK_LIMIT]]
            html = render_to_string("core/_pick_options.html", {
                "options": options, "searched": bool(request.GET.get("pick_q", "").strip()),
                "found": bool(found), "more": len(found) > PICK_LIMIT})
            return HttpResponse(html)
    return None


def form_page(request, form, save, success, template, context=None, *, then=None):
    """An add or edit page: on a valid POST, `save(**form.cleaned_data)` (the service, through `form_service`).

    When it saved: the message `success(saved)` and a redirect to `then(saved)` (a model or a URL; default the
    saved record's own page). Otherwise the page again (`template` with the form and `context`), errors on the form.
    """
    if (options := picker(request, form)) is not None:
        return options
    if request.method == "POST" and form.is_valid():
        saved = form_service(form, lambda: save(**form.cleaned_data))
        if saved is not FAILED:
            messages.success(request, success(saved))
            return redirect(then(saved) if then else saved)
    return render(request, template, {"form": form, **(context or {})})


def flash_service(request, action, success=""):
    """`action()` for a POST action view: a success message (text, or a function of the result) or the error.

    Returns the result, or FAILED (falsy) when the service refused; the view redirects either way.
    """
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, error_text(error))
        return FAILED
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    return result


def form_action(request, form, action, success="", *, invalid, then):
    """A small form posted by a POST action from another page (a date, a choice, a file): when the form is not
    valid, the message `invalid` (text, or a function of the form) and nothing runs; otherwise
    `action(form.cleaned_data)` through `flash_service`. Back to `then` (a model or a URL) either way."""
    if form.is_valid():
        flash_service(request, lambda: action(form.cleaned_data), success)
    else:
        messages.error(request, invalid(form) if callable(invalid) else invalid)
    return redirect(then)
