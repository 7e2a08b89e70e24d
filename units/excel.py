"""Excel in and out for units and people (django-import-export resources + core.spreadsheet).

Export: the user's scoped, filtered queryset → one .xlsx sheet (Vietnamese headers, real date cells,
every text cell a string cell so nothing is ever evaluated as a formula). The export is the import template.

Import: `units_import` / `people_import` are the write services (the import views, the background worker through
core.imports and the import_units / import_people commands call them). They read the first sheet with
core.spreadsheet.read_sheet and check every row against what the database holds (collecting *all* errors with their
real Excel row numbers), all of it outside any transaction: parsing a large workbook takes tens of seconds, and on
SQLite a transaction holds the one write lock. Only when the whole file is clean is the write planned (new, changed,
unchanged rows; every unit's path) and, unless it is a dry run, done in bulk in one short transaction that first
reads the checked state again, locked: if someone changed it meanwhile the rows are checked again against the new
state (the file is not read again). All or nothing; a real successful import writes one audit row. The
django-import-export resources serve the export (and `_run_resource` maps their errors back to Excel rows).

The sheets are written and read by core.spreadsheet: this module only knows the columns and the rules of units and
people.
"""

import datetime
import heapq
import itertools
import os
import re
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from core import audit, imports, spreadsheet
from core.text import fold, nfc, normalize_code

from . import rules, selectors
from .models import PATH_SEPARATOR, EmulationBlock, Person, Unit, UnitKind, UnitLink
from .services import move_descendants

# The column headers are the file format (the export is the import template), so they are fixed
# Vietnamese text, not translated with the interface language.
U_CODE = "Mã đơn vị"
U_NAME = "Tên đơn vị"
U_KIND = "Loại đơn vị"
U_PARENT = "Mã đơn vị cấp trên"
U_BLOCK = "Mã khối/cụm thi đua"
U_FROM = "Hiệu lực từ ngày"
U_TO = "Hiệu lực đến ngày"
U_SUCCESSOR = "Mã đơn vị kế thừa"
SUCCESSOR_SEPARATOR = " "  # a unit split into several has several successors in the one column
UNIT_HEADERS = [U_CODE, U_NAME, U_KIND, U_PARENT, U_BLOCK, U_FROM, U_TO, U_SUCCESSOR]

P_ID = "Mã hệ thống"
P_NAME = "Họ và tên"
P_GENDER = "Giới tính"
P_POSITION = "Chức vụ"
P_UNIT = "Mã đơn vị"
P_STAFF = "Mã cán bộ"
PEOPLE_HEADERS = [P_ID, P_NAME, P_GENDER, P_POSITION, P_UNIT, P_STAFF]

CODE_RE = re.compile(r"^[A-Z0-9._-]+$")


# Widgets -----------------------------------------------------------------------------------------------


# {(the choices, language): lookup}. An import asks once per row (building one translated every label twice: a
# third of a 15,000-row people import). The choices are a model enum's, whose labels live as long as the process,
# so a label's id() names it.
_lookups = {}


def _choice_lookup(choices):
    """folded label (Vietnamese and current language) or internal value → internal value."""
    key = (tuple((value, id(label)) for value, label in choices), translation.get_language())
    lookup = _lookups.get(key)
    if lookup is None:
        lookup = _lookups[key] = {}
        for value, label in choices:
            lookup[fold(value)] = value
            lookup[fold(str(label))] = value
            with translation.override("vi"):
                lookup[fold(str(label))] = value
    return lookup


def _vietnamese_label(choices, value):
    with translation.override("vi"):
        for choice_value, label in choices:
            if choice_value == value:
                return str(label)
    return value or ""


class ChoiceLabelWidget(widgets.Widget):
    """Exports a choice as its Vietnamese label; imports label or internal value, case/diacritic-blind."""

    def __init__(self, choices):
        self.choices = choices
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        found = _choice_lookup(self.choices).get(fold(value))
        if found is None:
            raise ValueError(_("Giá trị “%(value)s” không hợp lệ.") % {"value": value})
        return found

    def render(self, value, obj=None, **kwargs):
        return _vietnamese_label(self.choices, value)


class TextWidget(widgets.CharWidget):
    """Text stored in NFC, blank as ""."""

    def clean(self, value, row=None, **kwargs):
        return nfc(super().clean(value, row, **kwargs))


class CodeWidget(widgets.CharWidget):
    """A business code: trimmed, NFC, upper-case; blank as None when `blank_is_none`."""

    def __init__(self, blank_is_none=False):
        super().__init__(allow_blank=not blank_is_none)
        self.blank_is_none = blank_is_none

    def clean(self, value, row=None, **kwargs):
        code = normalize_code("" if value is None else str(value))
        if not code and self.blank_is_none:
            return None
        return code


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the target's code, looked up (optionally in a scope) case-insensitively."""

    def __init__(self, model, queryset=None):
        super().__init__(model, field="code")
        self.queryset = queryset

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset if self.queryset is not None else self.model.objects.all()

    def clean(self, value, row=None, **kwargs):
        code = normalize_code("" if value is None else str(value))
        if not code:
            return None
        try:
            return self.get_queryset(code, row).get(code=code)
        except self.model.DoesNotExist:
            raise ValueError(_("Không tìm thấy mã “%(code)s”.") % {"code": code}) from None


class ExcelDateWidget(widgets.Widget):
    """A real date both ways (the sheet shows dd/mm/yyyy); import accepts date cells or dd/mm/yyyy text."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        parsed = spreadsheet.parse_date(value)
        if parsed is None:
            raise ValueError(
                _("Ngày “%(value)s” không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.") % {"value": value})
        return parsed

    def render(self, value, obj=None, **kwargs):
        return value


# Resources ---------------------------------------------------------------------------------------------


class UnitResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name=U_CODE, widget=CodeWidget())
    name = fields.Field(attribute="name", column_name=U_NAME, widget=TextWidget())
    kind = fields.Field(attribute="kind", column_name=U_KIND, widget=ChoiceLabelWidget(UnitKind.choices))
    parent = fields.Field(attribute="parent", column_name=U_PARENT, widget=CodeForeignKeyWidget(Unit))
    block = fields.Field(attribute="block", column_name=U_BLOCK, widget=CodeForeignKeyWidget(EmulationBlock))
    valid_from = fields.Field(attribute="valid_from", column_name=U_FROM, widget=ExcelDateWidget())
    valid_to = fields.Field(attribute="valid_to", column_name=U_TO, widget=ExcelDateWidget())
    successor = fields.Field(column_name=U_SUCCESSOR, readonly=True)

    class Meta:
        model = Unit
        fields = ("code", "name", "kind", "parent", "block", "valid_from", "valid_to", "successor")
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True

    def get_queryset(self):
        # Loaded fresh per row (no cached loader): an earlier row may have moved this unit's ancestors.
        return Unit.objects.select_related("parent", "block").prefetch_related("successors")

    def dehydrate_successor(self, unit):
        """Every successor's code, separated by spaces (the import reads the column the same way)."""
        return SUCCESSOR_SEPARATOR.join(sorted(successor.code for successor in unit.successors.all()))

    def before_save_instance(self, instance, row, **kwargs):
        instance._import_old_path = (instance.path, instance.depth) if instance.pk else None

    def after_save_instance(self, instance, row, **kwargs):
        old = getattr(instance, "_import_old_path", None)
        if old and old[0] != instance.path:
            move_descendants(old[0], instance.path, instance.depth - old[1])


class PersonResource(resources.ModelResource):
    id = fields.Field(attribute="id", column_name=P_ID, widget=widgets.IntegerWidget(coerce_to_string=False))
    full_name = fields.Field(attribute="full_name", column_name=P_NAME, widget=TextWidget())
    gender = fields.Field(attribute="gender", column_name=P_GENDER,
                          widget=ChoiceLabelWidget(Person.Gender.choices))
    position = fields.Field(attribute="position", column_name=P_POSITION, widget=TextWidget())
    unit = fields.Field(attribute="unit", column_name=P_UNIT, widget=CodeForeignKeyWidget(Unit))
    staff_code = fields.Field(attribute="staff_code", column_name=P_STAFF,
                              widget=CodeWidget(blank_is_none=True))

    class Meta:
        model = Person
        fields = ("id", "full_name", "gender", "position", "unit", "staff_code")
        import_id_fields = ("id",)
        instance_loader_class = CachedInstanceLoader
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True

    def __init__(self, *, people=None, units=None, **kwargs):
        super().__init__(**kwargs)
        self._people = people if people is not None else Person.objects.all()
        self.fields["unit"].widget = CodeForeignKeyWidget(Unit, queryset=units)

    def get_queryset(self):
        return self._people.select_related("unit")


# Export ------------------------------------------------------------------------------------------------


def export_units(units):
    """The given (already scoped and filtered) units as .xlsx bytes; a constant number of queries."""
    queryset = units.select_related("parent", "block").prefetch_related("successors")
    with translation.override("vi"):
        dataset = UnitResource().export(queryset)
    return _workbook_bytes(dataset, title="Đơn vị", orientation=spreadsheet.LANDSCAPE)


def export_people(people):
    """The given (already scoped and filtered) people as .xlsx bytes; a constant number of queries."""
    queryset = people.select_related("unit")
    with translation.override("vi"):
        dataset = PersonResource().export(queryset)
    return _workbook_bytes(dataset, title="Cá nhân", orientation=spreadsheet.PORTRAIT)


def _workbook_bytes(dataset, *, title, orientation):
    """The export sheet; the resource already wrote choices as their Vietnamese labels."""
    return spreadsheet.build_workbook(title, list(dataset.headers), dataset, orientation=orientation)


# Import: results ---------------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    excel_row: int
    status: str  # "new" | "update" | "skip"
    values: list

    @property
    def status_label(self):
        labels = {"new": _("Thêm mới"), "update": _("Cập nhật"), "skip": _("Không đổi")}
        return labels.get(self.status, self.status)


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do). `errors` is a list of (excel_row or None, message)."""

    headers: list
    errors: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = True
    more_rows: int = 0  # preview rows not kept in `rows` (a result stored as JSON keeps the first ones only)

    @property
    def ok(self):
        return not self.errors

    @property
    def total(self):
        return self.new + self.updated + self.unchanged

    def error_lines(self):
        """Human-readable lines: "Dòng 5: …"."""
        return spreadsheet.error_lines(self.errors)

    def as_json(self, *, rows=None):
        """The result as plain JSON (a background job's result), with at most `rows` preview rows."""
        kept = self.rows if rows is None else self.rows[:rows]
        return {"headers": list(self.headers), "errors": [[row, str(message)] for row, message in self.errors],
                "rows": [[r.excel_row, r.status, list(r.values)] for r in kept],
                "more_rows": self.more_rows + len(self.rows) - len(kept), "new": self.new, "updated": self.updated,
                "unchanged": self.unchanged, "dry_run": self.dry_run}

    @classmethod
    def from_json(cls, data):
        return cls(headers=data["headers"], errors=[(row, message) for row, message in data["errors"]],
                   rows=[PreviewRow(excel_row, status, values) for excel_row, status, values in data["rows"]],
                   new=data["new"], updated=data["updated"], unchanged=data["unchanged"], dry_run=data["dry_run"],
                   more_rows=data["more_rows"])


# Import: reading the sheet -----------------------------------------------------------------------------


class _Row(spreadsheet.Row):
    """One data row with the typed, validated accessors of units and people; errors keep the Excel row number."""

    def text(self, header, *, required=False, max_length=None):
        value = super().text(header)
        if required and not value and header not in self.formulas:
            self.error(_("Cột “%(column)s” không được để trống.") % {"column": header})
        if max_length and len(value) > max_length:
            self.error(_("Cột “%(column)s” dài quá %(max)s ký tự.") % {"column": header, "max": max_length})
        return value

    def code(self, header, *, required=False, check_chars=False, max_length=30):
        code = normalize_code(self.text(header, required=required))
        if code and check_chars and not CODE_RE.match(code):
            self.error(_("Cột “%(column)s”: mã “%(code)s” không hợp lệ; chỉ dùng chữ cái không dấu, chữ số "
                         "và các dấu . - _ (không có khoảng trắng).") % {"column": header, "code": code})
        elif code and len(code) > max_length:
            self.error(_("Cột “%(column)s”: mã “%(code)s” dài quá %(max)s ký tự.")
                       % {"column": header, "code": code, "max": max_length})
        return code

    def choice(self, header, choices, *, required=True):
        value = self.text(header, required=required)
        if not value:
            return ""
        found = _choice_lookup(choices).get(fold(value))
        if found is None:
            allowed = ", ".join(f"“{_vietnamese_label(choices, v)}”" for v, _label in choices)
            self.error(_("Cột “%(column)s”: “%(value)s” không hợp lệ; hãy chọn một trong: %(allowed)s.")
                       % {"column": header, "value": value, "allowed": allowed})
            return ""
        return found

    def integer(self, header):
        value = self.value(header)
        if value is None:
            return None
        if isinstance(value, bool):
            value = None
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, str) and nfc(value).isdigit():
            value = int(nfc(value))
        if not isinstance(value, int) or value <= 0:
            self.error(_("Cột “%(column)s” phải là một số nguyên dương (để trống nếu là người mới).")
                       % {"column": header})
            return None
        return value


def _read_rows(file, headers, errors, progress=None):
    """The data rows of the first sheet (blank rows skipped); empty when the file is unusable."""
    return spreadsheet.read_sheet(file, headers, errors=errors, row_class=_Row, progress=progress).rows


def _file_label(file, label):
    if label:
        return nfc(str(label))[:255]
    name = getattr(file, "name", None) or (os.fspath(file) if isinstance(file, str | os.PathLike) else "")
    return os.path.basename(str(name))[:255]


def _sorted_errors(errors):
    return sorted(errors, key=lambda item: (item[0] or 0))


def _run_resource(resource, dataset, excel_rows, headers_by_attribute, result, *, dry_run):
    """Hand the clean dataset to import-export; map its totals and any error back to Excel row numbers."""
    outcome = resource.import_data(dataset, dry_run=dry_run, use_transactions=True,
                                   rollback_on_validation_errors=True, raise_errors=False)
    for error in outcome.base_errors:
        result.errors.append((None, _("Lỗi khi nhập dữ liệu: %(error)s") % {"error": error.error}))
    for error_row in outcome.error_rows:
        for error in error_row.errors:
            result.errors.append((excel_rows[error_row.number - 1],
                                  _("Không lưu được dòng này: %(error)s") % {"error": error.error}))
    for invalid in outcome.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            column = headers_by_attribute.get(attribute)
            for message in messages:
                if attribute == NON_FIELD_ERRORS or column is None:
                    result.errors.append((excel_rows[invalid.number - 1], message))
                else:
                    text = _("Cột “%(column)s”: %(message)s") % {"column": column, "message": message}
                    result.errors.append((excel_rows[invalid.number - 1], text))
    result.errors = _sorted_errors(result.errors)
    statuses = [row.import_type for row in outcome.rows]
    result.new = outcome.totals["new"]
    result.updated = outcome.totals["update"]
    result.unchanged = outcome.totals["skip"]
    return statuses


# Import: units -----------------------------------------------------------------------------------------
#
# Three steps, of which only the last writes: (1) read the workbook (openpyxl: the long part), (2) check every row
# against what the database holds (`_UnitState`, read without any transaction) and plan the writes, (3) in one
# short transaction, read that state again (locked) and, if it is unchanged, write the plan in bulk; if someone
# changed it meanwhile, check the rows again against the new state first (the workbook is not read again).


def _cycle_through(code, parents):
    """The chain code → … → code if following parents from `code` comes back to it, else None."""
    chain, seen, current = [code], {code}, parents.get(code)
    while current:
        if current == code:
            return chain + [code]
        if current in seen:
            return None
        chain.append(current)
        seen.add(current)
        current = parents.get(current)
    return None


def _topological(entries, depends_on):
    """Entries ordered after the entries they depend on (file order otherwise), and the cyclic rest."""
    index_of = {e["code"]: i for i, e in enumerate(entries)}
    waiting = {i: 0 for i in range(len(entries))}
    dependants = {i: [] for i in range(len(entries))}
    for i, entry in enumerate(entries):
        for code in depends_on(entry):
            if code in index_of and index_of[code] != i:
                waiting[i] += 1
                dependants[index_of[code]].append(i)
    ready = [i for i, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(entries[i])
        for j in dependants[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, j)
    done = {id(e) for e in order}
    return order, [e for e in entries if id(e) not in done]


@dataclass(frozen=True)
class _UnitState:
    """What the units import reads from the database: every unit (code → its stored fields) and every block."""

    units: dict  # code → (pk, name, kind, parent_id, block_id, valid_from, valid_to, successor codes, path, depth)
    blocks: dict  # code → pk

    @classmethod
    def read(cls, *, lock=False):
        units = Unit.objects.order_by("pk")
        if lock:
            units = units.select_for_update()
        rows = units.values_list("code", "pk", "name", "kind", "parent_id", "block_id", "valid_from", "valid_to",
                                 "path", "depth")
        successors = {}
        for predecessor, successor in UnitLink.objects.order_by("successor__code").values_list(
                "predecessor__code", "successor__code"):
            successors.setdefault(predecessor, []).append(successor)
        return cls(units={code: (*values[:7], tuple(successors.get(code, ())), *values[7:])
                          for code, *values in rows},
                   blocks=dict(EmulationBlock.objects.values_list("code", "pk")))

    def code_of(self):
        return {values[0]: code for code, values in self.units.items()}

    def parents(self):
        """code → the code of its parent (None at the top)."""
        code_of = self.code_of()
        return {code: code_of.get(values[3]) for code, values in self.units.items()}


def _successor_codes(row):
    """The successor column: one code, or several separated by spaces, commas or semicolons (a unit split into
    several), each checked as a code; a sorted tuple, as the state holds the stored links."""
    codes = set()
    for part in re.split(r"[\s,;]+", row.text(U_SUCCESSOR)):
        code = normalize_code(part)
        if not code:
            continue
        if not CODE_RE.match(code) or len(code) > 30:
            row.error(_("Cột “%(column)s”: mã “%(code)s” không hợp lệ; chỉ dùng chữ cái không dấu, chữ số "
                        "và các dấu . - _, các mã cách nhau bằng dấu cách.") % {"column": U_SUCCESSOR, "code": code})
            continue
        codes.add(code)
    return tuple(sorted(codes))


def _unit_entries(rows):
    """Each row's values, checked on their own and against the other rows of the file (no database)."""
    entries = []
    for row in rows:
        entry = {
            "row": row.number,
            "code": row.code(U_CODE, required=True, check_chars=True),
            "name": row.text(U_NAME, required=True, max_length=255),
            "kind": row.choice(U_KIND, UnitKind.choices),
            "parent": row.code(U_PARENT),
            "block": row.code(U_BLOCK),
            "valid_from": row.date(U_FROM),
            "valid_to": row.date(U_TO),
            "successor": _successor_codes(row),
            "_row": row,
        }
        if entry["valid_from"] and entry["valid_to"] and entry["valid_to"] < entry["valid_from"]:
            row.error(_("“%(to)s” (%(end)s) phải bằng hoặc sau “%(from)s” (%(start)s).") % {
                "to": U_TO, "end": f"{entry['valid_to']:%d/%m/%Y}",
                "from": U_FROM, "start": f"{entry['valid_from']:%d/%m/%Y}"})
        if entry["code"] and entry["parent"] == entry["code"]:
            row.error(_("Đơn vị “%(code)s” không thể là đơn vị cấp trên của chính nó; hãy sửa cột "
                        "“%(column)s”.") % {"code": entry["code"], "column": U_PARENT})
        if entry["code"] and entry["code"] in entry["successor"]:
            row.error(_("Đơn vị “%(code)s” không thể là đơn vị kế thừa của chính nó; hãy sửa cột "
                        "“%(column)s”.") % {"code": entry["code"], "column": U_SUCCESSOR})
        entries.append(entry)

    first_row = {}
    for entry in entries:
        code = entry["code"]
        if not code:
            continue
        if code in first_row:
            entry["_row"].error(_("Mã đơn vị “%(code)s” bị trùng với dòng %(other)s; mỗi đơn vị chỉ được "
                                  "có một dòng.") % {"code": code, "other": first_row[code]})
        else:
            first_row[code] = entry["row"]
    for entry in entries:
        entry["first"] = bool(entry["code"]) and first_row.get(entry["code"]) == entry["row"]
    return entries


def _check_units(entries, state, errors):
    """The rows against the database state: known parents, successors and blocks, no cycle; then (when no row has
    an error) the order in which new units can be written. Returns the entries in that order."""
    db_parents = state.parents()
    in_file = {e["code"]: e for e in entries if e["first"]}
    known = set(db_parents) | set(in_file)
    for entry in entries:
        row = entry["_row"]
        if entry["parent"] and entry["parent"] != entry["code"] and entry["parent"] not in known:
            row.error(_("Không tìm thấy đơn vị cấp trên có mã “%(code)s” (không có trong hệ thống và cũng "
                        "không có trong tệp); hãy sửa cột “%(column)s”.")
                      % {"code": entry["parent"], "column": U_PARENT})
        for successor in entry["successor"]:
            if successor != entry["code"] and successor not in known:
                row.error(_("Không tìm thấy đơn vị kế thừa có mã “%(code)s” (không có trong hệ thống và cũng "
                            "không có trong tệp); hãy sửa cột “%(column)s”.")
                          % {"code": successor, "column": U_SUCCESSOR})
        if entry["block"] and entry["block"] not in state.blocks:
            row.error(_("Không tìm thấy khối/cụm thi đua có mã “%(code)s”; hãy sửa cột “%(column)s”.")
                      % {"code": entry["block"], "column": U_BLOCK})

    parents = dict(db_parents)
    for code, entry in in_file.items():
        if entry["parent"] != code:
            parents[code] = entry["parent"] or None
    for code, entry in in_file.items():
        cycle = _cycle_through(code, parents) if entry["parent"] != code else None
        if cycle:
            entry["_row"].error(_("Cột “%(column)s” tạo thành vòng lặp: %(chain)s; một đơn vị không thể nằm "
                                  "dưới đơn vị cấp dưới của chính nó.")
                                % {"column": U_PARENT, "chain": " → ".join(cycle)})
    if errors:
        return entries

    existing = set(db_parents)

    def depends_on(entry):
        deps = [entry["parent"]] + [code for code in entry["successor"] if code not in existing]
        return [d for d in deps if d]

    ordered, cyclic = _topological(entries, depends_on)
    for entry in cyclic:
        entry["_row"].error(_("Không xác định được thứ tự nhập: mã đơn vị kế thừa “%(code)s” là đơn "
                              "vị mới trong tệp và phụ thuộc vòng với dòng này; hãy nhập đơn vị kế "
                              "thừa trước.") % {"code": SUCCESSOR_SEPARATOR.join(entry["successor"])})
    return ordered


UNIT_COLUMNS = {"code": U_CODE, "name": U_NAME, "kind": U_KIND, "parent": U_PARENT, "block": U_BLOCK,
                "valid_from": U_FROM, "valid_to": U_TO, "successor": U_SUCCESSOR}


def _model_errors(instance, entry, columns, exclude):
    """Defence in depth: the model's own field checks on a row about to be written, reported on its Excel row."""
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        for attribute, messages in error.message_dict.items():
            column = columns.get(attribute)
            for message in messages:
                if attribute == NON_FIELD_ERRORS or column is None:
                    entry["_row"].error(message)
                else:
                    entry["_row"].error(_("Cột “%(column)s”: %(message)s") % {"column": column, "message": message})


def _unit_paths(state, entries):
    """The materialised path every unit will have (the file's parents over the database's): code → path."""
    parents = state.parents()
    for entry in entries:
        parents[entry["code"]] = entry["parent"] or None
    paths = {}
    for start in parents:
        chain, code = [], start
        while code is not None and code not in paths and len(chain) <= len(parents):
            chain.append(code)
            code = parents.get(code)
        path = paths.get(code, "")
        for code in reversed(chain):
            path = f"{path}{code}{PATH_SEPARATOR}"
            paths[code] = path
    return paths


def _plan_units(entries, state):
    """Each entry's status ("new", "update", "skip") and every unit's path; model checks on what will be written."""
    code_of = state.code_of()
    block_code_of = {pk: code for code, pk in state.blocks.items()}
    paths = _unit_paths(state, entries)
    path_limit = Unit._meta.get_field("path").max_length
    statuses = []
    for entry in entries:
        stored = state.units.get(entry["code"])
        wanted = (entry["name"], entry["kind"], entry["parent"] or None, entry["block"] or None,
                  entry["valid_from"], entry["valid_to"], entry["successor"])
        if stored is None:
            status = "new"
        else:
            current = (stored[1], stored[2], code_of.get(stored[3]), block_code_of.get(stored[4]), stored[5],
                       stored[6], stored[7])
            status = "skip" if current == wanted else "update"
        statuses.append(status)
        if status != "skip":
            unit = Unit(code=entry["code"], name=entry["name"], kind=entry["kind"],
                        valid_from=entry["valid_from"], valid_to=entry["valid_to"])
            _model_errors(unit, entry, UNIT_COLUMNS,
                          exclude=["parent", "block", "path", "depth", "search_name"])
        if len(paths[entry["code"]]) > path_limit:
            entry["_row"].error(_("Đơn vị “%(code)s” nằm quá sâu trong cây: chuỗi mã từ cấp tỉnh đến đơn vị này "
                                  "dài quá %(max)s ký tự; hãy dùng mã ngắn hơn.")
                                % {"code": entry["code"], "max": path_limit})
    return statuses, paths


def _write_units(entries, statuses, state, paths):
    """The plan in a few bulk queries: new units level by level (parents first), then every changed unit and every
    unit whose path changes (the subtree of a moved unit), then the successor links of the written units."""
    pk_of = {code: values[0] for code, values in state.units.items()}
    blocks = state.blocks

    def depth(code):
        return paths[code].count(PATH_SEPARATOR) - 1

    new = sorted((e for e, s in zip(entries, statuses, strict=True) if s == "new"), key=lambda e: depth(e["code"]))
    for _depth, level in itertools.groupby(new, key=lambda e: depth(e["code"])):
        level = list(level)
        units = [Unit(code=e["code"], name=e["name"], search_name=fold(e["name"]), kind=e["kind"],
                      parent_id=pk_of[e["parent"]] if e["parent"] else None,
                      block_id=blocks[e["block"]] if e["block"] else None, valid_from=e["valid_from"],
                      valid_to=e["valid_to"], path=paths[e["code"]], depth=depth(e["code"])) for e in level]
        for unit in Unit.objects.bulk_create(units):
            pk_of[unit.code] = unit.pk

    updated = {e["code"]: e for e, s in zip(entries, statuses, strict=True) if s == "update"}
    changed, moved = [], []
    for code, stored in state.units.items():
        entry = updated.get(code)
        if entry is not None:
            changed.append(Unit(
                pk=stored[0], code=code, name=entry["name"], search_name=fold(entry["name"]), kind=entry["kind"],
                parent_id=pk_of[entry["parent"]] if entry["parent"] else None,
                block_id=blocks[entry["block"]] if entry["block"] else None, valid_from=entry["valid_from"],
                valid_to=entry["valid_to"], path=paths[code], depth=depth(code)))
        elif paths[code] != stored[8]:
            moved.append(Unit(pk=stored[0], path=paths[code], depth=depth(code)))
    Unit.objects.bulk_update(changed, ["name", "search_name", "kind", "parent", "block", "valid_from", "valid_to",
                                       "path", "depth"])
    Unit.objects.bulk_update(moved, ["path", "depth"])
    relinked = [e for e, s in zip(entries, statuses, strict=True)
                if s != "skip" and tuple(e["successor"]) != (state.units.get(e["code"]) or (None,) * 8)[7]]
    UnitLink.objects.filter(predecessor_id__in=[pk_of[e["code"]] for e in relinked]).delete()
    UnitLink.objects.bulk_create([
        UnitLink(predecessor_id=pk_of[e["code"]], successor_id=pk_of[code],
                 on=e["valid_to"] + datetime.timedelta(days=1) if e["valid_to"] else None)
        for e in relinked for code in e["successor"]])


def _unit_preview(entries, statuses, result):
    result.new, result.updated, result.unchanged = (statuses.count(s) for s in ("new", "update", "skip"))
    result.rows = sorted(
        (PreviewRow(e["row"], status, [
            e["code"], e["name"], _vietnamese_label(UnitKind.choices, e["kind"]), e["parent"], e["block"],
            _date_text(e["valid_from"]), _date_text(e["valid_to"]), SUCCESSOR_SEPARATOR.join(e["successor"]),
        ]) for e, status in zip(entries, statuses, strict=True)),
        key=lambda r: r.excel_row,
    )


def units_import(*, file, by, dry_run=False, label=None, progress=None):
    """Import the unit list from an .xlsx file (path, bytes or file object): all rows or nothing.

    `by` is the acting user (None for a system import from the command line, with full scope). `progress`, if
    given, is called with a percentage as the import goes. The workbook is read and checked outside any
    transaction; only the final write is one (short) transaction.
    """
    if by is not None and not rules.can_manage_unit_tree(by):
        raise PermissionDenied
    progress = progress or (lambda percent: None)
    result = ImportResult(headers=UNIT_HEADERS, dry_run=dry_run)
    rows = _read_rows(file, UNIT_HEADERS, result.errors, progress=lambda share: progress(5 + 55 * share))
    if not rows:
        return _finished(result)
    entries = _unit_entries(rows)
    state = _UnitState.read()
    ordered = _check_units(entries, state, result.errors)
    progress(70)
    if result.errors:
        return _finished(result)
    statuses, paths = _plan_units(ordered, state)
    progress(80)
    if result.errors or dry_run:
        _unit_preview(ordered, statuses, result)
        return _finished(result)

    def write():
        nonlocal ordered, statuses, paths
        current = _UnitState.read(lock=True)
        if current != state:  # someone changed units meanwhile: the rows are checked again, the file not reread
            _forget_errors(rows, result)
            ordered = _check_units(entries, current, result.errors)
            if not result.errors:
                statuses, paths = _plan_units(ordered, current)
            if result.errors:
                return False
        _write_units(ordered, statuses, current, paths)
        _unit_preview(ordered, statuses, result)
        return True

    return _write_import(result, write, by=by, action="units_import", file=file, label=label, progress=progress)


def _write_import(result, write, *, by, action, file, label, progress):
    """An import's one short write transaction. `write()` reads again, locked, what the check relied on, checks the
    rows again if it changed, and writes them and their preview (False when they no longer pass: nothing written,
    the errors shown); then the import's activity row. A database error the check could not foresee (a concurrent
    change: a code or staff code taken a moment ago) undoes the whole write and is shown instead."""
    try:
        with transaction.atomic():
            if not write():
                return _finished(result)
            audit.record_bulk(actor=by, action=action, label=_file_label(file, label),
                              changes={"new": result.new, "updated": result.updated})
    except DatabaseError as error:
        result.errors = [(None, _("Lỗi khi nhập dữ liệu: %(error)s") % {"error": error})]
        result.rows, result.new, result.updated, result.unchanged = [], 0, 0, 0
    progress(100)
    return _finished(result)


def _forget_errors(rows, result):
    """Start the rows' checks afresh (their errors go to a new list)."""
    result.errors = []
    for row in rows:
        row.errors = result.errors
        row.bad = False


def _finished(result):
    result.errors = _sorted_errors(result.errors)
    return result


def _date_text(value):
    return f"{value:%d/%m/%Y}" if value else ""


# Import: people ----------------------------------------------------------------------------------------


def _people_entries(rows):
    entries = []
    for row in rows:
        entry = {
            "row": row.number,
            "id": row.integer(P_ID),
            "full_name": row.text(P_NAME, required=True, max_length=150),
            "gender": row.choice(P_GENDER, Person.Gender.choices),
            "position": row.text(P_POSITION, max_length=200),
            "unit": row.code(P_UNIT, required=True),
            "staff_code": row.code(P_STAFF),
            "_row": row,
        }
        entries.append(entry)
    return entries


@dataclass(frozen=True)
class _PeopleState:
    """What the people import reads from the database for the rows of its file."""

    people: dict  # id → (full_name, gender, position, unit_id, staff_code), people of the importer's scope
    units: dict  # code → pk, units of the importer's scope
    staff_owner: dict  # staff code → the id of the person who holds it (anyone)
    staff_seen: frozenset  # the staff codes held by people of the importer's scope

    @classmethod
    def read(cls, entries, *, units_scope, people_scope, lock=False):
        ids = {e["id"] for e in entries if e["id"]}
        unit_codes = {e["unit"] for e in entries if e["unit"]}
        staff_codes = {e["staff_code"] for e in entries if e["staff_code"]}
        people = people_scope.filter(pk__in=ids).order_by("pk")
        if lock:
            people = people.select_for_update(of=("self",))
        people = {pk: tuple(values) for pk, *values in people.values_list(
            "pk", "full_name", "gender", "position", "unit_id", "staff_code")} if ids else {}
        return cls(
            people=people,
            units=dict(units_scope.filter(code__in=unit_codes).values_list("code", "pk")),
            staff_owner=dict(Person.objects.filter(staff_code__in=staff_codes).values_list("staff_code", "pk")),
            # A clash with someone outside the importer's scope is refused without saying that the person exists.
            staff_seen=frozenset(people_scope.filter(staff_code__in=staff_codes)
                                 .values_list("staff_code", flat=True)))


def _check_people(entries, state):
    people, units, staff_owner, staff_seen = state.people, state.units, state.staff_owner, state.staff_seen
    first_id, first_staff = {}, {}
    for entry in entries:
        row = entry["_row"]
        if entry["id"]:
            if entry["id"] in first_id:
                row.error(_("“%(column)s” %(id)s bị trùng với dòng %(other)s; mỗi người chỉ được có một "
                            "dòng.") % {"column": P_ID, "id": entry["id"], "other": first_id[entry["id"]]})
            else:
                first_id[entry["id"]] = entry["row"]
            if entry["id"] not in people:
                row.error(_("Không tìm thấy cá nhân có “%(column)s” %(id)s, hoặc người này không thuộc "
                            "phạm vi quản lý của bạn. Để trống cột này nếu là người mới.")
                          % {"column": P_ID, "id": entry["id"]})
        if entry["unit"] and entry["unit"] not in units:
            row.error(_("Không tìm thấy đơn vị có mã “%(code)s”, hoặc đơn vị này không thuộc phạm vi quản "
                        "lý của bạn; hãy sửa cột “%(column)s”.") % {"code": entry["unit"], "column": P_UNIT})
        code = entry["staff_code"]
        if code:
            person = people.get(entry["id"])
            unchanged = person is not None and person[4] == code
            if not unchanged and not CODE_RE.match(code):
                row.error(_("Cột “%(column)s”: mã “%(code)s” không hợp lệ; chỉ dùng chữ cái không dấu, "
                            "chữ số và các dấu . - _ (không có khoảng trắng).")
                          % {"column": P_STAFF, "code": code})
            elif len(code) > 30:
                row.error(_("Cột “%(column)s”: mã “%(code)s” dài quá %(max)s ký tự.")
                          % {"column": P_STAFF, "code": code, "max": 30})
            if code in first_staff:
                row.error(_("Mã cán bộ “%(code)s” bị trùng với dòng %(other)s.")
                          % {"code": code, "other": first_staff[code]})
            else:
                first_staff[code] = entry["row"]
            owner = staff_owner.get(code)
            if owner is not None and owner != entry["id"] and code in staff_seen:
                row.error(_("Mã cán bộ “%(code)s” đã được dùng cho một người khác trong hệ thống.")
                          % {"code": code})
            elif owner is not None and owner != entry["id"]:
                row.error(_("Mã cán bộ “%(code)s” không dùng được; nếu cần, hãy liên hệ Sở Nội vụ.")
                          % {"code": code})


PERSON_COLUMNS = {"id": P_ID, "full_name": P_NAME, "gender": P_GENDER, "position": P_POSITION, "unit": P_UNIT,
                  "staff_code": P_STAFF}


def _plan_people(entries, state):
    statuses = []
    for entry in entries:
        wanted = (entry["full_name"], entry["gender"], entry["position"], state.units[entry["unit"]],
                  entry["staff_code"] or None)
        if not entry["id"]:
            status = "new"
        else:
            status = "skip" if state.people[entry["id"]] == wanted else "update"
        statuses.append(status)
        if status != "skip":
            person = Person(full_name=entry["full_name"], gender=entry["gender"], position=entry["position"],
                            staff_code=entry["staff_code"] or None)
            _model_errors(person, entry, PERSON_COLUMNS, exclude=["unit", "search_name"])
    return statuses


def _write_people(entries, statuses, state):
    def person(entry, **extra):
        return Person(full_name=entry["full_name"], search_name=fold(entry["full_name"]), gender=entry["gender"],
                      position=entry["position"], unit_id=state.units[entry["unit"]],
                      staff_code=entry["staff_code"] or None, **extra)

    plan = list(zip(entries, statuses, strict=True))
    Person.objects.bulk_create([person(e) for e, status in plan if status == "new"])
    Person.objects.bulk_update([person(e, pk=e["id"]) for e, status in plan if status == "update"],
                               ["full_name", "search_name", "gender", "position", "unit", "staff_code"])


def _people_preview(entries, statuses, result):
    result.new, result.updated, result.unchanged = (statuses.count(s) for s in ("new", "update", "skip"))
    result.rows = [
        PreviewRow(e["row"], status, [
            e["id"] or "", e["full_name"], _vietnamese_label(Person.Gender.choices, e["gender"]),
            e["position"], e["unit"], e["staff_code"],
        ]) for e, status in zip(entries, statuses, strict=True)
    ]


def people_import(*, file, by, dry_run=False, label=None, progress=None):
    """Import people from an .xlsx file (path, bytes or file object): all rows or nothing.

    Officers import only into units of their own subtree and update only people of it; `by=None` is a system
    import with full scope. As for units: read and checked outside any transaction, written in one short one.
    """
    if by is not None and not rules.can_edit_people(by):
        raise PermissionDenied
    progress = progress or (lambda percent: None)
    units_scope = Unit.objects.all() if by is None else selectors.units_visible_to(by)
    people_scope = Person.objects.all() if by is None else selectors.people_visible_to(by)
    result = ImportResult(headers=PEOPLE_HEADERS, dry_run=dry_run)
    rows = _read_rows(file, PEOPLE_HEADERS, result.errors, progress=lambda share: progress(5 + 55 * share))
    if not rows:
        return _finished(result)
    entries = _people_entries(rows)
    state = _PeopleState.read(entries, units_scope=units_scope, people_scope=people_scope)
    _check_people(entries, state)
    progress(70)
    if result.errors:
        return _finished(result)
    statuses = _plan_people(entries, state)
    progress(80)
    if result.errors or dry_run:
        _people_preview(entries, statuses, result)
        return _finished(result)

    def write():
        nonlocal statuses
        current = _PeopleState.read(entries, units_scope=units_scope, people_scope=people_scope, lock=True)
        if current != state:  # someone changed these people or units meanwhile: check the rows again
            _forget_errors(rows, result)
            _check_people(entries, current)
            if not result.errors:
                statuses = _plan_people(entries, current)
            if result.errors:
                return False
        _write_people(entries, statuses, current)
        _people_preview(entries, statuses, result)
        return True

    return _write_import(result, write, by=by, action="people_import", file=file, label=label, progress=progress)


# Background jobs (core.imports): a large workbook is read and written by the worker -----------------------------

PREVIEW_ROWS = 1000  # preview rows a page shows (and a background job keeps)


def _job(service):
    def run(*, job, file, by, progress):
        result = service(file=file, by=by, dry_run=job.options.get("dry_run", False), label=job.original_name,
                         progress=progress)
        return result.as_json(rows=PREVIEW_ROWS)
    return run


def _keeps_file(job, result):
    """A clean preview keeps its file for the confirmation, which imports exactly the previewed file."""
    return bool(result["dry_run"] and not result["errors"])


def register_jobs():
    imports.register("units", run=_job(units_import), keeps_file=_keeps_file)
    imports.register("people", run=_job(people_import), keeps_file=_keeps_file)
