
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, scope_choices
from core.text import normalize_code

from . import rules
from .models import EmulationBlock, Person, Unit, UnitKind
from .selectors import staff_code_clash, unit_code_clash, units_visible_to


def _is_code(code):
    return all(ch.isascii() and (ch.isalnum() or ch in ".-_") for ch in code)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * obj.depth}{obj.code} · {obj.name}"


class UnitForm(forms.ModelForm):
    parent = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Đơn vị cấp trên"))
    successor = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Đơn vị kế thừa"))

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent", "block", "valid_from", "valid_to", "successor"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        help_texts = {"code": _("Chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scoped = units_visible_to(user).order_by("path")
        scope_choices(self, "parent", scoped)
        scope_choices(self, "successor", scoped)
        if not rules.can_manage_unit_tree(user):
            self.fields["parent"].required = True
            if self.instance.pk is None:
                # An officer adds divisions under its subtree; other kinds are created by Sở Nội vụ.
                self.fields["kind"].choices = [(UnitKind.DIVISION, UnitKind.DIVISION.label)]
            else:
                # Kept as it is: saving a commune unchanged must not reclassify it (the service refuses a change).
                self.fields["kind"].disabled = True
                self.fields["kind"].help_text = _("Chỉ Sở Nội vụ thay đổi được loại đơn vị.")
            successor_id = self.instance.successor_id
            if successor_id and not scoped.filter(pk=successor_id).exists():
                # A successor outside the officer's subtree was set by Sở Nội vụ: shown (as on the unit's page)
                # and kept, not offered for change and not lost on save.
                scope_choices(self, "successor", Unit.objects.filter(pk=successor_id))
                self.fields["successor"].disabled = True
                self.fields["successor"].help_text = _("Đơn vị kế thừa này do Sở Nội vụ xác định.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Lưu")))

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if not code or not _is_code(code):
            raise forms.ValidationError(_("Mã đơn vị chỉ gồm chữ cái không dấu, chữ số và các dấu . - _"))
        clash = unit_code_clash(self.user, code, exclude=self.instance.pk)
        if clash:
            raise forms.ValidationError(clash)
        return code

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."))
        return cleaned


class PersonForm(forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"))

    class Meta:
        model = Person
        fields = ["full_name", "gender", "position", "unit", "staff_code"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope_choices(self, "unit", units_visible_to(user).order_by("path"))
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Lưu")))

    def clean_staff_code(self):
        code = normalize_code(self.cleaned_data.get("staff_code")) or None
        # The same rule as the people import; an existing code stays editable as it is.
        if code and code != self.instance.staff_code and not _is_code(code):
            raise forms.ValidationError(_("Mã cán bộ chỉ gồm chữ cái không dấu, chữ số và các dấu . - _ "
                                          "(không có khoảng trắng)."))
        clash = code and staff_code_clash(self.user, code, exclude=self.instance.pk)
        if clash:
            raise forms.ValidationError(clash)
        return code


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã"), required=False)
    kind = forms.ChoiceField(label=_("Loại đơn vị"), required=False,
                             choices=[("", _("Tất cả loại"))] + list(UnitKind.choices))
    block = forms.ModelChoiceField(label=_("Khối/cụm thi đua"), required=False,
                                   queryset=EmulationBlock.objects.all(), empty_label=_("Tất cả khối/cụm"))
    status = forms.ChoiceField(label=_("Tình trạng"), required=False, choices=[
        ("", _("Tất cả")), ("active", _("Đang hoạt động")), ("ended", _("Đã sáp nhập/giải thể"))])


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo họ tên (có dấu hoặc không dấu)"), required=False)
    unit = forms.CharField(label=_("Mã đơn vị"), required=False)
    only_direct = forms.BooleanField(label=_("Chỉ người của chính đơn vị này (không gồm cấp dưới)"), required=False)
    gender = forms.ChoiceField(label=_("Giới tính"), required=False,
                               choices=[("", _("Tất cả"))] + list(Person.Gender.choices))
    kind = forms.ChoiceField(label=_("Loại đơn vị"), required=False,
                             choices=[("", _("Tất cả loại"))] + list(UnitKind.choices))


