"""Small helpers the campaigns' templates use for the units' work (labels of the history, who may review).

The person's page lists that person's recognised initiatives through `campaigns/panels.py` (see `core.panels`).
"""

from django import template
from django.utils.translation import gettext_lazy as _

from campaigns import rules

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


@register.filter
def work_label(code):
    return LABELS.get(code, code)


@register.filter
def work_can_review(user):
    return rules.can_review(user)


@register.filter
def work_can_manage(user):
    return rules.can_manage_campaign(user)
