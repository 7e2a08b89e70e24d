"""Forms of the report pages: open a draft, write its narrative, choose the output format, dashboard filters."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from par.models import UnitGroup

from . import kinds
from .models import ReportDraft, ReportFormat


class DraftOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=kinds.choices)
    year = forms.TypedChoiceField(label=_("Năm (báo cáo năm)"), coerce=int, required=False, empty_value=None,
                                  choices=())

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "—")] + [(y, y) for y in campaign.years]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        spec = kinds.SPECS.get(data.get("kind"))
        if spec is not None and spec.per_year and not data.get("year"):
            self.add_error("year", spec.missing_year)
        return data


class DraftForm(forms.ModelForm):
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DateInput(),
                                input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    class Meta:
        model = ReportDraft
        fields = ["number", "place", "issued_on", "direction", "results_note", "inspection_note", "strengths",
                  "limitations", "causes", "lessons", "next_steps", "proposals", "signer_title", "signer_name",
                  "recipients"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in
                   ["direction", "results_note", "inspection_note", "strengths", "limitations", "causes", "lessons",
                    "next_steps", "proposals"]}
        widgets.update({"signer_title": forms.Textarea(attrs={"rows": 2}),
                        "recipients": forms.Textarea(attrs={"rows": 4})})

    def __init__(self, *args, contents=(), **kwargs):
        super().__init__(*args, **kwargs)
        notes = self.instance.content_notes or {}
        self.content_fields = []
        for content in contents:
            name = f"content_{content.number}"
            self.fields[name] = forms.CharField(
                label=_("Nhận xét nội dung (%(n)s) %(title)s") % {"n": content.number, "title": content.short_title},
                required=False, widget=forms.Textarea(attrs={"rows": 3}), initial=notes.get(str(content.number), ""))
            self.content_fields.append((name, content.number))
        self.helper = FormHelper()
        self.helper.form_tag = False

    def service_data(self):
        """cleaned_data for `draft_update`: the per-content fields gathered into `content_notes`."""
        data = dict(self.cleaned_data)
        data["content_notes"] = {str(number): data.pop(name, "") for name, number in self.content_fields}
        return data


class GenerateForm(forms.Form):
    format = forms.ChoiceField(label=_("Định dạng"), choices=ReportFormat.choices, initial=ReportFormat.PDF)


class DashboardFilterForm(forms.Form):
    campaign = forms.TypedChoiceField(label=_("Phong trào"), coerce=int, required=False, empty_value=None,
                                      choices=())
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None, choices=())
    group = forms.ChoiceField(label=_("Nhóm đơn vị"), required=False,
                              choices=[("", _("Tất cả nhóm"))] + list(UnitGroup.choices))

    def __init__(self, *args, campaigns, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [(c.pk, c.number) for c in campaigns]
        years = campaign.years if campaign is not None else []
        self.fields["year"].choices = [("", _("Cả giai đoạn"))] + [(y, y) for y in years]
