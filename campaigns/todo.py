"""The campaign part of the home page's to-do (slot "home", see `core.todo`): evidence and initiatives waiting for
Sở Nội vụ, evidence to clarify and follow-up tasks of inspections for the unit, the coming deadlines of the launched
plans. Scoped reads, one query a part."""

import datetime

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.todo import Item, Task, cached, oldest_per_task

from . import rules
from .models import AchievementStatus, CampaignStatus, FollowUpTask, InitiativeStatus, Milestone
from .selectors.plan import inspections_visible_to
from .selectors.work import achievements_visible_to, initiatives_visible_to

DEADLINE_DAYS = 45  # how far ahead the home page announces a plan's deadline


def _url(name, **params):
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


@cached
def achievement_tasks(user):
    if rules.can_review(user):
        wanted = {"review": (AchievementStatus.SUBMITTED, _("Minh chứng chờ xem xét"),
                             _url("campaigns:review_queue", status=AchievementStatus.SUBMITTED))}
    elif rules.is_officer(user):
        wanted = {"clarify": (AchievementStatus.CLARIFICATION, _("Minh chứng Sở Nội vụ yêu cầu làm rõ"),
                              _url("campaigns:achievement_list", status=AchievementStatus.CLARIFICATION))}
    else:
        return []
    found = oldest_per_task(achievements_visible_to(user).select_related("unit"),
                            {key: Q(status=status) for key, (status, _l, _u) in wanted.items()},
                            order_by=[F("updated_at").asc(), F("pk").asc()])
    tasks = []
    for key, (_status, label, url) in wanted.items():
        if key in found:
            count, _late, rows = found[key]
            items = [Item(label=a.title, url=a.get_absolute_url(), note=a.unit.name) for a in rows]
            tasks.append(Task(key=f"achievement-{key}", label=label, count=count, url=url, items=items))
    return tasks


@cached
def initiative_tasks(user):
    if not rules.can_review(user):
        return []
    found = oldest_per_task(initiatives_visible_to(user).select_related("unit"),
                            {"evaluate": Q(status=InitiativeStatus.PROPOSED)}, order_by=[F("pk").asc()])
    if "evaluate" not in found:
        return []
    count, _late, rows = found["evaluate"]
    items = [Item(label=i.title, url=i.get_absolute_url(), note=i.unit.name) for i in rows]
    return [Task(key="initiative-evaluate", label=_("Sáng kiến chờ đánh giá, công nhận"), count=count,
                 url=_url("campaigns:initiative_list", status=InitiativeStatus.PROPOSED), items=items)]


@cached
def follow_up_tasks(user, today=None):
    """The open follow-up tasks of inspections of the officer's subtree (its officer marks them done)."""
    if not rules.is_officer(user):
        return []
    today = today or timezone.localdate()
    found = oldest_per_task(
        FollowUpTask.objects.filter(inspection__in=inspections_visible_to(user)).select_related("inspection__unit"),
        {"open": Q(completed_on__isnull=True)}, overdue=Q(deadline__lt=today),
        order_by=[F("deadline").asc(), F("pk").asc()])
    if "open" not in found:
        return []
    count, late, rows = found["open"]
    items = [Item(label=t.description[:100], url=reverse("campaigns:inspection_detail", args=[t.inspection_id]),
                  note=t.inspection.unit.name, date=t.deadline, date_label=_("hạn"), overdue=bool(t.todo_late))
             for t in rows]
    url = reverse("campaigns:inspection_detail", args=[rows[0].inspection_id])
    return [Task(key="follow-up-open", label=_("Việc cần khắc phục sau kiểm tra"), count=count, url=url, items=items,
                 overdue=late)]


@cached
def deadline_tasks(user, today=None):
    """The milestones of the launched plans due within DEADLINE_DAYS (reports, reviews, award rounds)."""
    if not (rules.is_officer(user) or rules.can_review(user)):
        return []
    today = today or timezone.localdate()
    soon = Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DEADLINE_DAYS))
    found = oldest_per_task(Milestone.objects.filter(campaign__status=CampaignStatus.LAUNCHED)
                            .select_related("campaign"), {"soon": soon}, order_by=[F("due_on").asc(), F("pk").asc()])
    if "soon" not in found:
        return []
    count, _late, rows = found["soon"]
    items = [Item(label=m.title, url=m.campaign.get_absolute_url(), note=m.campaign.number, date=m.due_on,
                  date_label=_("hạn")) for m in rows]
    return [Task(key="deadlines-soon", label=_("Hạn sắp tới của phong trào"), count=count,
                 url=rows[0].campaign.get_absolute_url(), items=items)]
