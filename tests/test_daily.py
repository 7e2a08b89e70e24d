"""Issue 15 (daily work), server side: each role's to-do on the home page (scoped, a constant number of queries,
overdue marked), list pages opening on "Việc cần làm", the confirmation step without JavaScript, state badges."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Dossier, Notification
from core.confirm import CONFIRMED, LABEL, QUESTION

pytestmark = pytest.mark.django_db


def _task(page, key):
    """The text of one to-do task of the home page ('' when absent)."""
    end = r'</li>\s*(?=<li class="list-group-item"|</ul>\s*</section>)'
    match = re.search(rf'<li class="list-group-item" data-task="{key}">(.*?){end}', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


@pytest.fixture
def work(make_dossier, users, tree, people):
    """A returned and a draft dossier of DM, one submitted dossier overdue for appraisal, one proposed."""
    returned = make_dossier("returned")
    draft = make_dossier("draft")
    late = make_dossier("submitted")
    Dossier.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    proposed = make_dossier("proposed")
    return {"returned": returned, "draft": draft, "late": late, "proposed": proposed}


def test_officer_home_lists_dossiers_to_complete(client_for, users, work):
    page = client_for(users["dm_officer"]).get(reverse("home")).content.decode()
    returned = _task(page, "dossier-returned")
    assert "Hồ sơ bị trả lại, cần bổ sung" in returned and work["returned"].code in returned
    assert work["draft"].code in _task(page, "dossier-draft")
    assert _task(page, "dossier-submitted") == ""  # receiving is Sở Nội vụ's step, not the officer's
    assert f'href="{reverse("awards:list")}?viec=0&amp;state=returned"' in page


def test_other_district_officer_sees_none_of_it(client_for, users, work):
    page = client_for(users["gn_officer"]).get(reverse("home")).content.decode()
    assert work["returned"].code not in page and 'id="todo-awards"' not in page
    assert "Hiện không có việc nào đang chờ bạn." in page


def test_appraiser_home_lists_dossiers_to_receive_overdue_in_red(client_for, users, work):
    page = client_for(users["appraiser"]).get(reverse("home")).content.decode()
    receive = _task(page, "dossier-submitted")
    assert "Hồ sơ chờ tiếp nhận" in receive and work["late"].code in receive
    assert "1 quá hạn" in receive and "Quá hạn: hạn thẩm định" in receive
    assert re.search(rf'<li class="todo-overdue"><a href="{work["late"].get_absolute_url()}">', page)
    assert _task(page, "dossier-returned") == ""


def test_admin_and_approver_homes(client_for, users, work):
    admin_page = client_for(users["admin"]).get(reverse("home")).content.decode()
    assert work["proposed"].code in _task(admin_page, "dossier-proposed")
    approver_page = client_for(users["approver"]).get(reverse("home")).content.decode()
    assert _task(approver_page, "dossier-proposed") == ""  # putting to the council is Sở Nội vụ's
    leader_page = client_for(users["leader"]).get(reverse("home")).content.decode()
    assert "dossier-proposed" not in leader_page and "dossier-returned" not in leader_page


def test_unread_notifications_on_the_home(client_for, users, work):
    Notification.objects.create(user=users["appraiser"], dossier=work["late"], text="Hồ sơ mới cần tiếp nhận")
    page = client_for(users["appraiser"]).get(reverse("home")).content.decode()
    assert "Hồ sơ mới cần tiếp nhận" in _task(page, "notifications-unread")


def test_home_costs_the_same_queries_whatever_the_number_of_dossiers(client_for, users, work, make_dossier,
                                                                      django_assert_max_num_queries):
    client = client_for(users["admin"])
    client.get(reverse("home"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for _ in range(4):
        make_dossier("submitted")
        make_dossier("proposed")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("home")).content.decode()
    assert "Xem tất cả (5)" in _task(page, "dossier-submitted")


def test_dossier_list_opens_on_todo_for_roles_that_act(client_for, users, work):
    appraiser = client_for(users["appraiser"])
    page = appraiser.get(reverse("awards:list")).content.decode()
    assert re.search(r'nav-link active"[^>]*>Việc cần làm', page)
    assert work["late"].code in page and work["proposed"].code not in page
    everything = appraiser.get(reverse("awards:list") + "?viec=0").content.decode()
    assert work["proposed"].code in everything
    leader = client_for(users["leader"]).get(reverse("awards:list")).content.decode()
    assert re.search(r'nav-link active"[^>]*>Tất cả hồ sơ', leader)  # reads only: nothing to act on


# Confirmation without JavaScript --------------------------------------------------------------------------------


def test_withdraw_without_javascript_asks_on_a_page_first(client_for, users, make_dossier):
    dossier = make_dossier("submitted")
    client = client_for(users["dm_officer"])
    detail = client.get(dossier.get_absolute_url()).content.decode()
    assert f'name="{QUESTION}"' in detail  # the form carries its question
    url = reverse("awards:withdraw", args=[dossier.pk])
    question = "Rút hồ sơ? Hồ sơ chuyển sang “Đơn vị đã rút” …"
    asked = client.post(url, {"expected": "submitted", QUESTION: question, LABEL: "Rút hồ sơ"},
                        HTTP_REFERER=f"http://testserver{dossier.get_absolute_url()}")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert question in page and 'id="confirm-page-form"' in page
    assert f'href="http://testserver{dossier.get_absolute_url()}"' in page  # "Hủy" goes back
    dossier.refresh_from_db()
    assert dossier.state == "submitted"  # nothing happened yet
    form = re.search(r'<form method="post" action="([^"]+)" id="confirm-page-form">(.*?)</form>', page, re.S)
    assert form.group(1) == url
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)))
    assert fields["expected"] == "submitted" and fields[CONFIRMED] == "1"
    done = client.post(url, {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"})
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "withdrawn"


def test_a_post_without_question_acts_at_once(client_for, users, make_dossier):
    """Scripts and tests posting the bare form keep working: the question is the page's, not the view's."""
    dossier = make_dossier("submitted")
    client_for(users["dm_officer"]).post(reverse("awards:withdraw", args=[dossier.pk]), {"expected": "submitted"})
    dossier.refresh_from_db()
    assert dossier.state == "withdrawn"


def test_withdraw_is_apart_from_submit(client_for, users, make_dossier):
    """"Rút hồ sơ" is the last action of the card, under a rule, far from "Nộp hồ sơ" at its top."""
    dossier = make_dossier("draft")
    page = client_for(users["dm_officer"]).get(dossier.get_absolute_url()).content.decode()
    actions = page[page.index('id="actions"'):]
    actions = actions[:actions.index("</section>")]
    submit, withdraw = actions.index("Nộp hồ sơ"), actions.index('id="withdraw-action"')
    assert submit < withdraw and actions.index("Rút hồ sơ") > withdraw
    assert actions.count("<form") >= 2


# Every irreversible action's form asks first: the templates, read as files.

IRREVERSIBLE = {
    "awards:nominee_remove", "awards:document_delete", "awards:withdraw", "awards:not_propose", "awards:return",
    "awards:decide", "awards:propose_central", "awards:central_decision", "awards:not_award",
    "awards:decision_register", "awards:decision_discard", "awards:posting_close", "awards:session_close",
    "par:set_publish", "par:criterion_delete", "par:complete_appraisal", "par:return",
    "campaigns:launch", "campaigns:close", "campaigns:theme_publish", "campaigns:exemplary_publish",
    "campaigns:exemplary_unpublish", "campaigns:initiative_recognise", "campaigns:initiative_refuse",
    "campaigns:achievement_accept", "reports:register", "units:account_deactivate",
}


def test_every_irreversible_form_carries_its_question():
    from pathlib import Path

    from django.conf import settings

    found, silent = set(), []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for form in re.finditer(r"<form\b[^>]*action=\"\{% url '([\w:]+)'.*?</form>", text, re.S):
            if form.group(1) in IRREVERSIBLE:
                found.add(form.group(1))
                if "{% confirm " not in form.group(0):
                    silent.append(f"{path.name}: {form.group(1)}")
        for include in re.finditer(r'\{% include action_form with url="([\w:]+)"[^%]*%\}', text):
            if include.group(1) in IRREVERSIBLE:
                found.add(include.group(1))
                if "ask=ask" not in include.group(0):
                    silent.append(f"{path.name}: {include.group(1)}")
    assert silent == []
    assert found == IRREVERSIBLE  # every name is still a form somewhere (a renamed URL would hide here)


def test_state_badges_by_meaning_and_their_legend(client_for, users, work):
    page = client_for(users["dm_officer"]).get(reverse("awards:list") + "?viec=0").content.decode()
    assert re.search(r'<span class="badge state-badge state-returned" data-state="returned">Trả lại để bổ sung</span>',
                     page)
    assert 'class="badge state-badge state-draft" data-state="draft">Đang soạn</span>' in page
    legend = page[page.index('class="state-legend'):]
    legend = legend[:legend.index("</details>")]
    assert "Chú giải màu trạng thái" in legend
    assert re.search(r"state-awarded\">Hoàn thành: được khen thưởng, công nhận, công bố</span> Đã khen thưởng", legend)
    assert re.search(r"state-refused\">[^<]+</span> Không đề nghị; Không khen thưởng", legend)
