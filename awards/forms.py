from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignStatus, Milestone
from campaigns.selectors.plan import campaigns_visible_to, milestones_visible_to
from core.forms import DateInput, ExcelImportField, TextLimits, UploadField, scope_choices
from core.models import Signer, SignerPosition
from units.forms import UnitChoiceField, person_picker, unit_picker
from units.models import Person, Unit
from units.selectors import people_visible_to, scoped_to, units_visible_to

from . import selectors
from .models import AwardForm, CouncilRole, CouncilSession, DocumentType, DossierState


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class MilestoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.campaign.number} · {obj.title} ({obj.get_kind_display()})"


class DossierCreateForm(TextLimits, forms.Form):
    milestone = MilestoneChoiceField(queryset=Milestone.objects.none(), label=_("Phong trào và đợt khen thưởng"))
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị trình"))
    form = forms.ModelChoiceField(queryset=AwardForm.objects.filter(active=True), label=_("Hình thức khen thưởng"))
    simplified = forms.BooleanField(label=_("Áp dụng thủ tục đơn giản"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope_choices(self, "milestone", milestones_visible_to(user).filter(campaign__status=CampaignStatus.LAUNCHED)
                      .order_by("-campaign__issued_on", "due_on"))  # a closed plan takes no new dossier
        unit_picker(self, "unit", units_visible_to(user).filter(valid_to__isnull=True).order_by("path"))
        own = user.unit
        if own is not None and own.valid_to is None:
            self.fields["unit"].initial = own.pk
        elif own is not None:  # a unit merged or dissolved takes no new dossier: say so instead of leaving it out
            self.fields["unit"].help_text = _(
                "%(unit)s không có trong danh sách vì đã hết hiệu lực từ ngày %(day)s (sáp nhập hoặc giải thể); "
                "hồ sơ mới do đơn vị đang hoạt động trình, ví dụ đơn vị kế thừa hoặc đơn vị trực thuộc."
            ) % {"unit": own.name, "day": own.valid_to.strftime("%d/%m/%Y")}
        self.helper = _helper(_("Tạo hồ sơ"))


class CouncilForm(TextLimits, forms.Form):
    simplified = forms.BooleanField(label=_("Áp dụng thủ tục đơn giản"), required=False)
    council_date = forms.DateField(label=_("Ngày họp Hội đồng Thi đua - Khen thưởng"), required=False,
                                   widget=DateInput())
    council_members = forms.IntegerField(label=_("Tổng số thành viên Hội đồng"), required=False, min_value=1)
    council_present = forms.IntegerField(label=_("Số thành viên có mặt"), required=False, min_value=0)
    council_votes = forms.IntegerField(label=_("Số phiếu đồng ý"), required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Lưu thông tin cuộc họp"))

    def clean(self):
        cleaned = super().clean()
        for name, message in selectors.council_figure_errors(
                cleaned.get("council_members"), cleaned.get("council_present"), cleaned.get("council_votes")).items():
            self.add_error(name, message)
        return cleaned


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} · {obj.unit.name}" + (f" ({obj.staff_code})" if obj.staff_code else "")


class NomineeForm(TextLimits, forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Tập thể"))
    person = PersonChoiceField(queryset=Person.objects.none(), required=False, label=_("Cá nhân"))
    summary = forms.CharField(label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs={"rows": 4}))
    achievements = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                                  label=_("Thành tích đã ghi nhận (minh chứng)"))
    initiatives = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                                 label=_("Sáng kiến đã được công nhận"))
    grounds = forms.ModelMultipleChoiceField(queryset=None, required=False, label=_("Khen thưởng làm căn cứ"))

    def __init__(self, *args, dossier, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        path = dossier.unit.path
        unit_picker(self, "unit", units_visible_to(user).filter(path__startswith=path).order_by("path"))
        person_picker(self, "person", people_visible_to(user).filter(unit__path__startswith=path)
                      .select_related("unit"))
        scope_choices(self, "achievements", scoped_to(selectors.achievements_for(dossier), user)
                      .select_related("unit", "person"))
        scope_choices(self, "initiatives", scoped_to(selectors.initiatives_for(dossier), user))
        scope_choices(self, "grounds", selectors.records_visible_to(user).filter(
            Q(unit__path__startswith=path) | Q(person__unit__path__startswith=path)).select_related("form"))
        self.helper = _helper(_("Thêm đối tượng"))

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("unit")) == bool(cleaned.get("person")):
            raise forms.ValidationError(_("Chọn đúng một tập thể hoặc một cá nhân."))
        return cleaned


class DocumentForm(TextLimits, forms.Form):
    doc_type = forms.ModelChoiceField(queryset=DocumentType.objects.all(), label=_("Loại tài liệu"))
    file = UploadField(label=_("Tệp (PDF, DOCX, XLSX, JPG, PNG)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Tải lên"))


class ReasonForm(TextLimits, forms.Form):
    note = forms.CharField(label=_("Lý do, ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SignerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        until = f" – {obj.valid_to:%d/%m/%Y}" if obj.valid_to else ""
        return f"{obj.full_name} · {obj.title} ({obj.valid_from:%d/%m/%Y}{until})"


class DecisionForm(TextLimits, forms.Form):
    """The decision of the province: its number comes from the register when it is registered, not from here."""

    date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    signer = SignerChoiceField(queryset=Signer.objects.none(), label=_("Người ký"), required=False,
                               empty_label=_("Người đứng đầu có thẩm quyền tại ngày quyết định"))
    proposal_number = forms.CharField(label=_("Số tờ trình của Sở Nội vụ"), max_length=60, required=False,
                                      help_text=_("Ví dụ 125/TTr-SNV; in trong phần căn cứ của quyết định."))
    proposal_date = forms.DateField(label=_("Ngày tờ trình"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope_choices(self, "signer", Signer.objects.filter(body__in=selectors.decision_issuers())
                      .select_related("body"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and not cleaned.get("signer"):
            heads = [s for s in selectors.signers_for(selectors.decision_issuer(cleaned["date"]), cleaned["date"])
                     if s.position == SignerPosition.HEAD]
            if not heads:
                raise forms.ValidationError({"signer": _("Chưa có người đứng đầu có thẩm quyền ký vào ngày này "
                                                         "trong danh mục người ký; hãy chọn người ký.")})
            cleaned["signer"] = heads[0]
        return cleaned


class RegisterForm(TextLimits, forms.Form):
    date = forms.DateField(label=_("Ngày ban hành"), widget=DateInput(), required=False,
                           help_text=_("Để trống: ngày của dự thảo."))


class CentralProposalForm(TextLimits, forms.Form):
    date = forms.DateField(label=_("Ngày tờ trình"), widget=DateInput())
    signer = SignerChoiceField(queryset=Signer.objects.none(), label=_("Người ký"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope_choices(self, "signer", Signer.objects.filter(body__in=selectors.decision_issuers())
                      .select_related("body"))


class CentralDecisionForm(TextLimits, forms.Form):
    awarded = forms.TypedChoiceField(label=_("Kết quả"), coerce=lambda v: v == "1",
                                     choices=[("1", _("Được khen thưởng")), ("0", _("Không được khen thưởng"))])
    number = forms.CharField(label=_("Số quyết định của cấp trên"), max_length=60, required=False)
    date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput(), required=False)
    authority = forms.CharField(label=_("Cơ quan quyết định"), max_length=255, required=False)
    note = forms.CharField(label=_("Ghi chú, lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} · {obj.position + ', ' if obj.position else ''}{obj.unit.name}"


class SessionForm(TextLimits, forms.Form):
    date = forms.DateField(label=_("Ngày họp"), widget=DateInput())
    place = forms.CharField(label=_("Địa điểm"), max_length=255)
    chair = PersonChoiceField(queryset=Person.objects.none(), label=_("Chủ tịch Hội đồng (chủ trì)"))
    secretary = PersonChoiceField(queryset=Person.objects.none(), label=_("Thư ký Hội đồng"))
    vice_chairs = PersonMultipleChoiceField(queryset=Person.objects.none(), required=False,
                                            label=_("Phó Chủ tịch Hội đồng"))
    members = PersonMultipleChoiceField(queryset=Person.objects.none(), required=False, label=_("Ủy viên"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = people_visible_to(user).select_related("unit").order_by("search_name", "id")
        for name in ("chair", "secretary", "vice_chairs", "members"):
            person_picker(self, name, people)
        self.helper = _helper(_("Mở phiên họp"))

    def member_list(self):
        data = self.cleaned_data
        rows = [(data["chair"], CouncilRole.CHAIR)]
        rows += [(p, CouncilRole.VICE_CHAIR) for p in data.get("vice_chairs") or []]
        rows += [(p, CouncilRole.MEMBER) for p in data.get("members") or []]
        rows.append((data["secretary"], CouncilRole.SECRETARY))
        return rows


class SessionChoiceForm(TextLimits, forms.Form):
    session = forms.ModelChoiceField(queryset=CouncilSession.objects.none(), label=_("Phiên họp Hội đồng"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sessions = scope_choices(self, "session", selectors.open_sessions()).queryset
        latest = sessions.order_by("-date", "-pk").first()
        if latest is not None:
            self.fields["session"].initial = latest.pk


class DossierFilterForm(TextLimits, forms.Form):
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), required=False, label=_("Phong trào"),
                                      empty_label=_("Tất cả phong trào"))
    milestone = MilestoneChoiceField(queryset=Milestone.objects.none(), required=False,
                                     label=_("Đợt"), empty_label=_("Tất cả các đợt"))
    form = forms.ModelChoiceField(queryset=AwardForm.objects.all(), required=False, label=_("Hình thức"),
                                  empty_label=_("Tất cả hình thức"))
    state = forms.ChoiceField(required=False, label=_("Trạng thái"),
                              choices=[("", _("Tất cả trạng thái"))] + list(DossierState.choices))
    unit = forms.CharField(required=False, label=_("Mã đơn vị"))
    overdue = forms.BooleanField(required=False, label=_("Chỉ hồ sơ quá hạn"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope_choices(self, "campaign", campaigns_visible_to(user))
        scope_choices(self, "milestone", milestones_visible_to(user))
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"


class PostingForm(TextLimits, forms.Form):
    title = forms.CharField(label=_("Tiêu đề đợt công khai"), max_length=255,
                            initial=_("Danh sách tập thể, cá nhân đề nghị khen thưởng sơ kết"))
    working_days = forms.IntegerField(label=_("Số ngày làm việc nhận ý kiến"), min_value=1, max_value=60, initial=10)


class CommentForm(TextLimits, forms.Form):
    name = forms.CharField(label=_("Họ tên (không bắt buộc)"), max_length=150, required=False)
    text = forms.CharField(label=_("Nội dung ý kiến"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class HistoryImportForm(TextLimits, forms.Form):
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
        user = self.user
        scope_choices(self, "achievements", scoped_to(selectors.achievements_for(nominee.dossier, **own), user))
        scope_choices(self, "initiatives", scoped_to(selectors.initiatives_for(nominee.dossier, **own), user))
        scope_choices(self, "grounds", selectors.records_visible_to(user).filter(
            unit=nominee.unit, person=nominee.person).select_related("form"))
        self.helper = _helper(_("Lưu"))

    def clean(self):
        return forms.Form.clean(self)
