"""Bulk writes run a constant number of queries per batch: the same count for 1 dossier as for 300, for 1 PAR sheet
as for 500 (issue 18). Each test also checks that the bulk path wrote what the one-by-one path used to."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import services as awards
from awards.models import CommendationRecord, CouncilItem, Dossier, DossierState, Nominee, Notification
from core.models import AuditEntry
from par import services as par
from par.models import Criterion, Score, ScoreSheet, UnitGroup
from tests.fixtures.awards import session_with
from tests.fixtures.par import tree_rows
from units.models import Unit, UnitKind

D = Decimal


def _clones(dossier, count):
    """`count` copies of `dossier` (same state, unit, form, nominees): rows as the generator writes them, so a
    300-dossier batch costs no 300 runs of the workflow."""
    fields = [f.attname for f in Dossier._meta.concrete_fields if f.attname not in ("id", "number", "year")]
    copies = Dossier.objects.bulk_create([Dossier(**{name: getattr(dossier, name) for name in fields})
                                          for _ in range(count)])
    nominees = list(dossier.nominees.all())
    Nominee.objects.bulk_create([Nominee(dossier=copy, unit_id=n.unit_id, person_id=n.person_id, summary=n.summary)
                                 for copy in copies for n in nominees])
    return list(Dossier.objects.filter(pk__in=[c.pk for c in copies]))


def _queries(action):
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return len(queries), result


@pytest.fixture
def batches(make_dossier):
    """batches(state) → (a first dossier, one dossier, 300 dossiers) in `state`; the first one warms what a first
    action of the year creates once (the register's yearly series)."""

    def make(state):
        base = make_dossier(state)
        copies = _clones(base, 301)
        return [base], copies[:1], copies[1:]

    return make


@pytest.mark.django_db
def test_decision_recording_queries_do_not_grow_with_dossiers(batches, users, signers):
    warm, one, many = batches("at_council")

    def record(dossiers):
        return lambda: awards.decision_record(dossiers=dossiers, by=users["admin"], date=datetime.date(2024, 1, 15),
                                              signer=signers["chair"], proposal_number="12/TTr-SNV")

    record(warm)()

    few_queries, first = _queries(record(one))
    many_queries, second = _queries(record(many))
    assert many_queries == few_queries, (few_queries, many_queries)
    assert few_queries < 60
    # Everything the per-dossier loop wrote is there: the state, the decision, two history rows per dossier (a
    # unit and a person), an activity row per dossier, the unit's officer notified once per dossier.
    assert set(Dossier.objects.filter(pk__in=[d.pk for d in many]).values_list("state", "decision")) == {
        (DossierState.AWARDED, second.pk)}
    assert CommendationRecord.objects.filter(decision=second).count() == 600
    assert AuditEntry.objects.filter(action="dossier_award", note=f"Quyết định số {second.number}").count() == 300
    assert (AuditEntry.objects.filter(action="dossier_award", target_id=str(many[0].pk)).get().changes
            == {"from": "at_council", "to": "awarded"})
    assert Notification.objects.filter(dossier__in=many, user=users["dm_officer"]).count() == 300
    assert first.number != second.number


@pytest.mark.django_db
def test_put_to_council_queries_do_not_grow_with_dossiers(batches, users):
    _warm, one, many = batches("proposed")
    few_queries, _ = _queries(lambda: awards.dossiers_put_to_council(dossiers=one, by=users["admin"]))
    many_queries, _ = _queries(lambda: awards.dossiers_put_to_council(dossiers=many, by=users["admin"]))
    assert many_queries == few_queries, (few_queries, many_queries)
    assert Dossier.objects.filter(pk__in=[d.pk for d in many], state=DossierState.AT_COUNCIL).count() == 300
    assert AuditEntry.objects.filter(action="dossier_put_to_council").count() == 301


@pytest.mark.django_db
def test_council_session_add_queries_do_not_grow_with_dossiers(batches, users, people):
    _warm, one, many = batches("proposed")
    admin = users["admin"]
    first, second = session_with(people, admin), session_with(people, admin)
    few_queries, _ = _queries(lambda: awards.council_session_add(session=first, dossiers=one, by=admin))
    many_queries, _ = _queries(lambda: awards.council_session_add(session=second, dossiers=many, by=admin))
    assert many_queries == few_queries, (few_queries, many_queries)
    items = CouncilItem.objects.filter(session=second)
    assert items.count() == 300 and all(item.threshold == item.rule.vote_threshold for item in items)


# PAR: a criterion edit recomputes every sheet of the set ------------------------------------------------------


def _set_with_sheets(admin, year, units):
    criteria_set = par.set_create(by=admin, year=year, group=UnitGroup.DISTRICT, title=f"Bộ chỉ số {year}")
    par.set_replace_tree(criteria_set=criteria_set, by=admin, rows=tree_rows())
    sheets = ScoreSheet.objects.bulk_create([ScoreSheet(criteria_set=criteria_set, unit=unit) for unit in units])
    leaves = list(criteria_set.criteria.filter(is_leaf=True))
    # Self-assessment under way (a draft sheet: the set is still editable): 2 points on every leaf, 1.2.1 N/A on
    # every other sheet, so the sheets' maxima differ.
    Score.objects.bulk_create([
        Score(sheet=sheet, criterion=leaf, self_score=None if leaf.code == "1.2.1" and n % 2 else D(2),
              not_applicable=leaf.code == "1.2.1" and bool(n % 2))
        for n, sheet in enumerate(sheets) for leaf in leaves])
    return criteria_set, sheets


@pytest.mark.django_db
def test_criterion_edit_recomputes_every_sheet_in_constant_queries(par_users, tree):
    admin = par_users["admin"]
    province = tree["province"]
    units = [Unit.objects.create(code=f"Q{n:03d}", name=f"UBND huyện {n}", kind=UnitKind.DISTRICT, parent=province)
             for n in range(500)]
    small, _ = _set_with_sheets(admin, 2023, units[:1])
    big, big_sheets = _set_with_sheets(admin, 2024, units)

    def edit(criteria_set):
        criterion = criteria_set.criteria.get(code="1.1")
        return lambda: par.criterion_save(criteria_set=criteria_set, by=admin, code="1.1", criterion=criterion,
                                          title=criterion.title, max_points=D(8))

    few_queries, _ = _queries(edit(small))
    many_queries, _ = _queries(edit(big))
    assert many_queries == few_queries, (few_queries, many_queries)
    # The inner node took the new sum, and each sheet holds what the one-sheet computation gives.
    assert big.criteria.get(code="1").max_points == D(14)
    stored = {s.pk: (s.max_applicable, s.total_self, s.index_percent, s.done_count)
              for s in ScoreSheet.objects.filter(criteria_set=big)}
    assert stored[big_sheets[0].pk][0] == D(24) and stored[big_sheets[1].pk][0] == D(21)
    for sheet in ScoreSheet.objects.filter(pk__in=[big_sheets[0].pk, big_sheets[1].pk]).select_related(
            "criteria_set"):
        again = par.sheet_recompute(sheet)
        assert stored[sheet.pk] == (again.max_applicable, again.total_self, again.index_percent, again.done_count)
    assert Criterion.objects.filter(criteria_set=big, is_leaf=True).count() == 5
