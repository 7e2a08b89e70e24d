"""Forms of the PAR pages: validation and crispy layouts only."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ExcelImportField, TextLimits, UploadField, scope_choices

from .models import CriteriaSet, Criterion, UnitGroup
from .selectors import linkable_evidence

POINT_WIDGET = forms.NumberInput(attrs={"step": "0.5", "min": "0"})


class _Crispy:
    submit_label = _("Lưu")

    def _helper(self):
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", self.submit_label))


class SetForm(TextLimits, _Crispy, forms.ModelForm):
    class Meta:
        model = CriteriaSet
        fields = ["title", "decision", "band_good_min", "band_fair_min", "band_average_min", "survey_enabled",
                  "survey_weight"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class SetCreateForm(SetForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    group = forms.ChoiceField(label=_("Nhóm đơn vị"), choices=UnitGroup.choices)
    copy_previous = forms.BooleanField(label=_("Sao chép cây tiêu chí từ bộ chỉ số năm trước cùng nhóm"),
                                       required=False, initial=True)

    class Meta(SetForm.Meta):
        fields = ["year", "group", "copy_previous", *SetForm.Meta.fields]


class CriterionForm(TextLimits, _Crispy, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["code", "title", "max_points", "guidance", "evidence_required", "may_be_not_applicable",
                  "is_survey"]
        widgets = {"max_points": POINT_WIDGET, "title": forms.Textarea(attrs={"rows": 2}),
                   "guidance": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"code": _("Mã dạng 1 (lĩnh vực), 1.2 (tiêu chí) hoặc 1.2.3 (tiêu chí thành phần)."),
                      "max_points": _("Với lĩnh vực/tiêu chí có mục con, điểm tối đa được tính lại bằng tổng các "
                                      "mục con.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def validate_unique(self):
        """Uniqueness of the code is checked by the service (the set is not a form field)."""


class UploadForm(TextLimits, _Crispy, forms.Form):
    submit_label = _("Nhập")
    file = ExcelImportField(label=_("Tệp Excel (.xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ReasonForm(TextLimits, forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(TextLimits, forms.Form):
    note = forms.CharField(label=_("Nội dung yêu cầu giải trình"), widget=forms.Textarea(attrs={"rows": 2}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(UploadField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class SelfScoreForm(TextLimits, forms.Form):
    self_score = forms.DecimalField(label=_("Điểm tự chấm"), required=False, min_value=0, decimal_places=2,
                                    widget=POINT_WIDGET)
    not_applicable = forms.BooleanField(label=_("Không áp dụng đối với đơn vị"), required=False)
    explanation = forms.CharField(label=_("Giải trình"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    uploads = MultipleFileField(label=_("Tải lên tài liệu kiểm chứng mới"), required=False)
    links = forms.ModelMultipleChoiceField(label=_("Liên kết minh chứng đã có của đơn vị"), required=False,
                                           queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, criterion, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        maximum = f"{criterion.max_points.normalize():f}"
        self.fields["self_score"].widget.attrs["max"] = maximum
        self.fields["self_score"].help_text = _("Từ 0 đến %(max)s, theo bước 0,5.") % {"max": maximum.replace(".", ",")}
        if not criterion.may_be_not_applicable:
            del self.fields["not_applicable"]
        # The sheet is loaded through the scoped selector: its unit's own evidence, as the service accepts.
        scope_choices(self, "links", linkable_evidence(sheet))
        self.fields["links"].label_from_instance = lambda f: f"{f.original_name} — {f.achievement.title}"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("self_score") is None and not data.get("not_applicable"):
            self.add_error("self_score", _("Hãy nhập điểm tự chấm (hoặc chọn “không áp dụng” nếu được phép)."))
        return data


class AppraiseForm(TextLimits, forms.Form):
    appraised_score = forms.DecimalField(label=_("Điểm thẩm định"), min_value=0, decimal_places=2,
                                         widget=POINT_WIDGET)
    comment = forms.CharField(label=_("Ý kiến thẩm định"), required=False)
