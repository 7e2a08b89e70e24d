"""Forms for the plan side: validation and crispy layouts only (writes happen in campaigns.services.plan)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, TextLimits, UploadField, scope_choices
from units.forms import UnitChoiceField, unit_picker
from units.models import Unit, UnitKind
from units.selectors import units_visible_to

from ..models import Campaign, EmulationContent, Milestone, YearlyTheme
from ..selectors import plan as selectors


def _helper(label=None):
    helper = FormHelper()
    helper.add_input(Submit("submit", label or _("Lưu")))
    return helper


class CampaignForm(TextLimits, forms.ModelForm):
    participant_unit_kinds = forms.MultipleChoiceField(
        label=_("Loại đơn vị tham gia"), choices=UnitKind.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ các đơn vị thuộc những loại này được đăng ký thi đua."))
    organiser = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Cơ quan thường trực"))

    class Meta:
        model = Campaign
        fields = ["number", "issued_on", "issuer", "title", "kind", "starts_on", "ends_on", "purpose",
                  "requirements", "participant_unit_kinds", "individuals_take_part", "individuals_note", "organiser"]
        widgets = {"issued_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput(),
                   "title": forms.Textarea(attrs={"rows": 2}), "purpose": forms.Textarea(attrs={"rows": 4}),
                   "requirements": forms.Textarea(attrs={"rows": 4}),
                   "individuals_note": forms.Textarea(attrs={"rows": 2})}
        labels = {"number": _("Số, ký hiệu"), "issued_on": _("Ngày ban hành"), "issuer": _("Cơ quan ban hành"),
                  "title": _("Tên phong trào"), "kind": _("Loại phong trào"), "starts_on": _("Ngày bắt đầu"),
                  "ends_on": _("Ngày kết thúc"), "purpose": _("Mục đích"), "requirements": _("Yêu cầu"),
                  "individuals_take_part": _("Cá nhân tham gia"), "individuals_note": _("Đối tượng cá nhân")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit_picker(self, "organiser", units_visible_to(user).exclude(kind=UnitKind.DIVISION).order_by("path"))
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu phong trào."))
        return cleaned


class ContentForm(TextLimits, forms.ModelForm):
    class Meta:
        model = EmulationContent
        fields = ["number", "short_title", "text", "expected_evidence"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5}), "expected_evidence": forms.Textarea(attrs={"rows": 3})}
        labels = {"number": _("Số thứ tự"), "short_title": _("Tên ngắn"), "text": _("Nội dung (như trong kế hoạch)"),
                  "expected_evidence": _("Minh chứng cần có")}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.helper = _helper()

    def clean_number(self):
        number = self.cleaned_data["number"]
        clash = EmulationContent.objects.filter(campaign=self.campaign, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Phong trào đã có nội dung số (%(n)s).") % {"n": number})
        return number


class MilestoneForm(TextLimits, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["kind", "title", "year", "period_start", "period_end", "due_on"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "due_on": DateInput()}
        labels = {"kind": _("Loại mốc"), "title": _("Tên mốc"), "year": _("Năm (với báo cáo năm)"),
                  "period_start": _("Kỳ từ ngày"), "period_end": _("Kỳ đến ngày"), "due_on": _("Hạn")}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Ngày cuối kỳ phải sau ngày đầu kỳ."))
        return cleaned


class ThemeForm(TextLimits, forms.ModelForm):
    class Meta:
        model = YearlyTheme
        fields = ["year", "title", "guidance"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "guidance": forms.Textarea(attrs={"rows": 8})}
        labels = {"year": _("Năm"), "title": _("Chủ đề thi đua"), "guidance": _("Hướng dẫn thực hiện")}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.TypedChoiceField(label=_("Năm"), coerce=int,
                                                     choices=[(y, y) for y in campaign.years])
        self.helper = _helper()


class DocumentForm(TextLimits, forms.Form):
    file = UploadField(label=_("Tài liệu hướng dẫn"),
                           help_text=_("PDF, DOCX, XLSX, JPG hoặc PNG; không quá 20 MB."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Tải lên"))


class RegistrationForm(TextLimits, forms.Form):
    """One commitment text per content of the campaign (fields commitment_<content id>)."""

    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, contents, registration=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {c.content_id: c.commitment for c in registration.commitments.all()} if registration else {}
        self.contents = contents
        for content in contents:
            self.fields[f"commitment_{content.pk}"] = forms.CharField(
                label=f"({content.number}) {content.short_title}", widget=forms.Textarea(attrs={"rows": 3}),
                help_text=content.text, initial=existing.get(content.pk, ""),
                error_messages={"required": _("Hãy nhập cam kết cho nội dung này.")})
        self.fields["note"].initial = registration.note if registration else ""
        self.order_fields([*(f"commitment_{content.pk}" for content in contents), "note"])
        self.helper = _helper(_("Đăng ký") if registration is None else _("Lưu cam kết"))

    @property
    def commitments(self):
        return {c.pk: self.cleaned_data[f"commitment_{c.pk}"] for c in self.contents}


class UnitFilterForm(TextLimits, forms.Form):
    """Year, kind and district filters shared by the registration status and monitoring pages."""

    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    kind = forms.ChoiceField(label=_("Loại đơn vị"), required=False)
    district = forms.ModelChoiceField(label=_("Huyện, thành phố"), queryset=Unit.objects.none(), required=False,
                                      empty_label=_("Tất cả"), to_field_name="code")
    q = forms.CharField(label=_("Tìm đơn vị"), required=False)

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["year"].choices = [(y, y) for y in campaign.years]
        # The page shows the campaign's current year when none is chosen: the select must say so too.
        current = selectors.current_year(campaign)
        self.fields["year"].initial = current
        if self.is_bound and not self.data.get("year"):
            self.data = self.data.copy()
            self.data["year"] = current
        kinds = campaign.participant_unit_kinds or [k.value for k in UnitKind]
        self.fields["kind"].choices = [("", _("Tất cả"))] + [(k, UnitKind(k).label) for k in kinds]
        scope_choices(self, "district", selectors.districts(user))

    def values(self):
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "year": data.get("year") or selectors.current_year(self.campaign),
            "kind": data.get("kind") or "",
            "district": data.get("district"),
            "q": data.get("q") or "",
        }


class RegistrationFilterForm(UnitFilterForm):
    status = forms.ChoiceField(label=_("Tình trạng"), required=False, choices=[
        ("", _("Tất cả")), ("yes", _("Đã đăng ký")), ("no", _("Chưa đăng ký"))])

    def values(self):
        values = super().values()
        status = self.cleaned_data.get("status") if self.is_valid() else ""
        values["registered"] = {"yes": True, "no": False}.get(status)
        return values


class MonitoringFilterForm(UnitFilterForm):
    behind = forms.BooleanField(label=_("Chỉ đơn vị chậm tiến độ"), required=False)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in selectors.MONITORING_SORTS],
                             widget=forms.HiddenInput)
    desc = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def values(self):
        values = super().values()
        data = self.cleaned_data if self.is_valid() else {}
        values.update(behind_only=bool(data.get("behind")), sort=data.get("sort") or "path",
                      descending=bool(data.get("desc")))
        return values


class InspectionForm(TextLimits, forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị được kiểm tra"))
    inspected_on = forms.DateField(label=_("Ngày kiểm tra"), widget=DateInput())
    inspectors = forms.CharField(label=_("Thành phần đoàn kiểm tra"), widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label=_("Kết quả kiểm tra"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        year = selectors.current_year(campaign)
        unit_picker(self, "unit", selectors.participating_units(campaign, year, user=user).order_by("path"))


class TaskForm(TextLimits, forms.Form):
    description = forms.CharField(label=_("Việc cần khắc phục"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Hạn hoàn thành"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("description") and not cleaned.get("deadline"):
            self.add_error("deadline", _("Hãy nhập hạn hoàn thành cho việc này."))
        if cleaned.get("deadline") and not cleaned.get("description"):
            self.add_error("description", _("Hãy mô tả việc cần khắc phục."))
        return cleaned


TaskFormSet = forms.formset_factory(TaskForm, extra=3)


class TaskCompleteForm(TextLimits, forms.Form):
    note = forms.CharField(label=_("Kết quả khắc phục"), widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Hãy ghi kết quả khắc phục.")})
