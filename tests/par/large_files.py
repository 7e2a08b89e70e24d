"""Valid PAR import files of any size (issue 7: "10,000 rows with one bad row at the end"), shaped as a province
could really send them. Rows are lists in the column order of par.excel.SET_HEADERS / SURVEY_HEADERS."""

import math
from decimal import Decimal

from par import services
from par.models import ScoreSheet, UnitGroup
from units.models import Unit, UnitKind

COMMUNES = 100  # sheets of the large survey set: about a province's communes, wards and towns


def criteria_rows(n):
    """n rows of a valid criteria set.

    A code part has at most three digits, so 10,000 rows are ten areas ("1" … "10") of 999 criteria each ("1.1" …
    "10.999"). Each criterion is worth half a point and each area the sum of its criteria (499.5); the whole set is
    4,995 points, within what a score sheet stores (par.excel.MAX_SET_TOTAL). Small files keep up to five areas, the
    later ones without criteria (such an area is scored itself, 1 point). Areas come first, then their criteria.
    """
    areas = max(min(n, 5), math.ceil(n / 1000))
    children = n - areas
    per_area = [max(0, min(999, children - 999 * k)) for k in range(areas)]
    assert sum(per_area) == children >= 0, f"no valid criteria set has {n} rows"
    heads = [[str(a + 1), f"Lĩnh vực {a + 1}", count * 0.5 or 1, "", "Không", "Không", "Không"]
             for a, count in enumerate(per_area)]
    kids = [[f"{a + 1}.{c + 1}", f"Tiêu chí {a + 1}.{c + 1}", 0.5, "", "Không", "Không", "Không"]
            for a, count in enumerate(per_area) for c in range(count)]
    return heads + kids


def survey_set(*, by, n, year=2026):
    """A commune criteria set (with its sheets open) whose survey can take n distinct rows, and those n rows.

    Each (unit, criterion) pair may appear once in a survey file, so n rows need n pairs: a hundred communes
    (COMMUNES, the two of the `tree` fixture and new ones) answering ⌈n / 100⌉ survey questions each (2.1, 2.2, …,
    one point each), next to an ordinary area 1. Returns (criteria_set, rows).
    """
    district = Unit.objects.get(code="DM")
    for number in range(COMMUNES - Unit.objects.filter(kind=UnitKind.COMMUNE).count()):
        Unit.objects.create(code=f"XA-{number:03d}", name=f"Ủy ban nhân dân xã thử nghiệm {number}",
                            kind=UnitKind.COMMUNE, parent=district)
    questions = math.ceil(n / COMMUNES)
    criteria_set = services.set_create(by=by, year=year, group=UnitGroup.COMMUNE, title="Bộ chỉ số xã có điều tra",
                                       survey_enabled=True, survey_weight=Decimal("10"))
    tree = [("1", "Công tác chỉ đạo, điều hành", 10, False), ("1.1", "Kế hoạch cải cách hành chính", 10, False),
            ("2", "Điều tra xã hội học", questions, False)]
    tree += [(f"2.{q}", f"Câu hỏi khảo sát số {q}", 1, True) for q in range(1, questions + 1)]
    services.set_replace_tree(criteria_set=criteria_set, by=by, rows=[
        {"code": code, "title": title, "max_points": Decimal(points), "is_survey": survey}
        for code, title, points, survey in tree])
    services.sheets_open(criteria_set=criteria_set, by=by)
    units = list(ScoreSheet.objects.filter(criteria_set=criteria_set).order_by("unit__code")
                 .values_list("unit__code", flat=True))
    assert len(units) == COMMUNES
    rows = [[unit, f"2.{q}", 0.75] for unit in units for q in range(1, questions + 1)][:n]
    return criteria_set, rows
