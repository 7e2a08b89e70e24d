"""What reports shows on the pages of the apps before it (registered from `ReportsConfig.ready`, see
`core.panels`): on a campaign whose period is over, where its final review (tổng kết) stands."""

from core import panels

from . import rules
from .kinds import ReportKind
from .models import ReportDraft


def final_review(request, campaign):
    """The campaign's final-review draft for those who read reports (officers have none), else nothing."""
    user = getattr(request, "user", None)
    if user is None or not rules.can_read_reports(user):
        return None
    draft = (ReportDraft.objects.filter(campaign=campaign, kind=ReportKind.FINAL, year__isnull=True)
             .select_related("entry").first())
    return {"draft": draft, "campaign": campaign, "can_write": rules.can_write_reports(user)}


def register():
    panels.register("campaign_end", "reports.final_review", "reports/panels/final_review.html", final_review)
