"""Earlier awards (before this application) imported from Excel into the commendation history.

The file is checked like every upload (type by content, no macros) and read by core.spreadsheet (header row,
formulas, merged cells, row cap); every row is checked and *all* errors are reported with their Excel row numbers;
only a clean file is written by `commendations_import`, in one transaction, with one audit row. Reading and checking
happen outside any transaction (parsing a large workbook takes long, and on SQLite a transaction holds the one write
lock); the transaction only reads which records already exist and writes the new ones. A large file is imported by
the background worker (`register_jobs`, core.imports).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import audit, imports, spreadsheet
from core.files import validate_upload
from core.text import normalize_code
from units.models import Person, Unit

from . import rules
from .models import AwardForm, CommendationRecord

HEADERS = ["Mã đơn vị", "Mã cán bộ", "Mã hình thức", "Năm", "Số quyết định", "Ngày quyết định", "Ghi chú"]
UNIT, STAFF, FORM, YEAR, NUMBER, DATE, NOTE = HEADERS
IMPORT_BATCH = 1000  # rows per INSERT (and decision numbers per look-up): a constant number of queries per batch
EXAMPLE = ["DM-01", "", "TTLDXS", 2022, "88/QĐ-UBND", datetime.date(2023, 1, 16), ""]


def template_bytes():
    """The import template: headers, one example row, and the list of award-form codes on a second sheet."""
    workbook = spreadsheet.new_workbook()
    spreadsheet.add_sheet(workbook, "Lịch sử khen thưởng", HEADERS, [EXAMPLE], orientation=spreadsheet.LANDSCAPE)
    spreadsheet.add_sheet(workbook, "Mã hình thức", ["Mã hình thức", "Tên hình thức"],
                          AwardForm.objects.order_by("order").values_list("code", "name"))
    return spreadsheet.workbook_bytes(workbook)


def read_rows(upload, progress=None):
    """Parse and check every row; returns (records to create, errors as 'Dòng n: …' in row order). Only reads."""
    validate_upload(upload)
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError(_("Hãy tải lên tệp Excel (.xlsx) theo mẫu."))
    sheet = spreadsheet.read_sheet(upload, HEADERS, progress=progress)
    # A row with a formula is reported once, as a whole, and not checked further.
    formula_rows = {row.number for row in sheet.rows if row.formulas}
    found = [(number, spreadsheet.error_line(number, message)) for number, message in sheet.errors
             if number not in formula_rows]
    found += [(number, _("Dòng %(n)s: có công thức; hãy dán giá trị thay cho công thức.") % {"n": number})
              for number in formula_rows]
    rows = [row for row in sheet.rows if not row.formulas]
    staff_codes = {normalize_code(row.text(STAFF)) for row in rows if row.text(STAFF)}
    units = {u.code: u for u in Unit.objects.only("id", "code", "name")} if rows else {}
    forms = {f.code: f for f in AwardForm.objects.all()} if rows else {}
    people = {p.staff_code: p for p in Person.objects.filter(staff_code__in=staff_codes)}
    records = []
    seen = set()
    for row in rows:
        number = row.number
        unit_code, staff_code = normalize_code(row.text(UNIT)), normalize_code(row.text(STAFF))
        form_code, year_text = normalize_code(row.text(FORM)), row.text(YEAR)
        decision_number, note = row.text(NUMBER), row.text(NOTE)
        decision_date = spreadsheet.parse_date(row.value(DATE))
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
            found.append((number, _("Dòng %(n)s: %(e)s.") % {"n": number, "e": "; ".join(row_errors)}))
            continue
        records.append(CommendationRecord(
            unit=unit, person=person, form=form, year=year, period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31), basis=form.basis, decision_number=decision_number,
            decision_date=decision_date, note=note))
    return records, [line for _number, line in sorted(found, key=lambda item: item[0] or 0)]


def commendations_import(*, upload, by, progress=None):
    """The Excel import of earlier awards: all rows or none. Rows already in the history (same recipient, form and
    decision number) are skipped. Returns (created, skipped); a ValidationError lists every problem.

    `progress`, if given, is called with a percentage as the import goes."""
    if not rules.can_manage(by):
        raise PermissionDenied
    progress = progress or (lambda percent: None)
    records, errors = read_rows(upload, progress=lambda share: progress(5 + 70 * share))
    if errors:
        raise ValidationError(errors)
    progress(80)
    try:
        with transaction.atomic():
            # Which records exist is read at write time: another import may have added some meanwhile.
            # Only the file's decision numbers are read, not the whole history (one query per batch of rows).
            numbers = sorted({r.decision_number for r in records})
            existing = set()
            for start in range(0, len(numbers), IMPORT_BATCH):
                existing.update(CommendationRecord.objects.filter(
                    decision_number__in=numbers[start:start + IMPORT_BATCH]).values_list(
                    "unit_id", "person_id", "form_id", "decision_number"))
            new = [r for r in records if (r.unit_id, r.person_id, r.form_id, r.decision_number) not in existing]
            CommendationRecord.objects.bulk_create(new, batch_size=IMPORT_BATCH)
            audit.record_bulk(actor=by, action="commendation_import", label=_("Lịch sử khen thưởng (nhập Excel)"),
                              changes={"created": len(new), "skipped": len(records) - len(new),
                                       "file": getattr(upload, "name", "")})
    except IntegrityError:  # a unit, person or award form of the file was deleted after the check
        raise ValidationError(_("Dữ liệu đã thay đổi trong lúc kiểm tra tệp (một đơn vị, cán bộ hoặc hình thức "
                                "khen thưởng trong tệp vừa bị xóa); không có dòng nào được ghi. Hãy tải tệp lên "
                                "lại.")) from None
    progress(100)
    return len(new), len(records) - len(new)


# Background jobs (core.imports): a large file is read and written by the worker -----------------------------------


def _job(*, job, file, by, progress):
    try:
        created, skipped = commendations_import(upload=File(file, name=job.original_name), by=by, progress=progress)
    except ValidationError as error:
        return {"errors": error.messages}
    return {"errors": [], "created": created, "skipped": skipped}


def register_jobs():
    imports.register("commendations", run=_job)
