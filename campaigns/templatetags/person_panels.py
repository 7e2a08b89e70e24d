"""Panels and small helpers the units' and campaigns' templates use for the units' work.

`{% load person_panels %}{% person_initiatives person %}` on a person's page lists that person's recognised
initiatives (they count toward individual awards later); units templates need no other change.
"""

from django import template
from django.utils.translation import gettext_lazy as _

from campaigns import rules
from campaigns.selectors.work import recognised_initiatives_of

register = template.Library()

LABELS = {
    "achievement_record": _("ghi nhận thành tích"),
    "achievement_add_files": _("bổ sung tệp minh chứng"),
    "achievement_accept": _("chấp nhận"),
    "achievement_ask_clarification": _("yêu cầu làm rõ"),
    "achievement_resubmit": _("giải trình, gửi lại"),
    "initiative_propose": _("đề xuất sáng kiến"),
    "initiative_recognise": _("công nhận sáng kiến"),
    "initiative_refuse": _("không công nhận sáng kiến"),
    "submitted": _("chờ xem xét"),
    "clarification": _("cần làm rõ"),
    "accepted": _("đã chấp nhận"),
    "proposed": _("đã đề xuất"),
    "recognised": _("đã công nhận"),
    "refused": _("không công nhận"),
}


@register.inclusion_tag("campaigns/work/_person_initiatives.html", takes_context=True)
def person_initiatives(context, person):
    user = context.get("user")
    initiatives = list(recognised_initiatives_of(person))
    for initiative in initiatives:
        initiative.can_open = bool(user and user.is_authenticated and (
            user.is_province_wide or (user.unit_id and initiative.unit.is_within(user.unit))))
    return {"initiatives": initiatives}


@register.filter
def work_label(code):
    return LABELS.get(code, code)


@register.filter
def work_can_review(user):
    return rules.can_review(user)


@register.filter
def work_can_manage(user):
    return rules.can_manage_campaign(user)
