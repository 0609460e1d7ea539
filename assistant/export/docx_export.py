"""Word export in the GB/T 9704-2012 layout (docs/GENRE.md §D) with python-docx.

A4, margins 37/35/28/26 mm (top/bottom/left/right), body 三号 仿宋 on fixed 28 pt lines with a two-character
first-line indent, title 二号 小标宋 centred, 一级标题 黑体, 二级 楷体, 三/四级 仿宋 bold, page numbers
"— 1 —" in 四号 宋体 (odd pages right, even pages left, one character in). The closing block follows
GB/T 9704-2012 7.3.5.1: two blank lines under the body, the date line (成文日期) right-aligned four characters
in from the right margin, the unit's name on the line above it centred over the date (docs/GENRE.md §D.16).

22 lines × 28 characters fill the 156 × 225 mm text block. 28 characters of 16 pt (448 pt) do not fit
156 mm (442 pt): Word's GB/T templates squeeze them with a character grid (docGrid linesAndChars, charSpace
−849), which LibreOffice renders as one character per two grid cells (14 a line). So 16 pt runs are
condensed by 0.25 pt (w:spacing), which both honour: 28 × 15.75 pt fits. Widow/orphan control is off, as in
公文 templates, so every full page has its 22 lines (LibreOffice applies it by default and moves a lone
line over, leaving 21).

With `compare_to`, the changes from that earlier version are tracked revisions (w:ins / w:del by 写作助手,
see export.revisions), so a reviewer accepts or rejects each in Word or WPS.

Chinese fonts only take effect through w:eastAsia, so every run sets all four rFonts slots. The standard
fonts (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312) are often missing; each is declared in the font table
with its fallbacks as alternative names (comma list, ECMA-376 §17.8.3.1) and GB2312 charset, so Word
and LibreOffice substitute a Chinese face, and the expected fonts are written to the file's comments.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import UserError
from assistant.export.assemble import (
    SIGNATURE_DATE,
    SIGNATURE_UNIT,
    SLOT,
    Block,
    blocks,
    clean_lines,
    has_text,
)
from assistant.export.revisions import Piece, RevisedParagraph, compare
from assistant.fsutil import atomic_write_bytes
from assistant.schema import SummaryDocument

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

EMPTY_MESSAGE = "全文还是空的：请先起草各部分再导出。"

# role -> (standard font, fallbacks in order). The first name is what GB/T 9704 documents use.
FONTS: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体", "华文中宋", "宋体"),
    "body": ("仿宋_GB2312", "仿宋"),
    "heading1": ("黑体",),
    "heading2": ("楷体_GB2312", "楷体"),
    "heading3": ("仿宋_GB2312", "仿宋"),
    "page_number": ("宋体",),
}
FONT_LABELS: dict[str, str] = {
    "title": "标题", "body": "正文", "heading1": "一级标题", "heading2": "二级标题",
    "heading3": "三、四级标题", "page_number": "页码",
}
# Windows' Latin names of the usual Chinese faces: LibreOffice and Word on other locales match these.
_LATIN_NAMES = {"宋体": "SimSun", "仿宋": "FangSong", "楷体": "KaiTi", "黑体": "SimHei", "华文中宋": "STZhongsong"}

PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
TITLE_PT = 22.0  # 二号
BODY_PT = 16.0  # 三号
PAGE_NUMBER_PT = 14.0  # 四号
LINE_PT = 28.0  # 22 lines in the 225 mm text block
TITLE_LINE_PT = 36.0
INDENT_CHARS = 2
CONDENSE_TWIPS = -5  # −0.25 pt per 16 pt character: 28 characters fit the 156 mm line (see above)
REVISION_AUTHOR = "写作助手"
SIGNATURE_RIGHT_CHARS = 4  # 成文日期右空四字 (GB/T 9704-2012 7.3.5.1)
SIGNATURE_BLANK_LINES = 2  # the closing block starts two lines under the body, room for a seal
CHAR_PT = BODY_PT + CONDENSE_TWIPS / 20  # a full-width body character as written: 15.75 pt


@dataclass(frozen=True)
class _Look:
    font: str  # key of FONTS
    size: float
    bold: bool = False


_LOOKS: dict[str, _Look] = {
    "title": _Look("title", TITLE_PT),
    "heading1": _Look("heading1", BODY_PT),
    "heading2": _Look("heading2", BODY_PT),
    "heading3": _Look("heading3", BODY_PT, bold=True),
    "body": _Look("body", BODY_PT),
    "signature": _Look("body", BODY_PT),
}
_OUTLINE_LEVEL = {"heading1": 0, "heading2": 1, "heading3": 2}


def font_report() -> list[str]:
    """One Chinese line per text role: the standard font and, if any, the fallbacks used without it."""
    lines = []
    for key, names in FONTS.items():
        line = f"{FONT_LABELS[key]}：{names[0]}"
        if len(names) > 1:
            line += f"（未安装时依次用{'、'.join(names[1:])}）"
        lines.append(line)
    return lines


def _alt_names(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        for candidate in (name, _LATIN_NAMES.get(name, "")):
            if candidate and candidate not in out:
                out.append(candidate)
    return out


def _set_fonts(rpr: Any, name: str) -> None:
    """All four rFonts slots; Word reads Chinese text from w:eastAsia only."""
    from docx.oxml.ns import qn

    rfonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), name)
    rfonts.set(qn("w:hint"), "eastAsia")


def _add_run(paragraph: Paragraph, text: str, look: _Look, *, slot: bool = False) -> Run:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.size = Pt(look.size)
    if look.bold:
        run.font.bold = True
    rpr = run._r.get_or_add_rPr()
    _set_fonts(rpr, FONTS[look.font][0])
    if look.size == BODY_PT:
        _condense(rpr)
    if slot:  # a missing fact the user still has to fill in: make it impossible to overlook
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def _condense(rpr: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSE_TWIPS))
    rpr.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight",
                              "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
                              "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _add_text(paragraph: Paragraph, text: str, look: _Look) -> list[Run]:
    """Runs for `text`, with each 【待补充：…】 slot highlighted."""
    runs = []
    pos = 0
    for m in SLOT.finditer(text):
        if m.start() > pos:
            runs.append(_add_run(paragraph, text[pos:m.start()], look))
        runs.append(_add_run(paragraph, m.group(0), look, slot=True))
        pos = m.end()
    if pos < len(text):
        runs.append(_add_run(paragraph, text[pos:], look))
    return runs


def text_width_pt(text: str) -> float:
    """How wide a line of body text is set: full-width characters CHAR_PT, the others (digits) half of it."""
    return sum(CHAR_PT if unicodedata.east_asian_width(ch) in "WF" else CHAR_PT / 2 for ch in text)


def closing_indents(laid_out: Iterable[Block]) -> dict[str, float]:
    """Right indents (pt) of the closing block's lines, by role: the date four characters in; the unit centred
    over the date, so its right indent is the date's plus half the difference of their widths (never below 0:
    a unit much longer than the date ends at the margin, its centre then left of the date's)."""
    lines = {b.role: b.text for b in laid_out if b.kind == "signature"}
    date_indent = BODY_PT * SIGNATURE_RIGHT_CHARS
    unit, date = lines.get(SIGNATURE_UNIT, ""), lines.get(SIGNATURE_DATE, "")
    unit_indent = date_indent + (text_width_pt(date) - text_width_pt(unit)) / 2 if date else date_indent
    return {SIGNATURE_UNIT: max(0.0, unit_indent), SIGNATURE_DATE: date_indent}


def _format(paragraph: Paragraph, kind: str, right_indent: float | None = None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    pf = paragraph.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.widow_control = False  # a strict 22-line page (see the module docstring)
    pf.line_spacing = Pt(TITLE_LINE_PT if kind == "title" else LINE_PT)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    if kind == "title":
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf.space_after = Pt(LINE_PT)  # one blank line under the title
        pf.keep_with_next = True
        return
    if kind == "signature":
        pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        pf.right_indent = Pt(BODY_PT * SIGNATURE_RIGHT_CHARS if right_indent is None else right_indent)
        pf.keep_with_next = True  # the unit stays on the page of its date
        return
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Pt(BODY_PT * INDENT_CHARS)
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(INDENT_CHARS * 100))  # "two characters", whatever the font size
    if kind in _OUTLINE_LEVEL:
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(_OUTLINE_LEVEL[kind]))
        paragraph._p.get_or_add_pPr().append(outline)


def _add_paragraph(document: DocxDocument, block: Block, first_signature: bool,
                   indents: dict[str, float]) -> Paragraph:
    """An empty paragraph formatted for `block`'s kind (`indents`: the closing block's, closing_indents)."""
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    _format(paragraph, block.kind, indents.get(block.role))
    if block.kind.startswith("heading") and not block.run_in:
        paragraph.paragraph_format.keep_with_next = True
    if block.kind == "signature" and first_signature:
        paragraph.paragraph_format.space_before = Pt(LINE_PT * SIGNATURE_BLANK_LINES)  # 正文之后空两行署名
    return paragraph


def _write_block(document: DocxDocument, block: Block, first_signature: bool, indents: dict[str, float]) -> None:
    paragraph = _add_paragraph(document, block, first_signature, indents)
    _add_text(paragraph, block.text, _LOOKS[block.kind])
    if block.run_in:
        _add_text(paragraph, block.run_in, _LOOKS["body"])


class _Tracker:
    """Stamps w:ins / w:del elements: one author, one date, a w:id unique in the document."""

    def __init__(self, when: datetime) -> None:
        self.date = when.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
        self.next_id = 1

    def element(self, change: str) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        el = OxmlElement(f"w:{change}")
        el.set(qn("w:id"), str(self.next_id))
        el.set(qn("w:author"), REVISION_AUTHOR)
        el.set(qn("w:date"), self.date)
        self.next_id += 1
        return el

    def wrap(self, paragraph: Paragraph, runs: list[Run], change: str) -> None:
        """Move `runs` into one w:ins / w:del; deleted text is w:delText, as Word requires."""
        from docx.oxml.ns import qn

        if not runs:
            return
        el = self.element(change)
        runs[0]._r.addprevious(el)
        for run in runs:
            el.append(run._r)
        if change == "del":
            for t in list(el.iter(qn("w:t"))):
                t.tag = qn("w:delText")

    def mark(self, paragraph: Paragraph, change: str) -> None:
        """Track the paragraph mark itself, so accepting or rejecting leaves no empty paragraph."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        ppr = paragraph._p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
        if change == "ins":  # w:ins before w:del (a mark may be both: inserted, then deleted)
            rpr.insert(0, self.element(change))
        else:
            rpr.append(self.element(change))

    def settle_end(self, written: list[tuple[Paragraph, RevisedParagraph]]) -> None:
        """Word cannot delete or insert the document's final paragraph mark, so a deleted (or inserted)
        run of paragraphs at the very end merges into the last paragraph before it that survives: that
        paragraph's mark is tracked, and the final paragraph takes its formatting on the surviving side
        through a w:pPrChange. Accepting and rejecting then both leave no empty paragraph."""
        import copy

        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        final, last = written[-1]
        change = last.mark
        if change == "same":
            return
        k = len(written) - 1
        while k >= 0 and written[k][1].mark == change:
            k -= 1
        if k < 0:  # the whole document is new (or gone): nothing to merge into
            return
        anchor = written[k][0]
        self.mark(anchor, change)

        def properties(paragraph: Paragraph) -> Any:
            ppr = OxmlElement("w:pPr")
            skip = {qn("w:rPr"), qn("w:sectPr"), qn("w:pPrChange")}
            for child in paragraph._p.get_or_add_pPr():
                if child.tag not in skip:
                    ppr.append(copy.deepcopy(child))
            return ppr

        own, anchor_props = properties(final), properties(anchor)
        # "del": shown (and kept when accepted) with the anchor's layout, its own restored on rejecting;
        # "ins": its own layout, the anchor's restored on rejecting (when the anchor's text lands in it).
        shown, previous = (anchor_props, own) if change == "del" else (own, anchor_props)
        ppr = final._p.get_or_add_pPr()
        keep = {qn("w:rPr"), qn("w:sectPr")}
        for child in list(ppr):
            if child.tag not in keep:
                ppr.remove(child)
        for i, child in enumerate(list(shown)):
            ppr.insert(i, child)
        record = self.element("pPrChange")
        record.append(previous)
        ppr.append(record)


def _write_revised(document: DocxDocument, para: RevisedParagraph, first_signature: bool,
                   tracker: _Tracker, last: bool, indents: dict[str, float]) -> Paragraph:
    paragraph = _add_paragraph(document, para.block, first_signature, indents)
    group: list[Run] = []
    change = "same"
    pieces: list[Piece | None] = [*para.pieces, None]
    for piece in pieces:
        if piece is None or piece.change != change:
            if change != "same":
                tracker.wrap(paragraph, group, change)
            group, change = [], piece.change if piece else "same"
        if piece is not None:
            group.extend(_add_text(paragraph, piece.text, _LOOKS[piece.kind]))
    if para.mark != "same" and not last:  # the final mark: see _Tracker.settle_end
        tracker.mark(paragraph, para.mark)
    return paragraph


def _page_field(paragraph: Paragraph) -> None:
    """"— PAGE —" in 四号 宋体: a real PAGE field, so Word and LibreOffice number each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    look = _Look("page_number", PAGE_NUMBER_PT)
    _add_run(paragraph, "— ", look)
    for part in ("begin", "instr", "separate", "1", "end"):
        run = _add_run(paragraph, "", look)
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif part == "1":
            run.text = "1"
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), part)
            run._r.append(fld)
    _add_run(paragraph, " —", look)


def _page_setup(document: DocxDocument) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(22)  # the page number sits about 7 mm below the text block
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(int(LINE_PT * 20)))

    document.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = align  # 单页码居右、双页码居左，各空一字
        setattr(paragraph.paragraph_format, f"{side}_indent", Pt(PAGE_NUMBER_PT))
        _page_field(paragraph)


def _base_styles(document: DocxDocument) -> None:
    """Normal = body text, and no theme fonts left in the defaults (they would override w:eastAsia)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        for rfonts in defaults.iter(qn("w:rFonts")):
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                rfonts.attrib.pop(qn(f"w:{attr}"), None)
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr(), FONTS["body"][0])
    normal.paragraph_format.space_after = Pt(0)


def _font_table(document: DocxDocument) -> None:
    """Declare each font with its fallbacks as alternative names, so a missing face maps to a Chinese one."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from lxml import etree

    try:
        part = document.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    root = parse_xml(part.blob)
    declared: dict[str, tuple[str, ...]] = {}
    for names in FONTS.values():
        for i, name in enumerate(names):
            declared.setdefault(name, names[i + 1:])
    for name, fallbacks in declared.items():
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                root.remove(old)
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = [n for n in _alt_names((name, *fallbacks)) if n != name]
        if alt:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), ",".join(alt))
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "modern" if name == "黑体" else "roman")
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _properties(document: DocxDocument, title: str, unit: str) -> None:
    props = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    props.title = title[:255]
    props.subject = "工作总结"
    props.author = unit[:255]
    props.last_modified_by = ""
    props.language = "zh-CN"
    props.revision = 1
    props.created = now
    props.modified = now
    props.comments = ("版式：GB/T 9704-2012。所用字体：" + "；".join(font_report()) + "。")[:255]


def build_docx(doc: SummaryDocument, compare_to: SummaryDocument | None = None,
               when: datetime | None = None) -> bytes:
    """The .docx file's bytes; with `compare_to`, the changes from it are tracked revisions dated `when`
    (now by default). Raises UserError when `doc` has no section text."""
    if not has_text(doc):
        raise UserError(EMPTY_MESSAGE)
    import docx

    laid_out = blocks(doc)
    document = docx.Document()
    _base_styles(document)
    _page_setup(document)
    _font_table(document)
    first_signature = True
    indents = closing_indents(laid_out)
    if compare_to is None:
        for block in laid_out:
            _write_block(document, block, first_signature and block.kind == "signature", indents)
            if block.kind == "signature":
                first_signature = False
    else:
        tracker = _Tracker(when or datetime.now(UTC))
        revised = compare(compare_to, doc)
        written = []
        for i, para in enumerate(revised):
            is_signature = para.block.kind == "signature"
            written.append((_write_revised(document, para, first_signature and is_signature, tracker,
                                           i == len(revised) - 1, indents), para))
            if is_signature:
                first_signature = False
        tracker.settle_end(written)
    _properties(document, laid_out[0].text, " ".join(clean_lines(doc.unit)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def export_docx(doc: SummaryDocument, path: str | Path, compare_to: SummaryDocument | None = None) -> Path:
    """Write `doc` as a GB/T 9704-style .docx at `path` atomically (parent folders created); with
    `compare_to`, the changes since that earlier version are tracked revisions by 写作助手."""
    return atomic_write_bytes(Path(path), build_docx(doc, compare_to))
