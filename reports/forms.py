"""Forms of the report pages: open a draft, write its narrative, choose the output format, dashboard filters."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, TextLimits
from core.models import Signer
from par.models import UnitGroup

from . import kinds
from .models import ReportDraft, ReportFormat


class DraftOpenForm(TextLimits, forms.Form):
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


class SignerChoice(forms.ModelChoiceField):
    def label_from_instance(self, signer):
        until = f"{signer.valid_to:%d/%m/%Y}" if signer.valid_to else _("nay")
        return _("%(name)s, %(title)s (từ %(start)s đến %(end)s)") % {
            "name": signer.full_name, "title": signer.title, "start": f"{signer.valid_from:%d/%m/%Y}", "end": until}


class DraftForm(TextLimits, forms.ModelForm):
    """The draft's text: one field per paragraph slot of its kind's document (`context["slots"]`), empty to keep the
    paragraph generated from the figures; the signer (from the issuing body's signers, empty for the one in force)
    and "Nơi nhận"."""

    TEXT_FIELDS = ["situation", "direction", "results_note", "inspection_note", "strengths", "limitations", "causes",
                   "lessons", "next_steps", "proposals"]

    class Meta:
        model = ReportDraft
        fields = ["place", "signer", "situation", "direction", "results_note", "inspection_note", "strengths",
                  "limitations", "causes", "lessons", "next_steps", "proposals", "recipients"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in
                   ["situation", "direction", "results_note", "inspection_note", "strengths", "limitations", "causes",
                    "lessons", "next_steps", "proposals"]}
        widgets.update({"recipients": forms.Textarea(attrs={"rows": 5})})

    def __init__(self, *args, slots=None, signers=None, **kwargs):
        super().__init__(*args, **kwargs)
        slots = slots or {}
        notes = self.instance.content_notes or {}
        self.slot_fields = []  # (form field name, slot) in the document's order
        self.note_fields = {}  # form field name → key in content_notes
        for name in self.TEXT_FIELDS:
            if not any(slot["field"] == name for slot in slots.values()):
                del self.fields[name]
        for name, slot in slots.items():
            if slot["field"]:
                self.fields[slot["field"]].label = slot["label"]
                self.slot_fields.append((slot["field"], slot))
            else:
                self.fields[name] = forms.CharField(label=slot["label"], required=False,
                                                    widget=forms.Textarea(attrs={"rows": 3}),
                                                    initial=notes.get(slot["note"], ""))
                self.note_fields[name] = slot["note"]
                self.slot_fields.append((name, slot))
        self.fields["signer"] = SignerChoice(queryset=signers if signers is not None else Signer.objects.none(),
                                             required=False, label=_("Người ký"),
                                             empty_label=_("Người có thẩm quyền ký vào ngày ban hành"),
                                             initial=self.instance.signer_id)
        self.fields["recipients"].help_text = _("Mỗi dòng một nơi nhận; dòng “Lưu: VT, …” đặt cuối.")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def service_data(self):
        """cleaned_data for `draft_update`: the slot fields kept in `content_notes` gathered there."""
        data = dict(self.cleaned_data)
        notes = dict(self.instance.content_notes or {})
        for name, key in self.note_fields.items():
            notes[key] = data.pop(name, "")
        data["content_notes"] = notes
        return data


class RegisterForm(TextLimits, forms.Form):
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"])


class GenerateForm(TextLimits, forms.Form):
    format = forms.ChoiceField(label=_("Định dạng"), choices=ReportFormat.choices, initial=ReportFormat.PDF)
    watermark = forms.BooleanField(label=_("Bản nháp (có dấu “BẢN NHÁP”, xem trước khi hoàn thiện)"), required=False)


class DashboardFilterForm(TextLimits, forms.Form):
    campaign = forms.TypedChoiceField(label=_("Phong trào"), coerce=int, required=False, empty_value=None,
                                      choices=())
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None, choices=())
    review = forms.ChoiceField(label=_("Kỳ tổng hợp"), required=False,
                               choices=lambda: [("", _("Cả giai đoạn"))] + [(spec.code, spec.label)
                                                                             for spec in kinds.reviews()])
    group = forms.ChoiceField(label=_("Nhóm đơn vị"), required=False,
                              choices=[("", _("Tất cả nhóm"))] + list(UnitGroup.choices))

    def __init__(self, *args, campaigns, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [(c.pk, c.number) for c in campaigns]
        years = campaign.years if campaign is not None else []
        self.fields["year"].choices = [("", _("Cả giai đoạn"))] + [(y, y) for y in years]
