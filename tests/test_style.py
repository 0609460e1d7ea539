"""The style report: concrete remarks on how a draft departs from the house examples, each quoting them."""

from __future__ import annotations

import re

import pytest

from assistant.check.style import OPENING, StyleReport, style_report
from assistant.ingest.readers import read_document
from assistant.schema import ROLES, Facts
from assistant.text.headings import numeral, parse_numbered
from assistant.writing.compose import compose
from tests.conftest import KNOWLEDGE

EXAMPLES = [read_document(p).text for p in sorted(KNOWLEDGE.glob("*.md"))]
ALL_EXAMPLES = "".join(re.sub(r"\s", "", e) for e in EXAMPLES)

FACTS = Facts(
    unit="县人民医院工会", year="2024",
    achievements=["举办护理、急救等岗位技能培训12期，培训职工1200人次", "开展“五一”岗位练兵劳动竞赛4场，参赛职工340人次",
                  "走访慰问困难职工86户，发放慰问金11.6万元", "建成职工书屋1个，新增图书2000余册"],
    problems=["青年职工参与工会活动的积极性不高", "职工书屋利用率偏低，夜班职工借阅不便"],
    plans=["明年新建职工活动中心1处", "组织夜班护士专项疗休养2批"],
)

# How a draft follows the examples, one aspect at a time: each fix writes the draft the way the remark's quoted
# example does, and touches nothing else.
FIXABLE = ("heading_form", "heading_length", "numbering_depth", "opening", "closing")


def _template_draft(facts: Facts) -> str:
    return "\n\n".join(compose(role, facts) for role in ROLES)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _fix_headings(text: str) -> str:
    """Level-1 results headings as two clauses of the house's length: "职工书屋" → "建设职工书屋，服务职工群众"."""
    out = []
    for line in _lines(text):
        n = parse_numbered(line)
        if n is not None and n.level == 1 and not re.search(r"问题|不足|计划|打算", n.title):
            first = re.split(r"[，,；;]", n.title)[0][:8]
            line = f"{n.marker}{first}，服务职工群众"
        out.append(line)
    return "\n".join(out)


def _fix_depth(text: str) -> str:
    """The paragraph under each level-1 heading opened as a （一） level-2 heading, as most examples do."""
    out: list[str] = []
    for line in _lines(text):
        above = parse_numbered(out[-1]) if out else None
        if parse_numbered(line) is None and above is not None and above.level == 1:
            line = f"{numeral(2, 1)}{line}"
        out.append(line)
    return "\n".join(out)


def _fix_opening(text: str, example: str) -> str:
    lines = _lines(text)
    lines[0] = OPENING.sub("", lines[0]).rstrip("：:，。") + "。" + example
    return "\n".join(lines)


def _fix_closing(text: str, example: str) -> str:
    return text.rstrip() + "\n" + example


def _follow(text: str, report: StyleReport) -> str:
    for remark in report.remarks:
        if remark.aspect in ("heading_form", "heading_length"):
            text = _fix_headings(text)
        elif remark.aspect == "numbering_depth":
            text = _fix_depth(text)
        elif remark.aspect == "opening":
            text = _fix_opening(text, remark.example)
        elif remark.aspect == "closing":
            text = _fix_closing(text, remark.example)
    return text


# ---- acceptance -----------------------------------------------------------------------------------

def test_template_draft_differs_from_the_house_and_the_difference_goes_away_when_it_follows_them() -> None:
    draft = _template_draft(FACTS)
    report = style_report(draft, EXAMPLES)
    fixable = {r.aspect for r in report.remarks} & set(FIXABLE)
    assert fixable, f"no concrete structural difference named: {report.messages()}"
    followed = _follow(draft, report)
    assert followed != draft
    after = style_report(followed, EXAMPLES)
    assert not (after.aspects & fixable), after.messages()


def test_numbering_depth_remark_quotes_a_level_two_heading_and_goes_away_with_one() -> None:
    draft = "\n".join([
        "2024年，本单位在上级的领导下开展工作。现将全年工作总结如下：",
        "一、加强技能培训，提升队伍素质", "全年举办技能培训12期，培训职工1200人次。",
        "二、做好帮扶救助，传递组织温暖", "走访慰问困难职工86户，发放慰问金11.6万元。",
    ])
    report = style_report(draft, EXAMPLES)
    depth = [r for r in report.remarks if r.aspect == "numbering_depth"]
    assert len(depth) == 1 and depth[0].example.startswith("（一）")
    assert depth[0].example in depth[0].message and "本稿只有一级标题" in depth[0].message
    deeper = draft.replace("全年举办", "（一）抓好技能培训。全年举办").replace("走访慰问", "（一）做实帮扶救助。走访慰问")
    assert "numbering_depth" not in style_report(deeper, EXAMPLES).aspects


# ---- honesty: every remark quotes the examples ---------------------------------------------------------

@pytest.mark.parametrize("draft", [
    _template_draft(FACTS),
    "一、职工书屋\n建成职工书屋1个。\n二、帮扶\n慰问困难职工86户。",
    "2024年工作很好。\n\n一、抓培训，促提升，强队伍，增活力\n一是培训12期；三是竞赛4场。\n\n明年继续努力。",
])
def test_each_remark_quotes_an_example_pattern(draft: str) -> None:
    report = style_report(draft, EXAMPLES)
    assert report.remarks
    for remark in report.remarks:
        assert remark.example and re.sub(r"\s", "", remark.example) in ALL_EXAMPLES, remark
        assert remark.example[:12] in remark.message or remark.example in ("1.", "（一）"), remark
        assert re.search(r"[\u4e00-\u9fff]", remark.message)


def test_one_clause_heading_is_named_with_the_house_pattern() -> None:
    report = style_report("一、职工书屋\n建成职工书屋1个，新增图书2000余册。\n二、帮扶救助\n走访慰问困难职工86户。", EXAMPLES)
    form = [r for r in report.remarks if r.aspect == "heading_form"]
    assert [r.message.split("本稿的")[1] for r in form] == ["“职工书屋”只有一个分句。", "“帮扶救助”只有一个分句。"]
    assert "，" in form[0].example and f"如“{form[0].example}”" in form[0].message
    fixed = style_report("一、建设职工书屋，丰富文化生活\n建成职工书屋1个。\n二、做好帮扶救助，传递组织温暖\n走访慰问困难职工86户。",
                         EXAMPLES)
    assert not fixed.aspects & {"heading_form", "heading_length"}


def test_enumeration_gap_is_named() -> None:
    report = style_report("存在的不足：一是参与率不高；三是设施陈旧。", EXAMPLES)
    gap = [r for r in report.remarks if r.aspect == "enumeration"]
    assert gap and "缺了“二是”" in gap[0].message
    assert "enumeration" not in style_report("存在的不足：一是参与率不高；二是设施陈旧。", EXAMPLES).aspects


def test_enumeration_in_every_paragraph_is_more_than_the_house_uses() -> None:
    paras = [f"{numeral(1, i)}做好第{i}项工作，提升工作水平\n一是开展活动{i}场；二是培训职工{i}0人次。" for i in range(1, 6)]
    text = "2024年，本会在上级领导下开展工作。现将全年工作总结如下：\n" + "\n".join(paras) + "\n我们将继续努力，作出新的更大贡献。"
    report = style_report(text, EXAMPLES)
    assert any(r.aspect == "enumeration" and "少数段落" in r.message for r in report.remarks), report.messages()


def test_opening_and_closing_formulas_of_a_whole_summary() -> None:
    body = "\n".join(["一、加强技能培训，提升队伍素质", "（一）抓好培训。全年举办技能培训12期，培训职工1200人次。",
                      "二、做好帮扶救助，传递组织温暖", "（一）做实帮扶。走访慰问困难职工86户，发放慰问金11.6万元。"])
    bare = "2024年，县人民医院工会团结带领职工开展各项工作。\n" + body + "\n明年新建职工活动中心1处。"
    report = style_report(bare, EXAMPLES)
    assert {"opening", "closing"} <= report.aspects
    opening = next(r for r in report.remarks if r.aspect == "opening")
    assert OPENING.fullmatch(opening.example)
    house = ("2024年，县人民医院工会团结带领职工开展各项工作。" + opening.example + "\n" + body
             + "\n明年新建职工活动中心1处。\n新的一年，我们将继续努力，为医院发展作出新的贡献。")
    assert not {"opening", "closing"} & style_report(house, EXAMPLES).aspects


def test_padding_share_above_the_house_is_named() -> None:
    padded = "\n".join(["2024年，本会在上级的正确领导和大力支持下，紧紧围绕中心工作开展工作。现将全年工作总结如下：",
                        "一、加强技能培训，提升队伍素质", "工会高度重视技能培训，扎实推进各项工作。",
                        "职工素质明显提升，各项工作取得明显成效。", "全年举办技能培训12期。",
                        "二、做好帮扶救助，传递组织温暖", "工会充分发挥桥梁纽带作用，营造了良好氛围。",
                        "我们将凝心聚力、真抓实干，作出新的更大贡献。"])
    report = style_report(padded, EXAMPLES)
    padding = [r for r in report.remarks if r.aspect == "padding"]
    assert padding and "套话" in padding[0].message and padding[0].example in padding[0].message
    lean = "\n".join(["2024年，本会在上级的正确领导下开展工作。现将全年工作总结如下：", "一、加强技能培训，提升队伍素质",
                      "全年举办技能培训12期，培训职工1200人次。", "开展岗位练兵劳动竞赛4场，参赛职工340人次。",
                      "二、做好帮扶救助，传递组织温暖", "走访慰问困难职工86户，发放慰问金11.6万元。",
                      "组织职工健康体检，体检率达到95%。", "我们将继续努力，作出新的更大贡献。"])
    assert style_report(lean, EXAMPLES).draft["padding_sentences"] == 0
    assert "padding" not in style_report(lean, EXAMPLES).aspects


def test_sentence_length_against_the_examples() -> None:
    clipped = "\n".join(["一、加强技能培训，提升队伍素质", "办班12期。培训1200人次。竞赛4场。参赛340人次。慰问86户。"])
    report = style_report(clipped, EXAMPLES)
    remark = next(r for r in report.remarks if r.aspect == "sentence_length")
    assert "偏短" in remark.message and remark.example[:12] in remark.message


def test_an_example_follows_its_own_house() -> None:
    for name in ("06-shiyan-xiaoxue.md", "12-heping-jiedao.md", "16-gongjiao-jituan.md"):
        text = read_document(KNOWLEDGE / name).text
        assert style_report(text, EXAMPLES).remarks == [], name


def test_odd_input_gives_a_report_not_a_crash() -> None:
    assert style_report("", EXAMPLES).remarks == []
    assert style_report("一、", EXAMPLES).to_json()["remarks"] == []
    assert style_report("任意文字。", []).remarks == []
    assert style_report(None, [None, "", 3]).remarks == []  # type: ignore[arg-type, list-item]
    data = style_report(_template_draft(FACTS), EXAMPLES).to_json()
    assert set(data) == {"remarks", "house", "draft"}
    assert all(set(r) == {"aspect", "message", "example"} for r in data["remarks"])


def test_style_never_imports_a_model() -> None:
    import subprocess
    import sys

    code = ("import sys; import assistant.check.style as s; s.style_report('一、职工书屋\\n建成1个。', ['一、加强学习，提高素质\\n学习。']);"
            "bad = [m for m in ('torch', 'llama_cpp', 'sentence_transformers', 'chromadb') if m in sys.modules];"
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_cli_check_reports_style_beside_the_fact_check(tmp_path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from tests.conftest import run_cli

    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.setenv("ASSISTANT_BACKEND", "template")
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS.to_json(), ensure_ascii=False), encoding="utf-8")
    draft = tmp_path / "draft.txt"
    text = _template_draft(FACTS)
    draft.write_text(text, encoding="utf-8")
    expected = style_report(text, EXAMPLES)
    assert expected.remarks
    code, out, _ = run_cli(["check", "--facts", str(facts), "--draft", str(draft), "--json"], tmp_path / "data", capsys)
    assert code == 0
    data = json.loads(out)
    assert data["style"] == expected.to_json()
    code, out, _ = run_cli(["check", "--facts", str(facts), "--draft", str(draft)], tmp_path / "data", capsys)
    assert code == 0 and "文风对照（与范文相比）：" in out
    assert all(f"- {m}" in out for m in expected.messages())


def test_title_and_signature_lines_are_neither_opening_nor_closing() -> None:
    body = "\n".join(["2024年，县人民医院工会团结带领职工开展各项工作。现将全年工作总结如下：",
                      "一、加强技能培训，提升队伍素质", "（一）抓好培训。全年举办技能培训12期，培训职工1200人次。",
                      "二、做好帮扶救助，传递组织温暖", "（一）做实帮扶。走访慰问困难职工86户，发放慰问金11.6万元。",
                      "新的一年，我们将继续努力，为医院发展作出新的贡献。"])
    assert not {"opening", "closing"} & style_report(body, EXAMPLES).aspects
    framed = f"县人民医院工会2024年工作总结\n{body}\n县人民医院工会\n2024年12月20日"
    report = style_report(framed, EXAMPLES)
    assert not {"opening", "closing"} & report.aspects and report.draft["whole_summary"]
