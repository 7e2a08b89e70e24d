"""The two report PDF engines: Chromium by default, WeasyPrint where Chromium is missing; their parts never mix in
the cache, Chromium's pages are A4 to the hundredth of a millimetre, and the browser fetches nothing."""

import http.server
import logging
import subprocess
import threading

import pytest

from core import documents
from reports import chromium, render
from reports.context import build_for

pytestmark = pytest.mark.django_db


def pdfinfo(pdf, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], check=True, capture_output=True).stdout.decode()


def pdf_text(pdf, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], check=True,
                          capture_output=True).stdout.decode()


@pytest.fixture
def final_html(dataset, final_draft):
    return render.render_html(build_for(dataset["campaign"], "final", draft=final_draft))


@pytest.mark.parametrize("browser", ["missing", "broken"])
def test_without_chromium_the_report_is_laid_out_by_weasyprint(browser, final_html, settings, tmp_path, caplog):
    settings.REPORT_PDF_ENGINE = "chromium"
    settings.REPORT_CHROMIUM_PATH = str(tmp_path / "no-such-browser")
    if browser == "broken":  # installed, but it dies as it starts
        (tmp_path / "no-such-browser").write_text("#!/bin/sh\necho 'cannot start' >&2\nexit 1\n")
        (tmp_path / "no-such-browser").chmod(0o755)
    stats = {}
    with caplog.at_level(logging.WARNING, logger="reports.render"):
        pdf = render.render_pdf(final_html, stats=stats)
    assert stats["engine"] == "weasyprint" and "Chromium unavailable" in caplog.text
    info = pdfinfo(pdf, tmp_path, "du-phong.pdf")
    assert "595.276 x 841.89 pts (A4)" in info
    assert "Phụ lục IV" in pdf_text(pdf, tmp_path, "du-phong.pdf")


def test_the_engines_never_take_each_others_parts_from_the_cache(final_html, settings, tmp_path):
    runs = []
    for engine in ("chromium", "weasyprint", "weasyprint", "chromium"):
        settings.REPORT_PDF_ENGINE = engine
        stats = {}
        pdf = render.render_pdf(final_html, stats=stats)
        runs.append((stats["engine"], [part["cached"] for part in stats["parts"]], pdf))
    assert stats["processes"] == 0  # the last run had every part cached: no browser was started
    assert [(engine, cached) for engine, cached, _pdf in runs] == [
        ("chromium", [False] * 5), ("weasyprint", [False] * 5), ("weasyprint", [True] * 5), ("chromium", [True] * 5)]
    assert pdf_text(runs[0][2], tmp_path, "c.pdf") == pdf_text(runs[3][2], tmp_path, "c2.pdf")
    assert pdf_text(runs[1][2], tmp_path, "w.pdf") == pdf_text(runs[2][2], tmp_path, "w2.pdf")
    assert len(list((tmp_path / "report-parts").glob("*.pdf"))) == 10


def test_a_new_chromium_is_not_served_the_old_ones_parts(final_html, settings, tmp_path):
    settings.REPORT_PDF_ENGINE = "chromium"
    render.render_pdf(final_html)
    stamp = chromium.version_stamp()
    browser = tmp_path / "chromium"
    browser.write_text(f'#!/bin/sh\nexec {chromium.executable()} "$@"\n')  # "upgraded": another executable
    browser.chmod(0o755)
    settings.REPORT_CHROMIUM_PATH = str(browser)
    assert chromium.version_stamp() != stamp
    stats = {}
    render.render_pdf(final_html, stats=stats)
    assert stats["engine"] == "chromium" and [part["cached"] for part in stats["parts"]] == [False] * 5


class _Counting(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_chromium_fetches_nothing_and_runs_no_script(settings, tmp_path):
    """A report part that names outside resources (as text a user typed could, were it ever left unescaped) prints
    without a single request leaving the browser, without reading a local file, and its scripts do not run."""
    secret = tmp_path / "bi-mat.html"
    secret.write_text("<p>NỘI DUNG TỆP MÁY CHỦ</p>", encoding="utf-8")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_port}"
    html = (f'<html><head><link rel="stylesheet" href="{address}/style.css"></head><body>'
            f'<p id="p">Văn bản gốc</p><img src="{address}/anh.png">'
            f'<iframe src="file://{secret}"></iframe><object data="file://{secret}"></object>'
            '<script>document.getElementById("p").textContent = "Đã chạy mã";</script></body></html>')
    try:
        [(pdf, _seconds)] = chromium.print_documents([html])
    finally:
        server.shutdown()
    assert _Counting.hits == []
    text = pdf_text(pdf, tmp_path, "an-toan.pdf")
    assert "Văn bản gốc" in text and "Đã chạy mã" not in text and "NỘI DUNG TỆP" not in text


@pytest.mark.parametrize(("size", "expected"), [
    ("A4", "595.276 x 841.89 pts (A4)"),  # Chromium writes 594.96 x 841.92
    ("A4 landscape", "841.89 x 595.276 pts (A4)"),
    ("letter", "612 x 792 pts (letter)"),  # not A4: left alone
])
def test_chromium_pages_within_a_point_of_a4_are_made_a4_exactly(size, expected, tmp_path):
    [(pdf, _seconds)] = chromium.print_documents([
        f"<html><head><style>@page {{ size: {size}; margin: 20mm 15mm 20mm 30mm; }}</style></head><body>"
        "<p>Trang một</p><p style='break-before: page'>Trang hai</p></body></html>"])
    fixed = documents.exact_a4(pdf)
    assert len(fixed) == len(pdf)  # rewritten in place: every offset of the cross-reference table still holds
    info = pdfinfo(fixed, tmp_path, "a4.pdf")
    assert expected in info and "Pages:           2" in info
    assert "Trang một" in pdf_text(fixed, tmp_path, "a4.pdf") and "Trang hai" in pdf_text(fixed, tmp_path, "a4.pdf")
    assert (fixed == pdf) == (size == "letter")
    checked = subprocess.run(["pdfinfo", str(tmp_path / "a4.pdf")], capture_output=True, check=True)
    assert b"Syntax Error" not in checked.stderr  # poppler reads the rewritten file without repairing it


def test_chromium_progress_moves_as_each_part_is_printed(final_html, dataset, final_draft, settings):
    """Progress is heard once a part, in order, ending at the whole; a report job maps it from 50 to 95 %."""
    from reports.generation import build_file

    settings.REPORT_PDF_ENGINE = "chromium"
    shares, stats = [], {}
    render.render_pdf(final_html, progress=shares.append, stats=stats)
    assert stats["engine"] == "chromium" and len(shares) == stats["documents"] == 5
    assert shares == sorted(shares) and 0 < shares[0] < 1 and shares[-1] == pytest.approx(1.0)
    settings.REPORT_PART_CACHE_DIR = None  # the job prints every part again
    seen = []
    build_file(campaign=dataset["campaign"], kind="final", fmt="pdf", draft=final_draft, progress=seen.append)
    assert seen[:2] == [30, 50] and len(seen[2:]) == 5 and seen[2:] == sorted(seen[2:]) and seen[-1] == 95
