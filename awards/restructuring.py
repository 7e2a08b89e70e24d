"""What of the awards follows a restructuring (units.restructuring): open dossiers (not yet decided, withdrawn or
refused) move to the successor with their collective nominees; decided awards (the commendation history) stay
with the unit that received them and are read by the successor through the links."""

from django.utils.translation import gettext_lazy as _

from units import restructuring

from .models import CommendationRecord, Dossier, DossierState, Nominee

CLOSED = (DossierState.AWARDED, DossierState.NOT_AWARDED, DossierState.WITHDRAWN, DossierState.NOT_PROPOSED)


def dossiers_planned(plan):
    rows = (Dossier.objects.filter(unit_id__in=plan.ended_ids).exclude(state__in=CLOSED).order_by("pk")
            .values_list("pk", "unit_id"))
    return [(pk, plan.target_of(unit_id)) for pk, unit_id in rows]


def nominees_planned(plan):
    """Collective nominees of open dossiers (whoever proposes them) that are ended units."""
    rows = (Nominee.objects.filter(unit_id__in=plan.ended_ids).exclude(dossier__state__in=CLOSED).order_by("pk")
            .values_list("pk", "unit_id"))
    return [(pk, plan.target_of(unit_id)) for pk, unit_id in rows]


def history_kept(plan):
    return CommendationRecord.objects.filter(unit_id__in=plan.ended_ids).count()


def register():
    restructuring.register("dossiers", label=_("Hồ sơ đề nghị khen thưởng đang xử lý"), planned=dossiers_planned,
                           move=restructuring.unit_mover(Dossier), kept_label=_("Lịch sử khen thưởng của tập thể"),
                           kept=history_kept)
    restructuring.register("nominees", label=_("Tập thể được đề nghị trong hồ sơ đang xử lý"),
                           planned=nominees_planned, move=restructuring.unit_mover(Nominee))
