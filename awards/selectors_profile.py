"""Reads of what the application knows about one collective or one individual over the years: the achievement
profile page, and the period's achievements, initiatives and commendations a generated báo cáo thành tích prints.

The unit or person itself is loaded through the units app's scoped selectors (`unit_for`, `person_for`: 404
outside the user's subtree); the nominations listed are only those of dossiers the user may see.
"""

from django.db.models import Q

from campaigns.models import Achievement, AchievementStatus, Initiative, InitiativeStatus, Registration
from par.selectors import published_results_for_unit
from units import lineage
from units.models import Unit

from . import selectors
from .models import CommendationRecord, DossierTemplate, Nominee


def template_on(kind, day):
    """The appendix form of `kind` in force on `day` (the latest one starting on or before it), or None."""
    return (DossierTemplate.objects.filter(kind=kind, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("-valid_from").first())


def _nominations(user, **who):
    visible = selectors.dossiers_visible_to(user).values("pk")
    return (Nominee.objects.filter(dossier__in=visible, **who)
            .select_related("dossier__form", "dossier__milestone", "dossier__unit").order_by("-dossier__created_at"))


def unit_profile(user, unit):
    """Everything about a unit and the units it was formed from (a restructuring keeps their history with them),
    each part newest first, one query a part (PAR: one per published set)."""
    own = lineage.lineage_ids([unit.pk])
    par_results = [result for earlier in Unit.objects.filter(pk__in=own) for result in
                   published_results_for_unit(earlier)]
    return {
        "registrations": list(Registration.objects.filter(unit_id__in=own).select_related("campaign", "unit")
                              .order_by("-year", "campaign__number")),
        "achievements": list(Achievement.objects.filter(unit_id__in=own, person__isnull=True)
                             .select_related("campaign", "content", "unit").order_by("-year", "content__number", "pk")),
        "initiatives": list(Initiative.objects.filter(unit_id__in=own).order_by("-year", "pk")),
        "par_results": sorted(par_results, key=lambda result: -result["sheet"].criteria_set.year),
        "records": list(selectors.records_for_unit(unit).order_by("-year", "-decision_date", "-pk")),
        "nominations": list(_nominations(user, unit=unit)),
    }


def person_profile(user, person):
    """Everything about a person: their own achievements, the initiatives they authored, their commendations and
    nominations (registrations and PAR results belong to units: the unit's profile shows them)."""
    return {
        "achievements": list(Achievement.objects.filter(person=person)
                             .select_related("campaign", "content", "unit").order_by("-year", "pk")),
        "initiatives": list(Initiative.objects.filter(authors=person).select_related("unit").order_by("-year", "pk")),
        "records": list(selectors.records_for_person(person).order_by("-year", "-decision_date", "-pk")),
        "nominations": list(_nominations(user, person=person)),
    }


def period_years(dossier):
    return range(dossier.milestone.period_start.year, dossier.milestone.period_end.year + 1)


def nominee_holdings(nominee):
    """What a nominee's báo cáo thành tích prints for the dossier's period: the accepted achievements and the
    recognised initiatives of the period's years, and the commendations of those years, with whatever the unit
    attached to the nominee (achievements, initiatives, grounds) even outside them."""
    years = list(period_years(nominee.dossier))
    chosen = {"achievements": [a.pk for a in nominee.achievements.all()],
              "initiatives": [i.pk for i in nominee.initiatives.all()],
              "grounds": [g.pk for g in nominee.grounds.all()]}
    if nominee.unit_id:
        achievements = Achievement.objects.filter(unit_id=nominee.unit_id, person__isnull=True)
        initiatives = Initiative.objects.filter(unit_id=nominee.unit_id)
        records = CommendationRecord.objects.filter(unit_id=nominee.unit_id)
    else:
        achievements = Achievement.objects.filter(person_id=nominee.person_id)
        initiatives = Initiative.objects.filter(authors=nominee.person_id)
        records = CommendationRecord.objects.filter(person_id=nominee.person_id)
    achievements = achievements.filter(Q(status=AchievementStatus.ACCEPTED, year__in=years)
                                       | Q(pk__in=chosen["achievements"]))
    initiatives = initiatives.filter(Q(status=InitiativeStatus.RECOGNISED, year__in=years)
                                     | Q(pk__in=chosen["initiatives"]))
    records = records.filter(Q(year__in=years) | Q(pk__in=chosen["grounds"]))
    return {
        "achievements": list(achievements.select_related("content").distinct().order_by("year", "content__number",
                                                                                         "pk")),
        "initiatives": list(initiatives.distinct().order_by("year", "pk")),
        "records": list(records.select_related("form", "decision").order_by("year", "decision_date", "pk")),
    }
