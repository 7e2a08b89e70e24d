"""Writes: one function per user action, each in one transaction, each leaving an audit row."""

import re
import secrets
import smtplib
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.roles import Role
from core.text import normalize_code

from . import rules, selectors
from .models import Person, Unit, UnitKind, User

UNIT_FIELDS = ("code", "name", "kind", "parent", "block", "valid_from", "valid_to", "successor")
PERSON_FIELDS = ("full_name", "gender", "position", "unit", "staff_code")


def _check_parent(unit, parent):
    if parent is not None and unit.pk is not None and parent.is_within(unit):
        raise ValidationError(
            {"parent": _("Đơn vị cấp trên không thể là chính đơn vị này hoặc đơn vị cấp dưới của nó.")})


def _check_scope_fields(by, data, unit=None):
    """What only Sở Nội vụ administrators may set, refused for anyone else even if a form were bypassed: a kind
    other than division for a new unit, a change of kind, a successor outside the user's scope (keeping the one a
    unit already has is not a change), a code that another unit holds (named only if the user may see it)."""
    if "code" in data:
        clash = selectors.unit_code_clash(by, normalize_code(data["code"]), exclude=unit.pk if unit else None)
        if clash:
            raise ValidationError({"code": clash})
    if rules.can_manage_unit_tree(by):
        return
    kind = data.get("kind", unit.kind if unit else None)
    if unit is None and kind != UnitKind.DIVISION:
        raise ValidationError({"kind": _("Bạn chỉ thêm được phòng, ban chuyên môn; các loại đơn vị khác do "
                                         "Sở Nội vụ tạo.")})
    if unit is not None and kind != unit.kind:
        raise ValidationError({"kind": _("Chỉ Sở Nội vụ thay đổi được loại đơn vị.")})
    successor = data.get("successor")
    if (successor is not None and (unit is None or successor.pk != unit.successor_id)
            and not selectors.units_visible_to(by).filter(pk=successor.pk).exists()):
        raise ValidationError({"successor": _("Đơn vị kế thừa phải thuộc phạm vi đơn vị bạn quản lý.")})


@transaction.atomic
def unit_create(*, by, **data):
    parent = data.get("parent")
    if not rules.can_add_unit_under(by, parent):
        raise PermissionDenied
    _check_scope_fields(by, data)
    unit = Unit(**{k: v for k, v in data.items() if k in UNIT_FIELDS})
    return audit.save_recorded(unit, by=by, action="unit_create")


@transaction.atomic
def unit_update(*, unit, by, **data):
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not rules.can_edit_unit(by, unit):
        raise PermissionDenied
    new_parent = data.get("parent", unit.parent)
    if not rules.can_manage_unit_tree(by) and (new_parent is None or not rules.can_add_unit_under(by, new_parent)):
        raise PermissionDenied
    _check_parent(unit, new_parent)
    _check_scope_fields(by, data, unit)
    changes = audit.changes(unit, data, UNIT_FIELDS)
    old_path, old_depth = unit.path, unit.depth
    for name, value in data.items():
        if name in UNIT_FIELDS:
            setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    if unit.path != old_path:
        move_descendants(old_path, unit.path, unit.depth - old_depth)
    if changes:
        audit.record(actor=by, action="unit_update", target=unit, changes=changes)
    return unit


def move_descendants(old_path, new_path, depth_delta):
    """Re-root a subtree's materialised paths in one UPDATE after a move or a code change."""
    Unit.objects.filter(path__startswith=old_path).exclude(path=new_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )


def _check_staff_code(by, data, person=None):
    """A staff code another person holds is refused, naming it only to a user who may see that person."""
    code = normalize_code(data.get("staff_code")) or None
    clash = code and selectors.staff_code_clash(by, code, exclude=person.pk if person else None)
    if clash:
        raise ValidationError({"staff_code": clash})


@transaction.atomic
def person_create(*, by, **data):
    if not rules.can_edit_people(by, data.get("unit")):
        raise PermissionDenied
    _check_staff_code(by, data)
    person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    return audit.save_recorded(person, by=by, action="person_create")


@transaction.atomic
def person_update(*, person, by, **data):
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    if not rules.can_edit_people(by, person.unit) or not rules.can_edit_people(by, data.get("unit", person.unit)):
        raise PermissionDenied
    _check_staff_code(by, data, person)
    return audit.update_recorded(person, data, PERSON_FIELDS, by=by, action="person_update")


# Accounts ---------------------------------------------------------------------------------------------------

ACCOUNT_FIELDS = ("username", "full_name", "email", "role", "unit", "is_active")
TEMPORARY, EMAIL_LINK = "temporary", "email"  # the two ways Sở Nội vụ gives a person a password
USERNAME = re.compile(r"^[A-Za-z0-9._@+-]+$")
# Easy to read aloud and to copy from paper: no 0/O, 1/l/I.
_TEMPORARY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"

ACTION_LABELS = {
    "unit_create": gettext_lazy("Thêm đơn vị"), "unit_update": gettext_lazy("Sửa đơn vị"),
    "units_import": gettext_lazy("Nhập đơn vị từ Excel"),
    "person_create": gettext_lazy("Thêm cá nhân"), "person_update": gettext_lazy("Sửa thông tin cá nhân"),
    "people_import": gettext_lazy("Nhập cá nhân từ Excel"), "demo_load": gettext_lazy("Nạp dữ liệu mẫu"),
    "account_create": gettext_lazy("Tạo tài khoản"), "account_update": gettext_lazy("Sửa tài khoản"),
    "account_deactivate": gettext_lazy("Khóa tài khoản"), "account_activate": gettext_lazy("Mở lại tài khoản"),
    "account_password_reset": gettext_lazy("Cấp mật khẩu tạm thời"),
    "account_reset_link": gettext_lazy("Gửi liên kết đặt mật khẩu"),
    "account_unlock": gettext_lazy("Mở khóa đăng nhập"),
    "password_change": gettext_lazy("Đổi mật khẩu"),
    "password_set_by_link": gettext_lazy("Đặt mật khẩu qua liên kết"),
}


@dataclass(frozen=True)
class Issued:
    """What an account creation or a reset gave: the temporary password to print (shown once, never stored in
    clear) or the address the one-time link was sent to."""

    account: User
    temporary_password: str = ""
    emailed_to: str = ""


def temporary_password():
    return "-".join("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3))


def _shown(value):
    return "" if value is None else str(value)


def _check_account_data(by, data, account=None):
    """What a form could be bypassed for: the user name's form and uniqueness (whatever the case), an officer
    without a unit, a unit outside the administrator's scope, an administrator locking themselves out."""
    errors = {}
    username = data.get("username")
    if username is not None:
        if not USERNAME.match(username):
            errors["username"] = _("Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các dấu . _ - @ + "
                                   "(không có khoảng trắng).")
        elif User.objects.filter(username__iexact=username).exclude(pk=account.pk if account else None).exists():
            errors["username"] = _("Đã có tài khoản với tên đăng nhập “%(username)s”.") % {"username": username}
    role = data.get("role", account.role if account else None)
    unit = data.get("unit", account.unit if account else None)
    if role == Role.OFFICER and unit is None:
        errors["unit"] = _("Cán bộ đầu mối phải gắn với một đơn vị.")
    elif unit is not None and not selectors.units_visible_to(by).filter(pk=unit.pk).exists():
        errors["unit"] = _("Đơn vị này không thuộc phạm vi bạn quản lý.")
    if account is not None and account.pk == by.pk:
        if data.get("is_active") is False:
            errors["is_active"] = _("Bạn không thể tự khóa tài khoản của chính mình.")
        if not by.is_superuser and role != Role.ADMIN:
            errors["role"] = _("Bạn không thể tự bỏ vai trò quản trị viên của chính mình.")
    if errors:
        raise ValidationError(errors)


def _locked_account(account, by):
    account = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=account.pk)
    if not rules.can_manage_account(by, account):
        raise PermissionDenied
    return account


def _send_link(account, link_base):
    """E-mail the one-time link (Django's password reset token: void once used, once the person signs in, or after
    PASSWORD_RESET_TIMEOUT). A failure to send refuses the whole action."""
    if not account.email:
        raise ValidationError({"email": _("Tài khoản chưa có địa chỉ e-mail; hãy nhập e-mail hoặc chọn cấp mật "
                                          "khẩu tạm thời.")})
    path = reverse("password_reset_confirm", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(account.pk)),
                                                      "token": default_token_generator.make_token(account)})
    context = {"account": account, "link": f"{link_base.rstrip('/')}{path}"}
    subject = render_to_string("units/accounts/link_email_subject.txt", context).strip()
    body = render_to_string("units/accounts/link_email.txt", context)
    try:
        send_mail(subject, body, None, [account.email])
    except (OSError, smtplib.SMTPException):
        raise ValidationError(_("Không gửi được e-mail tới %(email)s; hãy kiểm tra địa chỉ hoặc cấp mật khẩu tạm "
                                "thời.") % {"email": account.email}) from None
    return account.email


def _give_password(account, method, link_base):
    """Set a temporary password (to be changed at the first login) or send the link; the activity note says which."""
    if method == TEMPORARY:
        password = temporary_password()
        account.set_password(password)
        account.must_change_password = True
        account.save()
        return Issued(account, temporary_password=password), _("Mật khẩu tạm thời, phải đổi khi đăng nhập.")
    if method == EMAIL_LINK:
        email = _send_link(account, link_base)
        return Issued(account, emailed_to=email), _("Liên kết đặt mật khẩu gửi tới %(email)s.") % {"email": email}
    raise ValidationError(_("Hãy chọn cách cấp mật khẩu."))


@transaction.atomic
def account_create(*, by, password_method, link_base="", **data):
    """A new account (Sở Nội vụ administrators): with a temporary password, or no password yet and a link by
    e-mail to set one."""
    if not rules.can_manage_accounts(by):
        raise PermissionDenied
    data["email"] = User.objects.normalize_email(data.get("email") or "")
    _check_account_data(by, data)
    account = User(**{k: v for k, v in data.items() if k in ACCOUNT_FIELDS})
    account.set_unusable_password()
    account.full_clean()
    account.save()
    issued, note = _give_password(account, password_method, link_base)
    audit.record(actor=by, action="account_create", target=account, note=note,
                 changes={name: ["", _shown(getattr(account, name))] for name in ACCOUNT_FIELDS})
    return issued


@transaction.atomic
def account_update(*, account, by, **data):
    account = _locked_account(account, by)
    if "email" in data:
        data["email"] = User.objects.normalize_email(data["email"] or "")
    _check_account_data(by, data, account)
    return audit.update_recorded(account, data, ACCOUNT_FIELDS, by=by, action="account_update")


@transaction.atomic
def account_set_active(*, account, by, active):
    """Deactivate an account (the person can no longer sign in; open sessions end at their next request) or open
    it again. Nothing is deleted: the account's history stays."""
    account = _locked_account(account, by)
    if not active and account.pk == by.pk:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của chính mình."))
    if account.is_active == active:
        return account
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit.record(actor=by, action="account_activate" if active else "account_deactivate", target=account,
                 changes={"is_active": [str(not active), str(active)]})
    return account


@transaction.atomic
def account_reset_password(*, account, by, method, link_base=""):
    """A temporary password (the old one stops working; changed at the next login) or a one-time link by e-mail
    (the old password keeps working until a new one is set)."""
    account = _locked_account(account, by)
    if not account.is_active:
        raise ValidationError(_("Tài khoản đang bị khóa; hãy mở lại tài khoản trước khi đặt lại mật khẩu."))
    issued, note = _give_password(account, method, link_base)
    audit.record(actor=by, action="account_password_reset" if method == TEMPORARY else "account_reset_link",
                 target=account, note=note)
    return issued


@transaction.atomic
def account_unlock(*, account, by):
    """Forget the user name's failed logins (django-axes' attempts), which lifts the wait they caused."""
    account = _locked_account(account, by)
    cleared = axes_reset(username=account.username)
    if not cleared:
        raise ValidationError(_("Tài khoản này không có lần đăng nhập sai nào cần xóa."))
    audit.record(actor=by, action="account_unlock", target=account,
                 note=_("Đã xóa %(count)s bản ghi đăng nhập sai.") % {"count": cleared})
    return account


@transaction.atomic
def account_set_password(*, account, new_password, by_link=False):
    """The person sets their own password: from the password change page (`account` signed in, the temporary
    password's obligation ends) or from a one-time link (`by_link`: their failed logins are forgotten too)."""
    account = User.objects.select_for_update().get(pk=account.pk)
    password_validation.validate_password(new_password, account)
    account.set_password(new_password)
    account.must_change_password = False
    account.save()
    if by_link:
        axes_reset(username=account.username)
    audit.record(actor=account, action="password_set_by_link" if by_link else "password_change", target=account)
    return account
