"""A small form a POST action carries (core.views.form_action), through the reports' draft page: a refused form
says what to type and runs nothing; a valid one runs the service."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reports.models import GeneratedReport, ReportDraft

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_refused_format_queues_nothing_and_says_what_to_choose(client_for, users, final_draft):
    response = client_for(users["appraiser"]).post(reverse("reports:generate", args=[final_draft.pk]),
                                                   {"format": "docx"})
    assert response.status_code == 302 and response["Location"] == final_draft.get_absolute_url()
    assert _messages(response) == ["Hãy chọn định dạng báo cáo (PDF, Excel hoặc biểu thống kê)."]
    assert not GeneratedReport.objects.exists()


def test_a_register_date_not_in_dd_mm_yyyy_registers_nothing(client_for, users, final_draft):
    response = client_for(users["admin"]).post(reverse("reports:register", args=[final_draft.pk]),
                                               {"issued_on": "2025-13-45"})
    assert response.status_code == 302 and response["Location"] == final_draft.get_absolute_url()
    assert _messages(response) == ["Hãy nhập ngày ban hành theo dạng dd/mm/yyyy."]
    assert ReportDraft.objects.get(pk=final_draft.pk).entry_id is None


def test_a_reader_cannot_register_even_with_a_valid_date(client_for, users, final_draft):
    response = client_for(users["leader"]).post(reverse("reports:register", args=[final_draft.pk]),
                                                {"issued_on": "05/12/2025"})
    assert response.status_code == 403
    assert ReportDraft.objects.get(pk=final_draft.pk).entry_id is None
