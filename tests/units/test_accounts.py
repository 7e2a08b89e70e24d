"""Accounts in the application: Sở Nội vụ administrators create, edit, deactivate, reset and unlock accounts through
services that leave activity rows; a temporary password must be changed before anything else; unit officers read
their subtree's accounts only; the Django admin is branded configuration for super-users."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEntry
from tests.conftest import PASSWORD
from units import selectors, services
from units.models import Role, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Doi-mat-khau-moi-2025"


def _create(by, tree, method=services.TEMPORARY, **extra):
    data = {"username": "dm01.canbo", "full_name": "Lò Thị Hoa", "email": "hoa@example.vn", "role": Role.OFFICER,
            "unit": tree["dm01"], **extra}
    return services.account_create(by=by, password_method=method, link_base="http://testserver/", **data)


def _login(client, username, password):
    client.logout()
    return client.post(reverse("login"), {"username": username, "password": password})


def _signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("home")


# Creating an account --------------------------------------------------------------------------------------


def test_admin_creates_an_officer_with_a_temporary_password(users, tree):
    issued = _create(users["admin"], tree)
    account = User.objects.get(username="dm01.canbo")
    assert issued.account == account and issued.emailed_to == ""
    assert re.fullmatch(r"[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}", issued.temporary_password)
    assert account.check_password(issued.temporary_password) and account.must_change_password
    assert (account.role, account.unit, account.is_active) == (Role.OFFICER, tree["dm01"], True)
    entry = AuditEntry.objects.get(action="account_create")
    assert entry.actor == users["admin"] and entry.target_id == str(account.pk)
    assert entry.changes["unit"] == ["", str(tree["dm01"])]
    assert issued.temporary_password not in str(entry.changes) + entry.note  # the password is never recorded


def test_the_temporary_password_must_be_changed_before_anything_else(client, users, tree):
    issued = _create(users["admin"], tree)
    assert _signed_in(_login(client, "dm01.canbo", issued.temporary_password))
    for url in (reverse("home"), reverse("units:list"), reverse("units:people")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), url
    page = client.get(reverse("password_change")).content.decode()
    assert "mật khẩu tạm thời do Sở Nội vụ cấp" in page

    same = client.post(reverse("password_change"), {"old_password": issued.temporary_password,
                                                    "new_password1": issued.temporary_password,
                                                    "new_password2": issued.temporary_password})
    assert "Mật khẩu mới phải khác mật khẩu hiện tại." in same.content.decode()
    changed = client.post(reverse("password_change"), {"old_password": issued.temporary_password,
                                                       "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert changed.status_code == 302 and changed["Location"] == reverse("password_change_done")
    assert client.get(reverse("home")).status_code == 200  # still signed in, free to work
    account = User.objects.get(username="dm01.canbo")
    assert not account.must_change_password and account.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="password_change", actor=account, target_id=str(account.pk)).exists()


def test_signing_out_works_while_the_password_must_change(client, users, tree):
    issued = _create(users["admin"], tree)
    _login(client, "dm01.canbo", issued.temporary_password)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_one_time_link_by_email_sets_the_password(client, users, tree):
    issued = _create(users["admin"], tree, method=services.EMAIL_LINK)
    account = User.objects.get(username="dm01.canbo")
    assert issued.emailed_to == "hoa@example.vn" and issued.temporary_password == ""
    assert not account.has_usable_password() and not account.must_change_password
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hoa@example.vn"]
    assert "dm01.canbo" in mail.outbox[0].body
    link = re.search(r"http://testserver(/dat-mat-khau/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert "Chọn mật khẩu cho tài khoản dm01.canbo" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD,
                                                         "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert User.objects.get(pk=account.pk).check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="password_set_by_link", target_id=str(account.pk)).exists()
    # One time only: the same link opens nothing now.
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "Liên kết này không còn dùng được" in again
    assert _signed_in(_login(client, "dm01.canbo", NEW_PASSWORD))


def test_a_link_needs_an_email_address_and_nothing_is_created_without_it(users, tree):
    with pytest.raises(ValidationError) as refused:
        _create(users["admin"], tree, method=services.EMAIL_LINK, email="")
    assert "email" in refused.value.message_dict
    assert not User.objects.filter(username="dm01.canbo").exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("extra, field, message", [
    ({"username": "DM_OFFICER"}, "username", "Đã có tài khoản với tên đăng nhập"),
    ({"username": "lò thị hoa"}, "username", "chữ cái không dấu"),
    ({"unit": None}, "unit", "Cán bộ đầu mối phải gắn với một đơn vị."),
])
def test_creation_refusals_are_in_vietnamese_on_their_field(users, tree, extra, field, message):
    with pytest.raises(ValidationError) as refused:
        _create(users["admin"], tree, **extra)
    assert message in " ".join(refused.value.message_dict[field])


@pytest.mark.parametrize("role", ["dm_officer", "appraiser", "leader", "approver"])
def test_only_administrators_create_accounts(users, tree, role):
    with pytest.raises(PermissionDenied):
        _create(users[role], tree)


# Editing, deactivating, resetting ---------------------------------------------------------------------------


def test_an_edit_records_what_changed(users, tree):
    account = users["dm_officer"]
    services.account_update(account=account, by=users["admin"], full_name="Nguyễn Thị Lan", unit=tree["dm01"])
    entry = AuditEntry.objects.get(action="account_update")
    assert entry.changes == {"full_name": ["dm_officer", "Nguyễn Thị Lan"],
                             "unit": [str(tree["dm"]), str(tree["dm01"])]}


def test_an_administrator_cannot_lock_themselves_out(users):
    admin = users["admin"]
    with pytest.raises(ValidationError):
        services.account_update(account=admin, by=admin, role=Role.APPRAISER)
    with pytest.raises(ValidationError):
        services.account_update(account=admin, by=admin, is_active=False)
    with pytest.raises(ValidationError):
        services.account_set_active(account=admin, by=admin, active=False)
    assert User.objects.get(pk=admin.pk).is_active


def test_a_super_user_is_changed_by_super_users_only(users):
    root = User.objects.create_superuser("root", "root@example.vn", PASSWORD, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.account_reset_password(account=root, by=users["admin"], method=services.TEMPORARY)
    services.account_update(account=users["admin"], by=root, full_name="Quản trị")


def test_a_deactivated_account_can_no_longer_sign_in_and_its_session_ends(client, users):
    officer = users["dm_officer"]
    client.force_login(officer)
    services.account_set_active(account=officer, by=users["admin"], active=False)
    assert client.get(reverse("units:list"))["Location"].startswith(reverse("login"))  # the open session ended
    refused = _login(client, "dm_officer", PASSWORD)
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditEntry.objects.get(action="account_deactivate").target_id == str(officer.pk)

    services.account_set_active(account=officer, by=users["admin"], active=True)
    assert _signed_in(_login(client, "dm_officer", PASSWORD))
    assert AuditEntry.objects.filter(action="account_activate").count() == 1


def test_a_reset_replaces_the_password_with_a_temporary_one(client, users):
    officer = users["dm_officer"]
    issued = services.account_reset_password(account=officer, by=users["admin"], method=services.TEMPORARY)
    assert not _signed_in(_login(client, "dm_officer", PASSWORD))
    assert _signed_in(_login(client, "dm_officer", issued.temporary_password))
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    assert AuditEntry.objects.get(action="account_password_reset").actor == users["admin"]


def test_a_deactivated_account_is_not_reset(users):
    services.account_set_active(account=users["dm_officer"], by=users["admin"], active=False)
    with pytest.raises(ValidationError):
        services.account_reset_password(account=users["dm_officer"], by=users["admin"], method=services.TEMPORARY)


# Lockouts ---------------------------------------------------------------------------------------------------


def test_lockout_is_shown_and_unlocking_lets_the_person_in(client, settings, users):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "dm_officer", "sai-mat-khau")
    assert _login(client, "dm_officer", PASSWORD).status_code == 429
    state = selectors.login_states(["dm_officer", "gn_officer"])
    assert set(state) == {"dm_officer"}
    assert state["dm_officer"].locked and state["dm_officer"].failures == settings.LOGIN_FAILURE_LIMIT

    admin = client
    admin.force_login(users["admin"])
    page = admin.get(reverse("units:account_detail", args=[users["dm_officer"].pk])).content.decode()
    assert "Đang tạm khóa đăng nhập đến" in page and "Mở khóa đăng nhập" in page
    listing = admin.get(reverse("units:accounts")).content.decode()
    assert "Tạm khóa đăng nhập đến" in listing
    response = admin.post(reverse("units:account_unlock", args=[users["dm_officer"].pk]), follow=True)
    assert "Đã mở khóa đăng nhập cho dm_officer." in response.content.decode()
    assert not AccessAttempt.objects.filter(username="dm_officer").exists()
    assert AuditEntry.objects.get(action="account_unlock").actor == users["admin"]
    assert _signed_in(_login(client, "dm_officer", PASSWORD))


def test_unlocking_an_account_without_failures_says_so(users):
    with pytest.raises(ValidationError):
        services.account_unlock(account=users["dm_officer"], by=users["admin"])
    assert not AuditEntry.objects.exists()


# Pages and scope --------------------------------------------------------------------------------------------


def test_admin_creates_an_account_on_the_page_and_sees_the_password_once(client_for, users, tree):
    client = client_for(users["admin"])
    response = client.post(reverse("units:account_create"), {
        "username": "gn01.canbo", "full_name": "Trần Văn Nam", "email": "", "role": Role.OFFICER,
        "unit": tree["gn01"].pk, "password_method": services.TEMPORARY})
    assert response.status_code == 200
    page = response.content.decode()
    password = re.search(r'id="temporary-password">([^<]+)<', page).group(1)
    assert User.objects.get(username="gn01.canbo").check_password(password)
    assert "chỉ hiện một lần" in page
    detail = client.get(reverse("units:account_detail", args=[User.objects.get(username="gn01.canbo").pk]))
    assert password not in detail.content.decode()


def test_an_officer_reads_its_subtree_accounts_only(client_for, users, tree):
    below = User.objects.create_user("dm01.canbo", password=PASSWORD, role=Role.OFFICER, unit=tree["dm01"])
    client = client_for(users["dm_officer"])
    page = client.get(reverse("units:accounts")).content.decode()
    assert "dm01.canbo" in page and "dm_officer" in page
    assert "gn_officer" not in page and "snv_admin" not in page and "lanh_dao" not in page
    assert "Tạo tài khoản" not in page and "Tài khoản đơn vị" in page

    detail = client.get(reverse("units:account_detail", args=[below.pk])).content.decode()
    assert "dm01.canbo" in detail and "Khóa tài khoản" not in detail and "Đặt lại mật khẩu" not in detail
    assert client.get(reverse("units:account_detail", args=[users["gn_officer"].pk])).status_code == 404
    assert client.get(reverse("units:account_detail", args=[users["admin"].pk])).status_code == 404
    # Read-only: inside its subtree the officer is refused (403); outside it nothing is found (404).
    assert client.get(reverse("units:account_create")).status_code == 403
    assert client.get(reverse("units:account_edit", args=[below.pk])).status_code == 403
    assert client.post(reverse("units:account_deactivate", args=[below.pk])).status_code == 403
    assert client.post(reverse("units:account_deactivate", args=[users["gn_officer"].pk])).status_code == 404
    assert client.post(reverse("units:account_reset", args=[users["gn_officer"].pk])).status_code == 404
    assert User.objects.get(pk=below.pk).is_active and User.objects.get(pk=users["gn_officer"].pk).is_active


@pytest.mark.parametrize("role", ["appraiser", "leader", "approver"])
def test_other_roles_have_no_accounts_or_activity_pages(client_for, users, role):
    client = client_for(users[role])
    assert client.get(reverse("units:accounts")).status_code == 403
    assert client.get(reverse("units:activity")).status_code == 403
    assert client.get(reverse("units:account_detail", args=[users["dm_officer"].pk])).status_code == 403


def test_the_account_form_offers_only_units_in_scope(users):
    from units.account_forms import AccountForm

    form = AccountForm(user=users["dm_officer"])
    assert {unit.code for unit in form.fields["unit"].queryset} == {"DM", "DM-01", "DM-01.VP"}


def test_the_account_list_filters(client_for, users):
    client = client_for(users["admin"])
    services.account_set_active(account=users["gn_officer"], by=users["admin"], active=False)
    page = client.get(reverse("units:accounts"), {"status": "inactive"}).content.decode()
    assert "gn_officer" in page and "dm_officer" not in page
    page = client.get(reverse("units:accounts"), {"role": Role.LEADER}).content.decode()
    assert "lanh_dao" in page and "dm_officer" not in page
    page = client.get(reverse("units:accounts"), {"unit": "dm"}).content.decode()
    assert "dm_officer" in page and "gn_officer" not in page


# Navigation and the Django admin ----------------------------------------------------------------------------


def test_the_menu_leads_admins_and_officers_to_the_accounts_pages(client_for, users):
    admin_page = client_for(users["admin"]).get(reverse("home")).content.decode()
    assert f'href="{reverse("units:accounts")}">Tài khoản<' in admin_page
    assert f'href="{reverse("units:activity")}">Nhật ký hoạt động<' in admin_page
    officer_page = client_for(users["dm_officer"]).get(reverse("home")).content.decode()
    assert f'href="{reverse("units:accounts")}">Tài khoản đơn vị<' in officer_page
    leader_page = client_for(users["leader"]).get(reverse("home")).content.decode()
    assert reverse("units:accounts") not in leader_page


def test_the_django_admin_is_branded_configuration_in_vietnamese(client):
    root = User.objects.create_superuser("root", "root@example.vn", PASSWORD, role=Role.ADMIN)
    client.force_login(root)
    page = client.get(reverse("admin:index")).content.decode()
    assert page.count("Quản trị cấu hình · Sở Nội vụ") >= 2  # the header and the title
    assert "Trang quản trị cho Django" not in page
    for english in ("Access attempts", "Tasks Database Backend", ">Awards<", ">Campaigns<", ">Reports<"):
        assert english not in page, english
    assert "Khen thưởng" in page and "Phong trào thi đua" in page
