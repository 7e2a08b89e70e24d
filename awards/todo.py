"""The award part of the home page's to-do (slot "home", see `core.todo`): per role, the dossiers waiting for this
user's step, open council sessions, draft decisions to register, unread notifications. Every read is scoped
(`selectors.dossiers_visible_to`) and each part costs one query whatever the number of rows."""

from django.db.models import Count, F, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.todo import OLDEST, Item, Task, cached, oldest_per_task

from . import rules, selectors
from .models import OPEN_APPRAISAL_STATES, CouncilSession, Decision, Notification, SessionState
from .models import DossierState as S


def _dossier_tasks(user):
    """[(state, label)] of the dossiers this role acts on, in the order of the workflow."""
    tasks = []
    if rules.is_officer(user):
        tasks += [(S.RETURNED, _("Hồ sơ bị trả lại, cần bổ sung")), (S.DRAFT, _("Hồ sơ đang soạn, chưa nộp"))]
    if rules.can_appraise(user):
        tasks += [(S.SUBMITTED, _("Hồ sơ chờ tiếp nhận")), (S.RECEIVED, _("Hồ sơ đã tiếp nhận, chờ thẩm định")),
                  (S.UNDER_APPRAISAL, _("Hồ sơ đang thẩm định"))]
    if rules.can_manage(user):
        tasks += [(S.PROPOSED, _("Hồ sơ đề nghị khen thưởng, chờ trình Hội đồng"))]
    if rules.can_decide(user):
        tasks += [(S.AT_COUNCIL, _("Hồ sơ đang chờ Hội đồng")),
                  (S.PASSED, _("Hồ sơ Hội đồng đã thông qua, chờ ghi nhận quyết định")),
                  (S.PROPOSED_CENTRAL, _("Hồ sơ đề nghị cấp trên, chờ ghi nhận kết quả"))]
    if not tasks and rules.can_see_all_dossiers(user):  # the read-only leader follows what is late or pending
        tasks += [(S.UNDER_APPRAISAL, _("Hồ sơ đang thẩm định")), (S.PASSED, _("Hồ sơ chờ quyết định khen thưởng"))]
    return tasks


def _list_url(**params):
    return f"{reverse('awards:list')}?{urlencode({'viec': '0', **params})}"


@cached
def dossier_tasks(user, today=None):
    today = today or timezone.localdate()
    states = _dossier_tasks(user)
    if not states:
        return []
    # Late: past the appraisal due date while Sở Nội vụ holds it; past the round's deadline while the unit does.
    overdue = (Q(state__in=OPEN_APPRAISAL_STATES, due_on__lt=today)
               | Q(state__in=(S.DRAFT, S.RETURNED), milestone__due_on__lt=today))
    found = oldest_per_task(
        selectors.dossiers_visible_to(user).select_related("unit", "milestone"),
        {state: Q(state=state) for state, _label in states}, overdue=overdue,
        order_by=[F("due_on").asc(nulls_last=True), F("milestone__due_on").asc(),
                  F("submitted_at").asc(nulls_last=True), F("pk").asc()])
    tasks = []
    for state, label in states:
        if state not in found:
            continue
        count, late, rows = found[state]
        items = []
        for dossier in rows:
            holds = state in OPEN_APPRAISAL_STATES
            date = dossier.due_on if holds else (dossier.milestone.due_on if state in (S.DRAFT, S.RETURNED) else
                                                 dossier.submitted_at)
            date_label = _("hạn thẩm định") if holds else (_("hạn nộp") if state in (S.DRAFT, S.RETURNED)
                                                           else _("nộp ngày"))
            items.append(Item(label=dossier.code, url=dossier.get_absolute_url(), note=dossier.unit.name,
                              date=date, date_label=date_label, overdue=bool(dossier.todo_late)))
        params = {"state": state}
        tasks.append(Task(key=f"dossier-{state}", label=label, count=count, url=_list_url(**params), items=items,
                          overdue=late))
    return tasks


@cached
def session_tasks(user, today=None):
    """Council sessions not closed yet (the secretariat and the approving leader close them)."""
    if not (rules.can_manage(user) or rules.can_decide(user)):
        return []
    today = today or timezone.localdate()
    found = oldest_per_task(CouncilSession.objects.all(), {"open": Q(state=SessionState.OPEN)},
                            overdue=Q(date__lt=today), order_by=[F("date").asc(), F("pk").asc()])
    if "open" not in found:
        return []
    count, late, rows = found["open"]
    items = [Item(label=str(s), url=s.get_absolute_url(), note=s.place, overdue=bool(s.todo_late)) for s in rows]
    return [Task(key="sessions-open", label=_("Phiên họp Hội đồng chưa kết thúc"), count=count,
                 url=reverse("awards:sessions"), items=items, overdue=late)]


@cached
def decision_tasks(user):
    """Draft decisions waiting for their number (registering issues them)."""
    if not rules.can_decide(user):
        return []
    found = oldest_per_task(Decision.objects.filter(external=False),
                            {"draft": Q(number="")}, order_by=[F("date").asc(), F("pk").asc()])
    if "draft" not in found:
        return []
    count, _late, rows = found["draft"]
    items = [Item(label=str(d), url=d.get_absolute_url(), date=d.date, date_label=_("ngày")) for d in rows]
    return [Task(key="decisions-draft", label=_("Dự thảo quyết định chờ đăng ký số và ban hành"), count=count,
                 url=reverse("awards:decisions"), items=items)]


def notification_tasks(user):
    """The unread notifications, newest first: one query (the count as a window over the user's unread rows).
    Never cached: reading them (`notifications_mark_read`) leaves no audit row, so the data version misses it."""
    rows = list(Notification.objects.filter(user=user, read_at__isnull=True)
                .annotate(todo_count=Window(Count("pk"))).order_by("-created_at", "-pk")[:OLDEST])
    if not rows:
        return []
    inbox = reverse("awards:inbox")
    items = [Item(label=n.text[:120], url=reverse("awards:detail", args=[n.dossier_id]) if n.dossier_id else inbox,
                  date=n.created_at, date_label="") for n in rows]
    return [Task(key="notifications-unread", label=_("Thông báo chưa đọc"), count=rows[0].todo_count, url=inbox,
                 items=items)]
