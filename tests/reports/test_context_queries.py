"""The final review's context reads a fixed number of queries, whatever the number of units, awards and proposals
(issue 18: the province's thousands of rows are aggregated in SQL, never read one unit or one nominee at a time),
and the per-unit table still counts what the correlated subqueries counted."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import CommendationRecord, Decision, Dossier, Nominee
from campaigns.models import Achievement, Initiative, Registration, RegistrationCommitment
from par.models import CriteriaSet, ScoreSheet
from reports.context import build_for
from units.models import Person, Unit, UnitKind


def _grow(dataset, tree, contents, count):
    """`count` more communes, each with a registration, an accepted achievement, a recognised initiative, a
    published PAR sheet, a person, an award for the commune and for the person, and a proposal for both."""
    campaign, bk, gk = dataset["campaign"], dataset["bk"], dataset["gk"]
    interim = campaign.milestones.get(kind="interim")
    district_set = CriteriaSet.objects.get(year=2023, group="district")
    decision = Decision.objects.get(number="99/QĐ-UBND")
    start = Unit.objects.filter(code__startswith="DM-X").count()
    for index in range(start, start + count):
        unit = Unit.objects.create(code=f"DM-X{index:02}", name=f"Ủy ban nhân dân xã Thử {index:02}",
                                   kind=UnitKind.COMMUNE, parent=tree["dm"])
        person = Person.objects.create(full_name=f"Người Thử {index:02}", gender="male", position="Chủ tịch",
                                       unit=unit)
        registration = Registration.objects.create(campaign=campaign, unit=unit, year=2023)
        RegistrationCommitment.objects.create(registration=registration, content=contents[1], commitment="Cam kết")
        Achievement.objects.create(campaign=campaign, unit=unit, year=2023, content=contents[1], title="x",
                                   status="accepted")
        Initiative.objects.create(campaign=campaign, unit=unit, year=2023, title="Sáng kiến", problem="p",
                                  solution="s", effect="e", status="recognised", level="grassroots",
                                  decision_number=f"{index}/QĐ", decision_date="2023-11-01")
        ScoreSheet.objects.create(criteria_set=district_set, unit=unit, status="published",
                                  index_percent=Decimal("80.00"), total_appraised=Decimal("80"), band="fair")
        awarded = Dossier.objects.create(campaign=campaign, milestone=interim, unit=unit, form=bk, state="awarded",
                                         decision=decision)
        for recipient in ({"unit": unit}, {"person": person}):
            Nominee.objects.create(dossier=awarded, summary="Thành tích", **recipient)
            CommendationRecord.objects.create(form=bk, year=2023, basis="thematic", decision_number=decision.number,
                                              decision_date=decision.date, decision=decision, dossier=awarded,
                                              **recipient)
        proposed = Dossier.objects.create(campaign=campaign, milestone=interim, unit=unit, form=gk,
                                          state="proposed")
        for recipient in ({"unit": unit}, {"person": person}):
            Nominee.objects.create(dossier=proposed, summary="Đề nghị", **recipient)


def _final(campaign):
    with CaptureQueriesContext(connection) as queries:
        context = build_for(campaign, "final")
    return context, len(queries)


def test_the_final_context_reads_as_many_queries_for_many_units_as_for_few(dataset, tree, contents):
    campaign = dataset["campaign"]
    build_for(campaign, "final")  # anything read once per process is read here, outside the count
    small, small_queries = _final(campaign)
    _grow(dataset, tree, contents, 6)
    big, big_queries = _final(campaign)
    assert len(big["units"]) == len(small["units"]) + 6
    assert len(big["awarded_collectives"]) == len(small["awarded_collectives"]) + 6
    assert len(big["awarded_individuals"]) == len(small["awarded_individuals"]) + 6
    assert len(big["proposals"]) == len(small["proposals"]) + 12
    assert big_queries == small_queries


def test_the_unit_table_counts_a_divisions_awards_at_its_parent_and_each_figure_once(dataset, tree, people,
                                                                                     contents):
    """A division's (phòng, ban) collective award and the award of a person working in it count at the division's
    parent, as the correlated subqueries counted them; the new communes' figures are their own."""
    campaign, bk = dataset["campaign"], dataset["bk"]
    _grow(dataset, tree, contents, 2)
    decision = Decision.objects.get(number="99/QĐ-UBND")
    awarded = Dossier.objects.create(campaign=campaign, milestone=campaign.milestones.get(kind="interim"),
                                     unit=tree["dm01"], form=bk, state="awarded", decision=decision)
    for recipient in ({"unit": tree["dm01_vp"]}, {"person": people["binh"]}):
        CommendationRecord.objects.create(form=bk, year=2023, basis="thematic", decision_number=decision.number,
                                          decision_date=decision.date, decision=decision, dossier=awarded,
                                          **recipient)
    units = {row["code"]: row for row in build_for(campaign, "final")["units"]}
    assert "DM-01.VP" not in units  # divisions have no row of their own
    assert (units["DM-01"]["awards"], units["DM-01"]["awards_individual"]) == (2, 2)
    assert (units["DM-01"]["dossiers"], units["DM"]["dossiers"]) == (1, 1)
    assert (units["DM"]["awards"], units["DM"]["awards_individual"]) == (0, 0)  # DM-01 is a commune, not a division
    for code in ("DM-X00", "DM-X01"):
        row = units[code]
        assert (row["registered_years"], row["accepted"], row["initiatives"], row["dossiers"], row["awards"],
                row["awards_individual"], row["par_index"], row["par_band"]) == (1, 1, 1, 2, 1, 1, 80.0, "fair")
    assert (units["DM"]["par_index"], units["DM"]["par_band"]) == (92.5, "good")
    assert units["DM-01"]["par_index"] is None and units["DM-01"]["par_band"] == ""


def test_a_nominee_already_awarded_the_same_form_is_not_proposed_again(dataset, tree, people):
    """Both kinds of recipient: a unit and a person the plan already awarded the Bằng khen are left out of a new
    Bằng khen proposal; the same recipients proposed for another form are listed."""
    campaign, bk, gk = dataset["campaign"], dataset["bk"], dataset["gk"]
    interim = campaign.milestones.get(kind="interim")
    again = Dossier.objects.create(campaign=campaign, milestone=interim, unit=tree["dm"], form=bk, state="proposed")
    other = Dossier.objects.create(campaign=campaign, milestone=interim, unit=tree["dm"], form=gk, state="proposed")
    for dossier in (again, other):
        Nominee.objects.create(dossier=dossier, unit=tree["dm01"], summary="Lần nữa")
        Nominee.objects.create(dossier=dossier, person=people["an"], summary="Lần nữa")
    proposals = build_for(campaign, "final")["proposals"]
    listed = {(row["name"], row["form"]) for row in proposals}
    assert ("Ủy ban nhân dân thị trấn Đắk Mil", bk.name) not in listed
    assert ("Nguyễn Văn An", bk.name) not in listed
    assert {("Ủy ban nhân dân thị trấn Đắk Mil", gk.name), ("Nguyễn Văn An", gk.name)} <= listed
    an = next(row for row in proposals if row["name"] == "Nguyễn Văn An")
    assert (an["collective"], an["position_unit"]) == (False, "Chủ tịch, Ủy ban nhân dân thị trấn Đắk Mil")
