
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, TextLimits, scope_choices
from core.text import normalize_code

from . import rules
from .models import EmulationBlock, Person, Unit, UnitKind
from .selectors import staff_code_clash, unit_code_clash, units_visible_to


def _is_code(code):
    return all(ch.isascii() and (ch.isalnum() or ch in ".-_") for ch in code)


# The pickers of units and people (core.forms.SearchSelect): what typing searches (the folded name, the code) and the
# empty choice's label. Every form choosing a unit or a person from a list that can pass 50 rows goes through these.
UNIT_SEARCH = ("search_name", "code")
PERSON_SEARCH = ("search_name", "staff_code")


CHOOSE_UNIT = _("— Chọn đơn vị —")
CHOOSE_PERSON = _("— Chọn người —")


def unit_picker(form, name, queryset, empty_label=CHOOSE_UNIT):
    return scope_choices(form, name, queryset, search=UNIT_SEARCH, empty_label=empty_label)


def person_picker(form, name, queryset, empty_label=CHOOSE_PERSON):
    return scope_choices(form, name, queryset, search=PERSON_SEARCH, empty_label=empty_label)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * obj.depth}{obj.code} · {obj.name}"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * obj.depth}{obj.code} · {obj.name}"


class UnitForm(TextLimits, forms.ModelForm):
    parent = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Đơn vị cấp trên"))
    successors = UnitMultipleChoiceField(queryset=Unit.objects.none(), required=False, label=_("Đơn vị kế thừa"),
                                         help_text=_("Các đơn vị tiếp nhận công việc của đơn vị này sau khi sáp "
                                                     "nhập, chia tách (có thể chọn nhiều)."))

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent", "block", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        help_texts = {"code": _("Chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scoped = units_visible_to(user).order_by("path")
        unit_picker(self, "parent", scoped)
        unit_picker(self, "successors", scoped)
        kept = list(self.instance.successors.values_list("pk", flat=True)) if self.instance.pk else []
        self.initial.setdefault("successors", kept)
        if not rules.can_manage_unit_tree(user):
            self.fields["parent"].required = True
            if self.instance.pk is None:
                # An officer adds divisions under its subtree; other kinds are created by Sở Nội vụ.
                self.fields["kind"].choices = [(UnitKind.DIVISION, UnitKind.DIVISION.label)]
            else:
                # Kept as it is: saving a commune unchanged must not reclassify it (the service refuses a change).
                self.fields["kind"].disabled = True
                self.fields["kind"].help_text = _("Chỉ Sở Nội vụ thay đổi được loại đơn vị.")
            if kept and scoped.filter(pk__in=kept).count() != len(kept):
                # Successors outside the officer's subtree were set by Sở Nội vụ: shown (as on the unit's page)
                # and kept, not offered for change and not lost on save.
                scope_choices(self, "successors", Unit.objects.filter(pk__in=kept))
                self.fields["successors"].disabled = True
                self.fields["successors"].help_text = _("Đơn vị kế thừa này do Sở Nội vụ xác định.")
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


class PersonForm(TextLimits, forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"))

    class Meta:
        model = Person
        fields = ["full_name", "gender", "position", "unit", "staff_code"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        unit_picker(self, "unit", units_visible_to(user).order_by("path"))
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


class UnitFilterForm(TextLimits, forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã"), required=False)
    kind = forms.ChoiceField(label=_("Loại đơn vị"), required=False,
                             choices=[("", _("Tất cả loại"))] + list(UnitKind.choices))
    block = forms.ModelChoiceField(label=_("Khối/cụm thi đua"), required=False,
                                   queryset=EmulationBlock.objects.all(), empty_label=_("Tất cả khối/cụm"))
    status = forms.ChoiceField(label=_("Tình trạng"), required=False, choices=[
        ("", _("Tất cả")), ("active", _("Đang hoạt động")), ("ended", _("Đã sáp nhập/giải thể"))])


class PeopleFilterForm(TextLimits, forms.Form):
    q = forms.CharField(label=_("Tìm theo họ tên (có dấu hoặc không dấu)"), required=False)
    unit = forms.CharField(label=_("Mã đơn vị"), required=False)
    only_direct = forms.BooleanField(label=_("Chỉ người của chính đơn vị này (không gồm cấp dưới)"), required=False)
    gender = forms.ChoiceField(label=_("Giới tính"), required=False,
                               choices=[("", _("Tất cả"))] + list(Person.Gender.choices))
    kind = forms.ChoiceField(label=_("Loại đơn vị"), required=False,
                             choices=[("", _("Tất cả loại"))] + list(UnitKind.choices))




class RestructuringForm(TextLimits, forms.Form):
    """The restructuring operation (Sở Nội vụ administrators): which units end, who carries them on, from when.
    New successors are typed one a line: "mã | tên | loại | mã đơn vị cấp trên" (loại and cấp trên optional)."""

    on = forms.DateField(label=_("Ngày đơn vị kế thừa bắt đầu hoạt động"), widget=DateInput(),
                         help_text=_("Các đơn vị kết thúc hoạt động vào ngày liền trước."))
    ended = UnitMultipleChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị kết thúc hoạt động"),
                                    help_text=_("Các phòng, ban chuyên môn của đơn vị được chọn kết thúc cùng."))
    successors = UnitMultipleChoiceField(queryset=Unit.objects.none(), required=False,
                                         label=_("Đơn vị kế thừa đã có"))
    new_units = forms.CharField(label=_("Đơn vị kế thừa mới"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Mỗi dòng một đơn vị: mã | tên | loại (xã, tỉnh, sở) | mã đơn vị cấp "
                                            "trên. Ví dụ: LDG-X24611 | Ủy ban nhân dân phường Bắc Gia Nghĩa | xã | "
                                            "LDG"))
    accounts = forms.ChoiceField(label=_("Tài khoản của đơn vị kết thúc"), widget=forms.RadioSelect,
                                 initial="move", choices=[])
    basis = forms.CharField(label=_("Căn cứ sắp xếp"), required=False, max_length=255)

    KINDS = {"xa": UnitKind.COMMUNE, "tinh": UnitKind.PROVINCE, "so": UnitKind.DEPARTMENT,
             "phong": UnitKind.DIVISION, "huyen": UnitKind.DISTRICT}

    def __init__(self, *args, user, **kwargs):
        from .restructuring import ACCOUNT_CHOICES

        super().__init__(*args, **kwargs)
        self.user = user
        active = units_visible_to(user).filter(valid_to__isnull=True).exclude(kind=UnitKind.DIVISION)
        scope_choices(self, "ended", units_visible_to(user).exclude(kind=UnitKind.DIVISION).order_by("path"))
        scope_choices(self, "successors", active.order_by("path"))
        self.fields["accounts"].choices = ACCOUNT_CHOICES

    def clean_new_units(self):
        from core.text import fold

        units = []
        visible = units_visible_to(self.user)
        for number, line in enumerate(self.cleaned_data.get("new_units", "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(_("Dòng %(n)s: hãy ghi “mã | tên | loại | mã đơn vị cấp trên”.")
                                            % {"n": number})
            code = normalize_code(parts[0])
            if not _is_code(code):
                raise forms.ValidationError(_("Dòng %(n)s: mã đơn vị chỉ gồm chữ cái không dấu, chữ số và các dấu "
                                              ". - _") % {"n": number})
            kind = self.KINDS.get(fold(parts[2]).split(" ")[-1] if len(parts) > 2 and parts[2] else "xa")
            if kind is None:
                raise forms.ValidationError(_("Dòng %(n)s: loại đơn vị “%(kind)s” không rõ; hãy ghi xã, sở hoặc "
                                              "tỉnh.") % {"n": number, "kind": parts[2]})
            parent = None
            if len(parts) > 3 and parts[3]:
                parent = visible.filter(code=normalize_code(parts[3])).first()
                if parent is None:
                    raise forms.ValidationError(_("Dòng %(n)s: không tìm thấy đơn vị cấp trên có mã “%(code)s”.")
                                                % {"n": number, "code": parts[3]})
            units.append({"code": code, "name": parts[1], "kind": kind, "parent": parent})
        return units

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("successors") and not cleaned.get("new_units") and "new_units" not in self.errors:
            self.add_error("successors", _("Hãy chọn hoặc thêm ít nhất một đơn vị kế thừa."))
        return cleaned

    def plan_data(self, people=None):
        """The service's keyword arguments."""
        data = self.cleaned_data
        return {"ended": list(data["ended"]), "successors": list(data.get("successors") or []),
                "new_units": data.get("new_units") or [], "on": data["on"], "accounts": data["accounts"],
                "basis": data.get("basis", ""), "people": people or {}}
