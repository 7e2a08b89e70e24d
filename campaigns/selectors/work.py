"""Reads for the units' work: achievements with evidence, initiatives, exemplary models.

Scope first, then fetch: an officer sees its own unit's subtree, Sở Nội vụ and leaders see everything, anonymous
users see nothing (except published exemplary models, which are public). Counts are correlated subqueries, so a list
costs the same number of queries for 3 rows as for 3,000.
"""

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core.models import AuditEntry
from units.selectors import scoped_to

from ..models import (
    Achievement,
    Campaign,
    CampaignStatus,
    EmulationContent,
    EvidenceFile,
    ExemplaryModel,
    Initiative,
    InitiativeFile,
    InitiativeStatus,
)


def _count(model, key):
    counted = model.objects.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def launched_campaigns():
    return Campaign.objects.filter(status=CampaignStatus.LAUNCHED).order_by("-issued_on", "number")


def contents_of_launched():
    return EmulationContent.objects.filter(campaign__status=CampaignStatus.LAUNCHED).select_related(
        "campaign").order_by("campaign__number", "number")


# Achievements -----------------------------------------------------------------------------------------------


def achievements_visible_to(user):
    return scoped_to(Achievement.objects.all(), user)


def achievement_for(user, pk):
    """The achievement if the user may see it (same scope as its unit), else 404."""
    return get_object_or_404(
        achievements_visible_to(user).select_related("campaign", "unit", "content", "person", "created_by"), pk=pk)


def evidence_file_for(user, achievement_pk, file_pk):
    achievement = achievement_for(user, achievement_pk)
    return achievement, get_object_or_404(EvidenceFile.objects.all(), pk=file_pk, achievement=achievement)


def achievement_list(user, *, campaign=None, year=None, content=None, status="", unit=None, review_order=False):
    """The keys of the achievements in the user's scope, in the list's order (`review_order` puts "submitted"
    first): page them, then read the page's rows with `achievement_rows`.

    Sorting keys alone lets an index (`achievement_list`, `achievement_review`) give the order without reading the
    rows; only the 50 rows of the page are then read, whatever the number of achievements.
    """
    qs = achievements_visible_to(user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if year:
        qs = qs.filter(year=year)
    if content is not None:
        qs = qs.filter(content=content)
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by(*(REVIEW_ORDER if review_order else LIST_ORDER)).values_list("pk", flat=True)


LIST_ORDER = ("-year", "content__number", "-created_at", "-id")
# "Submitted" first, then "clarification", then "accepted", oldest change first. The states' codes sort that way
# backwards (a test checks it holds for every state), so the order is plain columns an index reads in order
# instead of a CASE computed and sorted for every row.
REVIEW_ORDER = ("-status", "updated_at", "id")


def achievement_rows(keys):
    """The achievements `keys` (one page of `achievement_list`) in that order, with only what a list row shows;
    the file count is the row's own counter (`evidence_count`), not a count of the evidence table."""
    keys = list(keys)
    rows = Achievement.objects.filter(pk__in=keys).select_related("unit", "content", "person").only(
        "year", "title", "status", "updated_at", "evidence_count", "unit__name", "content__number",
        "content__short_title", "person__full_name")
    by_key = {row.pk: row for row in rows}
    return [by_key[key] for key in keys]


def history_of(target):
    """The activity rows (core.audit) of one object, oldest first."""
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk)).select_related(
        "actor").order_by("at", "id")


# Initiatives ------------------------------------------------------------------------------------------------


def initiatives_visible_to(user):
    return scoped_to(Initiative.objects.all(), user)


def initiative_for(user, pk):
    return get_object_or_404(initiatives_visible_to(user).select_related("campaign", "unit", "created_by"), pk=pk)


def initiative_file_for(user, initiative_pk, file_pk):
    initiative = initiative_for(user, initiative_pk)
    return initiative, get_object_or_404(InitiativeFile.objects.all(), pk=file_pk, initiative=initiative)


def initiative_list(user, *, campaign=None, year=None, status="", unit=None):
    qs = initiatives_visible_to(user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.select_related("campaign", "unit").prefetch_related("authors").annotate(
        file_count=_count(InitiativeFile, "initiative"),
        pending=Case(When(status=InitiativeStatus.PROPOSED, then=Value(0)), default=Value(1),
                     output_field=IntegerField()),
    ).order_by("pending", "-year", "-created_at", "-id")


def recognised_initiatives_of(person):
    return Initiative.objects.filter(authors=person, status=InitiativeStatus.RECOGNISED).select_related(
        "unit").order_by("-decision_date", "-id")


# Exemplary models -------------------------------------------------------------------------------------------


def published_models():
    """What the public page may show: published models only (no files other than the photo, no comments)."""
    return ExemplaryModel.objects.filter(published_at__isnull=False).select_related("unit", "person", "initiative")


def published_model(pk):
    return get_object_or_404(published_models(), pk=pk)


def all_models():
    return ExemplaryModel.objects.select_related("campaign", "unit", "person", "initiative").order_by(
        "-year", "title", "id")
