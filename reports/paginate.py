"""Pages chosen in advance for a long appendix table or list, so the appendix can be laid out in several processes
at once (the name lists of the final review are numbered lists, `LIST_OPEN`; the figures by unit a table).

WeasyPrint lays a document out page after page, so one 460-page appendix keeps one core busy while the others
wait. Decree 30/2020 numbers an appendix's pages from 1, and a piece laid out on its own must know the number of
its first page before it starts. So the rows are put on pages here first, from the font's glyph widths, the
column widths and the line height of `templates/reports/document.html`: every row height is an upper bound
(lines broken only at spaces, widths widened by `WIDTH_MARGIN`, each page filled to `FILL` of its height) and
every page after the first starts with a forced break. Then each piece of `PAGES_PER_PIECE` pages is an
independent document whose page counter starts where the previous piece ends. A row that does not fit opens the
next page, as `break-inside: avoid` on the table's rows does when WeasyPrint paginates a whole document; because the
heights are upper bounds, a planned appendix has a few percent more pages than WeasyPrint's own pagination.

If a page still overflows (a glyph the font lacks, text broken differently than estimated), the piece has more
pages than planned; `reports.render` sees the difference and lays the appendix out in one document instead, so
the numbering is always right — only the speed-up is lost.
"""

import dataclasses
import functools
import html as htmllib
import math
import re

from core import documents

MM = 72 / 25.4
# The page and the table as styled in documents/_page.css.html and reports/document.html (A4, margins 20/15/20/30 mm;
# tables 12 pt, line height 1.3, cell padding 2 pt × 3 pt, 0.5 pt borders; appendix titles 14 pt).
PAGE_HEIGHT = (297 - 20 - 20) * MM
CONTENT_WIDTH = (210 - 30 - 15) * MM
TABLE_SIZE, TITLE_SIZE, LINE_HEIGHT = 12.0, 14.0, 1.3
CELL_PADDING_V, CELL_PADDING_H, BORDER = 4.0, 6.0, 0.5
TABLE_MARGIN_TOP, NOTE_MARGIN_BOTTOM = 4.0, 8.0
WIDTH_MARGIN = 1.03  # text is taken 3 % wider than the sum of its glyph advances (kerning, rounding, shaping)
FILL = 0.995  # each planned page uses at most 99.5 % of the page's height
PAGES_PER_PIECE = 60

PAGED_TABLE = re.compile(r'<table class="data paged">.*?</table>', re.S)
# A long list printed as numbered items instead of table rows (templates/reports/appendices): one block per item
# is about a third of the layout work of a table row of three cells. The closing comment ends the list (items are
# divs too). Items hang their number in LIST_INDENT (document.html's `.list .item`).
LIST_OPEN, LIST_CLOSE = '<div class="list paged">', "</div><!--/list-->"
PAGED_LIST = re.compile(re.escape(LIST_OPEN) + r".*?" + re.escape(LIST_CLOSE), re.S)
ITEM = re.compile(r'<div class="item[^"]*">.*?</div>', re.S)
LIST_INDENT, HEADING_EXTRA = 12 * MM, 2.0
COLUMN = re.compile(r'<col style="width: ([\d.]+)%">')
ROW = re.compile(r"<tr>.*?</tr>", re.S)
CELL = re.compile(r"<t[dh]([^>]*)>(.*?)</t[dh]>", re.S)
SPAN = re.compile(r'colspan="(\d+)"')
GROUP = re.compile(r'class="[^"]*\bgroup\b')  # a heading row or item (bold, see templates/reports/appendices)
TAG = re.compile(r"<[^>]+>")
# Unicode line breaking never breaks before closing punctuation, even after a space: keep such a token with the
# word before it.
NO_BREAK_BEFORE = tuple(")]}!?,.;:/%")


@dataclasses.dataclass
class Piece:
    html: str
    pages: int  # the number of pages the piece must have; anything else means the plan did not hold


@functools.cache
def _metrics(style):
    """Glyph advances (in em) of the report's font in one style and the widest of them, or None when the font file
    cannot be found (or another font stands in: its widths are not the ones WeasyPrint will use)."""
    widths = documents.font_advances(style)
    return (widths, max(widths.values())) if widths else None


def _text_width(text, size, metrics):
    widths, widest = metrics
    return size * WIDTH_MARGIN * sum(widths.get(ord(char), widest) for char in text)


def _words(text):
    words = []
    for token in re.split(r"[ \t\r\n]+", text.strip()):
        if words and token.startswith(NO_BREAK_BEFORE):
            words[-1] = f"{words[-1]} {token}"
        elif token:
            words.append(token)
    return words


def line_count(text, width, size, metrics, first_width=None):
    """Lines a text needs in a box `width` points wide, broken only at spaces (never fewer than the real count);
    `first_width`: the first line's width when it differs (a hanging indent)."""
    space = _text_width(" ", size, metrics)
    lines, used = 1, 0.0
    for word in _words(text):
        word_width = _text_width(word, size, metrics)
        room = first_width if first_width and lines == 1 else width
        if used and used + space + word_width > room:
            lines, used, room = lines + 1, 0.0, width
        if not used and word_width > room:  # a word wider than the box: count the lines it could take
            lines += math.ceil(word_width / width) - 1
            used = word_width % width or width
            continue
        used = used + space + word_width if used else word_width
    return lines


def _cells(row_html):
    """(text, columns spanned, bold) of each cell of a row."""
    cells = []
    for attributes, cell in CELL.findall(row_html):
        span = SPAN.search(attributes)
        cells.append((htmllib.unescape(TAG.sub("", cell)), int(span.group(1)) if span else 1,
                      bool(GROUP.search(attributes)) or "<b>" in cell))
    return cells


def _row_height(cells, widths, size, metrics, bold=None):
    """The row's height: its tallest cell, a cell spanning columns as wide as them (their paddings and borders
    included); bold cells measured with `bold` metrics."""
    lines, column = 1, 0
    for text, span, is_bold in cells:
        spanned = widths[column:column + span]
        if not spanned:
            break
        width = sum(spanned) + (len(spanned) - 1) * (CELL_PADDING_H + BORDER)
        lines = max(lines, line_count(text, width, size, (bold or metrics) if is_bold else metrics))
        column += span
    return lines * size * LINE_HEIGHT + CELL_PADDING_V + BORDER


def _is_heading(row_html):
    return bool(GROUP.search(row_html))


TITLE_STYLES = {"appendix-title": "Bold", "appendix-note": "Italic"}


def _title_height(prefix):
    """The blocks above the table on the appendix's first page (bold titles, the italic note line), each 14 pt;
    None when a style's font is unknown."""
    lines, margins = 0, 0.0
    for css_class, block in re.findall(r'<div class="(appendix-[a-z]+)">(.*?)</div>', prefix, re.S):
        metrics = _metrics(TITLE_STYLES.get(css_class, "Regular"))
        if metrics is None:
            return None
        lines += line_count(htmllib.unescape(TAG.sub("", block)), CONTENT_WIDTH, TITLE_SIZE, metrics)
        margins += NOTE_MARGIN_BOTTOM if css_class == "appendix-note" else 0.0
    return lines * TITLE_SIZE * LINE_HEIGHT + max(margins, NOTE_MARGIN_BOTTOM) + TABLE_MARGIN_TOP


def _paged_block(part_html):
    """The part's paged table or list: (match, opening tags before the rows, body HTML, rows, closing tags)."""
    table = PAGED_TABLE.search(part_html)
    if table is not None:
        head, _sep, rest = table.group(0).partition("<tbody>")
        body, _sep, _tail = rest.partition("</tbody>")
        return table, head + "<tbody>", body, ROW.findall(body), "</tbody></table>"
    listing = PAGED_LIST.search(part_html)
    if listing is None:
        return None
    body = listing.group(0)[len(LIST_OPEN):-len(LIST_CLOSE)]
    return listing, LIST_OPEN, body, ITEM.findall(body), LIST_CLOSE


def _item_height(item_html, regular, bold):
    """A list item: its text (number included), the first line as wide as the text, the others right of the
    hanging indent; bold for a heading."""
    text, heading = htmllib.unescape(TAG.sub("", item_html)), _is_heading(item_html)
    lines = line_count(text, CONTENT_WIDTH - LIST_INDENT, TABLE_SIZE, bold if heading else regular,
                       first_width=CONTENT_WIDTH)  # the first line starts in the indent, at the number
    # Padding 2 pt above and below (a heading 4 pt above); BORDER is kept as slack although items have none.
    return lines * TABLE_SIZE * LINE_HEIGHT + CELL_PADDING_V + BORDER + (HEADING_EXTRA if heading else 0.0)


def plan_pages(part_html):
    """The rows of the part's paged table (or items of its paged list) grouped by page, or None when the part has
    none or the font is unknown.

    Returns (prefix, table_head, pages, suffix): the HTML before the rows, the table's opening tags up to <tbody>
    (the list's opening tag), a list of pages (each a list of row HTML) and the HTML after the rows.
    """
    found = _paged_block(part_html)
    regular, bold = _metrics("Regular"), _metrics("Bold")
    if found is None or regular is None or bold is None:
        return None
    block, opening, body, rows, _closing = found
    if not rows:
        return None
    if opening == LIST_OPEN:
        header = 0.0

        def height_of(row):
            return _item_height(row, regular, bold)
    else:
        percents = [float(value) for value in COLUMN.findall(opening)]
        if not percents:
            return None
        widths = [CONTENT_WIDTH * percent / 100 - CELL_PADDING_H - BORDER for percent in percents]
        header = _row_height([(text, span, True) for text, span, _bold in _cells(opening.partition("<thead>")[2])],
                             widths, TABLE_SIZE, bold, bold)

        def height_of(row):
            return _row_height(_cells(row), widths, TABLE_SIZE, regular, bold)
    title = _title_height(part_html[:block.start()])
    if title is None:
        return None
    room = PAGE_HEIGHT * FILL - header - title
    pages, page, heights = [], [], []
    for row in rows:
        height = height_of(row)
        if page and height > room:
            carried = []
            # A heading row never ends a page: it moves to the next one with the rows it heads.
            while len(page) > 1 and _is_heading(page[-1]):
                carried.insert(0, (page.pop(), heights.pop()))
            pages.append(page)
            page, heights, room = [], [], PAGE_HEIGHT * FILL - header - TABLE_MARGIN_TOP
            for carried_row, carried_height in carried:
                page.append(carried_row)
                heights.append(carried_height)
                room -= carried_height
        page.append(row)
        heights.append(height)
        room -= height
    pages.append(page)
    start = block.start() + len(opening)
    return part_html[:start], opening, pages, part_html[start + len(body):]


def _page_start(row):
    """The row (or list item) marked to open a new page."""
    if row.startswith("<tr>"):
        return row.replace("<tr>", '<tr class="page-start">', 1)
    return row.replace('class="item', 'class="item page-start', 1)


def _page_rows(pages):
    """Rows of several pages; each page but the first opens with a forced page break."""
    chunks = []
    for index, page in enumerate(pages):
        first, *others = page
        chunks.append(_page_start(first) if index else first)
        chunks.extend(others)
    return "".join(chunks)


def pieces(part_html, pages_per_piece=None):
    """The part as independent documents of planned pages (a list of `Piece`), or None when it is not worth it."""
    from django.conf import settings

    pages_per_piece = pages_per_piece or getattr(settings, "REPORT_PAGES_PER_PIECE", None) or PAGES_PER_PIECE
    plan = plan_pages(part_html)
    if plan is None or len(plan[2]) <= pages_per_piece:
        return None
    prefix, table_head, pages, suffix = plan
    head = part_html[:part_html.index("<body>")]
    closing = "</table>" if table_head.startswith("<table") else LIST_CLOSE
    table_end = suffix[:suffix.index(closing) + len(closing)]
    result = []
    for first in range(0, len(pages), pages_per_piece):
        group = pages[first:first + pages_per_piece]
        rows = _page_rows(group)
        if first == 0:
            document = f"{prefix}{rows}{suffix}"
        else:
            # Numbered on from the previous piece: the counter starts at `first` and the first page shows it.
            style = (f"<style>@page :first {{ counter-increment: page {first + 1}; "
                     f"@top-center {{ content: counter(page); }} }}</style>")
            document = (f"{head.replace('</head>', style + '</head>')}<body><section class=\"appendix-continued\">"
                        f"{table_head}{rows}{table_end}</section></body></html>")
        result.append(Piece(html=document, pages=len(group)))
    return result
