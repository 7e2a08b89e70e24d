"""What of the campaigns follows a restructuring (units.restructuring): open registrations and achievements still
under review move to the successors; past years' registrations and accepted achievements stay (history)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units import restructuring

from .models import Achievement, AchievementStatus, CampaignStatus, Registration

UNDER_REVIEW = (AchievementStatus.SUBMITTED, AchievementStatus.CLARIFICATION)


def _open_registrations(plan):
    return (Registration.objects.filter(unit_id__in=plan.ended_ids, year__gte=plan.on.year)
            .exclude(campaign__status=CampaignStatus.CLOSED))


def registrations_planned(plan):
    """One registration per campaign and year at a successor: the first moves when the successor has none."""
    rows = _open_registrations(plan).order_by("pk").values_list("pk", "unit_id", "campaign_id", "year")

    def held(targets):
        return {(unit_id, (campaign_id, year)) for unit_id, campaign_id, year in Registration.objects.filter(
            unit_id__in=targets).values_list("unit_id", "campaign_id", "year")}

    return plan.unique_moves(((pk, unit_id, None, (campaign_id, year)) for pk, unit_id, campaign_id, year in rows),
                             held)


def achievements_planned(plan):
    rows = (Achievement.objects.filter(unit_id__in=plan.ended_ids, status__in=UNDER_REVIEW).order_by("pk")
            .values_list("pk", "unit_id", "person_id"))
    return [(pk, plan.target_of(unit_id, person_id)) for pk, unit_id, person_id in rows]


def registrations_kept(plan):
    return Registration.objects.filter(unit_id__in=plan.ended_ids).exclude(
        pk__in=[pk for pk, _target in registrations_planned(plan)]).count()


def achievements_kept(plan):
    return Achievement.objects.filter(Q(unit_id__in=plan.ended_ids) & ~Q(status__in=UNDER_REVIEW)).count()


def register():
    restructuring.register("registrations", label=_("Đăng ký thi đua chưa kết thúc"), planned=registrations_planned,
                           move=restructuring.unit_mover(Registration), kept_label=_("Đăng ký thi đua các năm trước"),
                           kept=registrations_kept)
    restructuring.register("achievements", label=_("Thành tích đang chờ xem xét"), planned=achievements_planned,
                           move=restructuring.unit_mover(Achievement), kept_label=_("Thành tích đã được chấp nhận"),
                           kept=achievements_kept)
