"""Registration (đăng ký thi đua): once per unit per year, within the officer's subtree, participating kinds only;
Sở Nội vụ sees who has not registered and reminds them by e-mail."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Registration, RegistrationCommitment
from campaigns.services import plan as services
from core.models import AuditEntry
from units.models import Role, Unit, UnitKind, User

pytestmark = pytest.mark.django_db

YEAR = 2025


def _payload(contents, prefix="Cam kết"):
    return {f"commitment_{c.pk}": f"{prefix} nội dung {n}" for n, c in contents.items()}


def _register_url(campaign, code, year=YEAR):
    return reverse("campaigns:register", args=[campaign.pk, code, year])


def test_officer_registers_once_and_second_attempt_gets_vietnamese_message(users, campaign, contents, client_for):
    client = client_for(users["dm_officer"])
    response = client.post(_register_url(campaign, "DM"), _payload(contents))
    registration = Registration.objects.get(campaign=campaign, unit__code="DM", year=YEAR)
    assert response.status_code == 302
    assert registration.registered_by == users["dm_officer"]
    assert RegistrationCommitment.objects.filter(registration=registration).count() == 5
    assert AuditEntry.objects.filter(action="registration_create", target_id=str(registration.pk)).exists()

    # Second attempt through the page: refused with a message, sent to the existing registration.
    response = client.post(_register_url(campaign, "DM"), _payload(contents, "Lần hai"), follow=True)
    page = response.content.decode()
    assert "đã đăng ký thi đua năm 2025; mỗi đơn vị chỉ đăng ký một lần mỗi năm" in page
    assert Registration.objects.filter(unit__code="DM", year=YEAR).count() == 1
    assert not RegistrationCommitment.objects.filter(commitment__startswith="Lần hai").exists()

    # ...and through the service (what a second browser tab racing the first would reach).
    with pytest.raises(ValidationError) as error:
        services.registration_create(campaign=campaign, unit=registration.unit, year=YEAR,
                                     commitments={c.pk: "x" for c in contents.values()}, by=users["dm_officer"])
    assert "đã đăng ký thi đua năm 2025" in error.value.messages[0]

    # Commitments can be edited while the year is open.
    edit = reverse("campaigns:registration_edit", args=[registration.pk])
    client.post(edit, {**_payload(contents), f"commitment_{contents[3].pk}": "Cam kết mới"})
    assert registration.commitments.get(content=contents[3]).commitment == "Cam kết mới"


def test_officer_registers_a_sub_unit_but_not_outside_its_subtree(users, campaign, contents, client_for):
    client = client_for(users["dm_officer"])
    assert client.post(_register_url(campaign, "DM-01"), _payload(contents)).status_code == 302
    assert Registration.objects.filter(unit__code="DM-01").exists()
    assert client.get(_register_url(campaign, "GN-01")).status_code == 404
    assert client.post(_register_url(campaign, "GN-01"), _payload(contents)).status_code == 404
    assert not Registration.objects.filter(unit__code="GN-01").exists()


def test_missing_commitment_is_explained(users, campaign, contents, client_for):
    data = _payload(contents)
    data[f"commitment_{contents[2].pk}"] = ""
    response = client_for(users["dm_officer"]).post(_register_url(campaign, "DM"), data)
    assert response.status_code == 200
    assert "Hãy nhập cam kết cho nội dung này." in response.content.decode()
    assert not Registration.objects.exists()


def test_non_participating_kind_is_refused(users, tree, campaign, contents, client_for):
    campaign.participant_unit_kinds = ["department", "district"]
    campaign.save()
    response = client_for(users["dm_officer"]).post(_register_url(campaign, "DM-01"), _payload(contents),
                                                    follow=True)
    assert "không thuộc đối tượng thi đua của phong trào này" in response.content.decode()
    assert not Registration.objects.exists()
    with pytest.raises(ValidationError):
        services.registration_create(campaign=campaign, unit=tree["dm01"], year=YEAR, commitments={},
                                     by=users["dm_officer"])


def test_sở_nội_vụ_cannot_register_for_a_unit(users, campaign, contents, client_for):
    for role in ("admin", "appraiser", "leader"):
        assert client_for(users[role]).post(_register_url(campaign, "DM"), _payload(contents)).status_code == 403
    assert not Registration.objects.exists()


def _officer(username, unit, email):
    return User.objects.create_user(username=username, password="x", role=Role.OFFICER, unit=unit, email=email)


@pytest.fixture
def registered_dm(users, campaign, contents, client_for):
    client_for(users["dm_officer"]).post(_register_url(campaign, "DM"), _payload(contents))
    return Registration.objects.get(unit__code="DM")


def test_status_list_filters_and_reminder_goes_only_to_unregistered(users, tree, campaign, registered_dm,
                                                                     client_for):
    _officer("dm_mail", tree["dm"], "dm@example.vn")
    _officer("gn_mail", tree["gn"], "gn@example.vn")
    _officer("gn01_mail", tree["gn01"], "gn01@example.vn")
    User.objects.create_user(username="gn01_off", password="x", role=Role.OFFICER, unit=tree["gn01"],
                             email="old@example.vn", is_active=False)
    User.objects.create_user(username="gn01_leader", password="x", role=Role.LEADER, unit=tree["gn01"],
                             email="leader@example.vn")

    client = client_for(users["appraiser"])
    url = reverse("campaigns:registrations", args=[campaign.pk])
    page = client.get(url, {"year": YEAR, "status": "no"}).content.decode()
    assert 'data-unit="GN-01"' in page and 'data-unit="DM"' not in page
    assert 'data-unit="DNO"' not in page  # the province itself does not take part
    page = client.get(url, {"year": YEAR, "district": "GN"}).content.decode()
    assert 'data-unit="GN-01"' in page and 'data-unit="DM-01"' not in page and 'data-unit="SNV"' not in page
    page = client.get(url, {"year": YEAR, "kind": "commune"}).content.decode()
    assert 'data-unit="GN-01"' in page and 'data-unit="DM-01"' in page and 'data-unit="GN"' not in page

    # Bulk "all not registered" within the district filter: GN and GN-01, not DM (registered) nor DM-01.
    response = client.post(reverse("campaigns:registration_remind", args=[campaign.pk]),
                           {"year": YEAR, "district": "GN", "all": "1"}, follow=True)
    assert response.status_code == 200
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["gn01@example.vn", "gn@example.vn"]
    assert all("2025" in message.subject for message in mail.outbox)
    reminded = set(AuditEntry.objects.filter(action="remind_registration").values_list("target_label", flat=True))
    assert reminded == {tree["gn"].name, tree["gn01"].name}

    # Selected units: a registered one in the selection is skipped.
    mail.outbox.clear()
    client.post(reverse("campaigns:registration_remind", args=[campaign.pk]),
                {"year": YEAR, "units": ["DM", "DM-01"]})
    assert [m.to for m in mail.outbox] == []  # DM registered; DM-01 has no officer with e-mail
    assert AuditEntry.objects.filter(action="remind_registration", target_label=tree["dm01"].name).count() == 1
    assert not AuditEntry.objects.filter(action="remind_registration", target_label=tree["dm"].name).exists()


def test_leader_and_officer_cannot_remind(users, campaign, client_for):
    for role in ("leader", "dm_officer"):
        response = client_for(users[role]).post(reverse("campaigns:registration_remind", args=[campaign.pk]),
                                                {"year": YEAR, "all": "1"})
        assert response.status_code == 403
    assert mail.outbox == []


def test_officer_sees_only_its_subtree_in_the_status_list(users, campaign, registered_dm, client_for):
    page = client_for(users["dm_officer"]).get(reverse("campaigns:registrations", args=[campaign.pk]),
                                               {"year": YEAR}).content.decode()
    assert 'data-unit="DM-01"' in page and 'data-unit="GN-01"' not in page
    assert reverse("campaigns:register", args=[campaign.pk, "DM-01", YEAR]) in page


def test_status_list_query_count_does_not_grow(users, tree, campaign, registered_dm, client_for):
    client = client_for(users["admin"])
    url = reverse("campaigns:registrations", args=[campaign.pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"year": YEAR}).status_code == 200
        return len(captured)

    few = count()
    for number in range(60):
        unit = Unit.objects.create(code=f"DM-X{number:02}", name=f"Xã {number}", kind=UnitKind.COMMUNE,
                                   parent=tree["dm"])
        if number % 3 == 0:
            Registration.objects.create(campaign=campaign, unit=unit, year=YEAR)
    assert count() == few
