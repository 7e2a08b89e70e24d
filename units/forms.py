import zipfile

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import normalize_code

from . import rules
from .models import EmulationBlock, Person, Unit, UnitKind
from .selectors import units_visible_to


def import_limit_text():
    """settings.IMPORT_MAX_UPLOAD_BYTES as people read it ("10,0 MB"), in the active language."""
    return filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)


def validate_import_size(upload):
    """Refuse an Excel import larger than settings.IMPORT_MAX_UPLOAD_BYTES.

    Only the size Django counted while receiving the upload is used: nothing is read, opened or stored, so an
    over-large file never reaches openpyxl, which would expand the whole workbook in memory.
    """
    if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("Tệp quá lớn (%(size)s); mỗi lần nhập chỉ nhận tệp Excel đến %(limit)s. Hãy tách thành nhiều tệp "
              "nhỏ hơn rồi tải lên lại."),
            code="too_large", params={"size": filesizeformat(upload.size), "limit": import_limit_text()})


# An .xlsx is a zip archive that openpyxl unpacks in memory: a small upload can expand to gigabytes (a "zip bomb").
# The largest import the row caps allow (20,000 rows of long Vietnamese names) unpacks to about 11 MB.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# Members every .xlsx has, by their place in the zip directory: the package's content types and the workbook part.
XLSX_MEMBERS = {"[Content_Types].xml", "xl/workbook.xml"}


def validate_xlsx_archive(upload):
    """Refuse a file that is not an .xlsx archive, or that would expand past MAX_UNCOMPRESSED_BYTES.

    Only the zip's central directory is read (names and declared sizes), nothing is decompressed. The declared sizes
    bound what the workbook reader can get out: Python's zipfile stops each member at its declared size and fails
    the CRC check if the data go on, so a file lying about its sizes cannot expand further.
    """
    not_xlsx = forms.ValidationError(
        _("Tệp tải lên không phải bảng tính Excel (.xlsx) hợp lệ. Hãy mở tệp bằng Excel và lưu lại "
          "dưới dạng “Excel Workbook (.xlsx)” rồi thử lại."), code="not_xlsx")
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise not_xlsx from None
    finally:
        upload.seek(0)
    if not XLSX_MEMBERS <= {member.filename for member in members}:
        raise not_xlsx  # another zip: a .docx, an .ods, an archive renamed .xlsx
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise forms.ValidationError(_("Tệp Excel quá lớn khi giải nén; hãy chia thành nhiều tệp nhỏ hơn."),
                                    code="zip_bomb")


def validate_excel_import(upload):
    """The checks of every Excel import, in order, stopping at the first refusal: the upload's size first (nothing
    read), then the zip directory."""
    validate_import_size(upload)
    validate_xlsx_archive(upload)


def _import_help_text():
    return gettext("Tệp Excel (.xlsx), tối đa %(limit)s.") % {"limit": import_limit_text()}


class ExcelImportField(forms.FileField):
    """The file field of every Excel import form (units, people, PAR criteria and survey scores, earlier awards).

    One set of refusals for all, before the form's own clean_<field> and the view open the file with openpyxl: an
    empty file, a file over IMPORT_MAX_UPLOAD_BYTES, a file that is not an .xlsx archive (a PDF or CSV renamed .xlsx,
    a .docx) and a zip bomb. The limit is shown under the field (lazily, so a changed setting and the active
    language are honoured)."""

    default_validators = [validate_excel_import]
    default_error_messages = {"empty": _("Tệp tải lên đang trống; hãy chọn tệp Excel có dữ liệu.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", lazy(_import_help_text, str)())
        super().__init__(**kwargs)


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input: what officials type, whatever the browser's locale."""

    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}, **kwargs)


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
        scoped = units_visible_to(user).order_by("path")
        self.fields["parent"].queryset = scoped
        self.fields["successor"].queryset = Unit.objects.order_by("path")
        if not rules.can_manage_unit_tree(user):
            self.fields["parent"].required = True
            self.fields["kind"].choices = [(UnitKind.DIVISION, UnitKind.DIVISION.label)]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Lưu")))

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if not code or not _is_code(code):
            raise forms.ValidationError(_("Mã đơn vị chỉ gồm chữ cái không dấu, chữ số và các dấu . - _"))
        clash = Unit.objects.filter(code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Đã có đơn vị mang mã %(code)s.") % {"code": code})
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
        self.fields["unit"].queryset = units_visible_to(user).order_by("path")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Lưu")))

    def clean_staff_code(self):
        code = normalize_code(self.cleaned_data.get("staff_code")) or None
        # The same rule as the people import; an existing code stays editable as it is.
        if code and code != self.instance.staff_code and not _is_code(code):
            raise forms.ValidationError(_("Mã cán bộ chỉ gồm chữ cái không dấu, chữ số và các dấu . - _ "
                                          "(không có khoảng trắng)."))
        if code and Person.objects.filter(staff_code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Mã cán bộ %(code)s đã được dùng cho người khác.") % {"code": code})
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


