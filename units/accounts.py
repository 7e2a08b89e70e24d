"""The accounts pages (Sở Nội vụ administrators manage, unit officers read their subtree's), the activity page and
the person's own password pages. Wiring only: load through the scoped selectors (outsiders get 404), check the rule
(403), call one service through core.views."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import action_label
from core.views import FAILED, flash_service, form_page, form_service, paginate, picker
from core.views import querystring as _querystring

from . import rules, selectors, services
from .account_forms import AccountFilterForm, AccountForm, ActivityFilterForm, OwnPasswordChangeForm, PasswordMethodForm
from .models import User

ACCOUNTS_PAGE_SIZE = 50
ACTIVITY_PAGE_SIZE = 50


def _link_base(request):
    """Where the one-time link points: this site as the administrator reached it (ALLOWED_HOSTS applies)."""
    return request.build_absolute_uri("/")


def _detail(account):
    return reverse("units:account_detail", args=[account.pk])


def _allowed(rule):
    """A page for the signed-in users `rule(user)` lets in; anyone else signed in gets 403."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _managed(request, pk):
    """The account `pk` for the user who may manage it: 404 outside the user's reach, 403 when it may only read it."""
    account = selectors.account_for(request.user, pk)
    if not rules.can_manage_account(request.user, account):
        raise PermissionDenied
    return account


def _issued(request, issued, title):
    """After a creation or a reset: the temporary password, shown once on this response (never kept, never sent
    in a redirect), or a message that the link was e-mailed."""
    if issued.temporary_password:
        return render(request, "units/accounts/issued.html", {"issued": issued, "account": issued.account,
                                                               "title": title})
    messages.success(request, _("Đã gửi liên kết đặt mật khẩu tới %(email)s.") % {"email": issued.emailed_to})
    return redirect(_detail(issued.account))


# Accounts ---------------------------------------------------------------------------------------------------


@_allowed(rules.can_view_accounts)
def account_list(request):
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = selectors.unit_for(request.user, filters["unit"]) if filters.get("unit") else None
    accounts = selectors.account_list(request.user, q=filters.get("q", ""), role=filters.get("role", ""),
                                      status=filters.get("status", ""), unit=unit)
    page = paginate(request, accounts, ACCOUNTS_PAGE_SIZE)
    states = selectors.login_states(account.username for account in page)
    for account in page:
        account.login_state = states.get(account.username)
    return render(request, "units/accounts/list.html", {
        "filter_form": form, "page": page, "unit": unit, "querystring": _querystring(request),
        "can_manage": rules.can_manage_accounts(request.user),
    })


@_allowed(rules.can_view_accounts)
def account_detail(request, pk):
    account = selectors.account_for(request.user, pk)
    entries = selectors.activity_about(request.user, account)
    for entry in entries:
        entry.label = action_label(entry.action)
    return render(request, "units/accounts/detail.html", {
        "account": account, "login_state": selectors.login_states([account.username]).get(account.username),
        "entries": entries, "can_manage": rules.can_manage_account(request.user, account),
        "is_self": account.pk == request.user.pk,
    })


@_allowed(rules.can_manage_accounts)
def account_create(request):
    form = AccountForm(request.POST or None, user=request.user, creating=True)
    if (options := picker(request, form)) is not None:
        return options
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        method = data.pop("password_method")
        issued = form_service(form, lambda: services.account_create(
            by=request.user, password_method=method, link_base=_link_base(request), **data))
        if issued is not FAILED:
            return _issued(request, issued, _("Đã tạo tài khoản %(username)s") % {"username": issued.account.username})
    return render(request, "units/accounts/form.html", {"form": form, "title": _("Tạo tài khoản")})


@login_required
def account_edit(request, pk):
    account = _managed(request, pk)
    form = AccountForm(request.POST or None, instance=User.objects.get(pk=account.pk), user=request.user)
    return form_page(request, form, lambda **data: services.account_update(account=account, by=request.user, **data),
                     lambda saved: _("Đã lưu tài khoản %(username)s.") % {"username": saved.username},
                     "units/accounts/form.html", {"account": account, "title": _("Sửa tài khoản")}, then=_detail)


@login_required
def account_reset(request, pk):
    account = _managed(request, pk)
    form = PasswordMethodForm(request.POST or None,
                              initial={"method": services.EMAIL_LINK if account.email else services.TEMPORARY})
    if request.method == "POST" and form.is_valid():
        issued = form_service(form, lambda: services.account_reset_password(
            account=account, by=request.user, method=form.cleaned_data["method"], link_base=_link_base(request)))
        if issued is not FAILED:
            return _issued(request, issued, _("Đã đặt lại mật khẩu của %(username)s") % {"username": account.username})
    return render(request, "units/accounts/reset.html", {"form": form, "account": account})


def _account_action(request, pk, action, success):
    account = _managed(request, pk)
    flash_service(request, lambda: action(account), success % {"username": account.username})
    return redirect(_detail(account))


@login_required
@require_POST
def account_deactivate(request, pk):
    return _account_action(request, pk, lambda account: services.account_set_active(
        account=account, by=request.user, active=False),
        _("Đã khóa tài khoản %(username)s: người này không đăng nhập được nữa."))


@login_required
@require_POST
def account_activate(request, pk):
    return _account_action(request, pk, lambda account: services.account_set_active(
        account=account, by=request.user, active=True), _("Đã mở lại tài khoản %(username)s."))


@login_required
@require_POST
def account_unlock(request, pk):
    return _account_action(request, pk, lambda account: services.account_unlock(account=account, by=request.user),
                           _("Đã mở khóa đăng nhập cho %(username)s."))


# The activity page ------------------------------------------------------------------------------------------


@_allowed(rules.can_view_activity)
def activity_list(request):
    form = ActivityFilterForm(request.GET or None, actions=selectors.activity_actions())
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.activity_list(
        request.user, actor=filters.get("actor", ""), action=filters.get("action", ""),
        since=filters.get("since"), until=filters.get("until"), q=filters.get("q", ""))
    page = paginate(request, entries, ACTIVITY_PAGE_SIZE)
    codes = selectors.unit_codes(page)
    for entry in page:
        entry.label = action_label(entry.action)
        entry.unit_code = codes.get(entry.target_id) if entry.target_type == "units.unit" else None
    return render(request, "units/activity/list.html", {
        "filter_form": form, "page": page, "querystring": _querystring(request),
        "sees_all": rules.sees_all_activity(request.user),
    })


@_allowed(rules.can_view_activity)
def activity_detail(request, pk):
    entry = selectors.activity_entry_for(request.user, pk)
    entry.label = action_label(entry.action)
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    rows = [(name, *value, None) if isinstance(value, list | tuple) and len(value) == 2 else (name, None, None, value)
            for name, value in sorted(changes.items())]
    return render(request, "units/activity/detail.html", {"entry": entry, "changes": rows})


# The person's own password ----------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's login page, signed with the province and its Sở Nội vụ from the unit tree."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(issuer=selectors.issuing_authority(), **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """"Quên mật khẩu": Django's view (a link by e-mail to an active account with that address, the same one-time
    link Sở Nội vụ sends, opening PasswordResetConfirmView); it says the same whether or not the address is known."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change page (signed-in users only), writing through the service (which ends a temporary
    password's obligation and leaves an activity row)."""

    form_class = OwnPasswordChangeForm

    def form_valid(self, form):
        account = services.account_set_password(account=self.request.user,
                                                new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, account)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The page the one-time link opens: Django's token check (void once used, once the person signed in, or after
    PASSWORD_RESET_TIMEOUT), then the service. A deactivated account's link opens nothing."""

    success_url = reverse_lazy("password_reset_complete")
    token_generator = default_token_generator

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        services.account_set_password(account=form.user, new_password=form.cleaned_data["new_password1"],
                                      by_link=True)
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())
