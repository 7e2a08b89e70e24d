"""Writes: one function per user action, each in one transaction, each leaving an audit row."""

import datetime
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
from django.db.models import F, Q, Value
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

from . import restructuring, rules, selectors, signing_images
from .models import Person, Unit, UnitKind, UnitLink, User

UNIT_FIELDS = ("code", "name", "kind", "parent", "block", "valid_from", "valid_to")
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
    successors = data.get("successors")
    if successors is not None:
        kept = set(unit.successors.values_list("pk", flat=True)) if unit is not None else set()
        added = {successor.pk for successor in successors} - kept
        if added and selectors.units_visible_to(by).filter(pk__in=added).count() != len(added):
            raise ValidationError({"successors": _("Đơn vị kế thừa phải thuộc phạm vi đơn vị bạn quản lý.")})


def _set_successors(unit, successors):
    """The unit's successor links become exactly `successors` (kept links keep their date); {field: [old, new]}."""
    if successors is None:
        return {}
    wanted = {successor.pk: successor for successor in successors if successor.pk != unit.pk}
    current = dict(unit.successor_links.values_list("successor_id", "successor__code"))
    if set(current) == set(wanted):
        return {}
    unit.successor_links.exclude(successor_id__in=wanted).delete()
    on = unit.valid_to + datetime.timedelta(days=1) if unit.valid_to else None
    UnitLink.objects.bulk_create([UnitLink(predecessor=unit, successor=successor, on=on)
                                  for pk, successor in wanted.items() if pk not in current])
    return {"successors": [", ".join(sorted(current.values())),
                           ", ".join(sorted(successor.code for successor in wanted.values()))]}


@transaction.atomic
def unit_create(*, by, **data):
    parent = data.get("parent")
    if not rules.can_add_unit_under(by, parent):
        raise PermissionDenied
    _check_scope_fields(by, data)
    unit = Unit(**{k: v for k, v in data.items() if k in UNIT_FIELDS})
    unit = audit.save_recorded(unit, by=by, action="unit_create")
    _set_successors(unit, data.get("successors"))
    return unit


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
    changes.update(_set_successors(unit, data.get("successors")))
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


# The restructuring operation (sắp xếp đơn vị) ----------------------------------------------------------------

ACTION_LABELS["units_restructure"] = gettext_lazy("Sắp xếp đơn vị (sáp nhập, chia tách)")
ACTION_LABELS.update(signing_images.ACTION_LABELS)  # the signing images page's services (units/signing_images.py)


@dataclass(frozen=True)
class RestructuringPreview:
    """What an operation would do: `moves` [(label, count)] of what follows the successors, `kept`
    [(label, count)] of what stays with the ended units (their history), and the people with their target."""

    plan: restructuring.Plan
    moves: list
    kept: list
    people: list  # [(person, target id)]


def _new_unit(by, data, on):
    code = normalize_code(data.get("code"))
    if not code:
        raise ValidationError({"new_units": _("Đơn vị mới phải có mã.")})
    clash = selectors.unit_code_clash(by, code)
    if clash:
        raise ValidationError({"new_units": clash})
    if not (data.get("name") or "").strip():
        raise ValidationError({"new_units": _("Đơn vị mới %(code)s phải có tên.") % {"code": code}})
    return Unit(code=code, name=data["name"].strip(), kind=data.get("kind") or UnitKind.COMMUNE,
                parent=data.get("parent"), block=data.get("block"), valid_from=on)


def _plan(*, by, ended, successors=(), new_units=(), on, people=None, mains=None,
          accounts=restructuring.ACCOUNTS_MOVE, basis=""):
    """The checked plan (nothing written). Refusals name the unit and say what to do."""
    if not rules.can_restructure(by):
        raise PermissionDenied
    if on is None:
        raise ValidationError({"on": _("Hãy nhập ngày các đơn vị kế thừa bắt đầu hoạt động.")})
    chosen = list(dict.fromkeys(ended))
    if not chosen:
        raise ValidationError({"ended": _("Hãy chọn ít nhất một đơn vị kết thúc hoạt động.")})
    targets = list(dict.fromkeys(successors)) + [_new_unit(by, data, on) for data in new_units]
    if not targets:
        raise ValidationError({"successors": _("Hãy chọn hoặc thêm ít nhất một đơn vị kế thừa.")})
    codes = [unit.code for unit in targets]
    if len(set(codes)) != len(codes):
        raise ValidationError({"new_units": _("Mỗi đơn vị kế thừa chỉ được nêu một lần.")})
    last_day = on - datetime.timedelta(days=1)
    chosen_ids = {unit.pk for unit in chosen}
    for unit in chosen:
        if unit.valid_to is not None and unit.valid_to < last_day:
            raise ValidationError({"ended": _("Đơn vị %(unit)s đã hết hiệu lực từ ngày %(day)s; không sắp xếp lại "
                                              "được.") % {"unit": unit, "day": f"{unit.valid_to:%d/%m/%Y}"}})
        if unit.valid_from is not None and unit.valid_from > last_day:
            raise ValidationError({"on": _("Đơn vị %(unit)s bắt đầu hoạt động từ ngày %(day)s; ngày sắp xếp phải "
                                           "sau ngày đó.") % {"unit": unit, "day": f"{unit.valid_from:%d/%m/%Y}"}})
    for unit in targets:
        if unit.pk in chosen_ids:
            raise ValidationError({"successors": _("Đơn vị %(unit)s không thể vừa kết thúc vừa là đơn vị kế thừa.")
                                   % {"unit": unit}})
        if unit.pk is not None and unit.valid_to is not None and unit.valid_to < on:
            raise ValidationError({"successors": _("Đơn vị kế thừa %(unit)s đã hết hiệu lực từ ngày %(day)s.")
                                   % {"unit": unit, "day": f"{unit.valid_to:%d/%m/%Y}"}})
        if unit.parent_id is not None and any(unit.parent.is_within(e) for e in chosen):
            raise ValidationError({"successors": _("Đơn vị kế thừa %(unit)s nằm trong một đơn vị kết thúc hoạt "
                                                   "động; hãy chọn đơn vị cấp trên khác.") % {"unit": unit}})
    # The divisions (phòng, ban) of an ended unit end with it; any other unit still under it must be arranged
    # first (or in the same operation): a commune cannot be left under a district that no longer exists.
    within = Q()
    for unit in chosen:
        within |= Q(path__startswith=unit.path)
    below = (Unit.objects.filter(within).exclude(pk__in=chosen_ids)
             .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=last_day)).order_by("path"))
    divisions = [unit for unit in below if unit.kind == UnitKind.DIVISION]
    # A sub-unit already ending that same day (or before) is not left behind; any other still active is.
    others = [unit for unit in below if unit.kind != UnitKind.DIVISION
              and (unit.valid_to is None or unit.valid_to > last_day)]
    if others:
        raise ValidationError({"ended": _("Đơn vị %(unit)s còn đơn vị cấp dưới đang hoạt động (%(children)s); hãy "
                                          "sắp xếp các đơn vị đó trước hoặc chọn cùng lúc.")
                               % {"unit": others[0].parent, "children": ", ".join(str(u) for u in others[:5])}})
    plan = restructuring.Plan(on=on, ended=chosen + divisions, successors=targets, main={}, accounts=accounts,
                              basis=(basis or "").strip())
    if accounts not in (restructuring.ACCOUNTS_MOVE, restructuring.ACCOUNTS_DEACTIVATE):
        raise ValidationError({"accounts": _("Hãy chọn cách xử lý tài khoản của các đơn vị kết thúc.")})
    ids = {plan.target_id(unit) for unit in targets}
    by_code = {unit.code: plan.target_id(unit) for unit in targets}

    def target(value):
        found = by_code.get(getattr(value, "code", value)) if not isinstance(value, int) else value
        if found not in ids:
            raise ValidationError({"people": _("Mỗi người chỉ được chuyển tới một trong các đơn vị kế thừa đã "
                                               "chọn.")})
        return found

    mains = mains or {}
    for unit in chosen:
        plan.main[unit.pk] = target(mains[unit.pk]) if unit.pk in mains else plan.target_id(targets[0])
    for division in divisions:  # a division's rows follow the main successor of the unit it belongs to
        owner = next(unit for unit in chosen if division.is_within(unit))
        plan.main[division.pk] = plan.main[owner.pk]
    moving = Person.objects.filter(unit_id__in=plan.ended_ids)
    known = set(moving.values_list("pk", flat=True))
    for person_id, value in (people or {}).items():
        if int(person_id) in known:
            plan.people[int(person_id)] = target(value)
    return plan


def restructuring_preview(*, by, **data):
    """What the operation would move and keep, counted by the same lists `restructuring_apply` writes."""
    plan = _plan(by=by, **data)
    people = list(Person.objects.filter(unit_id__in=plan.ended_ids).select_related("unit")
                  .order_by("unit__path", "search_name", "id"))
    accounts = User.objects.filter(unit_id__in=plan.ended_ids, is_active=True).count()
    moves = [(_("Cá nhân"), len(people)),
             (_("Tài khoản (chuyển sang đơn vị kế thừa)") if plan.accounts == restructuring.ACCOUNTS_MOVE
              else _("Tài khoản (bị khóa)"), accounts)]
    moves += [(mover.label, len(mover.planned(plan))) for mover in restructuring.movers()]
    kept = [(mover.kept_label, mover.kept(plan)) for mover in restructuring.movers() if mover.kept is not None]
    return RestructuringPreview(plan, moves, kept,
                                [(person, plan.target_of(person.unit_id, person.pk)) for person in people])


@transaction.atomic
def restructuring_apply(*, by, **data):
    """Carry the operation through in one transaction with one activity row: new units written, ended units
    closed the day before `on` and linked to their successors, people, accounts and every registered app's rows
    moved. Any failure on the way leaves everything as it was."""
    ended = data.pop("ended", [])
    ended = list(Unit.objects.select_for_update().filter(pk__in=[unit.pk for unit in ended]).order_by("path"))
    plan = _plan(by=by, ended=ended, **data)
    pk_of = {}
    for unit in plan.successors:
        if unit.pk is None:
            placeholder = plan.target_id(unit)
            unit.full_clean()
            unit.save()
            pk_of[placeholder] = unit.pk
    plan.main = {pk: pk_of.get(target, target) for pk, target in plan.main.items()}
    plan.people = {pk: pk_of.get(target, target) for pk, target in plan.people.items()}
    Unit.objects.filter(pk__in=plan.ended_ids).update(valid_to=plan.last_day)
    for unit in plan.ended:
        unit.valid_to = plan.last_day
    chosen_ids = {unit.pk for unit in ended}
    # A chosen unit is carried on by every successor; a division that ends with it, by its unit's main one.
    UnitLink.objects.bulk_create(
        [UnitLink(predecessor=unit, successor=successor, on=plan.on, basis=plan.basis)
         for unit in plan.ended if unit.pk in chosen_ids for successor in plan.successors]
        + [UnitLink(predecessor=unit, successor_id=plan.main[unit.pk], on=plan.on, basis=plan.basis)
           for unit in plan.ended if unit.pk not in chosen_ids], ignore_conflicts=True)
    people = {}
    for person_id, unit_id in Person.objects.filter(unit_id__in=plan.ended_ids).values_list("pk", "unit_id"):
        people.setdefault(plan.target_of(unit_id, person_id), []).append(person_id)
    for target, ids in people.items():
        Person.objects.filter(pk__in=ids).update(unit_id=target)
    accounts = User.objects.filter(unit_id__in=plan.ended_ids, is_active=True)
    moved_accounts = accounts.count()
    if plan.accounts == restructuring.ACCOUNTS_DEACTIVATE:
        accounts.exclude(pk=by.pk).update(is_active=False)
    for unit in plan.ended:  # accounts stay attached to a unit (an officer must have one): the main successor's
        User.objects.filter(unit=unit).update(unit_id=plan.main[unit.pk])
    counts = {"people": sum(len(ids) for ids in people.values()), "accounts": moved_accounts}
    for mover in restructuring.movers():
        moves = mover.planned(plan)
        mover.move(moves)
        counts[mover.name] = len(moves)
    audit.record(actor=by, action="units_restructure", target=plan.successors[0], note=plan.basis, changes={
        "on": f"{plan.on:%d/%m/%Y}", "ended": [unit.code for unit in plan.ended],
        "successors": [unit.code for unit in plan.successors], "accounts": plan.accounts, **counts})
    return plan, counts
