"""Run inside the scale-out deployment (`manage.py shell -c "from tests.scale.prepare import main; main()"`): pick
what the test drives through HTTP in the demo data and print it as JSON. Sessions are written to the shared
database, as a login through either server would write them."""

import json
import secrets

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from campaigns import rules as campaign_rules
from campaigns.models import Achievement, AchievementStatus
from reports import rules as report_rules
from reports import services as reports_services
from reports.models import ReportDraft
from units.models import Role, User


def session_for(user):
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _open_achievement():
    from django.core.exceptions import ValidationError

    from campaigns.models import Campaign
    from campaigns.services import work
    from core.files import bytes_upload

    campaign = Campaign.objects.filter(status="launched").order_by("pk").first()
    officer = User.objects.filter(role=Role.OFFICER, is_active=True).order_by("pk").first()
    for year in sorted(campaign.years, reverse=True):
        try:
            achievement = work.achievement_record(
                by=officer, campaign=campaign, unit=officer.unit, year=year, content=campaign.contents.first(),
                title="Thành tích thử triển khai nhiều máy chủ",
                files=[bytes_upload("Minh chứng đầu tiên.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")])
            return achievement, officer
        except ValidationError:
            continue
    raise RuntimeError("no year of the running movement takes achievements")


def main():
    admin = next(u for u in User.objects.filter(role__in=[Role.ADMIN, Role.APPRAISER], is_active=True).order_by("pk")
                 if report_rules.can_write_reports(u))
    target = officer = None
    for achievement in (Achievement.objects.exclude(status=AchievementStatus.ACCEPTED)
                        .filter(campaign__status="launched").select_related("unit").order_by("pk")):
        officer = User.objects.filter(role=Role.OFFICER, unit=achievement.unit, is_active=True).order_by("pk").first()
        if officer is not None and campaign_rules.can_act_for_unit(officer, achievement.unit):
            target = achievement
            break
    if target is None:  # the demo's older movement is closed: record one in the running movement
        target, officer = _open_achievement()
    drafts = []
    for draft in ReportDraft.objects.filter(entry__isnull=True).order_by("pk")[:2]:
        # A sentence only this draft's document holds: the test finds it in its PDF and not in the other's.
        marker = f"Dấu hiệu riêng DT{draft.pk}X{secrets.token_hex(4)}"
        reports_services.draft_update(draft=draft, by=admin, strengths=marker)
        drafts.append([draft.pk, marker])
    print(json.dumps({"admin": session_for(admin), "officer": session_for(officer), "achievement": target.pk,
                      "drafts": drafts}))
