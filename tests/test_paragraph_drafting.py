"""The embedded model writes the 成绩 part one heading at a time, each paragraph guarded on its own facts.

Scripted fake chat models stand in for the real model (whose path is covered in test_drafting.py).
"""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.config import Settings
from assistant.llm.registry import ResolvedBackend
from assistant.schema import Facts
from assistant.services import build_services
from assistant.writing.outline import one_paragraph

FACTS = Facts(unit="市第一中学工会", year="2024",
              achievements=["举办教职工技能培训班4期，培训340人次", "走访慰问困难教职工26户，发放慰问金11.6万元"])


def _service(settings: Settings, replies: list[str], name: str = "embedded"):  # noqa: ANN202
    services = build_services(settings)
    fake = FakeListChatModel(responses=replies)
    services.drafting.resolve = lambda choice=None: ResolvedBackend(name, fake, "")  # type: ignore[method-assign]
    return services.drafting


def test_each_heading_gets_its_own_guarded_paragraph(indexed_settings: Settings) -> None:
    drafting = _service(indexed_settings, [
        "一、开展技能培训和劳动竞赛，提升队伍素质\n今年举办教职工技能培训班4期，培训340人次，教职工技能明显提升。",
        "我们走访慰问困难教职工30户。",  # an invented number: this paragraph alone is redone
        "我们走访慰问困难教职工26户，发放慰问金11.6万元，传递了组织温暖。",
    ])
    events = list(drafting.stream_section(FACTS, "成绩"))
    kinds = [e.kind for e in events]
    assert kinds.count("retry") == 1 and "30户" in next(e.text for e in events if e.kind == "retry")
    done = events[-1]
    assert done.kind == "done" and done.draft is not None and done.draft.check is not None
    lines = done.draft.text.splitlines()
    assert lines[0].startswith("一、") and lines[2].startswith("二、")
    assert lines.count("一、开展技能培训和劳动竞赛，提升队伍素质") == 1  # the echoed heading is dropped
    assert "30户" not in done.draft.text and "26户" in done.draft.text
    assert done.draft.check.ok, done.draft.check.problems()
    # After the retry the display restarts with the finished paragraph, so the stream ends equal to the draft.
    after = kinds.index("retry")
    streamed = "".join(e.text for e in events[after + 1:-1] if e.kind == "token")
    assert streamed.strip() == done.draft.text.strip()


def test_a_paragraph_failing_twice_is_delivered_with_its_problem(indexed_settings: Settings) -> None:
    drafting = _service(indexed_settings, [
        "举办教职工技能培训班4期，培训340人次。",
        "走访慰问困难教职工31户，发放慰问金11.6万元。",
        "走访慰问困难教职工32户，发放慰问金11.6万元。",
    ])
    draft = drafting.draft_section(FACTS, "成绩")
    assert draft.check is not None and not draft.check.ok
    assert any("3" in n for n in draft.check.unsupported_numbers)


def test_other_backends_write_the_section_in_one_call(indexed_settings: Settings) -> None:
    drafting = _service(indexed_settings, [
        "一、开展技能培训和劳动竞赛，提升队伍素质\n举办教职工技能培训班4期，培训340人次。\n"
        "二、做好帮扶救助，传递组织温暖\n走访慰问困难教职工26户，发放慰问金11.6万元。",
    ], name="openai")
    draft = drafting.draft_section(FACTS, "成绩")
    assert draft.check is not None and draft.check.ok
    assert draft.text.count("一、") == 1 and "二、" in draft.text


def test_one_paragraph_drops_headings_and_titles() -> None:
    text = "市第一中学工会2024年工作总结\n**一、做好帮扶救助**\n走访慰问困难教职工26户。\n效果明显。"
    assert one_paragraph(text.replace("**", ""), "做好帮扶救助") == "走访慰问困难教职工26户。效果明显。"
