"""The page's chat acting on the document (handlers, no browser): which part a request names, the proposal as a
diff, 应用 / 放弃, versions of each change; a model's reply never repeats an earlier one and shows no Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from assistant.llm.registry import ResolvedBackend
from assistant.services.sessions import FORM_FIELDS
from assistant.ui.callbacks import Actions
from assistant.ui.chat import ChatActions
from assistant.ui.chat_text import chat_history
from assistant.ui.parts import find_part, is_edit_request, request_of, splice
from assistant.ui.state import SAMPLE_FORM, UiSession
from tests.conftest import make_settings

TEMPLATE = ["template", "", "", ""]
FORM = [SAMPLE_FORM[k] for k in FORM_FIELDS]
ACHIEVEMENTS = ("一、抓好技能培训，提升队伍素质\n一年来，组织职工技能培训12期，参训860人次。\n"
                "二、做好走访慰问，传递组织温暖\n今年以来，走访慰问困难职工45户，发放慰问金9.6万元。\n"
                "三、丰富职工运动会，增强队伍凝聚力\n全年举办职工运动会1次，参加职工420人。")
SECTIONS = {"开头": "2024年，本会紧紧围绕中心工作，认真履行各项职责，团结带领干部职工扎实开展各项工作。",
            "成绩": ACHIEVEMENTS, "问题": "一是经费使用不够规范。", "计划": "一是开展职工技能竞赛。",
            "结尾": "新的一年，我们将继续努力。"}


# --- which part ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("message", "role", "starts"), [
    ("把第二部分写得更简洁一些", "成绩", "二、做好走访慰问"),
    ("把“二、做好走访慰问”改得更生动", "成绩", "二、做好走访慰问"),
    ("第三部分精简一下", "成绩", "三、丰富职工运动会"),
    ("第四部分再精炼一点", "问题", "一是经费"),  # 四、存在的问题, as the full text numbers it
    ("把开头写得更简洁", "开头", "2024年"),
    ("删去结尾的套话", "结尾", "新的一年"),
    ("加一段职工书屋的内容", "成绩", "一、抓好技能培训"),  # an addition without a place goes to the work part
    ("语气再正式一点", "问题", "一是经费"),  # no part named: the section in view
])
def test_a_request_names_its_part(message: str, role: str, starts: str) -> None:
    request = request_of(message)
    assert is_edit_request(request)
    part, why = find_part(request, SECTIONS, "问题")
    assert part is not None, why
    assert part.role == role and part.text(SECTIONS[role]).startswith(starts)
    if message == "把第二部分写得更简洁一些":
        assert part.text(SECTIONS[role]) == "二、做好走访慰问，传递组织温暖\n今年以来，走访慰问困难职工45户，发放慰问金9.6万元。"
        assert splice(SECTIONS[role], part, "二、做好走访慰问\n走访困难职工45户。").split("\n")[2:4] == \
            ["二、做好走访慰问", "走访困难职工45户。"]


def test_requests_that_are_not_changes_and_parts_that_are_not_there() -> None:
    for message in ("帮我写存在的问题", "请起草全文，写得正式一些", "这份总结的语气是不是太硬了？", "请生成提纲",
                    "帮我看看存在的问题写得怎么样"):
        assert not is_edit_request(request_of(message)), message
    part, why = find_part(request_of("把第七部分改短"), SECTIONS)
    assert part is None and "没有第七部分" in why and "一、二、三、四、五" in why
    part, why = find_part(request_of("把结尾写得更简洁"), {"成绩": ACHIEVEMENTS})
    assert part is None and "“结尾”还没有草稿" in why


# --- the page's handlers -------------------------------------------------------------------------------
@pytest.fixture()
def actions(tmp_path: Path, indexed_copy: Path) -> Actions:
    from assistant.services import build_services
    from assistant.services.sessions import SessionStore

    settings = make_settings(indexed_copy)
    return Actions(build_services(settings), SessionStore(settings.sessions_dir), tmp_path / "downloads")


def drafted(actions: Actions, sid: str, section: str = "问题") -> UiSession:
    s = UiSession(sid=sid * 32)
    s.data.section = section
    for _ in actions.draft_all(s, section, "", *FORM, *TEMPLATE):
        pass
    return s


def chat(actions: Actions, s: UiSession, message: str, model: list[str] = TEMPLATE) -> list[dict[str, Any]]:
    return list(ChatActions(actions).chat(s, message, "", *FORM, *model))


def last(updates: list[dict[str, Any]], key: str) -> Any:
    return next(u[key] for u in reversed(updates) if key in u)


PADDED = "2024年，市交通运输局工会紧紧围绕中心工作，认真履行各项职责，团结带领广大职工扎实开展各项工作。现将2024年工作总结如下："


def padded(actions: Actions, sid: str) -> UiSession:
    """A drafted session whose opening carries clauses that state no fact (as a model's or a house's may)."""
    s = drafted(actions, sid)
    s.data.sections["开头"] = PADDED
    return s


def test_a_more_concise_request_is_proposed_as_a_diff_and_applied(actions: Actions) -> None:
    s = padded(actions, "a")
    updates = chat(actions, s, "把开头写得更简洁一些")
    html = last(updates, "proposal")
    assert last(updates, "proposal_box") is True
    assert "<del>" in html and "逐句核查" in html
    assert "原文" in s.data.chat[-1]["content"] and "修改稿" in s.data.chat[-1]["content"]
    assert s.data.sections["开头"] == PADDED  # nothing changes before 应用

    out = ChatActions(actions).apply_proposal(s, "问题", s.data.sections["问题"], "", *FORM)
    assert out["proposal_box"] is False and "已应用" in out["status"]
    assert "draft" not in out  # the draft box shows 问题, which did not change
    new = s.data.sections["开头"]
    assert len(new) <= 0.85 * len(PADDED) and new.startswith("2024年") and new.endswith("如下：")
    assert "认真履行各项职责" not in new and "认真履行各项职责" not in out["document"]
    newest = actions.versions.latest(s.sid, "开头")
    assert newest is not None and newest.origin == "chat" and newest.text == new
    assert newest.check is not None and newest.check.passed
    whole = actions.versions.latest(s.sid, "全文")
    assert whole is not None and whole.origin == "chat" and "认真履行各项职责" not in whole.text
    assert ChatActions(actions).apply_proposal(s, "问题", "", "", *FORM)["proposal_box"] is False  # applied once only


def test_an_addition_gets_a_slot_and_discarding_keeps_the_text(actions: Actions) -> None:
    s = drafted(actions, "b", section="成绩")
    before = s.data.sections["成绩"]
    updates = chat(actions, s, "加一段职工书屋的内容")
    assert "<ins>" in last(updates, "proposal") and "关于职工书屋的具体情况" in last(updates, "proposal")
    assert "模板模式不会编写新内容" in s.data.chat[-1]["content"]
    out = ChatActions(actions).discard_proposal(s)
    assert out["proposal_box"] is False and "已放弃修改" in out["status"]
    assert s.data.sections["成绩"] == before and not s.data.proposal
    assert [v.origin for v in actions.versions.list(s.sid, "成绩")] == ["template"]


def test_a_part_with_nothing_to_cut_is_said_so_without_a_proposal(actions: Actions) -> None:
    s = drafted(actions, "c")
    updates = chat(actions, s, "把第二部分写得更简洁一些")
    assert "proposal" not in updates[-1] or not updates[-1].get("proposal_box")
    assert not s.data.proposal
    said = s.data.chat[-1]["content"]
    second = next(line for line in s.data.sections["成绩"].splitlines() if line.startswith("二、"))
    assert f"“{second}”没有改动" in said and "未作改动" in said  # says why, claims no revision


def test_a_proposal_never_overwrites_a_later_edit(actions: Actions) -> None:
    s = padded(actions, "d")
    s.data.section = "开头"
    chat(actions, s, "把开头写得更简洁一些")
    typed = s.data.sections["开头"] + "我们还组织了读书活动。"
    out = ChatActions(actions).apply_proposal(s, "开头", typed, "", *FORM)
    assert "没有应用" in out["status"] and out["proposal_box"] is False
    assert "draft" not in out and "读书活动" not in s.data.sections["开头"]


def test_a_pending_proposal_survives_a_reload(actions: Actions) -> None:
    s = padded(actions, "e")
    chat(actions, s, "把开头写得更简洁一些")
    page = actions.load(s.sid)
    assert page["proposal_box"] is True and "<del>" in page["proposal"]


# --- a model's chat answers ----------------------------------------------------------------------------
class EchoModel(BaseChatModel):
    """The failure seen on the embedded model: it copies the last answer in its history, if any. Without history
    it answers the message (with Markdown marks a small model likes to add)."""

    calls: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "echo-fake"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        self.calls.append(list(messages))
        answers = [m for m in messages if isinstance(m, AIMessage)]
        if answers:
            text = str(answers[-1].content)
        elif "计划" in str(messages[-1].content):
            text = "### 下一步计划\n**一是**开展职工技能竞赛。"
        else:
            text = "### 存在的问题\n**一是**基层工会经费使用不够规范。"
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


@pytest.fixture()
def echo(actions: Actions, monkeypatch: pytest.MonkeyPatch) -> Iterator[EchoModel]:
    model = EchoModel(calls=[])
    monkeypatch.setattr(actions.services.drafting, "resolve", lambda choice=None: ResolvedBackend("fake", model))
    yield model


def test_a_model_that_would_echo_its_history_does_not_repeat_itself(actions: Actions, echo: EchoModel) -> None:
    s = UiSession(sid="f" * 32)
    chat(actions, s, "帮我写存在的问题")
    first = s.data.chat[-1]["content"]
    assert "经费使用不够规范" in first
    assert "#" not in first and "*" not in first  # no Markdown marks on the page
    updates = chat(actions, s, "再写一下下一步计划")
    second = s.data.chat[-1]["content"]
    assert "技能竞赛" in second and "经费使用不够规范" not in second
    shown = [u["chat"][-1]["content"] for u in updates if "chat" in u]
    assert not any("经费使用不够规范" in text for text in shown), "the copied answer was shown, then taken back"
    assert any(isinstance(m, AIMessage) for m in echo.calls[-2])  # the first try had the history ...
    assert not any(isinstance(m, AIMessage) for m in echo.calls[-1])  # ... the second did not


def test_the_history_keeps_one_copy_of_a_repeated_answer_and_no_page_notes() -> None:
    refusal = "请在右侧填写单位。"
    pairs = [("写成绩", refusal), ("写成绩", refusal), ("单位：某工会", "（已从消息中读到：单位，已填入左侧表单，请核对。）\n\n好的。"),
             ("写问题", "【出错：模型服务没有响应】"), ("好", "（已应用对“开头”部分的修改，可在“版本”页比较或恢复。）")]
    assert chat_history(pairs) == [("写成绩", refusal), ("单位：某工会", "好的。")]


def test_a_model_proposal_is_gated_and_clean(actions: Actions, monkeypatch: pytest.MonkeyPatch) -> None:
    s = drafted(actions, "0", section="成绩")

    class Reviser(EchoModel):
        def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                      **kwargs: Any) -> ChatResult:
            # the part it was given, back with Markdown marks, the prompt's delimiters and an invented number
            given = str(messages[-1].content).split("<<<草稿\n")[-1].split("\n草稿>>>")[0].splitlines()
            body = [f"**全年**{line.rstrip('。')}，另建职工书屋7个。" for line in given[1:]]
            # reworded: its second clause left out, or a one-clause heading given a manner word
            heading = given[0].split("，")[0] if "，" in given[0] else re.sub(r"^(\S+?、)", r"\1扎实", given[0])
            text = "\n".join(["<<<草稿", f"## {heading}", *body, "草稿>>>"])
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    model = Reviser(calls=[])
    monkeypatch.setattr(actions.services.drafting, "resolve", lambda choice=None: ResolvedBackend("fake", model))
    updates = chat(actions, s, "把第二部分写得更正式一些", ["openai", "", "", ""])
    html = last(updates, "proposal")
    after = s.data.proposal["after"]
    second = s.data.sections["成绩"].split("\n二、", 1)[1]
    assert all(n in after for n in re.findall(r"\d+", second))  # the part's facts stay ...
    assert "7个" not in after  # ... and the invented number never reaches the proposal
    assert "#" not in after and "*" not in after and "#" not in html
    assert "<<<" not in after and ">>>" not in after and "草稿" not in after  # the prompt's delimiters, copied back
    first = s.data.sections["成绩"].splitlines()[0]
    assert s.data.proposal["new"].startswith(first)  # the other parts are untouched
    level1 = [line for line in s.data.sections["成绩"].splitlines() if re.match(r"^[一二三四五六七八九十]+、", line)]
    proposed = [line for line in s.data.proposal["new"].splitlines() if re.match(r"^[一二三四五六七八九十]+、", line)]
    assert len(proposed) == len(level1) and proposed[0] == level1[0]  # the part's heading may be reworded
    assert s.data.proposal["new"].count("12期") == 1
