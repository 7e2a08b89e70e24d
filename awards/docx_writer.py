"""The Word renderer of the generated dossier documents (`awards.dossier_documents` blocks) with python-docx.

Decree 30/2020/NĐ-CP, Phụ lục I: A4, margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the
body in 14 pt, the heading block and the tables in 13 pt; the national title bold, the motto bold and underlined
by its rule, the place and date line italic. The heading and signature blocks are borderless two-column tables,
the data tables have a single grid.
"""

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_PT, SMALL_PT = 14, 13
TEXT_WIDTH_MM = 210 - 30 - 15
ALIGN = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _fonts(element):
    """Times New Roman for every script (Word picks the east-Asian or complex-script slot for some characters)."""
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _page(doc):
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15


def _paragraph(container, text="", *, bold=False, italic=False, underline=False, size=BODY_PT, align="justify",
               indent=False, after=6):
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(12.7)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
        run.font.name = FONT
        _fonts(run._element)
    return paragraph


def _cell_paragraph(cell, text, **options):
    """Text in a table cell: the cell's first (empty) paragraph is used, then new ones."""
    first = cell.paragraphs[0]
    if not first.text and not getattr(cell, "_used", False):
        cell._element.remove(first._element)
    cell._used = True
    return _paragraph(cell, text, after=options.pop("after", 0), **options)


def _widths(table, shares):
    """Column widths on the grid (LibreOffice reads these) and on every cell (Word reads those)."""
    total = sum(shares)
    table.autofit = False
    widths = [Mm(TEXT_WIDTH_MM * share / total) for share in shares]
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _no_side_padding(table):
    """The heading block's columns use their whole width (the national title fits on one line)."""
    properties = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)


def _header(doc, block):
    grid = doc.add_table(rows=1, cols=2)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = grid.rows[0].cells
    if block["governing"]:
        _cell_paragraph(left, block["governing"].upper(), size=SMALL_PT, align="center")
    for line in block["issuing"].splitlines():
        _cell_paragraph(left, line, bold=True, size=SMALL_PT, align="center")
    _cell_paragraph(left, "―――――", size=SMALL_PT, align="center")
    if block["number"]:
        _cell_paragraph(left, block["number"], size=SMALL_PT, align="center")
    _cell_paragraph(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=SMALL_PT, align="center")
    _cell_paragraph(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, underline=True, size=BODY_PT, align="center")
    _cell_paragraph(right, block["date"], italic=True, size=BODY_PT, align="center", after=6)
    _no_side_padding(grid)
    _widths(grid, [40, 60])


def _table(doc, block):
    rows = block["rows"]
    if not rows:
        _paragraph(doc, block["empty"] or "—", italic=True, size=SMALL_PT, indent=True)
        return
    grid = doc.add_table(rows=1 + len(rows), cols=len(block["headers"]))
    grid.style = doc.styles["Table Grid"]
    for cell, text in zip(grid.rows[0].cells, block["headers"], strict=True):
        _cell_paragraph(cell, text, bold=True, size=SMALL_PT, align="center")
    for row, values in zip(grid.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            _cell_paragraph(cell, str(text or ""), size=SMALL_PT, align="left")
    _widths(grid, block["widths"])
    _paragraph(doc, "", after=0)


def _signature_column(cell, side):
    if "recipients" in side:
        _cell_paragraph(cell, _("Nơi nhận:"), bold=True, italic=True, size=12, align="left")
        lines = side["recipients"]
        for index, line in enumerate(lines):
            _cell_paragraph(cell, f"- {line}{'.' if index == len(lines) - 1 else ';'}", size=11, align="left")
        return
    for line in side.get("title", []):
        _cell_paragraph(cell, line, bold=True, size=BODY_PT, align="center")
    if side.get("note"):
        _cell_paragraph(cell, side["note"], italic=True, size=BODY_PT, align="center")
    for _blank in range(4):
        _cell_paragraph(cell, "", size=BODY_PT, align="center")
    if side.get("name"):
        _cell_paragraph(cell, side["name"], bold=True, size=BODY_PT, align="center")


def _signature(doc, block):
    grid = doc.add_table(rows=1, cols=2)
    left, right = grid.rows[0].cells
    _signature_column(left, block["left"])
    _signature_column(right, block["right"])
    _widths(grid, [50, 50])


def write(document, stream):
    doc = Document()
    _page(doc)
    doc.core_properties.title = document["title"]
    doc.core_properties.author = ""
    for block in document["blocks"]:
        kind = block["type"]
        if kind == "header":
            _header(doc, block)
        elif kind == "cite":
            _paragraph(doc, block["text"], italic=True, size=SMALL_PT, align="right")
        elif kind == "title":
            for index, line in enumerate(block["lines"]):
                _paragraph(doc, line, bold=True, align="center", after=0 if index < len(block["lines"]) - 1 else 12)
        elif kind == "para":
            _paragraph(doc, block["text"], bold=block["bold"], italic=block["italic"], align=block["align"],
                       indent=block["indent"])
        elif kind == "section":
            _paragraph(doc, block["text"], bold=True, align="left")
        elif kind == "table":
            _table(doc, block)
        elif kind == "fill":
            if block["label"]:
                _paragraph(doc, block["label"], indent=True)
            for _line in range(block["lines"]):
                _paragraph(doc, "\u2026" * 32, align="left")
        elif kind == "signature":
            _signature(doc, block)
    doc.save(stream)
