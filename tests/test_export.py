"""Export: the GB/T 9704 Word layout, Markdown structure, house order and numbering, atomic writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import UserError
from assistant.export import assemble_text as lazy_assemble_text
from assistant.export.assemble import assemble_text, blocks, clean_lines
from assistant.export.docx_export import FONTS, export_docx, font_report
from assistant.export.markdown_export import export_markdown, to_markdown
from assistant.schema import SectionDraft, SummaryDocument

SLOT = "【待补充：参训人数】"
ACHIEVEMENTS = (
    "一、坚持学习培训，提升职工素质\n"
    f"（一）开展技能培训。全年组织职工技能培训12期，参训{SLOT}。\n"
    "（二）推进学历教育\n"
    "支持职工参加学历提升，报销学费9.6万元。\n"
    "二、维护职工权益，做好帮扶救助\n"
    "1.走访慰问\n"
    "走访慰问困难职工45户，发放慰问金9.6万元。\n"
    "三、丰富文化生活，凝聚职工力量\n"
    "举办职工运动会1次，参加职工420人。"
)


def sample_document() -> SummaryDocument:
    """Sections deliberately out of order: the exporters must put them in house order."""
    return SummaryDocument(
        title="市交通运输局工会2024年工作总结",
        unit="市交通运输局工会",
        date="2024年12月20日",
        sections=[
            SectionDraft(role="计划", heading="下一步工作计划",
                         text="一是完善困难职工帮扶机制；二是开展职工技能竞赛；三是加强基层工会经费管理。"),
            SectionDraft(role="开头", text="2024年，局工会在局党委和市总工会的领导下，紧紧围绕中心工作，"
                                           "现将一年来的工作总结如下："),
            SectionDraft(role="成绩", text=ACHIEVEMENTS),
            SectionDraft(role="结尾", text="在新的一年里，局工会将继续努力，为全市交通运输事业发展作出新的贡献。"),
            SectionDraft(role="问题", heading="存在的问题",
                         text="一是基层工会经费使用不够规范；二是部分青年职工参与工会活动积极性不高。"),
        ],
    )


def east_asian_fonts(paragraph: Any) -> set[str]:
    return {r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraph.runs if r.text.strip()}


def find(paragraphs: list[Any], prefix: str) -> Any:
    matches = [p for p in paragraphs if p.text.startswith(prefix)]
    assert matches, f"no paragraph starts with {prefix!r}"
    return matches[0]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_docx(sample_document(), tmp_path_factory.mktemp("docx") / "总结.docx")


def test_page_is_a4_with_gbt9704_margins(exported: Path) -> None:
    section = Document(str(exported)).sections[0]
    for value, expected in ((section.page_width, 210), (section.page_height, 297), (section.top_margin, 37),
                            (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(value.mm - expected) < 0.5, (value.mm, expected)


def test_title_is_22pt_centred_xiaobiaosong(exported: Path) -> None:
    title = Document(str(exported)).paragraphs[0]
    assert title.text == "市交通运输局工会2024年工作总结"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {r.font.size for r in title.runs} == {Pt(22)}
    assert east_asian_fonts(title) == {"方正小标宋简体"}


def test_body_is_16pt_fangsong_indented_two_characters_on_28pt_lines(exported: Path) -> None:
    body = find(Document(str(exported)).paragraphs, "2024年，局工会")
    pf = body.paragraph_format
    assert pf.first_line_indent == Pt(32)
    assert pf.line_spacing == Pt(28) and pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert {r.font.size for r in body.runs} == {Pt(16)}
    assert east_asian_fonts(body) == {"仿宋_GB2312"}
    assert body._p.pPr.ind.get(qn("w:firstLineChars")) == "200"


def test_28_characters_a_line_and_no_widow_control(exported: Path) -> None:
    """16 pt runs are condensed 0.25 pt so 28 fit the 156 mm line (LibreOffice's PDF is checked in
    test_revisions); widow control off keeps 22 lines on every full page."""
    paragraphs = Document(str(exported)).paragraphs
    for prefix in ("2024年，局工会", "一、坚持学习培训", "（一）开展技能培训"):
        paragraph = find(paragraphs, prefix)
        assert {r._r.rPr.find(qn("w:spacing")).get(qn("w:val")) for r in paragraph.runs} == {"-5"}
        assert paragraph.paragraph_format.widow_control is False
    assert 28 * (16 - 0.25) <= (210 - 28 - 26) / 25.4 * 72
    title = find(paragraphs, "市交通运输局工会2024年工作总结")
    assert all(r._r.rPr.find(qn("w:spacing")) is None for r in title.runs)  # 二号 title: not condensed


def test_heading_fonts_by_level(exported: Path) -> None:
    paragraphs = Document(str(exported)).paragraphs
    assert east_asian_fonts(find(paragraphs, "一、坚持学习培训")) == {"黑体"}
    assert east_asian_fonts(find(paragraphs, "（二）推进学历教育")) == {"楷体_GB2312"}
    level3 = find(paragraphs, "1.走访慰问")
    assert east_asian_fonts(level3) == {"仿宋_GB2312"} and all(r.bold for r in level3.runs)
    # A run-in level-2 heading: the heading sentence in 楷体, the paragraph after it in 仿宋.
    run_in = find(paragraphs, "（一）开展技能培训。")
    assert run_in.runs[0].text == "（一）开展技能培训。"
    assert east_asian_fonts(run_in) == {"楷体_GB2312", "仿宋_GB2312"}
    assert run_in._p.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "1"


def test_footer_holds_a_page_field_in_songti(exported: Path) -> None:
    document = Document(str(exported))
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text or "" for t in footer._element.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert east_asian_fonts(paragraph) == {"宋体"} and {r.font.size for r in paragraph.runs} == {Pt(14)}
    assert section.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_sections_in_house_order_and_numbering_continues(exported: Path) -> None:
    texts = [p.text for p in Document(str(exported)).paragraphs]
    order = [texts.index(x) for x in (
        "市交通运输局工会2024年工作总结",
        next(t for t in texts if t.startswith("2024年，局工会")),
        "一、坚持学习培训，提升职工素质",
        "三、丰富文化生活，凝聚职工力量",
        "四、存在的问题",
        "五、下一步工作计划",
        next(t for t in texts if t.startswith("在新的一年里")),
        "市交通运输局工会",
        "2024年12月20日",
    )]
    assert order == sorted(order)
    assert texts[-1] == "2024年12月20日"


def test_signature_right_aligned_and_slot_kept_and_highlighted(exported: Path) -> None:
    paragraphs = Document(str(exported)).paragraphs
    assert paragraphs[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert paragraphs[-2].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    slot_runs = [r for p in paragraphs for r in p.runs if r.text == SLOT]
    assert len(slot_runs) == 1 and slot_runs[0].font.highlight_color is not None


def test_expected_fonts_are_recorded_with_fallbacks(exported: Path) -> None:
    document = Document(str(exported))
    comments = document.core_properties.comments
    assert "方正小标宋简体" in comments and "仿宋_GB2312" in comments and "楷体" in comments
    assert document.core_properties.title == "市交通运输局工会2024年工作总结"
    report = font_report()
    assert len(report) == len(FONTS)
    assert any(line.startswith("正文：仿宋_GB2312") and "仿宋" in line.split("：", 1)[1][8:] for line in report)
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    table = document.part.part_related_by(RT.FONT_TABLE).blob.decode("utf-8")
    assert 'w:name="仿宋_GB2312"' in table and "仿宋,FangSong" in table


def test_assemble_text_order_and_numbering() -> None:
    text = assemble_text(sample_document())
    lines = text.splitlines()
    assert lines[0] == "市交通运输局工会2024年工作总结"
    assert lines.index("三、丰富文化生活，凝聚职工力量") < lines.index("四、存在的问题") < lines.index("五、下一步工作计划")
    assert lines[-2:] == ["市交通运输局工会", "2024年12月20日"]
    assert SLOT in text
    assert lazy_assemble_text(sample_document()) == text


def test_numbering_starts_at_one_without_achievement_headings() -> None:
    doc = SummaryDocument(title="总结", sections=[
        SectionDraft(role="成绩", text="全年组织培训12期。"),
        SectionDraft(role="问题", heading="四、存在的问题", text="经费使用不够规范。"),  # stale numeral
        SectionDraft(role="计划", heading="下一步工作计划", text="完善帮扶机制。"),
        SectionDraft(role="结尾", text="", heading="不该出现"),
    ])
    kinds = [(b.kind, b.text) for b in blocks(doc)]
    assert ("heading1", "一、存在的问题") in kinds and ("heading1", "二、下一步工作计划") in kinds
    assert all(text != "不该出现" for _, text in kinds)


def test_markdown_structure(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "dir" / "总结.md"
    assert export_markdown(sample_document(), target) == target
    md = target.read_text(encoding="utf-8")
    assert md == to_markdown(sample_document())
    lines = [x for x in md.splitlines() if x]
    assert lines[0] == "# 市交通运输局工会2024年工作总结"
    assert "## 一、坚持学习培训，提升职工素质" in lines
    assert "### （一）开展技能培训。" in lines and "### （二）推进学历教育" in lines
    assert "#### 1.走访慰问" in lines
    assert lines.index("## 三、丰富文化生活，凝聚职工力量") < lines.index("## 四、存在的问题") \
        < lines.index("## 五、下一步工作计划")
    assert f"全年组织职工技能培训12期，参训{SLOT}。" in lines
    assert sum(1 for x in lines if x.startswith("# ")) == 1
    assert lines[-1] == "2024年12月20日"


def test_markdown_escapes_body_lines_that_look_like_markup() -> None:
    doc = SummaryDocument(title="总结", sections=[SectionDraft(role="成绩", text="# 不是标题\n- 不是列表\n正文#")])
    lines = [x for x in to_markdown(doc).splitlines() if x]
    assert "\\# 不是标题" in lines and "\\- 不是列表" in lines and "正文#" in lines


@pytest.mark.parametrize("text", ["", "  \n\t\n", "\x00\x01\x0b"])
def test_empty_document_is_a_user_error(tmp_path: Path, text: str) -> None:
    doc = SummaryDocument(title="总结", sections=[SectionDraft(role="成绩", text=text)])
    for export in (export_docx, export_markdown):
        with pytest.raises(UserError, match="全文还是空的"):
            export(doc, tmp_path / f"out.{export.__name__}")
    with pytest.raises(UserError, match="全文还是空的"):
        export_docx(SummaryDocument(title="总结"), tmp_path / "none.docx")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for name, export in (("a.docx", export_docx), ("a.md", export_markdown)):
        target = tmp_path / name
        target.write_bytes(b"old")
        with monkeypatch.context() as m:
            def refuse(src: str, dst: str) -> None:
                raise OSError("disk full")

            m.setattr("assistant.fsutil.os.replace", refuse)
            with pytest.raises(OSError):
                export(sample_document(), target)
        assert target.read_bytes() == b"old"
        export(sample_document(), target)  # and a normal export replaces it
        assert target.read_bytes() != b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "a.md"]  # no temp files left


def test_hostile_title_with_explicit_path(tmp_path: Path) -> None:
    hostile = "../../etc/passwd\x00<w:t>&amp;</w:t>\u202e\x1b[31m\n第二行\ud800" + "长" * 400
    doc = SummaryDocument(title=hostile, unit="工会\x07", sections=[SectionDraft(role="成绩", text="正文内容。")])
    docx_path = export_docx(doc, tmp_path / "out" / "总结.docx")
    md_path = export_markdown(doc, tmp_path / "out" / "总结.md")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["总结.docx", "总结.md"]
    document = Document(str(docx_path))
    title = document.paragraphs[0].text
    assert title.startswith("../../etc/passwd<w:t>&amp;</w:t>") and "第二行" in title
    assert not any(ord(ch) < 32 for ch in title)
    assert document.paragraphs[-1].text == "工会"
    assert len(document.core_properties.title) <= 255
    assert md_path.read_text(encoding="utf-8").startswith("# ../../etc/passwd<w:t>")


_NASTY = st.sampled_from(["\x00", "\x0b", "\x1f", "\x7f", "\ud800", "\ufffe", "\r\n", "\n", "\u2028", "一、",
                          "（一）", "1.", "（1）", "。", "#", "<", "&", "】", SLOT, "\t", " "])
_TEXT = st.lists(st.one_of(st.text(st.characters(codec=None), max_size=8), _NASTY), max_size=10).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT, heading=_TEXT, texts=st.lists(_TEXT, min_size=1, max_size=4), unit=_TEXT)
def test_arbitrary_unicode_never_crashes_either_exporter(tmp_path: Path, title: str, heading: str,
                                                         texts: list[str], unit: str) -> None:
    roles = ["开头", "成绩", "问题", "计划"]
    doc = SummaryDocument(title=title, unit=unit, sections=[
        SectionDraft(role=roles[i], text=t, heading=heading if i >= 2 else "") for i, t in enumerate(texts)])
    expected = [b.full_text for b in blocks(doc)]
    try:
        docx_path = export_docx(doc, tmp_path / "h.docx")
    except UserError:
        assert not any(clean_lines(t) for t in texts)  # refused only when there is really no text
        with pytest.raises(UserError):
            export_markdown(doc, tmp_path / "h.md")
        return
    paragraphs = [p.text for p in Document(str(docx_path)).paragraphs]
    assert paragraphs == expected  # valid XML, and nothing dropped or reordered
    md = export_markdown(doc, tmp_path / "h.md").read_text(encoding="utf-8")
    assert md.startswith("# ")
    assert not any(f.name.startswith(".") for f in tmp_path.iterdir())  # no temp files left


def test_full_text_round_trips_through_the_ui_parser() -> None:
    """The 全文 box shows assemble_text; parsing it back for export must give the same layout."""
    from assistant.schema import Facts
    from assistant.ui.document_text import document_from_text

    text = assemble_text(sample_document())
    parsed = document_from_text(text, Facts(unit="市交通运输局工会", year="2024"))
    assert [s.role for s in parsed.sections] == ["开头", "成绩", "问题", "计划", "结尾"]
    assert assemble_text(parsed) == text


# --- the closing block (GB/T 9704-2012 7.3.5.1; docs/GENRE.md §D.16) --------------------------------------
def test_closing_block_lines_carry_their_roles_and_markdown_ends_with_them() -> None:
    from assistant.export.assemble import SIGNATURE_DATE, SIGNATURE_UNIT

    closing = [b for b in blocks(sample_document()) if b.kind == "signature"]
    assert [(b.role, b.text) for b in closing] == [(SIGNATURE_UNIT, "市交通运输局工会"), (SIGNATURE_DATE, "2024年12月20日")]
    assert to_markdown(sample_document()).rstrip().splitlines()[-3:] == ["市交通运输局工会", "", "2024年12月20日"]


def test_date_line_has_no_leading_zeros() -> None:
    import datetime as dt

    from assistant.export.assemble import date_line

    assert date_line(dt.date(2026, 1, 5)) == "2026年1月5日" and date_line(dt.date(2025, 12, 31)) == "2025年12月31日"


def test_unit_is_centred_over_the_date_and_the_date_is_four_characters_in() -> None:
    from assistant.export.assemble import SIGNATURE_DATE, SIGNATURE_UNIT
    from assistant.export.docx_export import BODY_PT, closing_indents, text_width_pt

    for unit in ("市交通运输局工会", "县疾控中心", "某某市某某区某某街道某某社区居民委员会工会联合会"):
        laid = blocks(SummaryDocument(title="t", unit=unit, date="2026年1月15日",
                                      sections=[SectionDraft(role="开头", text="正文。")]))
        indents = closing_indents(laid)
        assert indents[SIGNATURE_DATE] == 4 * BODY_PT
        unit_centre = indents[SIGNATURE_UNIT] + text_width_pt(unit) / 2  # measured from the right margin
        date_centre = indents[SIGNATURE_DATE] + text_width_pt("2026年1月15日") / 2
        if indents[SIGNATURE_UNIT] > 0:
            assert unit_centre == pytest.approx(date_centre)
        else:  # longer than the date and its four characters: it ends at the margin
            assert text_width_pt(unit) > text_width_pt("2026年1月15日") + 8 * BODY_PT


def test_export_dates_the_closing_block_from_the_setting_or_today(tmp_path: Path) -> None:
    import datetime as dt

    from assistant.export.text_document import document_from_text
    from assistant.services.exporting import ExportService
    from tests.conftest import make_settings

    undated = SummaryDocument(title="县疾控中心2025年工作总结", unit="县疾控中心",
                              sections=[SectionDraft(role="开头", text="2025年，县疾控中心扎实开展各项工作。")])
    set_day = ExportService(make_settings(tmp_path / "a", sign_date="2026年1月15日"))
    text = set_day.export_to(undated, tmp_path / "a.md").read_text(encoding="utf-8")
    assert text.rstrip().endswith("县疾控中心\n\n2026年1月15日")
    today = ExportService(make_settings(tmp_path / "b"))
    before = dt.date.today()
    text = today.export_to(undated, tmp_path / "b.md").read_text(encoding="utf-8")
    days = {f"{d.year}年{d.month}月{d.day}日" for d in (before, dt.date.today())}
    assert text.rstrip().splitlines()[-1] in days
    given = SummaryDocument(**{**undated.__dict__, "date": "2025年12月30日"})
    assert set_day.export_to(given, tmp_path / "c.md").read_text(encoding="utf-8").rstrip().endswith("2025年12月30日")
    # The 全文 box before any export ends with the unit alone: read back, it is the signature, not body text.
    reread = document_from_text(assemble_text(undated), undated.title)
    assert reread.unit == "县疾控中心" and "县疾控中心" not in reread.sections[-1].text.splitlines()[-1:]


def test_a_bad_sign_date_setting_is_one_chinese_line(tmp_path: Path) -> None:
    from tests.conftest import make_settings

    with pytest.raises(UserError) as caught:
        make_settings(tmp_path, sign_date="明年元旦")
    assert "落款日期" in caught.value.message and "2026年1月15日" in caught.value.message


def _placed_lines(pdf: Path) -> list[tuple[int, str, float, float, float]]:
    """(page, line text, x of its first piece, x of its last piece, y) of each drawn line, from the PDF's
    text operators (LibreOffice draws a line in pieces wherever the face changes: CJK, then digits)."""
    from pypdf import PdfReader

    pieces: list[tuple[int, str, float, float, float]] = []
    for number, page in enumerate(PdfReader(str(pdf)).pages):
        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any, number: int = number) -> None:
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((number, text, x, x, round(y, 1)))

        page.extract_text(visitor_text=visit)
    lines: dict[tuple[int, float], list[tuple[int, str, float, float, float]]] = {}
    for piece in pieces:
        lines.setdefault((piece[0], piece[4]), []).append(piece)
    out = []
    for (number, y), parts in lines.items():
        parts.sort(key=lambda p: p[2])
        out.append((number, "".join(p[1] for p in parts), parts[0][2], parts[-1][2], y))
    return out


@pytest.mark.integration
def test_libreoffice_renders_the_closing_block_as_a_signature_with_its_date(tmp_path: Path) -> None:
    """In LibreOffice's render the unit and the date sit right of centre, below the body, the date four
    characters in from the right margin and the unit centred over it (digits here come from a wider fallback
    face than 仿宋, so the centres may differ by up to a character)."""
    from assistant.export.docx_export import BODY_PT, CHAR_PT, MARGINS_MM, PAGE_MM
    from tests.test_revisions import to_pdf

    pdf = to_pdf([export_docx(sample_document(), tmp_path / "closing.docx")], tmp_path)[0]
    lines = _placed_lines(pdf)
    unit = next(line for line in lines if line[1] == "市交通运输局工会")
    date = next(line for line in lines if line[1].replace(" ", "") == "2024年12月20日")
    body = [line for line in lines if line[1].startswith("在新的一年里") or "作出新的贡献" in line[1]]
    assert body, lines
    mm = 72 / 25.4
    centre_x = PAGE_MM[0] * mm / 2
    right_margin_x = (PAGE_MM[0] - MARGINS_MM["right"]) * mm
    assert unit[2] > centre_x and date[2] > centre_x  # right of centre, not indented like body text
    order = [(line[0], -line[4]) for line in (body[-1], unit, date)]
    assert order == sorted(order) and len(set(order)) == 3  # body, then the unit, then the date below it
    date_right = date[3] + CHAR_PT  # the last glyph is 日, one full-width character
    assert date_right == pytest.approx(right_margin_x - 4 * BODY_PT, abs=3)  # 右空四字
    unit_right = unit[2] + CHAR_PT * len(unit[1])
    assert unit_right < right_margin_x - 2  # a signature block, not flush with the margin
    assert abs((unit[2] + unit_right) / 2 - (date[2] + date_right) / 2) <= 1.25 * BODY_PT
