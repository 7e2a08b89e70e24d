"""Earlier awards (before this application) imported from Excel into the commendation history.

The file is checked like every upload (type by content, no macros), every row is checked and *all* errors are
reported with their Excel row numbers; only a clean file is written, in one transaction, with one audit row.
"""

import datetime
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from core import audit
from core.files import validate_upload
from core.text import nfc, normalize_code
from units.models import Person, Unit

from . import rules
from .models import AwardForm, CommendationRecord

HEADERS = ["Mã đơn vị", "Mã cán bộ", "Mã hình thức", "Năm", "Số quyết định", "Ngày quyết định", "Ghi chú"]
MAX_ROWS = 20000


def template_bytes():
    """The import template: headers, one example row, and the list of award-form codes on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Lịch sử khen thưởng"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["DM-01", "", "TTLDXS", 2022, "88/QĐ-UBND", datetime.date(2023, 1, 16), ""])
    sheet.cell(row=2, column=6).number_format = "dd/mm/yyyy"
    codes = workbook.create_sheet("Mã hình thức")
    codes.append(["Mã hình thức", "Tên hình thức"])
    for form in AwardForm.objects.order_by("order"):
        codes.append([form.code, form.name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def read_rows(upload):
    """Parse and check every row; returns (records to create, errors as 'Dòng n: …')."""
    validate_upload(upload)
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError(_("Hãy tải lên tệp Excel (.xlsx) theo mẫu."))
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(_("Không đọc được tệp Excel; hãy lưu lại tệp theo mẫu rồi tải lên.")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=False)
    header = [_text(c.value) for c in next(rows, [])]
    if header[:len(HEADERS)] != HEADERS:
        raise ValidationError(_("Dòng tiêu đề phải đúng theo mẫu: %(h)s.") % {"h": ", ".join(HEADERS)})
    units = {u.code: u for u in Unit.objects.only("id", "code", "name")}
    forms = {f.code: f for f in AwardForm.objects.all()}
    raw, errors, staff_codes = [], [], set()
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append(_("Tệp có quá %(n)s dòng; hãy tách tệp.") % {"n": MAX_ROWS})
            break
        values = [c.value for c in cells[:len(HEADERS)]] + [None] * (len(HEADERS) - len(cells))
        if all(_text(v) == "" for v in values):
            continue
        if any(getattr(c, "data_type", "") == "f" for c in cells[:len(HEADERS)]):
            errors.append(_("Dòng %(n)s: có công thức; hãy dán giá trị thay cho công thức.") % {"n": number})
            continue
        raw.append((number, values))
        if _text(values[1]):
            staff_codes.add(normalize_code(_text(values[1])))
    people = {p.staff_code: p for p in Person.objects.filter(staff_code__in=staff_codes)}
    records = []
    seen = set()
    for number, values in raw:
        unit_code, staff_code = normalize_code(_text(values[0])), normalize_code(_text(values[1]))
        form_code, year_text = normalize_code(_text(values[2])), _text(values[3])
        decision_number, decision_date, note = _text(values[4]), _date(values[5]), _text(values[6])
        row_errors = []
        unit = person = None
        if bool(unit_code) == bool(staff_code):
            row_errors.append(_("ghi đúng một trong hai cột “Mã đơn vị” (tập thể) hoặc “Mã cán bộ” (cá nhân)"))
        elif unit_code and unit_code not in units:
            row_errors.append(_("không có đơn vị mã %(c)s") % {"c": unit_code})
        elif staff_code and staff_code not in people:
            row_errors.append(_("không có cán bộ mã %(c)s") % {"c": staff_code})
        else:
            unit, person = units.get(unit_code), people.get(staff_code)
        form = forms.get(form_code)
        if form is None:
            row_errors.append(_("không có hình thức mã “%(c)s” (xem trang “Mã hình thức” trong tệp mẫu)")
                              % {"c": form_code})
        elif (unit is not None and not form.accepts("collective")) or (
                person is not None and not form.accepts("individual")):
            row_errors.append(_("hình thức “%(f)s” không dành cho đối tượng này") % {"f": form.name})
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not 1945 <= year <= 2100:
            row_errors.append(_("năm không hợp lệ"))
        if not decision_number:
            row_errors.append(_("thiếu số quyết định"))
        if decision_date is None:
            row_errors.append(_("ngày quyết định phải có dạng dd/mm/yyyy"))
        key = (unit_code, staff_code, form_code, decision_number)
        if key in seen:
            row_errors.append(_("trùng với một dòng phía trên"))
        seen.add(key)
        if row_errors:
            errors.append(_("Dòng %(n)s: %(e)s.") % {"n": number, "e": "; ".join(row_errors)})
            continue
        records.append(CommendationRecord(
            unit=unit, person=person, form=form, year=year, period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31), basis=form.basis, decision_number=decision_number,
            decision_date=decision_date, note=note))
    return records, errors


@transaction.atomic
def records_import(*, upload, by):
    """All rows or none. Rows already in the history (same recipient, form and decision number) are skipped."""
    if not rules.can_manage(by):
        raise PermissionDenied
    records, errors = read_rows(upload)
    if errors:
        raise ValidationError(errors)
    existing = set(CommendationRecord.objects.values_list("unit_id", "person_id", "form_id", "decision_number"))
    new = [r for r in records if (r.unit_id, r.person_id, r.form_id, r.decision_number) not in existing]
    CommendationRecord.objects.bulk_create(new)
    audit.record_bulk(actor=by, action="commendation_import", label=_("Lịch sử khen thưởng (nhập Excel)"),
                      changes={"created": len(new), "skipped": len(records) - len(new),
                               "file": getattr(upload, "name", "")})
    return len(new), len(records) - len(new)
