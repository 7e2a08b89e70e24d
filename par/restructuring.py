"""What of the PAR index follows a restructuring (units.restructuring): the sheets of the operation's year not
yet published move to the successor (one sheet per unit and set: the first moves, others stay); published
results stay with the unit that earned them, so a past year's ranking lists that year's units."""

from django.utils.translation import gettext_lazy as _

from units import restructuring

from .models import ScoreSheet, SheetStatus


def _current(plan):
    return (ScoreSheet.objects.filter(unit_id__in=plan.ended_ids, criteria_set__year=plan.on.year)
            .exclude(status=SheetStatus.PUBLISHED))


def sheets_planned(plan):
    rows = _current(plan).order_by("pk").values_list("pk", "unit_id", "criteria_set_id")

    def held(targets):
        return {(unit_id, set_id) for unit_id, set_id in ScoreSheet.objects.filter(
            unit_id__in=targets).values_list("unit_id", "criteria_set_id")}

    return plan.unique_moves(((pk, unit_id, None, set_id) for pk, unit_id, set_id in rows), held)


def sheets_kept(plan):
    return ScoreSheet.objects.filter(unit_id__in=plan.ended_ids).exclude(
        pk__in=[pk for pk, _target in sheets_planned(plan)]).count()


def register():
    restructuring.register("par_sheets", label=_("Phiếu chấm điểm CCHC năm hiện tại"), planned=sheets_planned,
                           move=restructuring.unit_mover(ScoreSheet),
                           kept_label=_("Kết quả chỉ số CCHC đã công bố và phiếu các năm trước"),
                           kept=sheets_kept)
