"""Forms for the units' work: validation of shape only; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, TextLimits, UploadField, scope_choices
from units.forms import UnitChoiceField, person_picker, unit_picker
from units.models import Person, Unit
from units.selectors import people_visible_to, units_visible_to

from ..models import (
    AchievementStatus,
    Campaign,
    EmulationContent,
    ExemplaryModel,
    Initiative,
    InitiativeLevel,
    InitiativeStatus,
)
from ..selectors.plan import campaigns_visible_to, switchable_campaigns
from ..selectors.work import contents_of_launched, initiatives_visible_to, launched_campaigns

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(UploadField):
    """A list of uploads. Empty files are let through on purpose: the service refuses them with a clear reason."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        cleaned = single(data, initial)
        return [cleaned] if cleaned else []


FILES_HELP = _("Chọn một hoặc nhiều tệp PDF, DOCX, XLSX, JPG, PNG (giữ phím Ctrl để chọn nhiều tệp).")


class ContentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.campaign.number} · ({obj.number}) {obj.short_title}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} · {obj.unit.name}"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} · {obj.unit.name}"


def _year_choices():
    years = set()
    for campaign in launched_campaigns():
        years.update(campaign.years)
    return [(y, str(y)) for y in sorted(years, reverse=True)]


class _UnitWorkForm(TextLimits, forms.Form):
    """What an achievement and an initiative both ask: a launched campaign (preset when only one is launched), a
    year of one, a unit of the user's scope (preset to their own) and people of that scope (`people_field`)."""

    people_field = None

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = launched_campaigns()
        self.fields["campaign"].queryset = campaigns
        if len(campaigns) == 1 and not self.is_bound:
            self.initial.setdefault("campaign", campaigns[0].pk)
        self.fields["year"].choices = _year_choices()
        unit_picker(self, "unit", units_visible_to(user).order_by("path"))
        if user.unit_id and not self.is_bound:
            self.initial.setdefault("unit", user.unit_id)
        person_picker(self, self.people_field, people_visible_to(user).select_related("unit")
                      .order_by("search_name", "id"))


class AchievementForm(_UnitWorkForm):
    campaign = forms.ModelChoiceField(label=_("Phong trào thi đua"), queryset=Campaign.objects.none())
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=())
    content = ContentChoiceField(label=_("Nội dung thi đua"), queryset=EmulationContent.objects.none())
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Tên thành tích"), max_length=255)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    person = PersonChoiceField(label=_("Cá nhân (nếu là thành tích cá nhân)"), required=False,
                               queryset=Person.objects.none())
    files = MultipleFileField(label=_("Tệp minh chứng"), help_text=FILES_HELP)

    people_field = "person"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].queryset = contents_of_launched()


class FilesForm(TextLimits, forms.Form):
    files = MultipleFileField(label=_("Bổ sung tệp minh chứng"), help_text=FILES_HELP)


class ClarificationForm(TextLimits, forms.Form):
    comment = forms.CharField(label=_("Nội dung cần đơn vị làm rõ"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(TextLimits, forms.Form):
    answer = forms.CharField(label=_("Giải trình của đơn vị"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Tệp bổ sung (nếu có)"), required=False, help_text=FILES_HELP)


def _filter_year_choices(campaigns):
    years = sorted({year for campaign in campaigns for year in campaign.years}, reverse=True)
    return [("", _("Tất cả các năm"))] + [(y, str(y)) for y in years]


class _CampaignFilterForm(TextLimits, forms.Form):
    """A list filter on one movement (the view presets the session's one) among those the user may see."""

    campaign = forms.ModelChoiceField(label=_("Phong trào"), required=False, queryset=Campaign.objects.none(),
                                      empty_label=_("Tất cả phong trào"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = switchable_campaigns(user)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].label_from_instance = lambda campaign: campaign.number
        self.fields["year"].choices = _filter_year_choices(campaigns)


class AchievementFilterForm(_CampaignFilterForm):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None, choices=())
    content = ContentChoiceField(label=_("Nội dung"), required=False, queryset=EmulationContent.objects.none(),
                                 empty_label=_("Tất cả nội dung"))
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[("", _("Tất cả trạng thái"))] + list(AchievementStatus.choices))
    unit = forms.CharField(label=_("Mã đơn vị"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Every movement's contents, closed ones too: a closed plan's lists and the dashboard's links still work.
        self.fields["content"].queryset = EmulationContent.objects.filter(
            campaign__in=self.fields["campaign"].queryset.values("pk")).select_related("campaign").order_by(
            "-campaign__starts_on", "number")


# Initiatives ------------------------------------------------------------------------------------------------


class InitiativeForm(_UnitWorkForm):
    campaign = forms.ModelChoiceField(label=_("Phong trào thi đua"), queryset=Campaign.objects.none())
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=())
    unit = UnitChoiceField(label=_("Đơn vị đề xuất"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Tên sáng kiến, giải pháp"), max_length=255)
    authors = PeopleChoiceField(label=_("Tác giả"), queryset=Person.objects.none(),
                                help_text=_("Gõ tên để tìm; giữ phím Ctrl để chọn nhiều tác giả."))
    problem = forms.CharField(label=_("Vấn đề cần giải quyết"), widget=forms.Textarea(attrs={"rows": 3}))
    solution = forms.CharField(label=_("Nội dung giải pháp"), widget=forms.Textarea(attrs={"rows": 4}))
    effect = forms.CharField(label=_("Hiệu quả"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Tệp minh chứng"), help_text=FILES_HELP)

    people_field = "authors"


class RecogniseForm(TextLimits, forms.Form):
    level = forms.ChoiceField(label=_("Cấp công nhận"), choices=InitiativeLevel.choices)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decision_date = forms.DateField(label=_("Ngày quyết định"), input_formats=DATE_FORMATS, widget=DateInput())


class RefuseForm(TextLimits, forms.Form):
    reason = forms.CharField(label=_("Lý do không công nhận"), widget=forms.Textarea(attrs={"rows": 3}))


class InitiativeFilterForm(_CampaignFilterForm):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None, choices=())
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[("", _("Tất cả trạng thái"))] + list(InitiativeStatus.choices))


# Exemplary models -------------------------------------------------------------------------------------------


class ExemplaryForm(TextLimits, forms.ModelForm):
    unit = UnitChoiceField(label=_("Đơn vị liên quan"), required=False, queryset=Unit.objects.none())
    person = PersonChoiceField(label=_("Cá nhân liên quan"), required=False, queryset=Person.objects.none())
    initiative = forms.ModelChoiceField(label=_("Sáng kiến liên quan (đã công nhận)"), required=False,
                                        queryset=Initiative.objects.none())
    photo = UploadField(label=_("Ảnh (JPG hoặc PNG)"), required=False,
                        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}))

    class Meta:
        model = ExemplaryModel
        fields = ["campaign", "kind", "title", "story", "year", "unit", "person", "initiative"]
        widgets = {"story": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope_choices(self, "campaign", campaigns_visible_to(user).order_by("-issued_on", "number"))
        unit_picker(self, "unit", units_visible_to(user).order_by("path"))
        person_picker(self, "person", people_visible_to(user).select_related("unit").order_by("search_name", "id"))
        scope_choices(self, "initiative", initiatives_visible_to(user).filter(
            status=InitiativeStatus.RECOGNISED).order_by("-year", "title"))
