"""The forms of the accounts pages, the activity page and the password change (see units/accounts.py)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from core.audit import action_label
from core.forms import DateInput, TextLimits
from core.roles import Role

from . import services
from .forms import UnitChoiceField, unit_picker
from .models import Unit, User
from .selectors import units_visible_to

PASSWORD_METHODS = [
    (services.TEMPORARY, _("Cấp mật khẩu tạm thời: in ra hoặc đọc cho người dùng; người dùng phải đổi mật khẩu "
                           "ngay khi đăng nhập lần đầu")),
    (services.EMAIL_LINK, _("Gửi liên kết đặt mật khẩu dùng một lần tới e-mail của tài khoản")),
]


class AccountForm(TextLimits, forms.ModelForm):
    """Create (with the way the password is given) or edit an account: Sở Nội vụ administrators only."""

    unit = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Đơn vị"),
                           empty_label=_("— Không gắn đơn vị —"),
                           help_text=_("Bắt buộc với cán bộ đầu mối; lãnh đạo tỉnh có thể để trống."))

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "role", "unit", "is_active"]
        labels = {
            "username": _("Tên đăng nhập"), "full_name": _("Họ và tên"), "email": _("E-mail"),
            "role": _("Vai trò"), "is_active": _("Đang hoạt động (được phép đăng nhập)"),
        }
        help_texts = {
            "username": _("Tối đa 150 ký tự: chữ cái không dấu, chữ số và các dấu . _ - @ +"),
            "email": _("Cần khi gửi liên kết đặt mật khẩu qua e-mail."),
            "is_active": _("Bỏ chọn khi người dùng nghỉ việc hoặc chuyển công tác: tài khoản không đăng nhập được "
                           "nữa, lịch sử vẫn giữ nguyên."),
        }
        error_messages = {"username": {"unique": _("Đã có tài khoản với tên đăng nhập này.")}}

    def __init__(self, *args, user, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        unit_picker(self, "unit", units_visible_to(user).order_by("path"), empty_label=_("— Không gắn đơn vị —"))
        self.fields["full_name"].required = True
        self.fields["role"].choices = Role.choices
        if creating:
            del self.fields["is_active"]
            self.fields["password_method"] = forms.ChoiceField(
                label=_("Cách cấp mật khẩu"), choices=PASSWORD_METHODS, initial=services.TEMPORARY,
                widget=forms.RadioSelect)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Tạo tài khoản") if creating else _("Lưu")))

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not services.USERNAME.match(username):
            raise forms.ValidationError(_("Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các dấu . _ - @ + "
                                          "(không có khoảng trắng)."))
        return username


class PasswordMethodForm(TextLimits, forms.Form):
    """Reset an account's password: a temporary password or a one-time link by e-mail."""

    method = forms.ChoiceField(label=_("Cách đặt lại mật khẩu"), choices=PASSWORD_METHODS,
                               initial=services.TEMPORARY, widget=forms.RadioSelect)


class AccountFilterForm(TextLimits, forms.Form):
    q = forms.CharField(label=_("Tên đăng nhập, họ tên hoặc e-mail"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Vai trò"), required=False, choices=[("", _("Tất cả vai trò"))] + Role.choices)
    status = forms.ChoiceField(label=_("Tình trạng"), required=False, choices=[
        ("", _("Tất cả")), ("active", _("Đang hoạt động")), ("inactive", _("Đã khóa")),
        ("must_change", _("Chưa đổi mật khẩu tạm thời"))])
    unit = forms.CharField(label=_("Mã đơn vị"), required=False, max_length=30)


class ActivityFilterForm(TextLimits, forms.Form):
    actor = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150,
                            widget=forms.TextInput(attrs={"placeholder": _("Tên đăng nhập hoặc họ tên")}))
    action = forms.ChoiceField(label=_("Hành động"), required=False)
    since = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())
    q = forms.CharField(label=_("Đối tượng"), required=False, max_length=255,
                        widget=forms.TextInput(attrs={"placeholder": _("Một phần tên đơn vị, cá nhân, hồ sơ…")}))

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Tất cả hành động"))] + [
            (action, action_label(action)) for action in actions]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("“Đến ngày” phải từ “Từ ngày” trở đi."))
        return cleaned


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's password change, refusing the password being replaced (a temporary one must really change)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(user, *args, **kwargs)

    def clean_new_password1(self):
        password = self.cleaned_data.get("new_password1")
        if password and self.user.check_password(password):
            raise forms.ValidationError(_("Mật khẩu mới phải khác mật khẩu hiện tại."))
        return password
