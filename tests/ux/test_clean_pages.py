"""No page a non-administrator can reach shows working notes or sample markers (issue 15): on the demo province,
each demo role (and an anonymous visitor) follows the links from the home page and the menu, GET only, one page of
each kind (the same path with other numbers is the same kind), and no page holds "chưa đối chiếu", "[Mẫu]",
"[Dữ liệu mẫu]" or Django's empty choice "---------". The demo is announced once, by the banner of the page frame."""

import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from core import demo
from units.models import User

FORBIDDEN = ("chưa đối chiếu", "[Mẫu]", "[Dữ liệu mẫu]", "---------")
ROLES = [None, "snv.thamdinh", "lanhdao", "lanhdao.pheduyet", "dakmil.canbo", "nghiaduc.canbo"]
SKIP = ("/dang-xuat/", "/ngon-ngu/", "/quan-tri/", "/static/", "/media/")
# Downloads (workbooks, PDFs, photos, charts, files): not pages, and the slowest to build; not fetched.
DOWNLOAD = re.compile(r"(xuat-excel|mau-excel|tai-ve|/pdf/|/anh/|\.pdf$|\.svg$|\.xlsx$|\.docx$|\.json$)")
HREF = re.compile(r'href="([^"#]*)"')


def _kind(url):
    """Pages of one kind: /khen-thuong/ho-so/12/ and /khen-thuong/ho-so/7/ (their query keys too)."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path), tuple(keys)


def _crawl(client):
    """{url: problem} for every page of each kind reachable from "/"; also the number of pages read."""
    queue, seen_kinds, problems, read = ["/"], set(), {}, 0
    while queue:
        url = queue.pop(0)
        kind = _kind(url)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        response = client.get(url)
        if response.status_code >= 500:
            problems[url] = f"status {response.status_code}"
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        read += 1
        html = response.content.decode()
        for word in FORBIDDEN:
            if word in html:
                at = html.index(word)
                problems[url] = f"{word!r} near {html[max(0, at - 120):at + 40]!r}"
        for href in HREF.findall(html):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if (parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP)
                    or DOWNLOAD.search(parts.path)):
                continue
            queue.append(target)
    return problems, read


@pytest.fixture
def demo_province(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_no_page_reachable_by_a_non_admin_shows_notes_or_markers(client, demo_province):
    client.raise_request_exception = False  # a page that fails is reported with the others, the crawl goes on
    report = {}
    for username in ROLES:
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        problems, read = _crawl(client)
        assert read >= (5 if username is None else 20), f"{username}: only {read} pages reached"
        report.update({f"{username or 'anonymous'} {url}": problem for url, problem in problems.items()})
    assert report == {}


@pytest.mark.django_db
def test_the_demo_is_announced_by_one_banner_not_by_its_names(client, demo_province):
    assert demo.is_loaded()
    page = client.get("/").content.decode()
    assert page.count('id="demo-banner"') == 1 and "Dữ liệu mẫu" in page
    from par.models import CriteriaSet, Criterion
    assert not CriteriaSet.objects.filter(title__contains="[Mẫu]").exists()
    assert not Criterion.objects.filter(title__contains="[Mẫu]").exists()
    ranking = client.get("/chi-so-cchc/cong-bo/2023/").content.decode()
    assert ranking.count('id="demo-banner"') == 1 and "[Mẫu]" not in ranking


@pytest.mark.django_db
def test_without_the_demo_there_is_no_banner(client, tree):
    assert not demo.is_loaded()
    assert 'id="demo-banner"' not in client.get("/").content.decode()
