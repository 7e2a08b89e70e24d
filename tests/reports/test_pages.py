"""Pages: who may reach them, the draft form, generation through the task (immediate backend), downloads."""

import hashlib
import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from core.models import AuditEntry
from reports.models import GeneratedReport, JobStatus, ReportDraft

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, final_draft):
    for url in [reverse("reports:index"), reverse("reports:dashboard"),
                reverse("reports:draft", args=[final_draft.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")


def test_officer_gets_404_everywhere(client_for, users, final_draft):
    """Issue 6: a unit officer cannot reach the generation page, the jobs or the files — nothing is in its scope."""
    client = client_for(users["dm_officer"])
    version = GeneratedReport.objects.create(draft=final_draft, kind="final", format="xlsx",
                                             period_start="2022-10-14", period_end="2025-12-31",
                                             status=JobStatus.FAILED, error="x")
    for url in [reverse("reports:index"), reverse("reports:dashboard"), reverse("reports:draft", args=[final_draft.pk]),
                reverse("reports:preview", args=[final_draft.pk]), reverse("reports:versions", args=[final_draft.pk]),
                reverse("reports:version", args=[version.pk])]:
        assert client.get(url).status_code == 404, url
    campaign = final_draft.campaign
    for url, data in [(reverse("reports:generate", args=[final_draft.pk]), {"format": "pdf"}),
                      (reverse("reports:retry", args=[version.pk]), {}),
                      (reverse("reports:draft", args=[final_draft.pk]), {"signer_name": "X"}),
                      (reverse("reports:draft_open", args=[campaign.pk]), {f"c{campaign.pk}-kind": "interim"})]:
        assert client.post(url, data).status_code == 404, url
    assert GeneratedReport.objects.count() == 1
    assert GeneratedReport.objects.get().status == JobStatus.FAILED  # the retry did nothing
    assert ReportDraft.objects.count() == 1 and ReportDraft.objects.get().signer_name == "Nguyễn Văn Bảy"


def test_leader_reads_but_cannot_generate_or_edit(client_for, users, final_draft):
    client = client_for(users["leader"])
    page = client.get(reverse("reports:draft", args=[final_draft.pk]))
    assert page.status_code == 200
    assert "Tạo báo cáo</button>" not in page.content.decode()
    assert client.post(reverse("reports:generate", args=[final_draft.pk]), {"format": "pdf"}).status_code == 403
    assert client.post(reverse("reports:draft", args=[final_draft.pk]), {"signer_name": "X"}).status_code == 403
    assert ReportDraft.objects.get(pk=final_draft.pk).signer_name == "Nguyễn Văn Bảy"


def test_admin_opens_a_draft_and_writes_the_narrative(client_for, users, dataset, body):
    client = client_for(users["admin"])
    campaign = dataset["campaign"]
    response = client.post(reverse("reports:draft_open", args=[campaign.pk]),
                           {f"c{campaign.pk}-kind": "yearly", f"c{campaign.pk}-year": "2023"})
    draft = ReportDraft.objects.get(campaign=campaign, kind="yearly", year=2023)
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert draft.recipients.splitlines()[-1] == "Lưu: VT, TĐKT" and len(draft.recipients.splitlines()) >= 3
    page = client.get(draft.get_absolute_url()).content.decode()
    # What a final document still lacks is listed; the generated paragraphs are shown under their fields.
    assert 'id="missing-parts"' in page and "Ưu điểm" in page.split('id="missing-parts"')[1].split("</ul>")[0]
    assert "Đoạn tự viết từ số liệu (đang dùng)" in page and "Trần Văn Tám" in page
    response = client.post(draft.get_absolute_url(), {
        "place": "", "strengths": "Nhiều đơn vị tích cực.", "limitations": "Minh chứng chậm.",
        "causes": "Nhân lực mỏng.", "next_steps": "Nhân rộng mô hình.", "proposals": "Đề nghị bố trí kinh phí.",
        "signer": str(body.signers.get(position="deputy").pk),
        "recipients": "- UBND tỉnh (b/c);\nLưu: VT, TĐKT.\nCác sở, ban, ngành;",
        "content_3": "Chỉ số CCHC của tỉnh tăng 5 bậc."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.content_notes == {"3": "Chỉ số CCHC của tỉnh tăng 5 bậc."}
    assert draft.signer.full_name == "Lê Thị Chín" and draft.number == "" and draft.issued_on is None
    assert AuditEntry.objects.filter(action="report_draft_update", target_id=str(draft.pk)).exists()
    preview = client.get(reverse("reports:preview", args=[draft.pk])).content.decode()
    assert "BẢN NHÁP" not in preview  # complete: no watermark
    assert "Số: " + "\u00a0" * 8 + "/BC-SNV" in preview  # not registered yet: room for the handwritten number
    assert "Nhiều đơn vị tích cực." in preview and "năm 2023" in preview
    section = preview.split("(3) Bộ chỉ số CCHC")[1].split("(4) Sáng kiến")[0]
    assert "Chỉ số CCHC của tỉnh tăng 5 bậc." in section
    # The filing line last and once, each entry punctuated by the template (Decree 30/2020).
    assert preview.count("Lưu: VT, TĐKT.") == 1 and "- Các sở, ban, ngành;" in preview
    assert "KT. GIÁM ĐỐC" in preview and "PHÓ GIÁM ĐỐC" in preview and "Lê Thị Chín" in preview

    # Registering takes the next number of Sở Nội vụ's series of reports and the issue date.
    response = client.post(reverse("reports:register", args=[draft.pk]), {"issued_on": "05/12/2023"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.number, draft.issued_on.isoformat(), draft.entry.reference) == ("1", "2023-12-05", "01/BC-SNV")
    preview = client.get(reverse("reports:preview", args=[draft.pk])).content.decode()
    assert "Số: 01/BC-SNV" in preview and "Đắk Nông, ngày 05 tháng 12 năm 2023" in preview
    assert "Kèm theo Báo cáo số 01/BC-SNV ngày 05/12/2023 của Sở Nội vụ" in preview
    # A registered document's text is not edited any more, and it is not registered twice.
    client.post(draft.get_absolute_url(), {"strengths": "Sửa sau khi cấp số."})
    assert ReportDraft.objects.get(pk=draft.pk).strengths == "Nhiều đơn vị tích cực."
    client.post(reverse("reports:register", args=[draft.pk]), {"issued_on": "06/12/2023"})
    assert ReportDraft.objects.get(pk=draft.pk).entry.reference == "01/BC-SNV"


def test_an_incomplete_draft_is_refused_as_final_but_made_as_a_watermarked_draft(
        client_for, users, dataset, body, django_capture_on_commit_callbacks):
    client = client_for(users["admin"])
    draft = ReportDraft.objects.create(campaign=dataset["campaign"], kind="interim", strengths="Ưu điểm.")
    response = client.post(reverse("reports:generate", args=[draft.pk]), {"format": "pdf"}, follow=True)
    page = response.content.decode()
    assert "Chưa tạo được văn bản chính thức: còn thiếu" in page and "“Bài học kinh nghiệm”" in page
    assert not GeneratedReport.objects.exists()
    response = client.post(reverse("reports:register", args=[draft.pk]), {"issued_on": "05/12/2023"}, follow=True)
    assert "còn thiếu" in response.content.decode() and ReportDraft.objects.get(pk=draft.pk).entry is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:generate", args=[draft.pk]), {"format": "pdf", "watermark": "on"})
    version = GeneratedReport.objects.get()
    assert version.status == JobStatus.DONE and version.watermarked
    assert version.original_name == "bao-cao-so-ket-584-KH-UBND-2023-ban-nhap.pdf"
    # The workbook twin has no narrative: it is made without the missing parts.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:generate", args=[draft.pk]), {"format": "xlsx"})
    assert GeneratedReport.objects.filter(format="xlsx", status=JobStatus.DONE).count() == 1


def test_sample_drafts_are_marked_on_the_page_only(client_for, users, dataset, body):
    draft = ReportDraft.objects.create(campaign=dataset["campaign"], kind="interim", sample=True)
    page = client_for(users["leader"]).get(draft.get_absolute_url()).content.decode()
    assert 'id="sample-badge"' in page and "Dữ liệu mẫu" in page
    preview = client_for(users["leader"]).get(reverse("reports:preview", args=[draft.pk])).content.decode()
    assert "Dữ liệu mẫu" not in preview and "mẫu" not in preview.split("<body>")[1]


def test_generation_enqueues_and_produces_a_downloadable_version(client_for, users, final_draft,
                                                                 django_capture_on_commit_callbacks):
    client = client_for(users["appraiser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:generate", args=[final_draft.pk]), {"format": "xlsx"})
    assert response.status_code == 302
    version = GeneratedReport.objects.get()
    assert version.status == JobStatus.DONE and version.progress == 100 and version.task_id
    assert version.created_by == users["appraiser"] and version.period_end.isoformat() == "2025-12-31"
    download = client.get(reverse("reports:version", args=[version.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == version.sha256 and len(content) == version.size
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert "PL IV Đơn vị" in workbook.sheetnames
    # Regenerating makes a new version; the old one stays downloadable and unchanged.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:generate", args=[final_draft.pk]), {"format": "stats"})
    assert GeneratedReport.objects.count() == 2
    assert GeneratedReport.objects.get(pk=version.pk).sha256 == version.sha256
    assert client.get(reverse("reports:version", args=[version.pk])).status_code == 200
    versions = client.get(reverse("reports:versions", args=[final_draft.pk])).content.decode()
    assert versions.count("Tải về") == 2 and 'hx-trigger="every 2s"' not in versions


def test_unfinished_job_polls_and_a_failed_job_can_be_retried(client_for, users, final_draft,
                                                               django_capture_on_commit_callbacks):
    client = client_for(users["admin"])
    queued = GeneratedReport.objects.create(draft=final_draft, kind="final", format="xlsx",
                                            period_start="2022-10-14", period_end="2025-12-31")
    versions = client.get(reverse("reports:versions", args=[final_draft.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in versions and "progress-bar" in versions
    GeneratedReport.objects.filter(pk=queued.pk).update(status=JobStatus.FAILED, error="MemoryError: hết bộ nhớ")
    page = client.get(reverse("reports:draft", args=[final_draft.pk])).content.decode()
    assert "MemoryError: hết bộ nhớ" in page and "Tạo lại" in page
    assert client.get(reverse("reports:version", args=[queued.pk])).status_code == 403  # nothing to download yet
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:retry", args=[queued.pk]))
    queued.refresh_from_db()
    assert queued.status == JobStatus.DONE and queued.error == "" and queued.sha256
    # A finished version cannot be "retried" (it is immutable).
    client.post(reverse("reports:retry", args=[queued.pk]))
    assert GeneratedReport.objects.get(pk=queued.pk).sha256 == queued.sha256


def test_dashboard_figures_match_the_report(client_for, users, dataset):
    client = client_for(users["leader"])
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'id="fig-registered" href="' in page
    assert '>4</a>' in page.split('id="fig-registered"')[1][:200]
    assert '>3</a>' in page.split('id="fig-accepted"')[1][:300]
    assert "<svg" in page and "Bằng khen của Chủ tịch UBND tỉnh" in page
    filtered = client.get(reverse("reports:dashboard"), {"campaign": dataset["campaign"].pk, "year": 2023,
                                                         "group": "commune"}).content.decode()
    assert '>0</a>' in filtered.split('id="fig-accepted"')[1][:300]  # no commune achievement accepted in 2023
    assert '>1</a>' in filtered.split('id="fig-registered"')[1][:200]  # DM-01 registered for 2023


def test_navigation_shows_reports_to_province_roles_only(client_for, users, dataset):
    assert "Tổng quan" in client_for(users["leader"]).get("/").content.decode()
    assert reverse("reports:dashboard") not in client_for(users["gn_officer"]).get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_job_runs_through_the_database_worker(settings, tree, users, campaign):
    """The production path: the request only queues; `db_worker` picks the job from the "reports" queue."""
    from django.core.management import call_command

    from reports import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports"]}}
    draft = services.draft_create(by=users["admin"], campaign=campaign, kind="interim")
    version = services.report_request(draft=draft, by=users["admin"], format="xlsx")
    version.refresh_from_db()
    assert version.status == JobStatus.QUEUED and version.task_id  # queued after commit, not run yet
    call_command("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", verbosity=0)
    version.refresh_from_db()
    assert version.status == JobStatus.DONE
    with version.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == version.sha256


def test_a_job_left_running_by_a_killed_worker_becomes_retryable(client_for, users, final_draft,
                                                                   django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    stuck = GeneratedReport.objects.create(draft=final_draft, kind="final", format="xlsx", status=JobStatus.RUNNING,
                                           period_start="2022-10-14", period_end="2025-12-31",
                                           started_at=timezone.now() - datetime.timedelta(minutes=5))
    client = client_for(users["admin"])
    client.post(reverse("reports:retry", args=[stuck.pk]))
    assert GeneratedReport.objects.get(pk=stuck.pk).status == JobStatus.RUNNING  # still running: not retryable yet
    GeneratedReport.objects.filter(pk=stuck.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    page = client.get(reverse("reports:versions", args=[final_draft.pk])).content.decode()
    assert "bị gián đoạn" in page and 'hx-trigger="every 2s"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:retry", args=[stuck.pk]))
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.DONE and stuck.attempts == 1


def test_a_finished_version_is_never_rewritten(users, final_draft):
    from reports import generation

    version = GeneratedReport.objects.create(draft=final_draft, kind="final", format="xlsx", created_by=users["admin"],
                                             period_start="2022-10-14", period_end="2025-12-31")
    done = generation.report_run(version_id=version.pk)
    assert done.status == JobStatus.DONE
    first = (done.sha256, done.file.name, done.finished_at)
    again = generation.report_run(version_id=version.pk)  # a duplicate delivery of the same job
    assert (again.sha256, again.file.name, again.finished_at) == first
    assert generation._store(version.pk, final_draft, b"other bytes").sha256 == first[0]
    assert AuditEntry.objects.filter(action="report_generated", target_id=str(version.pk)).count() == 1


def test_a_yearly_draft_outside_the_plan_says_what_is_wrong(client_for, users, dataset):
    from campaigns.models import Campaign

    draft = ReportDraft.objects.create(campaign=dataset["campaign"], kind="yearly", year=2025)
    Campaign.objects.filter(pk=dataset["campaign"].pk).update(ends_on="2024-12-31")  # the plan was shortened
    client = client_for(users["admin"])
    response = client.get(reverse("reports:draft", args=[draft.pk]), follow=True)
    assert "Năm 2025 nằm ngoài thời gian của phong trào" in response.content.decode()
    response = client.post(reverse("reports:generate", args=[draft.pk]), {"format": "pdf"}, follow=True)
    assert "Năm 2025 nằm ngoài thời gian của phong trào" in response.content.decode()
    assert not GeneratedReport.objects.exists()
