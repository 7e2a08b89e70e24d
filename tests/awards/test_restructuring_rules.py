"""Award rules across a restructuring: a unit that ended by it is refused with Circular 15/2025/TT-BNV's reason
(law as data: units.RestructuringRule), the people who moved to its successor are proposed from there, and the
checks that count earlier awards of a collective follow the successor chain."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from awards import selectors, services
from awards.models import AwardRule, CommendationRecord, Nominee
from units import services as unit_services
from units.models import RestructuringRule, Unit, UnitKind

ON = datetime.date(2025, 7, 1)


@pytest.fixture
def merged(tree, people, users):
    """Commune DM-01 (with its division) merges into the new commune LD-X under district DM on 1/7/2025."""
    unit_services.restructuring_apply(by=users["admin"], ended=[tree["dm01"]], on=ON, new_units=[
        {"code": "LD-X", "name": "Ủy ban nhân dân xã Đức Lập", "kind": UnitKind.COMMUNE, "parent": tree["dm"]}])
    return Unit.objects.get(code="LD-X")


def test_the_rule_is_data_and_unconfirmed_until_checked(db):
    rule = RestructuringRule.objects.get()
    assert "15/2025/TT-BNV" in rule.source and rule.valid_from == datetime.date(2025, 8, 4)
    assert not rule.confirmed  # the article was not read from the published text


def test_an_ended_unit_is_refused_with_the_circulars_reason(users, tree, catalogue, signers, campaign, interim,
                                                            merged):
    dossier = services.dossier_create(by=users["dm_officer"], campaign=campaign, milestone=interim,
                                      unit=tree["dm"], form=catalogue["BK-TINH-CD"])
    with pytest.raises(ValidationError) as refused:
        services.nominee_add(dossier=dossier, by=users["dm_officer"], unit=Unit.objects.get(code="DM-01"))
    text = " ".join(refused.value.messages)
    assert "15/2025/TT-BNV" in text and "đã giải thể sau sắp xếp" in text and "Ủy ban nhân dân xã Đức Lập" in text
    with pytest.raises(ValidationError) as refused:
        services.dossier_create(by=users["dm_officer"], campaign=campaign, milestone=interim,
                                unit=Unit.objects.get(code="DM-01"), form=catalogue["BK-TINH-CD"])
    assert "15/2025/TT-BNV" in str(refused.value)
    # The successor and the people who moved to it are proposed from there.
    services.nominee_add(dossier=dossier, by=users["dm_officer"], unit=merged)
    an = services.nominee_add(dossier=dossier, by=users["dm_officer"], person=tree["dm01"].people.model.objects.get(
        full_name="Nguyễn Văn An"))
    assert an.person.unit == merged


def test_before_the_rule_is_in_force_an_ended_unit_is_only_warned(users, tree, merged):
    ended = Unit.objects.get(code="DM-01")
    assert selectors.ended_by_restructuring(ended, datetime.date(2025, 7, 20)) is None
    assert selectors.ended_by_restructuring(ended, datetime.date(2025, 8, 4))
    assert selectors.ended_by_restructuring(merged, datetime.date(2026, 1, 1)) is None


def test_earlier_awards_of_a_collective_follow_the_successor_chain(users, tree, catalogue, merged):
    base = catalogue["TTLDXS"]
    for year in (2023, 2024):
        CommendationRecord.objects.create(unit=Unit.objects.get(code="DM-01"), form=base, year=year,
                                          decision_number=f"{year}/QĐ", decision_date=datetime.date(year + 1, 1, 10),
                                          basis="regular")
    CommendationRecord.objects.create(unit=merged, form=base, year=2025, decision_number="2025/QĐ",
                                      decision_date=datetime.date(2026, 1, 10), basis="regular")
    rule = AwardRule(prerequisite_form=base, prerequisite_years=3)
    assert selectors._prerequisite_warnings([Nominee(unit=merged)], rule, 2025) == []
    warned = selectors._prerequisite_warnings([Nominee(unit=tree["gn01"])], rule, 2025)
    assert len(warned) == 1 and "2023, 2024, 2025" in warned[0]
