from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Milestone
from core.forms import DateInput, ExcelImportField
from units.forms import UnitChoiceField
from units.models import Person, Unit
from units.selectors import units_visible_to

from . import selectors
from .models import AwardForm, CommendationRecord, DocumentType, DossierState


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class MilestoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.campaign.number} · {obj.title} ({obj.get_kind_display()})"


class DossierCreateForm(forms.Form):
    milestone = MilestoneChoiceField(queryset=Milestone.objects.none(), label=_("Phong trào và đợt khen thưởng"))
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị trình"))
    form = forms.ModelChoiceField(queryset=AwardForm.objects.filter(active=True), label=_("Hình thức khen thưởng"))
    simplified = forms.BooleanField(label=_("Áp dụng thủ tục đơn giản"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.select_related("campaign").order_by(
            "-campaign__issued_on", "due_on")
        self.fields["unit"].queryset = units_visible_to(user).filter(valid_to__isnull=True).order_by("path")
        if user.unit_id:
            self.fields["unit"].initial = user.unit_id
        self.helper = _helper(_("Tạo hồ sơ"))


class CouncilForm(forms.Form):
    simplified = forms.BooleanField(label=_("Áp dụng thủ tục đơn giản"), required=False)
    council_date = forms.DateField(label=_("Ngày họp Hội đồng Thi đua - Khen thưởng"), required=False,
                                   widget=DateInput())
    council_members = forms.IntegerField(label=_("Tổng số thành viên Hội đồng"), required=False, min_value=1)
    council_present = forms.IntegerField(label=_("Số thành viên có mặt"), required=False, min_value=0)
    council_votes = forms.IntegerField(label=_("Số phiếu đồng ý"), required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Lưu thông tin cuộc họp"))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} · {obj.unit.name}" + (f" ({obj.staff_code})" if obj.staff_code else "")


class NomineeForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Tập thể"))
    person = PersonChoiceField(queryset=Person.objects.none(), required=False, label=_("Cá nhân"))
    summary = forms.CharField(label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs={"rows": 4}))
    achievements = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                                  label=_("Thành tích đã ghi nhận (minh chứng)"))
    initiatives = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                                 label=_("Sáng kiến đã được công nhận"))
    grounds = forms.ModelMultipleChoiceField(queryset=None, required=False, label=_("Khen thưởng làm căn cứ"))

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        path = dossier.unit.path
        self.fields["unit"].queryset = Unit.objects.filter(path__startswith=path).order_by("path")
        self.fields["person"].queryset = Person.objects.filter(unit__path__startswith=path).select_related("unit")
        self.fields["achievements"].queryset = selectors.achievements_for(dossier).select_related("unit", "person")
        self.fields["initiatives"].queryset = selectors.initiatives_for(dossier)
        self.fields["grounds"].queryset = CommendationRecord.objects.filter(
            Q(unit__path__startswith=path) | Q(person__unit__path__startswith=path)).select_related("form")
        self.helper = _helper(_("Thêm đối tượng"))

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("unit")) == bool(cleaned.get("person")):
            raise forms.ValidationError(_("Chọn đúng một tập thể hoặc một cá nhân."))
        return cleaned


class DocumentForm(forms.Form):
    doc_type = forms.ModelChoiceField(queryset=DocumentType.objects.all(), label=_("Loại tài liệu"))
    file = forms.FileField(label=_("Tệp (PDF, DOCX, XLSX, JPG, PNG)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Tải lên"))


class ReasonForm(forms.Form):
    note = forms.CharField(label=_("Lý do, ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    signer = forms.CharField(label=_("Người ký"), max_length=150)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False)
    authority = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False,
                                initial=_("Ủy ban nhân dân tỉnh"))


class DossierFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.all(), required=False, label=_("Phong trào"),
                                      empty_label=_("Tất cả phong trào"))
    milestone = MilestoneChoiceField(queryset=Milestone.objects.select_related("campaign"), required=False,
                                     label=_("Đợt"), empty_label=_("Tất cả các đợt"))
    form = forms.ModelChoiceField(queryset=AwardForm.objects.all(), required=False, label=_("Hình thức"),
                                  empty_label=_("Tất cả hình thức"))
    state = forms.ChoiceField(required=False, label=_("Trạng thái"),
                              choices=[("", _("Tất cả trạng thái"))] + list(DossierState.choices))
    unit = forms.CharField(required=False, label=_("Mã đơn vị"))
    overdue = forms.BooleanField(required=False, label=_("Chỉ hồ sơ quá hạn"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"


class PostingForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề đợt công khai"), max_length=255,
                            initial=_("Danh sách tập thể, cá nhân đề nghị khen thưởng sơ kết"))
    working_days = forms.IntegerField(label=_("Số ngày làm việc nhận ý kiến"), min_value=1, max_value=60, initial=10)


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Họ tên (không bắt buộc)"), max_length=150, required=False)
    text = forms.CharField(label=_("Nội dung ý kiến"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class HistoryImportForm(forms.Form):
    file = ExcelImportField(label=_("Tệp Excel (.xlsx) theo mẫu"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Nhập"))


class NomineeEditForm(NomineeForm):
    """The same links, limited to this nominee's own evidence; the collective or person itself is fixed."""

    def __init__(self, *args, nominee, **kwargs):
        super().__init__(*args, dossier=nominee.dossier, **kwargs)
        del self.fields["unit"]
        del self.fields["person"]
        own = {"unit": nominee.unit, "person": nominee.person}
        self.fields["achievements"].queryset = selectors.achievements_for(nominee.dossier, **own)
        self.fields["initiatives"].queryset = selectors.initiatives_for(nominee.dossier, **own)
        self.fields["grounds"].queryset = CommendationRecord.objects.filter(
            unit=nominee.unit, person=nominee.person).select_related("form")
        self.helper = _helper(_("Lưu"))

    def clean(self):
        return forms.Form.clean(self)
