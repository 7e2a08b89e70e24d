"""Measures taken from a real PDF, as an official checking the printed page would: text lines with their boxes
(poppler's pdftotext -bbox-layout), bold text (pdftohtml -xml), horizontal rule lines (the page rasterised with
pdftoppm, runs of dark pixels with white above and below)."""

import html
import re
import subprocess
import xml.etree.ElementTree as ET

DPI = 200
XHTML = "{http://www.w3.org/1999/xhtml}"


def run(*args):
    return subprocess.run(args, check=True, capture_output=True).stdout


def text_lines(path, page=1):
    """[(text, xMin, yMin, xMax, yMax)] of every text line of a page, in points from the top left."""
    root = ET.fromstring(run("pdftotext", "-bbox-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page),
                             str(path), "-"))
    lines = []
    for line in root.iter(f"{XHTML}line"):
        words = [word.text or "" for word in line.iter(f"{XHTML}word")]
        lines.append((" ".join(words), *(float(line.get(key)) for key in ("xMin", "yMin", "xMax", "yMax"))))
    return lines


def _gray_page(path, page):
    data = run("pdftoppm", "-gray", "-r", str(DPI), "-f", str(page), "-l", str(page), str(path))
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    width, height = int(match.group(1)), int(match.group(2))
    return width, height, data[match.end():]


def rules(path, page=1, *, min_length=40):
    """[(xMin, xMax, y)] in points of the horizontal rules of a page: dark runs at least `min_length` px long, at
    most 4 px thick, with white 3 px above and below over their length."""
    width, height, pixels = _gray_page(path, page)

    def dark(x, y):
        return pixels[y * width + x] < 128

    found = []
    for y in range(3, height - 3):
        x = 0
        row = pixels[y * width:(y + 1) * width]
        while x < width:
            if row[x] >= 128:
                x += 1
                continue
            start = x
            while x < width and row[x] < 128:
                x += 1
            if x - start < min_length:
                continue
            span = range(start + 2, x - 2)
            top = next((t for t in range(1, 6) if not any(dark(i, y - t) for i in span)), None)
            if top is None:
                continue
            bottom = next((b for b in range(1, 6) if not any(dark(i, y + b) for i in span)), None)
            if bottom is None or top + bottom > 6:
                continue
            found.append((start * 72 / DPI, x * 72 / DPI, y * 72 / DPI))
    merged = []
    for rule in found:  # one rule is several pixel rows thick
        if merged and abs(merged[-1][2] - rule[2]) < 2 and abs(merged[-1][0] - rule[0]) < 2:
            continue
        merged.append(rule)
    return merged


def rule_under(path, text, page=1, *, last=False):
    """(rule length / length of the text line above it) for the first (or `last`) line whose text is `text`, with
    the rule found within 14 pt under that line and overlapping it; None when there is none."""
    lines = [line for line in text_lines(path, page) if line[0] == text]
    assert lines, f"no line {text!r} on page {page}: {[line[0] for line in text_lines(path, page)]}"
    _text, x0, _y0, x1, y1 = lines[-1] if last else lines[0]
    for rx0, rx1, ry in rules(path, page):
        if y1 - 1 < ry < y1 + 14 and rx0 < x1 and rx1 > x0:
            return (rx1 - rx0) / (x1 - x0)
    return None


def bold_texts(path, page=None):
    """The texts poppler's pdftohtml reports in bold (<b>), with spaces normalised."""
    args = ["pdftohtml", "-xml", "-i", "-stdout", "-q", "-enc", "UTF-8"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    xml = run(*args, str(path)).decode("utf-8")
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", chunk))).strip()
            for chunk in re.findall(r"<b>(.*?)</b>", xml, re.S)]
