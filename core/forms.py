"""Form pieces every app uses: the Excel import file field (with its refusals), the dd/mm/yyyy date input,
scope_choices (every model-choice field's queryset from a scoped selector) and the search-as-you-type pickers."""

import types

from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .files import UnreadableZip, unpacked_size, zip_archive
from .text import fold, numbers


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


# Text limits: every text field shows its limit (maxlength, and the counter static/js/app.js adds) and refuses a
# longer text on the server with the same Vietnamese message. A field the model does not bound (a TextField, a
# form field declared without max_length) gets a form-level limit: a line, or a few pages of free text.
LINE_LIMIT = 255
TEXT_LIMIT = 10_000  # about four printed pages: a summary of achievements, an initiative's solution, a story


def _too_long():
    return _("Tối đa %(limit_value)s ký tự; nội dung đang có %(show_value)s ký tự. Hãy rút gọn rồi lưu lại.")


class TextLimitValidator(validators.MaxLengthValidator):
    message = lazy(_too_long, str)()


def limit_text_fields(form):
    """Give every text field of `form` a limit (TEXT_LIMIT for a text area, LINE_LIMIT for a line, unless it has
    its own), shown as `maxlength` and checked on the server with one message."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, (forms.HiddenInput,
                                                                              forms.PasswordInput)):
            continue
        if field.max_length is None:
            field.max_length = TEXT_LIMIT if isinstance(field.widget, forms.Textarea) else LINE_LIMIT
        field.validators = [v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)]
        field.validators.append(TextLimitValidator(field.max_length))
        field.widget.attrs["maxlength"] = str(field.max_length)


class TextLimits:
    """Mixed into every form of the project (before forms.Form / forms.ModelForm): limit_text_fields at
    instantiation, and again before validation for a field a subclass's __init__ added afterwards."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text_fields(self)

    def full_clean(self):
        limit_text_fields(self)
        super().full_clean()


class UploadField(forms.FileField):
    """The file field of every upload form (evidence, dossier and theme documents, PAR evidence, photos): an empty
    file is let through to core.files.validate_upload, whose refusal names the file ("Tệp “x” rỗng (0 byte)…"), so
    every upload speaks one vocabulary; a missing file gets one sentence too."""

    default_error_messages = {"required": _("Hãy chọn tệp để tải lên."),
                              "invalid": _("Không đọc được tệp gửi lên; hãy chọn lại tệp.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input: what officials type, whatever the browser's locale."""

    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}, **kwargs)


# Pickers: a choice list that may hold more than a page of rows is a search box over a select holding only the empty
# choice and what is chosen; typing asks the form's own page (`?pick=<field>&pick_q=<text>`, see core.views.picker)
# for the matching rows of the field's queryset, so the choices offered are exactly the ones the form accepts.

PICK_LIMIT = 20  # rows answered per keystroke; "type more" beyond
# Key columns a request names by digits (chosen_rows drops what no such column could hold).
INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}
PICK_WORDS = 12  # words of a search used (a full unit name has fewer); hundreds would pass SQLite's expression depth


class SearchSelect(forms.Select):
    """The select of a picker: renders the empty choice and the chosen row only, under a search box (htmx)."""

    template_name = "core/widgets/search_select.html"

    def __init__(self, search_fields=("search_name",), attrs=None):
        super().__init__(attrs)
        self.search_fields = tuple(search_fields)

    def _chosen(self, value):
        iterator = self.choices
        field = getattr(iterator, "field", None)
        if field is None:  # not a model choice field: nothing to narrow
            return None
        rows = chosen_rows(field.queryset, value)
        empty = [("", field.empty_label)] if field.empty_label is not None and not self.allow_multiple_selected else []
        return empty + [(field.prepare_value(row), field.label_from_instance(row)) for row in rows]

    def optgroups(self, name, value, attrs=None):
        chosen = self._chosen(value)
        if chosen is None:
            return super().optgroups(name, value, attrs)
        everything, self.choices = self.choices, chosen
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = everything


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    allow_multiple_selected = True


def chosen_rows(queryset, keys):
    """The rows of `queryset` named by `keys`, as a request or a bound form holds them (strings): a key that is
    no whole number a column holds names nothing, as does an empty one."""
    keys = [str(key) for key in keys if key not in ("", None)]
    if queryset.model._meta.pk.get_internal_type() in INTEGER_KEYS:
        keys = numbers(keys)
    return list(queryset.filter(pk__in=keys)) if keys else []


def search_rows(queryset, text, search_fields):
    """The rows of `queryset` whose search key holds `text` (folded: no diacritics, lower case), at most
    PICK_LIMIT + 1 (one more tells that there are more)."""
    # NUL is no character of a name (PostgreSQL refuses it in a query: a 500), so it parts words; words past
    # PICK_WORDS narrow nothing a person would type.
    words = fold(text.replace("\x00", " ")).split()[:PICK_WORDS]
    if not words:
        return []
    condition = Q()
    for word in words:  # every word somewhere in one of the keys: "lan dak mil" finds "Nguyễn Thị Lan" of Đắk Mil
        one = Q()
        for lookup in search_fields:
            one |= Q(**{f"{lookup}__icontains": word})
        condition &= one
    return list(queryset.filter(condition)[:PICK_LIMIT + 1])


def scope_choices(form, name, queryset, *, search=None, empty_label=None):
    """Give the model-choice field `name` of `form` its choices for the user the form is built for.

    `queryset` comes from a scoped selector of the app (`units_visible_to(user)`, `people_visible_to(user)`, a
    selector of an object already loaded through one), so a select never lists, and a POST never picks, a row
    outside the user's scope. Set here, at instantiation, never at class definition (a class-level queryset is the
    same for every user); the field is marked so tests/security/test_form_scopes.py can tell it was. Global
    catalogues (award forms, document types…) need not come through here: that test allow-lists them by name.
    """
    field = form.fields[name]
    if search:
        field.widget = _picker_widget(field, search)
    field.queryset = queryset  # after the widget: the queryset's setter hands the widget its choices
    if empty_label is not None and getattr(field, "empty_label", None) is not None:
        field.empty_label = empty_label
    field.scoped = True
    if isinstance(field, forms.ModelMultipleChoiceField):
        field._check_values = types.MethodType(_check_values, field)
    return field


def _check_values(field, value):
    """A multiple choice's check of the submitted keys, a key too large for SQLite's driver refused like any key
    that names no row: Django looks them up by `pk__in`, whose integers it does not range-check (OverflowError,
    a 500, on SQLite)."""
    try:
        return type(field)._check_values(field, value)
    except OverflowError:
        raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice",
                              params={"value": max(map(str, value), key=len)}) from None  # the longest key


def _picker_widget(field, search_fields):
    """A SearchSelect(Multiple) taking the place of the field's widget (its attributes kept)."""
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    widget = (SearchSelectMultiple if multiple else SearchSelect)(search_fields, attrs=dict(field.widget.attrs))
    widget.is_required = field.required
    return widget


def picker_field(form, name):
    """The picker field `name` of `form` (None when it is not one): what core.views.picker answers for."""
    field = form.fields.get(name)
    if field is None or not isinstance(field.widget, SearchSelect):
        return None
    return field
