"""Rendered report parts kept on disk by the SHA-256 of their HTML, so an unchanged part is never laid out twice.

Sở Nội vụ regenerates a report after rewording its narrative or fixing one figure; the appendices (thousands of
rows, most of the rendering time) are then byte-for-byte the same HTML and their PDF is taken from here. The key
covers the whole part HTML (data, wording, styles, language), the engine that laid it out with its version
(WeasyPrint's, or the Chromium executable's stamp) and `FORMAT`, so a different input can never return a stale PDF.
The folder is bounded (`REPORT_PART_CACHE_BYTES`): least recently used files go first. A cache that cannot be read
or written is skipped, never fatal.
"""

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

FORMAT = "1"  # bump when the way parts are rendered changes without their HTML changing


def _folder():
    folder = getattr(settings, "REPORT_PART_CACHE_DIR", None)
    return Path(folder) if folder else None


def _engine_stamp(engine):
    if engine == "chromium":
        from .chromium import version_stamp

        return f"chromium {version_stamp()}"
    import weasyprint

    return weasyprint.__version__  # the WeasyPrint parts keep the keys they had before there was a second engine


def key(html, engine="weasyprint"):
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}|{_engine_stamp(engine)}|{settings.BASE_DIR}|".encode())
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


def get(html, engine="weasyprint"):
    """The cached PDF of this part as laid out by `engine`, or None."""
    folder = _folder()
    if folder is None:
        return None
    path = folder / f"{key(html, engine)}.pdf"
    try:
        pdf = path.read_bytes()
        os.utime(path)  # recently used: pruned last
    except OSError:
        return None
    return pdf if pdf.startswith(b"%PDF") else None


def put(html, pdf, engine="weasyprint"):
    """Keep `pdf` for this part as laid out by `engine` (written atomically, then the folder is pruned to its size
    bound)."""
    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
            handle.write(pdf)
        os.replace(handle.name, folder / f"{key(html, engine)}.pdf")
        prune(folder, getattr(settings, "REPORT_PART_CACHE_BYTES", 512 * 1024 * 1024))
    except OSError as error:
        logger.warning("report part cache not written: %s", error)


def prune(folder, limit):
    """Delete the least recently used parts until the folder holds at most `limit` bytes; returns what was deleted."""
    entries = []
    for path in Path(folder).glob("*.pdf"):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _mtime, size, _path in entries)
    removed = []
    for _mtime, size, path in sorted(entries):
        if total <= limit:
            break
        path.unlink(missing_ok=True)
        total -= size
        removed.append(path.name)
    return removed
