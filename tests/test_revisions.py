"""Word revisions: the diff's granularity, the tracked-changes .docx (accept all = the current text, reject all =
the earlier one), what LibreOffice really renders (revisions, page numbers, 22 lines of 28 characters), and
`assistant export --text/--compare-to` on the command line."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import UserError
from assistant.export.assemble import Block
from assistant.export.docx_export import REVISION_AUTHOR, export_docx
from assistant.export.revisions import compare, compare_blocks, count_changes, paragraph_edits, sentences
from assistant.schema import SectionDraft, SummaryDocument
from tests.conftest import KNOWLEDGE, make_settings, run_cli
from tests.test_export import sample_document

W_DEL, W_INS = qn("w:del"), qn("w:ins")


# ---- helpers ----------------------------------------------------------------------------------------

def marked(a: str, b: str) -> str:
    """The edits as [-old-]{+new+} inline, the way a reviewer reads them."""
    out = []
    for equal, (a0, a1), (b0, b1) in paragraph_edits(a, b):
        if equal:
            assert a[a0:a1] == b[b0:b1]
            out.append(b[b0:b1])
        else:
            out.append((f"[-{a[a0:a1]}-]" if a1 > a0 else "") + (f"{{+{b[b0:b1]}+}}" if b1 > b0 else ""))
    return "".join(out)


def resolve(path: Path, accept: bool) -> list[str]:
    """The paragraphs' text after Word's "accept all" (or "reject all"), computed on the XML: the dropped
    side's runs go, the kept side's are unwrapped, and a paragraph whose mark goes merges into the next."""
    drop, keep = (W_DEL, W_INS) if accept else (W_INS, W_DEL)
    texts: list[str] = []
    carry = ""
    for p in Document(str(path)).element.body.iter(qn("w:p")):
        parts = []
        for child in p:
            if child.tag == qn("w:r") or child.tag == keep:
                parts.extend(t.text or "" for t in child.iter(qn("w:t"), qn("w:delText")))
        mark = p.find(qn("w:pPr") + "/" + qn("w:rPr"))
        if mark is not None and mark.find(drop) is not None:
            carry += "".join(parts)
            continue
        texts.append(carry + "".join(parts))
        carry = ""
    assert not carry, "the last paragraph's mark cannot go"
    return texts


def plain_paragraphs(doc: SummaryDocument, tmp_path: Path, name: str) -> list[str]:
    """What the ordinary export of `doc` holds, paragraph by paragraph."""
    return [p.text for p in Document(str(export_docx(doc, tmp_path / name))).paragraphs]


def revision_elements(path: Path) -> list[Any]:
    body = Document(str(path)).element.body
    return [el for el in body.iter() if el.tag in (W_INS, W_DEL)]


def edited_sample() -> tuple[SummaryDocument, SummaryDocument]:
    """An earlier version and the current one: numbers changed, a sentence rewritten, a paragraph deleted,
    one added, a heading renamed; the opening, closing and signature stay."""
    before = sample_document()
    sections = {s.role: s for s in before.sections}
    achievements = (sections["成绩"].text.replace("12期", "15期")
                    .replace("举办职工运动会1次，参加职工420人。", "组织开展了职工运动会1次，共有420名职工参加。")
                    .replace("支持职工参加学历提升，报销学费9.6万元。\n", "")
                    .replace("三、丰富文化生活，凝聚职工力量", "三、丰富职工文化生活，凝聚职工力量"))
    after = replace(before, sections=[
        sections["开头"], SectionDraft(role="成绩", text=achievements),
        replace(sections["问题"], text=sections["问题"].text + "\n三是职工书屋图书更新不及时。"),
        replace(sections["计划"], text=sections["计划"].text.replace("开展职工技能竞赛", "开展职工技能竞赛和岗位练兵")),
        sections["结尾"],
    ])
    return before, after


# ---- the diff -----------------------------------------------------------------------------------------

def test_changed_numbers_are_small_revisions() -> None:
    assert marked("全年组织职工技能培训12期，参训860人次。走访慰问困难职工45户。",
                  "全年组织职工技能培训15期，参训900人次。走访慰问困难职工45户。") == \
        "全年组织职工技能培训[-12-]{+15+}期，参训[-860-]{+900+}人次。走访慰问困难职工45户。"


def test_a_rewritten_sentence_is_one_deletion_and_one_insertion() -> None:
    old = "一年来，我们坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实上级工会的部署要求。走访慰问困难职工45户。"
    new = "一年来，工会紧紧围绕单位中心工作，扎实推进各项任务落实，取得了较好成效。走访慰问困难职工45户。"
    assert marked(old, new) == (
        "[-一年来，我们坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实上级工会的部署要求。-]"
        "{+一年来，工会紧紧围绕单位中心工作，扎实推进各项任务落实，取得了较好成效。+}走访慰问困难职工45户。")


def test_reworded_clauses_are_phrases_not_characters() -> None:
    result = marked("举办职工运动会1次，参加职工420人。", "组织开展了职工运动会1次，共有420名职工参加。")
    assert result == "[-举办-]{+组织开展了+}职工运动会1次，[-参加职工420人-]{+共有420名职工参加+}。"
    assert marked("开展职工书屋建设。", "开展职工书屋建设，新增图书1200册。") == "开展职工书屋建设{+，新增图书1200册+}。"


def test_a_slot_is_never_split() -> None:
    result = marked("参训【待补充：参训人数】。", "参训【待补充：参训人次】。")
    assert "[-【待补充：参训人数】-]{+【待补充：参训人次】+}" in result


@given(st.text(alphabet="职工培训12。；！？”a ", max_size=40))
def test_sentences_cover_the_text_exactly(text: str) -> None:
    spans = sentences(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(e > s for s, e in spans) or text == ""


_SENTENCES = ["全年组织职工技能培训12期。", "走访慰问困难职工45户，发放慰问金9.6万元。", "举办职工运动会1次。",
              "一是经费管理不够规范；", "二是活动形式单一。", "开展职工书屋建设，新增图书1200册。",
              "参训【待补充：参训人数】。", "工会紧紧围绕中心工作，扎实推进各项任务落实。"]
_paragraph = st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=3).map("".join)
_block = st.one_of(
    _paragraph.map(lambda t: Block("body", t)),
    st.sampled_from(["一、加强学习培训", "二、做好帮扶救助", "三、丰富文化生活"]).map(lambda t: Block("heading1", t)),
    st.tuples(st.sampled_from(["（一）开展技能培训。", "（二）推进学历教育。"]), _paragraph)
    .map(lambda x: Block("heading2", x[0], x[1])),
)


@given(st.lists(_block, max_size=8), st.lists(_block, max_size=8))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_accepting_gives_the_new_blocks_and_rejecting_the_old(before: list[Block], after: list[Block]) -> None:
    revised = compare_blocks(before, after)
    assert [t for p in revised if (t := p.accepted()) is not None] == [b.full_text for b in after]
    assert [t for p in revised if (t := p.rejected()) is not None] == [b.full_text for b in before]
    for para in revised:  # a heading's words keep the heading's look, its run-in text the body's
        assert {p.kind for p in para.pieces} <= {para.block.kind, "body"}


def test_paragraphs_of_another_kind_are_never_merged() -> None:
    revised = compare_blocks([Block("heading1", "一、加强学习培训")], [Block("body", "一、加强学习培训工作。")])
    assert [(p.block.kind, p.mark) for p in revised] == [("heading1", "del"), ("body", "ins")]


def test_identical_versions_have_no_changes() -> None:
    doc = sample_document()
    revised = compare(doc, doc)
    assert count_changes(revised) == 0 and not any(p.changed for p in revised)


# ---- the .docx --------------------------------------------------------------------------------------------

def test_tracked_docx_has_ins_and_del_by_the_assistant_with_dates_and_unique_ids(tmp_path: Path) -> None:
    before, after = edited_sample()
    when = datetime.now().astimezone()
    path = export_docx(after, tmp_path / "修订.docx", compare_to=before)
    Document(str(path))  # python-docx opens it
    elements = revision_elements(path)
    kinds = {el.tag for el in elements}
    assert kinds == {W_INS, W_DEL}
    assert {el.get(qn("w:author")) for el in elements} == {REVISION_AUTHOR} == {"写作助手"}
    for el in elements:
        stamp = datetime.fromisoformat(el.get(qn("w:date")).replace("Z", "+00:00"))
        assert abs((stamp - when).total_seconds()) < 3600
    ids = [el.get(qn("w:id")) for el in elements]
    assert len(ids) == len(set(ids)) and all(i.isdigit() for i in ids)
    body = Document(str(path)).element.body
    deleted_text = "".join(t.text for t in body.iter(qn("w:delText")))
    assert "12" in deleted_text and "举办" in deleted_text and "支持职工参加学历提升" in deleted_text
    assert not [t for d in body.iter(W_DEL) for t in d.iter(qn("w:t"))]  # deleted text is w:delText only


def test_accept_all_gives_the_current_text_and_reject_all_the_earlier(tmp_path: Path) -> None:
    before, after = edited_sample()
    path = export_docx(after, tmp_path / "修订.docx", compare_to=before)
    assert resolve(path, accept=True) == plain_paragraphs(after, tmp_path, "after.docx")
    assert resolve(path, accept=False) == plain_paragraphs(before, tmp_path, "before.docx")


_LINES = st.lists(st.sampled_from(_SENTENCES + ["一、加强学习培训", "二、做好帮扶救助", "（一）开展技能培训。"]),
                  min_size=1, max_size=6)


_SIGNATURE = st.tuples(st.sampled_from(["", "某单位"]), st.sampled_from(["", "2024年12月20日"]))


@given(_LINES, _LINES, _SIGNATURE, _SIGNATURE)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
def test_accept_and_reject_hold_for_any_pair_of_versions(tmp_path: Path, old: list[str], new: list[str],
                                                         old_sign: tuple[str, str], new_sign: tuple[str, str]) -> None:
    def doc(lines: list[str], sign: tuple[str, str]) -> SummaryDocument:
        return SummaryDocument(title="某单位2024年工作总结", unit=sign[0], date=sign[1],
                               sections=[SectionDraft(role="成绩", text="\n".join(lines))])

    path = export_docx(doc(new, new_sign), tmp_path / "p.docx", compare_to=doc(old, old_sign))
    assert resolve(path, accept=True) == plain_paragraphs(doc(new, new_sign), tmp_path, "new.docx")
    assert resolve(path, accept=False) == plain_paragraphs(doc(old, old_sign), tmp_path, "old.docx")


@pytest.mark.parametrize("removed", [True, False])
def test_paragraphs_removed_or_added_at_the_end_leave_no_empty_paragraph(tmp_path: Path, removed: bool) -> None:
    """Word cannot track the final paragraph mark: the closing paragraph's mark is tracked instead, and the
    final paragraph's layout on the other side is recorded in a w:pPrChange."""
    signed = replace(sample_document(), unit="市交通运输局工会", date="2024年12月20日")
    unsigned = replace(signed, unit="", date="")
    before, after = (signed, unsigned) if removed else (unsigned, signed)
    path = export_docx(after, tmp_path / "end.docx", compare_to=before)
    assert resolve(path, accept=True) == plain_paragraphs(after, tmp_path, "a.docx")
    assert resolve(path, accept=False) == plain_paragraphs(before, tmp_path, "b.docx")
    final = Document(str(path)).paragraphs[-1]._p.pPr
    shown = final.find(qn("w:jc")).get(qn("w:val"))
    recorded = final.find(f"{qn('w:pPrChange')}/{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val"))
    assert final.find(qn("w:pPrChange")).get(qn("w:author")) == "写作助手"
    # removed: shown as (and, accepted, left as) the justified closing; rejected, the right-aligned date again
    assert (shown, recorded) == (("both", "right") if removed else ("right", "both"))


def test_deleted_and_inserted_paragraphs_keep_their_layout_and_track_their_marks(tmp_path: Path) -> None:
    before = SummaryDocument(title="某单位2024年工作总结", unit="某单位", sections=[SectionDraft(
        role="成绩", text="一、加强学习培训\n组织职工培训12期。\n二、做好帮扶救助\n走访困难职工45户。")])
    after = SummaryDocument(title="某单位2024年工作总结", unit="某单位", sections=[SectionDraft(
        role="成绩", text="一、加强学习培训\n组织职工培训12期。\n二、丰富文化生活\n举办职工运动会1次。")])
    path = export_docx(after, tmp_path / "r.docx", compare_to=before)
    paragraphs = Document(str(path)).paragraphs

    def by_text(text: str) -> Any:
        return next(p for p in paragraphs if "".join(t.text for t in p._p.iter(qn("w:t"), qn("w:delText"))) == text)

    for text, change in (("二、做好帮扶救助", "del"), ("二、丰富文化生活", "ins")):
        heading = by_text(text)
        assert heading._p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:' + change)}") is not None
        assert heading._p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}").get(qn("w:val")) == "0"
        fonts = {r.get(qn("w:eastAsia")) for r in heading._p.iter(qn("w:rFonts"))}
        assert fonts == {"黑体"}
    for text in ("走访困难职工45户。", "举办职工运动会1次。"):
        body = by_text(text)
        assert body.paragraph_format.first_line_indent is not None
        assert {r.get(qn("w:eastAsia")) for r in body._p.iter(qn("w:rFonts"))} == {"仿宋_GB2312"}
    assert resolve(path, accept=True) == plain_paragraphs(after, tmp_path, "a.docx")
    assert resolve(path, accept=False) == plain_paragraphs(before, tmp_path, "b.docx")


def test_a_slot_keeps_its_highlight_inside_a_revision(tmp_path: Path) -> None:
    before = SummaryDocument(title="T", sections=[SectionDraft(role="开头", text="组织培训12期。")])
    after = SummaryDocument(title="T", sections=[SectionDraft(role="开头", text="组织培训12期，参训【待补充：参训人数】。")])
    path = export_docx(after, tmp_path / "s.docx", compare_to=before)
    inserted = [r for ins in Document(str(path)).element.body.iter(W_INS) for r in ins.iter(qn("w:r"))]
    slot = [r for r in inserted if "【待补充" in "".join(t.text for t in r.iter(qn("w:t")))]
    assert slot and slot[0].find(f"{qn('w:rPr')}/{qn('w:highlight')}") is not None


def test_markdown_cannot_hold_revisions(tmp_path: Path) -> None:
    from assistant.services.exporting import ExportService

    before, after = edited_sample()
    service = ExportService(make_settings(tmp_path))
    with pytest.raises(UserError, match="Markdown"):
        service.export_to(after, tmp_path / "x.md", compare_to=before)
    with pytest.raises(UserError, match="Markdown"):
        service.export(after, "md", compare_to=before)
    assert not (tmp_path / "x.md").exists()
    path = service.export(after, "docx", folder="甲", compare_to=before)
    assert path.parent.parent == make_settings(tmp_path).exports_dir and revision_elements(path)
    assert service.count_changes(after, before) == 7


# ---- LibreOffice, a real reader -----------------------------------------------------------------------------

BODY_CHARS = "工会组织职工开展技能培训劳动竞赛活动全面提升队伍素质服务基层群众关心困难家庭落实帮扶政策推进民主管理"
PARAGRAPH = (BODY_CHARS * 2)[:74] + "。"  # 26 + 28 + 21 characters: three lines, the middle one full


def to_pdf(docx_files: list[Path], workdir: Path) -> list[Path]:
    """Convert with LibreOffice headless, with a profile of its own so tests never share one."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is missing: run scripts/setup.sh with WITH_DEV=1"
    profile = workdir / "lo-profile"
    proc = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(workdir), *map(str, docx_files)],
                          capture_output=True, text=True, timeout=300)
    pdfs = [workdir / f"{f.stem}.pdf" for f in docx_files]
    assert proc.returncode == 0 and all(p.is_file() for p in pdfs), proc.stdout + proc.stderr
    return pdfs


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lo")
    before, after = edited_sample()
    tracked = export_docx(after, folder / "tracked.docx", compare_to=before)
    long_doc = SummaryDocument(title="某单位工会2024年工作总结", sections=[
        SectionDraft(role="开头", text="\n".join([PARAGRAPH] * 25))])
    full = export_docx(long_doc, folder / "full.docx")
    pdfs = to_pdf([tracked, full], folder)
    return {"tracked": pdfs[0], "full": pdfs[1]}


def _page_lines(pdf: Path) -> list[list[str]]:
    from pypdf import PdfReader

    return [[line.strip() for line in page.extract_text().splitlines() if line.strip()]
            for page in PdfReader(str(pdf)).pages]


def _drawn_pieces(pdf: Path, page: int = 0) -> list[tuple[str, tuple[float, ...], list[float]]]:
    """(text, fill colour, y of each line drawn right after it relative to the text) on one page:
    LibreOffice strikes deleted text through (a line above the baseline) and underlines inserted text."""
    from pypdf import PdfReader

    pieces: list[tuple[str, tuple[float, ...], list[float]]] = []
    colour: tuple[float, ...] = (0.0, 0.0, 0.0)

    def before(op: bytes, args: list[Any], cm: Any, tm: Any) -> None:
        nonlocal colour
        if op == b"rg":
            colour = tuple(round(float(a), 2) for a in args)
        elif op == b"m" and pieces:
            pieces[-1][2].append(float(args[1]))

    def text(t: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if t.strip():
            pieces.append((re.sub(r"\s+", "", t), colour, []))

    PdfReader(str(pdf)).pages[page].extract_text(visitor_operand_before=before, visitor_text=text)
    return pieces


def test_libreoffice_shows_both_sides_of_each_revision(rendered: dict[str, Path]) -> None:
    text = re.sub(r"\s+", "", "".join(line for page in _page_lines(rendered["tracked"]) for line in page))
    # LibreOffice prints tracked changes as they are shown: the deleted text stays, struck through, before
    # the inserted text, so both versions are in the PDF's text.
    assert "技能培训1215期" in text
    assert "举办组织开展了职工运动会" in text
    assert "支持职工参加学历提升" in text  # the deleted paragraph
    assert "三是职工书屋图书更新不及时。" in text and "技能竞赛和岗位练兵" in text
    pieces = _drawn_pieces(rendered["tracked"])
    black = (0.0, 0.0, 0.0)
    deleted = next(p for p in pieces if p[0] == "12")
    inserted = next(p for p in pieces if p[0] == "15")
    kept = next(p for p in pieces if p[0].startswith("全年组织职工技能培训"))
    assert kept[1] == black and not kept[2]
    assert deleted[1] != black and inserted[1] != black  # the author's colour
    assert deleted[2] and all(y > 0 for y in deleted[2])  # struck through
    assert inserted[2] and all(y < 0 for y in inserted[2])  # underlined


def test_libreoffice_numbers_the_pages_in_the_gbt9704_style(rendered: dict[str, Path]) -> None:
    pages = _page_lines(rendered["full"])
    assert len(pages) >= 3
    for number, lines in enumerate(pages, start=1):
        assert lines[-1] == f"— {number} —"
    from pypdf import PdfReader

    def footer_x(page: int) -> float:
        xs: list[float] = []
        PdfReader(str(rendered["full"])).pages[page].extract_text(
            visitor_text=lambda t, cm, tm, f, s: xs.append(float(tm[4] + cm[4])) if "—" in t else None)
        return xs[0]

    assert footer_x(0) > 400 > 150 > footer_x(1)  # odd pages on the right, even pages on the left


def test_a_full_page_holds_22_lines_of_28_characters(rendered: dict[str, Path]) -> None:
    """GB/T 9704: 22 lines × 28 characters. Page 2 is body text only; its paragraphs run 26 (indented),
    28 and 21 characters, so the page shows that cycle, 22 lines long."""
    body = [line for line in _page_lines(rendered["full"])[1] if not line.startswith("—")]
    lengths = [len(line) for line in body]
    cycle = [26, 28, 21] * 9
    assert len(body) == 22
    assert any(lengths == cycle[k:k + 22] for k in range(3)), lengths


_RESOLVE_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub ResolveAll(jobs As String)
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = &quot;Hidden&quot;
  hidden(0).Value = True
  Dim asText(1) As New com.sun.star.beans.PropertyValue
  asText(0).Name = &quot;FilterName&quot;
  asText(0).Value = &quot;Text (encoded)&quot;
  asText(1).Name = &quot;FilterOptions&quot;
  asText(1).Value = &quot;UTF8,LF,,,&quot;
  helper = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  For Each job In Split(jobs, &quot;;&quot;)
    parts = Split(job, &quot;|&quot;)
    doc = StarDesktop.loadComponentFromURL(parts(0), &quot;_blank&quot;, 0, hidden())
    helper.executeDispatch(doc.getCurrentController().getFrame(), &quot;.uno:&quot; &amp; parts(2) &amp; &quot;AllTrackedChanges&quot;, &quot;&quot;, 0, Array())
    doc.storeToURL(parts(1), asText())
    doc.close(True)
  Next
End Sub
</script:module>
"""


def _versions_for_libreoffice() -> dict[str, tuple[SummaryDocument, SummaryDocument]]:
    signed = replace(sample_document(), unit="市交通运输局工会", date="2024年12月20日")
    unsigned = replace(signed, unit="", date="")
    closing = replace(unsigned, sections=[*unsigned.sections[:-1], SectionDraft(
        role="结尾", text="新的一年，我们将以更加饱满的热情投入工作，奋力开创工会工作新局面。")])
    return {"edited": edited_sample(), "end-removed": (signed, unsigned), "end-added": (unsigned, signed),
            "signature-replaced": (replace(signed, date=""), replace(signed, unit="")),
            "closing-rewritten": (unsigned, closing)}


def test_libreoffice_accept_all_and_reject_all_give_the_two_versions(tmp_path: Path) -> None:
    """LibreOffice itself accepts (or rejects) every change (.uno:AcceptAllTrackedChanges, run by a Basic
    macro in a profile of the test's own) and saves the text: paragraph by paragraph, the two versions."""
    to_pdf([export_docx(sample_document(), tmp_path / "init.docx")], tmp_path)  # creates the profile
    module = tmp_path / "lo-profile" / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.is_file()
    module.write_text(_RESOLVE_MACRO, encoding="utf-8")
    jobs, expected = [], {}
    for name, (before, after) in _versions_for_libreoffice().items():
        docx = export_docx(after, tmp_path / f"{name}.docx", compare_to=before)
        for how, version in (("Accept", after), ("Reject", before)):
            out = tmp_path / f"{name}-{how}.txt"
            jobs.append(f"{docx.as_uri()}|{out.as_uri()}|{how}")
            expected[out] = plain_paragraphs(version, tmp_path, f"{name}-{how}-plain.docx")
    proc = subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
                           "--headless", "--norestore", f'macro:///Standard.Module1.ResolveAll("{";".join(jobs)}")'],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for out, paragraphs in expected.items():
        assert out.is_file(), f"LibreOffice wrote no {out.name}: {proc.stderr}"
        # one line per paragraph, each ended by a newline: an empty paragraph would show as an empty line
        assert out.read_text(encoding="utf-8-sig").removesuffix("\n").split("\n") == paragraphs, out.name


# ---- the command line ---------------------------------------------------------------------------------------------

FACTS = "单位: 市交通运输局工会\n年度: 2024\n成绩:\n  - 全年组织职工技能培训12期\n  - 走访慰问困难职工45户，发放慰问金9.6万元\n"


@pytest.fixture()
def cli_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    from assistant.export.assemble import assemble_text

    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.setenv("ASSISTANT_BACKEND", "template")
    before, after = edited_sample()
    files = {"facts": tmp_path / "facts.yaml", "before": tmp_path / "初稿.txt", "after": tmp_path / "修改稿.md"}
    files["facts"].write_text(FACTS, encoding="utf-8")
    files["before"].write_text(assemble_text(before), encoding="gb18030")  # as a Windows editor saves it
    files["after"].write_text(assemble_text(after) + "\n", encoding="utf-8")
    return files


def test_cli_text_exports_exactly_the_given_text(indexed_copy: Path, cli_files: dict[str, Path], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "导出.docx"
    code, stdout, _ = run_cli(["export", "--facts", str(cli_files["facts"]), "--text", str(cli_files["after"]),
                               "--out", str(out)], indexed_copy, capsys)
    assert code == 0 and "已导出" in stdout
    given = [line for line in cli_files["after"].read_text(encoding="utf-8").splitlines() if line]
    assert [p.text for p in Document(str(out)).paragraphs] == given
    assert not revision_elements(out)


def test_cli_reads_our_markdown_export_back(indexed_copy: Path, cli_files: dict[str, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.export.markdown_export import export_markdown

    _, after = edited_sample()
    md = export_markdown(after, tmp_path / "导出.md")
    out = tmp_path / "again.docx"
    code, _, _ = run_cli(["export", "--facts", str(cli_files["facts"]), "--text", str(md), "--out", str(out)],
                         indexed_copy, capsys)
    assert code == 0
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert paragraphs[0] == after.title and "四、存在的问题" in paragraphs
    assert not any(p.startswith(("#", "\\")) for p in paragraphs)


def test_cli_compare_to_writes_the_revisions(indexed_copy: Path, cli_files: dict[str, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "修订.docx"
    code, stdout, stderr = run_cli(["export", "--facts", str(cli_files["facts"]), "--text", str(cli_files["after"]),
                                    "--compare-to", str(cli_files["before"]), "--out", str(out)], indexed_copy,
                                   capsys)
    assert code == 0, stderr
    assert "改动 7 处" in stdout and "写作助手" in stdout
    assert revision_elements(out)
    before_lines = [x for x in cli_files["before"].read_text(encoding="gb18030").splitlines() if x]
    after_lines = [x for x in cli_files["after"].read_text(encoding="utf-8").splitlines() if x]
    assert resolve(out, accept=True) == after_lines
    assert resolve(out, accept=False) == before_lines
    assert "15期" in stderr  # the check flags the number the facts do not hold; the text is exported as written


def test_cli_compare_to_a_fresh_draft(indexed_copy: Path, cli_files: dict[str, Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "新稿.docx"
    code, stdout, _ = run_cli(["export", "--facts", str(cli_files["facts"]), "--compare-to", str(cli_files["before"]),
                               "--out", str(out)], indexed_copy, capsys)
    assert code == 0 and "改动" in stdout
    before_lines = [x for x in cli_files["before"].read_text(encoding="gb18030").splitlines() if x]
    assert resolve(out, accept=False) == before_lines
    assert any("12期" in line for line in resolve(out, accept=True))  # the template's draft of the facts


@pytest.mark.parametrize(("case", "message"), [
    ("missing", "找不到文本文件"), ("empty", "文本文件是空的"), ("binary", "二进制"), ("title-only", "只有标题"),
    ("docx-text", "另存为 .txt 或 .md"), ("pdf-out", "不支持的导出格式"), ("md-compare", "Markdown 文件无法记录修订"),
    ("missing-compare", "找不到对比版本文件"), ("huge", "太大"), ("folder", "是文件夹"),
])
def test_cli_bad_inputs_exit_2_with_one_chinese_line(indexed_copy: Path, cli_files: dict[str, Path], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str], case: str,
                                                     message: str) -> None:
    text, out, extra = cli_files["after"], tmp_path / "o.docx", []
    if case == "missing":
        text = tmp_path / "无此文件.md"
    elif case == "empty":
        text = tmp_path / "空.md"
        text.write_text(" \n\n", encoding="utf-8")
    elif case == "binary":
        text = tmp_path / "bin.txt"
        text.write_bytes(bytes(range(256)) * 8)
    elif case == "title-only":
        text = tmp_path / "t.txt"
        text.write_text("某单位2024年工作总结\n", encoding="utf-8")
    elif case == "docx-text":
        text = export_docx(sample_document(), tmp_path / "稿.docx")
    elif case == "pdf-out":
        out = tmp_path / "o.pdf"
    elif case == "md-compare":
        out, extra = tmp_path / "o.md", ["--compare-to", str(cli_files["before"])]
    elif case == "missing-compare":
        extra = ["--compare-to", str(tmp_path / "无此旧稿.txt")]
    elif case == "huge":
        text = tmp_path / "big.txt"
        text.write_text("全年组织职工技能培训12期。\n" * 80000, encoding="utf-8")
    elif case == "folder":
        text = tmp_path
    code, stdout, stderr = run_cli(["export", "--facts", str(cli_files["facts"]), "--text", str(text),
                                    "--out", str(out), *extra], indexed_copy, capsys)
    assert code == 2
    assert message in stderr and len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    assert not out.exists()
