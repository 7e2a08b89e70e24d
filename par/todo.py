"""The PAR-index part of the home page's to-do (slot "home", see `core.todo`): the officer's own sheets to score or
explain, the sheets waiting for Sở Nội vụ's appraisal, the sets ready to publish. Scoped reads, one query a part."""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core import roles
from core.todo import Item, Task, cached, oldest_per_task

from . import rules, selectors
from .models import CriteriaSet, SheetStatus


@cached
def sheet_tasks(user):
    if rules.can_appraise(user):
        wanted = [(SheetStatus.SUBMITTED, _("Phiếu tự chấm chờ nhận thẩm định")),
                  (SheetStatus.UNDER_APPRAISAL, _("Phiếu đang thẩm định"))]
        sheets = selectors.sheets_visible_to(user)
    elif roles.is_officer(user):
        wanted = [(SheetStatus.RETURNED, _("Phiếu chỉ số CCHC bị trả lại, cần giải trình")),
                  (SheetStatus.DRAFT, _("Phiếu chỉ số CCHC đang tự chấm, chưa nộp"))]
        sheets = selectors.sheets_visible_to(user).filter(unit_id=user.unit_id)  # only its own unit self-assesses
    else:
        return []
    found = oldest_per_task(sheets.select_related("unit", "criteria_set"),
                            {status: Q(status=status) for status, _label in wanted},
                            order_by=[F("submitted_at").asc(nulls_last=True), F("pk").asc()])
    appraiser = rules.can_appraise(user)
    tasks = []
    for status, label in wanted:
        if status not in found:
            continue
        count, _late, rows = found[status]
        items = [Item(label=sheet.unit.name if appraiser else str(sheet.criteria_set),
                      url=reverse("par:appraisal", args=[sheet.pk]) if appraiser else sheet.get_absolute_url(),
                      note=_("%(done)s/%(all)s tiêu chí") % {"done": sheet.done_count, "all": sheet.leaf_count},
                      date=sheet.submitted_at, date_label=_("nộp ngày") if sheet.submitted_at else "")
                 for sheet in rows]
        url = reverse("par:index")
        if appraiser and len({sheet.criteria_set_id for sheet in rows}) == 1 and count == len(rows):
            url = reverse("par:set_detail", args=[rows[0].criteria_set_id]) + "?viec=1#sheets"
        tasks.append(Task(key=f"sheet-{status}", label=label, count=count, url=url, items=items))
    return tasks


@cached
def publish_tasks(user):
    """Sets not published whose every sheet is appraised: the administrator publishes the results."""
    if not rules.can_manage_sets(user):
        return []
    ready = list(CriteriaSet.objects.filter(published_at__isnull=True)
                 .annotate(sheet_count=Count("sheets"),
                           waiting=Count("sheets", filter=~Q(sheets__status=SheetStatus.APPRAISED)))
                 .filter(sheet_count__gt=0, waiting=0).order_by("year", "pk"))
    if not ready:
        return []
    items = [Item(label=str(s), url=reverse("par:set_detail", args=[s.pk])) for s in ready[:3]]
    return [Task(key="sets-publish", label=_("Bộ chỉ số đã thẩm định xong, chờ công bố kết quả"), count=len(ready),
                 url=reverse("par:index"), items=items)]
