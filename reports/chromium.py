"""Report parts printed by headless Chromium (`REPORT_PDF_ENGINE = "chromium"`, the default where it is installed).

Why a second engine: WeasyPrint spends about five times Chromium's CPU on a page of text (line breaking through
Pango, a Python loop per glyph), so the 350-page final review took 12-20 s against Chromium's 2-3 s for the very
same HTML (bench/README.md, "The final-review PDF with Chromium"). The HTML and its CSS do not change: Chromium
honours the Decree 30/2020 page of `documents/_page.css.html` (A4, its margins, the page number in the top margin
from page 2, as margin boxes) and the report's parts stay separate documents, each with its own page numbers,
joined and cached exactly as WeasyPrint's are. Every other document (decisions, certificates, Tờ trình) is small
and stays with WeasyPrint.

Safety: the page runs no script of its own and every request it would make is refused; a report's HTML is
self-contained (system fonts, inline SVG charts) and its text was escaped by the template engine.
"""

import asyncio
import logging
import os
import queue
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

logger = logging.getLogger(__name__)

ARGS = ["--headless", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions"]


def args():
    # Chromium will not start its sandbox as root (containers, this CI); a worker running as a user keeps it.
    return [*ARGS, "--no-sandbox"] if os.geteuid() == 0 else ARGS


class Unavailable(Exception):
    """Chromium is not installed or would not start; the caller lays the parts out with WeasyPrint instead."""


def executable():
    return getattr(settings, "REPORT_CHROMIUM_PATH", "") or "/usr/bin/chromium"


def version_stamp():
    """What identifies the installed browser for the part cache (path, size, time of the executable): an upgrade
    may lay the same HTML out differently, so its parts are never taken for the old one's."""
    try:
        stat = os.stat(os.path.realpath(executable()))
    except OSError:
        return "missing"
    return f"{executable()}:{stat.st_size}:{int(stat.st_mtime)}"


def print_documents(htmls, *, done=None, tabs=1):
    """[(PDF bytes, wall seconds)] for each HTML document, printed in one browser by up to `tabs` pages at once
    (each page has its renderer process, so several cores share the work); `done`, when given, hears the index of
    each document as it is printed, in the calling thread (so it may write to the database).

    Playwright refuses to run its synchronous API in a thread that has an asyncio loop (a test's own browser, an
    asynchronous worker): the browser is driven by its asynchronous API in a thread of its own, with its own loop."""
    if not os.access(executable(), os.X_OK):
        raise Unavailable(f"no Chromium at {executable()}")
    printed = queue.SimpleQueue()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-chromium") as thread:
        future = thread.submit(asyncio.run, _print_all(list(htmls), max(1, tabs), printed.put))
        while True:
            try:
                index = printed.get(timeout=0.1)
            except queue.Empty:
                if future.done() and printed.empty():
                    break
                continue
            if done is not None:
                done(index)
        try:
            return future.result()
        except Exception as error:  # the driver or the browser failed (start, crash, timeout): WeasyPrint takes over
            raise Unavailable(f"{type(error).__name__}: {error}") from error


async def _print_all(htmls, tabs, printed):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable(), args=args())
        try:
            context = await browser.new_context(java_script_enabled=False)
            await context.route("**/*", lambda route: route.abort())  # nothing is fetched, nothing leaves the machine
            pages = await asyncio.gather(*(context.new_page() for _ in range(min(tabs, len(htmls)))))
            waiting = list(enumerate(htmls))[::-1]  # popped from the end: first given, first printed
            results = [None] * len(htmls)

            async def tab(page):
                while waiting:
                    index, html = waiting.pop()
                    started = time.perf_counter()
                    await page.set_content(html, wait_until="load")
                    # prefer_css_page_size: the document's @page rule, not Playwright's Letter, sets paper and margins.
                    results[index] = (await page.pdf(prefer_css_page_size=True, print_background=True),
                                      time.perf_counter() - started)
                    printed(index)

            await asyncio.gather(*(tab(page) for page in pages))
            return results
        finally:
            await browser.close()
