"""HTML of the check and sources panels: highlights in the right places, all user text escaped."""

from __future__ import annotations

import re
from html import unescape

from assistant.schema import CheckReport, SearchHit
from assistant.ui.rendering import highlight_html, render_check, render_sources, render_status, slot_spans


def _strip_tags(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def _marks(html: str) -> list[tuple[str, str]]:
    """(kind, marked text) of each highlight, in order."""
    return [(k, unescape(t)) for k, t in re.findall(r'<mark class="k-(\w+)"[^>]*>([^<]*)</mark>', html)]


def _titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'title="([^"]*)"', html)]


def test_highlight_wraps_each_span_and_keeps_the_text() -> None:
    text = "共培训1200人次，覆盖泰山区。"
    start = text.index("1200人次")
    leak = text.index("泰山区")
    html = highlight_html(text, [(start, start + 6, "number"), (leak, leak + 3, "leak")])
    assert _marks(html) == [("number", "1200人次"), ("leak", "泰山区")]
    assert all(title for title in _titles(html)), "each mark says what it flags"
    assert _strip_tags(html) == text


def test_highlight_escapes_user_text_and_drops_overlaps() -> None:
    text = "<script>alert(1)</script> 8人 & 9人"
    i = text.index("8人")
    html = highlight_html(text, [(i, i + 2, "number"), (i + 1, i + 4, "number"), (99, 120, "number")])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;" in html
    assert html.count("<mark") == 1
    assert _strip_tags(html) == text


def test_unknown_kinds_get_a_safe_class() -> None:
    html = highlight_html("abc", [(0, 1, 'x" onmouseover="alert(1)')])
    assert 'class="k-other"' in html
    assert "onmouseover" not in html


def test_slots_stand_out_even_without_a_report_span() -> None:
    text = "共开展培训【待补充：培训期数】期，参训【待补充：参训人数】人次。"
    assert [text[s:e] for s, e, _ in slot_spans(text)] == ["【待补充：培训期数】", "【待补充：参训人数】"]
    html = render_check(text, CheckReport(missing_slots=["培训期数", "参训人数"]))
    draft_view = html.split('class="draft-view"')[1].split("</div>")[0]
    assert draft_view.count('<mark class="k-slot"') == 2
    assert "待补充 2 处" in html
    assert "通过核查" in html


def test_check_panel_lists_problems_and_unused_facts() -> None:
    text = "全年走访职工317户。"
    report = CheckReport(unsupported_numbers=["317户"], unused_facts=["举办运动会1次<b>"])
    i = text.index("317户")
    html = render_check(text, report, [(i, i + 4, "number")], title="核查结果：成绩")
    assert "发现 2 类问题" in html
    assert "出现了事实中没有的数字：317户" in html
    assert "还没有用到的事实" in html
    assert "举办运动会1次&lt;b&gt;" in html
    assert "<b>举办" not in html
    assert ("number", "317户") in _marks(html)


def test_check_panel_empty_state_explains_itself() -> None:
    html = render_check("", None)
    assert "核查" in _strip_tags(html)
    assert "<mark" not in html


def test_sources_show_document_heading_score_and_text_escaped() -> None:
    hits = [SearchHit(text="在新的一年里，<我们>将继续努力。", doc="02-quzong-gonghui", heading="四、明年打算 > （一）学习",
                      role="计划", score=0.61234)]
    html = render_sources(hits, {"02-quzong-gonghui": "区总工会2022年工作总结"})
    assert "区总工会2022年工作总结" in html
    assert "02-quzong-gonghui" in html
    assert "四、明年打算 › （一）学习" in html
    assert "0.612" in html
    assert "&lt;我们&gt;" in html
    assert "<我们>" not in html
    assert "1 段" in html


def test_sources_empty_state() -> None:
    assert "范文" in _strip_tags(render_sources([]))


def test_status_kinds_are_whitelisted() -> None:
    assert 'class="status status-busy"' in render_status("正在起草", "busy")
    assert 'class="status status-idle"' in render_status("x", "weird\"kind")
    assert "&lt;b&gt;" in render_status("<b>")


def test_edited_full_text_becomes_a_document_without_losing_text() -> None:
    from assistant.schema import Facts
    from assistant.ui.document_text import document_from_text

    text = ("区总工会2024年工作总结\n\n2024年，区总工会在上级的正确领导下开展工作。现将工作总结如下：\n"
            "一、加强职工培训\n组织职工培训12期。\n二、做好帮扶\n走访困难职工45户。\n"
            "三、存在的问题\n一是经费管理不够规范；二是活动形式单一。\n"
            "四、下一步工作计划\n一是完善帮扶机制；二是开展技能竞赛。\n"
            "新的一年，我们将继续努力，作出新的更大贡献。\n区总工会\n2024年12月20日\n")
    doc = document_from_text(text, Facts(unit="区总工会", year="2024"))
    assert doc.title == "区总工会2024年工作总结"
    assert [s.role for s in doc.sections] == ["开头", "成绩", "问题", "计划", "结尾"]
    assert doc.sections[2].heading == "存在的问题"
    assert doc.sections[3].heading == "下一步工作计划"
    assert doc.sections[1].text.startswith("一、加强职工培训")
    assert doc.unit == "区总工会" and doc.date == "2024年12月20日"
    kept = "\n".join([doc.title, *(s.heading for s in doc.sections), *(s.text for s in doc.sections),
                      doc.unit, doc.date])
    for line in (x.strip() for x in text.splitlines()):
        if line and not re.match(r"^[一二三四]、(存在的问题|下一步工作计划)$", line):
            assert line in kept


def test_free_text_without_headings_is_kept_whole() -> None:
    from assistant.schema import Facts
    from assistant.ui.document_text import document_from_text

    doc = document_from_text("全年完成培训12期，成效明显。\n职工满意度提高。", Facts(unit="某单位", year="2024"))
    assert doc.title == "某单位2024年工作总结"
    assert "\n".join(s.text for s in doc.sections) == "全年完成培训12期，成效明显。\n职工满意度提高。"


def test_spans_from_report_find_every_flagged_item() -> None:
    from assistant.ui.rendering import spans_from_report

    text = "走访317户，又走访317户；见xx同志。"
    report = CheckReport(unsupported_numbers=["317户"], placeholders=["xx"])
    spans = spans_from_report(text, report)
    assert sorted(text[s:e] for s, e, _ in spans) == ["317户", "317户", "xx"]
    assert {k for _, _, k in spans} == {"number", "placeholder"}


_FACT_ID = re.compile(r"\b(?:ach|prob|plan|note)\d+\b")


def test_the_ledger_colours_each_sentence_and_names_the_facts_it_rests_on() -> None:
    from assistant.check.document import check_text
    from assistant.facts.ledger import build_ledger
    from assistant.schema import Attempt, Facts
    from assistant.ui.rendering import render_ledger

    facts = Facts(unit="某工会", year="2025", achievements=["走访慰问困难职工35户，发放慰问金7.2万元", "建成职工书屋1个"])
    text = "走访慰问困难职工35户，发放慰问金7.2万元。联合县妇联开展了主题活动。职工凝聚力进一步增强。"
    report = check_text(text, build_ledger(facts), "成绩", [])
    html = render_ledger(text, report, [Attempt("组织了技术比赛。", "建成职工书屋1个。", False, ["ach2"],
                                                ["事实中没有这些内容：比赛"])], title="核查结果：成绩", role="成绩")
    ledger = html.split('class="ledger">')[1].split("</div>")[0]
    assert _strip_tags(ledger) == text, "every sentence is shown, word for word"
    spans = re.findall(r'<span class="s-(\w+)"[^>]*data-place="([^"]*)"', ledger)
    assert [status for status, _ in spans] == [e.status for e in report.sentences]
    assert [place for _, place in spans] == ["成绩 第 1 句", "成绩 第 2 句", "成绩 第 3 句"]
    supported = next(t for t in _titles(ledger) if t.startswith("成绩 第 1 句"))
    assert "走访慰问困难职工35户" in supported, "hovering names the fact by its own words"
    flagged = next(t for t in _titles(ledger) if t.startswith("成绩 第 2 句"))
    assert any(r in flagged for r in report.sentences[1].reasons)
    unused = re.findall(r'<li class="unused"[^>]*>([^<]*)', html)
    assert any("建成职工书屋1个" in u for u in unused)
    assert "组织了技术比赛。" in _strip_tags(html), "the model's attempt that was not used is shown"
    assert "逐句核查通过" not in html, "never green while something is flagged"
    assert not _FACT_ID.search(_strip_tags(html)) and not any(_FACT_ID.search(t) for t in _titles(html)), \
        "no internal id reaches the page"


def test_the_form_panel_names_the_part_and_sentence_of_each_fact_or_says_it_is_unused() -> None:
    from assistant.check.document import check_text
    from assistant.facts.ledger import build_ledger
    from assistant.schema import Facts
    from assistant.ui.rendering import render_fact_use

    facts = Facts(unit="某公路养护中心工会", year="2025",
                  achievements=["走访慰问困难职工35户", "建成职工书屋1个"], problems=["基层道班文体场地不足"],
                  plans=["建设职工小家3个"])
    text = ("2025年，某公路养护中心工会围绕中心工作，扎实开展各项工作。\n"
            "一、关心职工生活\n走访慰问困难职工35户。\n"
            "二、存在的问题\n基层道班文体场地不足。\n"
            "三、下一步工作计划\n建设职工小家3个。")
    report = check_text(text, build_ledger(facts), None, [])
    html = render_fact_use(text, report)
    items = {_strip_tags(li).split(" → ")[0].split(" （")[0]: _strip_tags(li)
             for li in re.findall(r"<li[^>]*>.*?</li>", html)}
    for fact, part in (("走访慰问困难职工35户", "成绩"), ("基层道班文体场地不足", "问题"), ("建设职工小家3个", "计划")):
        assert re.search(rf"→ {part} 第 \d+ 句", items[fact]), items[fact]  # each fact in its own part
    assert "未使用" in items["建成职工书屋1个"] and "→" not in items["建成职工书屋1个"]
    assert "3/4" in _strip_tags(html) and "badge-warn" in html, "the head counts the facts used, and warns"
    assert "起草后" in render_fact_use("", None)


def test_a_plan_sharing_words_with_a_result_is_shown_where_the_plans_state_it() -> None:
    from assistant.check.document import check_text
    from assistant.facts.ledger import build_ledger
    from assistant.schema import Facts
    from assistant.ui.rendering import render_fact_use

    facts = Facts(unit="某工会", year="2025", achievements=["组织职工技能培训12期"], problems=["活动形式单一"],
                  plans=["开展职工技能竞赛"])
    text = ("2025年，某工会扎实开展各项工作。\n一、抓好技能培训\n组织职工技能培训12期。\n二、存在的问题\n活动形式单一。\n"
            "三、下一步工作计划\n开展职工技能竞赛。")
    html = render_fact_use(text, check_text(text, build_ledger(facts), None, []))
    assert "开展职工技能竞赛 <span class=\"src-score\">→ 计划 第 1 句</span>" in html, html
