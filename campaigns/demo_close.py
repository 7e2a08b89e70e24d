"""Demo data: Plan 584/KH-UBND closed once its period is over and its final review is written.

Registered with `core.demo.register(..., closing=True)` last, so `load_demo` runs it after every other builder: the
awards demo has decided the final-review dossiers and the reports demo has written the final review (tổng kết)
by then, as Sở Nội vụ would before closing a movement. Its pages stay readable; new registrations, evidence,
initiatives and dossiers go to the movement that runs now (`demo_movement`). Idempotent: a closed plan is left as
it is; the step is skipped while the plan's period has not ended (a clock set before 2026).
"""

from django.db import transaction
from django.utils import timezone

from core import workflow

from .demo_plan import NUMBER
from .models import Campaign, CampaignStatus


@transaction.atomic
def build():
    campaign = Campaign.objects.filter(number=NUMBER).first()
    if campaign is None or campaign.status != CampaignStatus.LAUNCHED or campaign.ends_on >= timezone.localdate():
        return ""
    campaign = workflow.lock(campaign)
    workflow.run(campaign, "close", by=None, action="campaign_close", update_fields=["status"],
                 note="Dữ liệu mẫu: kết thúc sau tổng kết")
    return f"Kế hoạch {NUMBER}: đã kết thúc phong trào sau tổng kết (các trang vẫn xem được, không nhận việc mới)."
