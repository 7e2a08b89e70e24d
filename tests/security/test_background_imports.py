"""Large Excel imports run in the background worker (core.imports), through every import page.

A workbook that unpacks to more than settings.IMPORT_BACKGROUND_BYTES is not read within the request: the request
stores it in private storage, writes an ImportJob row, queues the task and sends the user to the import's page with
`?job=<id>`, which shows the progress bar (polled by htmx) and, once `manage.py db_worker` (the real worker, run here
with --batch) has finished, the same preview, error list or success message a small file shows at once. Units and
people keep their preview → confirm steps, both in the worker. The stored file is removed when the job ends (a clean
preview keeps it until it is confirmed, once, or cancelled); a job is visible to its owner only.
"""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.files import private_storage
from core.imports import FOLDER
from core.models import AuditEntry, ImportJob
from tests.security.test_hostile_imports import IMPORTS, VIEWS, _valid_rows, _view_case, xlsx
from units import excel as unit_excel
from units.models import User

DONE = {
    "units": "Đã nhập danh sách đơn vị: 6 đơn vị mới, 0 đơn vị cập nhật, 0 đơn vị không đổi.",
    "people": "Đã nhập danh sách cá nhân: 6 người mới, 0 người cập nhật, 0 người không đổi.",
    "par_set": "Đã nhập 6 dòng tiêu chí.",
    "par_survey": "Đã nhập 6 điểm điều tra xã hội học.",
    "awards": "Đã nhập 6 khen thưởng; bỏ qua 0 dòng đã có.",
}
AUDIT = {"units": "units_import", "people": "people_import", "par_set": "par_set_import",
         "par_survey": "par_survey_import", "awards": "commendation_import"}
PREVIEWED = {"units", "people"}  # upload → preview → confirm; the others write at once


def run_worker():
    call_command("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", verbosity=0)


def job_files():
    storage = private_storage()

    def walk(folder):
        if not storage.exists(folder):
            return []
        directories, files = storage.listdir(folder)
        return [f"{folder}/{name}" for name in files] + [n for d in directories for n in walk(f"{folder}/{d}")]
    return walk(FOLDER)


def unpacked(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(member.file_size for member in archive.infolist())


@pytest.fixture
def page(request, client, users, settings):
    """page(kind) → (the import, a client logged in as its user, the import page's address)."""
    settings.IMPORT_BACKGROUND_BYTES = 0  # every workbook counts as large

    def build(kind):
        imp = IMPORTS[kind](request.getfixturevalue)
        name, role = VIEWS[kind]
        url = reverse(name, kwargs={"pk": imp.set.pk}) if kind.startswith("par_") else reverse(name)
        client.force_login(users[role])
        return imp, client, url
    return build


def _upload(content, name="danh-sach.xlsx"):
    return SimpleUploadedFile(name, content)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", list(IMPORTS))
def test_a_large_import_runs_in_the_worker_and_ends_on_its_result(page, kind):
    imp, client, url = page(kind)
    before = imp.written()
    response = client.post(url, {"file": _upload(xlsx(imp.headers, _valid_rows(imp, 6)))})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"{url}?job={job.pk}"
    assert job.status == "queued" and job.task_id and job.original_name == "danh-sach.xlsx"
    assert job_files() == [job.file.name]  # the upload waits in private storage under a random name
    assert imp.written() == before, "the request read or wrote the workbook"

    text = client.get(response.url).content.decode()
    assert "Đang xử lý tệp “danh-sach.xlsx”" in text and "Đang chờ xử lý" in text
    assert f'hx-get="{url}?job={job.pk}"' in text and 'hx-trigger="every 2s"' in text
    poll = client.get(response.url, headers={"HX-Request": "true"})
    assert poll.status_code == 200 and "<html" not in poll.content.decode() and "progress-bar" in poll.content.decode()

    run_worker()
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.finished_at, job.error
    poll = client.get(response.url, headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"  # the bar reloads the page, which now shows the result
    text = client.get(response.url).content.decode()

    if kind in PREVIEWED:
        assert "Xem trước tệp “danh-sach.xlsx”" in text and "Xác nhận nhập" in text
        assert f'name="confirm_job" value="{job.pk}"' in text
        assert imp.written() == before, "the preview wrote something"
        assert job_files() == [job.file.name], "the clean preview keeps its file for the confirmation"
        response = client.post(url, {"confirm_job": job.pk})
        confirming = ImportJob.objects.exclude(pk=job.pk).get()
        assert response.status_code == 302 and response.url == f"{url}?job={confirming.pk}"
        assert confirming.options == {"dry_run": False} and confirming.file.name == job.file.name
        run_worker()
        text = client.get(response.url).content.decode()
    assert DONE[kind] in text
    assert imp.written() != before
    assert AuditEntry.objects.filter(action=AUDIT[kind]).count() == 1
    assert job_files() == [], "a finished job left its file in private storage"
    assert not ImportJob.objects.filter(status__in=["queued", "running"]).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", list(IMPORTS))
def test_a_broken_large_file_shows_the_same_errors_and_writes_nothing(page, kind):
    imp, client, url = page(kind)
    content, bad = _view_case(kind, imp)
    before = imp.written()
    response = client.post(url, {"file": _upload(content)})
    run_worker()
    text = client.get(response.url).content.decode()
    assert sorted({int(n) for n in re.findall(r"Dòng (\d+)", text)}) == bad
    assert 'name="confirm_job"' not in text
    assert imp.written() == before
    assert job_files() == []


@pytest.mark.django_db(transaction=True)
def test_the_preview_is_confirmed_once_or_cancelled(page):
    imp, client, url = page("units")
    client.post(url, {"file": _upload(xlsx(imp.headers, _valid_rows(imp, 6)))})
    run_worker()
    preview = ImportJob.objects.get()
    assert client.post(url, {"confirm_job": preview.pk}).status_code == 302
    again = client.post(url, {"confirm_job": preview.pk}, follow=True)
    assert "Phiên nhập dữ liệu đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại." in again.content.decode()
    assert ImportJob.objects.count() == 2  # the second click queued nothing
    run_worker()

    client.post(url, {"file": _upload(xlsx(imp.headers, _valid_rows(imp, 3)))})
    run_worker()
    second = ImportJob.objects.order_by("-pk").first()
    assert second.status == "done" and second.file
    response = client.post(url, {"cancel_job": second.pk}, follow=True)
    assert "Đã hủy lần nhập dữ liệu này; không có dữ liệu nào được ghi." in response.content.decode()
    assert not private_storage().exists(second.file.name)
    response = client.post(url, {"confirm_job": second.pk}, follow=True)
    assert "Phiên nhập dữ liệu đã hết hạn" in response.content.decode()
    assert ImportJob.objects.count() == 3 and job_files() == []


@pytest.mark.django_db(transaction=True)
def test_a_new_upload_drops_the_waiting_preview(page):
    imp, client, url = page("people")
    client.post(url, {"file": _upload(xlsx(imp.headers, _valid_rows(imp, 2)))})
    run_worker()
    first = ImportJob.objects.get()
    assert first.file
    client.post(url, {"file": _upload(xlsx(imp.headers, _valid_rows(imp, 3)))})
    first.refresh_from_db()
    assert not first.file and first.consumed_at and len(job_files()) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", list(IMPORTS))
def test_a_job_is_its_owners_only(page, users, client, kind):
    imp, client, url = page(kind)
    client.post(url, {"file": _upload(xlsx(imp.headers, _valid_rows(imp, 6)))})
    job = ImportJob.objects.get()
    owner = users[VIEWS[kind][1]]
    other = User.objects.create_user(username="dong_nghiep", password="x", role=owner.role, unit=owner.unit)
    client.force_login(other)
    assert client.get(f"{url}?job={job.pk}").status_code == 404
    assert client.get(f"{url}?job={job.pk}", headers={"HX-Request": "true"}).status_code == 404
    assert client.get(f"{url}?job=khong-phai-so").status_code == 404
    if kind in PREVIEWED:
        assert client.post(url, {"confirm_job": job.pk}).status_code == 404
        assert client.post(url, {"cancel_job": job.pk}).status_code == 404
    client.logout()
    response = client.get(f"{url}?job={job.pk}")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db(transaction=True)
def test_a_job_of_another_import_is_not_found_on_this_page(page):
    imp, client, url = page("units")
    client.post(url, {"file": _upload(xlsx(imp.headers, _valid_rows(imp, 2)))})
    job = ImportJob.objects.get()
    assert client.get(f"{reverse('units:people_import')}?job={job.pk}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_job_runs_with_its_users_scope(page, users, client, settings):
    """The worker acts as the officer who uploaded the file: a row for a unit outside the officer's subtree is a row
    error, as in the request."""
    imp, _admin_client, url = page("people")
    client.force_login(users["gn_officer"])
    rows = [["", "Người ở Gia Nghĩa", "Nam", "", "GN-01", ""], ["", "Người ở Đắk Mil", "Nữ", "", "DM-01", ""]]
    before = imp.written()
    response = client.post(url, {"file": _upload(xlsx(imp.headers, rows))})
    run_worker()
    text = client.get(response.url).content.decode()
    assert "Dòng 3:" in text and "không thuộc phạm vi quản lý của bạn" in text
    assert imp.written() == before


@pytest.mark.django_db(transaction=True)
def test_a_deactivated_user_s_job_fails_and_writes_nothing(page, users):
    imp, client, url = page("units")
    client.post(url, {"file": _upload(xlsx(imp.headers, _valid_rows(imp, 6)))})
    users["admin"].is_active = False
    users["admin"].save()
    before = imp.written()
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "failed" and "PermissionDenied" in job.error
    assert imp.written() == before and job_files() == []


@pytest.mark.django_db(transaction=True)
def test_a_failed_or_interrupted_job_says_so(page):
    imp, client, url = page("awards")
    response = client.post(url, {"file": _upload(xlsx(imp.headers, _valid_rows(imp, 6)))})
    job = ImportJob.objects.get()
    private_storage().delete(job.file.name)  # the worker cannot read the stored file
    before = imp.written()
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    text = client.get(response.url).content.decode()
    assert "Không nhập được tệp “danh-sach.xlsx”." in text and "không có dữ liệu nào được ghi" in text
    assert imp.written() == before

    stale = ImportJob.objects.create(kind="commendations", uploaded_by=job.uploaded_by, status="running",
                                     original_name="cu.xlsx",
                                     started_at=timezone.now() - timezone.timedelta(hours=2))
    text = client.get(f"{url}?job={stale.pk}").content.decode()
    assert "Không nhập được tệp “cu.xlsx”." in text and "Tiến trình chạy nền đã dừng" in text
    assert client.get(f"{url}?job={stale.pk}", headers={"HX-Request": "true"})["HX-Refresh"] == "true"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(IMPORTS))
def test_the_threshold_decides_where_the_import_runs(page, settings, kind):
    """At IMPORT_BACKGROUND_BYTES (the workbook's unpacked size) the import runs in the request, as before; one byte
    under it, in the worker."""
    imp, client, url = page(kind)
    content = xlsx(imp.headers, _valid_rows(imp, 6))
    settings.IMPORT_BACKGROUND_BYTES = unpacked(content)
    response = client.post(url, {"file": _upload(content)})
    assert not ImportJob.objects.exists()
    assert response.status_code == (200 if kind in PREVIEWED else 302)
    assert "?job=" not in response.get("Location", "")
    settings.IMPORT_BACKGROUND_BYTES = unpacked(content) - 1
    response = client.post(url, {"file": _upload(content)})
    assert response.status_code == 302 and "?job=" in response.url and ImportJob.objects.count() == 1


def test_the_default_threshold_keeps_ordinary_files_in_the_request():
    from django.conf import settings

    assert settings.IMPORT_BACKGROUND_BYTES == 2 * 1024 * 1024
    assert "imports" in settings.TASKS["default"]["QUEUES"]


@pytest.mark.django_db
def test_imports_report_their_progress_up_to_100(tree, users):
    seen = []
    content = xlsx(unit_excel.UNIT_HEADERS, [[f"T{i:03d}", f"Phòng {i}", "division", "DM-01", "", "", "", ""]
                                             for i in range(300)])
    result = unit_excel.units_import(file=content, by=users["admin"], progress=seen.append)
    assert result.ok and result.new == 300
    assert seen == sorted(seen) and seen[0] <= 10 and seen[-1] == 100 and len(seen) > 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", list(IMPORTS))
def test_one_background_import_at_a_time_per_user(page, kind):
    """Nobody fills the worker's queue: while a user's large import waits or runs, their next one is refused (the
    form says why, nothing is stored); once it has ended, the next one is taken."""
    imp, client, url = page(kind)
    content = xlsx(imp.headers, _valid_rows(imp, 6))
    client.post(url, {"file": _upload(content)})
    response = client.post(url, {"file": _upload(content)})
    assert response.status_code == 200
    assert ("Một tệp bạn tải lên trước đó vẫn đang được xử lý; hãy chờ xử lý xong rồi tải tệp tiếp theo."
            in response.content.decode())
    assert ImportJob.objects.count() == 1 and len(job_files()) == 1
    run_worker()
    response = client.post(url, {"file": _upload(content)})
    assert response.status_code == 302 and ImportJob.objects.count() == 2
