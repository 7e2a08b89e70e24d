"""Form pieces every app uses: the Excel import file field (with its refusals), the dd/mm/yyyy date input and
scope_choices (every model-choice field's queryset from a scoped selector)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .files import UnreadableZip, unpacked_size, zip_archive


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
    try:
        with zip_archive(upload) as archive:
            members = archive.infolist()
    except UnreadableZip:
        raise not_xlsx from None
    if not XLSX_MEMBERS <= {member.filename for member in members}:
        raise not_xlsx  # another zip: a .docx, an .ods, an archive renamed .xlsx
    if unpacked_size(members) > MAX_UNCOMPRESSED_BYTES:
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


def scope_choices(form, name, queryset):
    """Give the model-choice field `name` of `form` its choices for the user the form is built for.

    `queryset` comes from a scoped selector of the app (`units_visible_to(user)`, `people_visible_to(user)`, a
    selector of an object already loaded through one), so a select never lists, and a POST never picks, a row
    outside the user's scope. Set here, at instantiation, never at class definition (a class-level queryset is the
    same for every user); the field is marked so tests/security/test_form_scopes.py can tell it was. Global
    catalogues (award forms, document types…) need not come through here: that test allow-lists them by name.
    """
    field = form.fields[name]
    field.queryset = queryset
    field.scoped = True
    return field
