"""What changes between an import's check and its write is checked again when it writes.

The imports read and check their file outside any transaction (tests/security/test_import_locks.py), so another user
may change the data in between. Each case below makes such a change at that moment (from the import's progress
callback, once the file is checked and before the write) and shows that the write transaction, which reads the
checked state again, sees it: the row is checked again and reported with its Excel row number, or the counts follow
the data as it is at write time; nothing is half written.
"""

from decimal import Decimal

import pytest

from awards.history_import import commendations_import
from core.files import bytes_upload
from core.models import AuditEntry
from par import services as par_services
from par.models import Criterion, Score, UnitGroup
from tests.fixtures.par import tree_rows
from tests.security.test_hostile_imports import IMPORTS, _valid_rows, xlsx
from units import excel
from units.models import EmulationBlock, Person, Unit, UnitKind
from units.services import person_update, unit_create

pytestmark = pytest.mark.django_db


def at_write(change):
    """A progress callback that makes `change` once, when the import reports 80 % (checked, not yet written)."""
    done = []

    def progress(percent):
        if percent >= 80 and not done:
            done.append(percent)
            change()
    progress.done = done
    return progress


def test_a_unit_created_meanwhile_is_updated_not_created_twice(tree, users):
    content = xlsx(excel.UNIT_HEADERS, [["GN-02", "Ủy ban nhân dân phường Nghĩa Phú", "UBND cấp xã", "GN", "", "",
                                         "", ""]])
    progress = at_write(lambda: unit_create(by=users["admin"], code="GN-02", name="Phường Nghĩa Phú (cũ)",
                                            kind=UnitKind.COMMUNE, parent=tree["gn"]))
    result = excel.units_import(file=content, by=users["admin"], progress=progress)
    assert progress.done and result.ok, result.error_lines()
    assert (result.new, result.updated) == (0, 1)
    assert Unit.objects.get(code="GN-02").name == "Ủy ban nhân dân phường Nghĩa Phú"
    assert AuditEntry.objects.get(action="units_import").changes == {"new": 0, "updated": 1}


def test_a_block_deleted_meanwhile_is_a_row_error_and_nothing_is_written(tree, users):
    before = Unit.objects.count()
    content = xlsx(excel.UNIT_HEADERS, [
        ["GN-02", "Phường Nghĩa Phú", "UBND cấp xã", "GN", "", "", "", ""],
        ["GN-03", "Phường Nghĩa Tân", "UBND cấp xã", "GN", "CUM1", "", "", ""],
    ])
    progress = at_write(lambda: EmulationBlock.objects.filter(code="CUM1").delete())
    result = excel.units_import(file=content, by=users["admin"], progress=progress)
    assert [row for row, _message in result.errors] == [3]
    assert "CUM1" in result.errors[0][1]
    assert Unit.objects.count() == before and not AuditEntry.objects.filter(action="units_import").exists()


def test_a_staff_code_taken_meanwhile_is_a_row_error_and_nothing_is_written(people, users):
    before = Person.objects.count()
    content = xlsx(excel.PEOPLE_HEADERS, [
        ["", "Đỗ Thị Hoa", "Nữ", "Văn thư", "GN-01", ""],
        ["", "Phan Văn Long", "Nam", "Chuyên viên", "GN-01", "GN01-777"],
    ])
    progress = at_write(lambda: person_update(person=people["cuong"], by=users["gn_officer"], staff_code="GN01-777"))
    result = excel.people_import(file=content, by=users["admin"], progress=progress)
    assert [row for row, _message in result.errors] == [3]
    assert "GN01-777" in result.errors[0][1]
    assert Person.objects.count() == before and not AuditEntry.objects.filter(action="people_import").exists()


def test_a_person_edited_meanwhile_counts_as_updated(people, users):
    an = people["an"]
    content = xlsx(excel.PEOPLE_HEADERS, [[an.pk, an.full_name, "Nam", an.position, "DM-01", an.staff_code]])
    progress = at_write(lambda: person_update(person=an, by=users["dm_officer"], position="Bí thư"))
    result = excel.people_import(file=content, by=users["admin"], progress=progress)
    assert result.ok and (result.new, result.updated, result.unchanged) == (0, 1, 0)
    assert Person.objects.get(pk=an.pk).position == an.position  # the file's value, as the import said


def test_earlier_awards_imported_meanwhile_are_skipped(request, users):
    imp = IMPORTS["awards"](request.getfixturevalue)
    content = xlsx(imp.headers, _valid_rows(imp, 6))
    progress = at_write(lambda: imp.run(content))  # someone imports the same file first
    created, skipped = commendations_import(upload=bytes_upload("lich-su.xlsx", content), by=users["admin"],
                                            progress=progress)
    assert progress.done and (created, skipped) == (0, 6)
    assert len(imp.stored_text()) == 6


def test_a_survey_part_turned_off_meanwhile_refuses_the_criteria_set(users, tree):
    admin = users["admin"]
    criteria_set = par_services.set_create(by=admin, year=2025, group=UnitGroup.DISTRICT, title="Bộ có điều tra",
                                           survey_enabled=True, survey_weight=Decimal("10"))
    content = xlsx(IMPORTS["par_set"].headers, [["1", "Điều tra xã hội học", 2, "", "Không", "Không", "Không"],
                                                ["1.1", "Mức độ hài lòng", 2, "", "Không", "Không", "Có"]])
    progress = at_write(lambda: par_services.set_update(criteria_set=criteria_set, by=admin, survey_enabled=False))
    result = par_services.criteria_set_import(criteria_set=criteria_set, by=admin, file=content, progress=progress)
    assert result.error_lines() == ["Bộ chỉ số vừa được thay đổi trong lúc kiểm tra tệp; không có dòng nào được "
                                    "ghi. Hãy tải tệp lên lại."]
    assert not Criterion.objects.filter(criteria_set=criteria_set).exists()


def test_survey_criteria_replaced_meanwhile_refuse_the_scores(request, users):
    imp = IMPORTS["par_survey"](request.getfixturevalue)
    content = xlsx(imp.headers, _valid_rows(imp, 6))
    progress = at_write(lambda: par_services.set_replace_tree(criteria_set=imp.set, by=imp.admin, rows=tree_rows()))
    result = par_services.survey_scores_import(criteria_set=imp.set, by=imp.by, file=content, progress=progress)
    assert progress.done
    assert result.error_lines() == ["Bộ chỉ số vừa được thay đổi trong lúc kiểm tra tệp; không có dòng nào được "
                                    "ghi. Hãy tải tệp lên lại."]
    assert not Score.objects.exclude(survey_score=None).exists()
