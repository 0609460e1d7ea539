"""The embedded model words one fact at a time. A fact the user began with a connective ("我们还……", "另外，……")
reached the model as typed, and the model kept the connective: "我们还在县城和工业园区设立……" stood in delivered
summaries while the template wrote the same fact without it. The model now gets the fact as the template writes it,
and a connective it adds anyway is dropped from its sentence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from assistant.llm.registry import ResolvedBackend
from assistant.schema import Facts
from assistant.services import Services
from tests.conftest import KNOWLEDGE
from tests.fakes import hashed_services, release_chroma

FACTS = Facts(unit="澜坪县民族宗教事务局", year="2025",
              achievements=["我们还在县城和工业园区设立少数民族流动人口服务站2个",
                            "另外，举办宗教教职人员政策法规培训班4期，培训120人次"])


class EchoModel(BaseChatModel):
    """Answers with the fact it was asked to word, as given, and with "我们还" in front: what a small model does."""

    prompts: list[str]

    @property
    def _llm_type(self) -> str:
        return "echo"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        asked = str(messages[-1].content)
        self.prompts.append(asked)
        fact = asked.rsplit("：", 1)[-1].strip()
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="我们还" + fact))])


@pytest.fixture()
def services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    example = (KNOWLEDGE / "10-shichang-jianguanju.md").read_text(encoding="utf-8")
    built, _ = hashed_services(tmp_path, monkeypatch, {"example.md": example})
    yield built
    release_chroma()


def test_the_model_words_a_fact_without_the_users_connective(services: Services,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    model = EchoModel(prompts=[])
    monkeypatch.setattr(services.drafting, "resolve", lambda choice=None: ResolvedBackend("embedded", model))
    draft = services.drafting.draft_section(FACTS, "成绩")
    asked = [p for p in model.prompts if "服务站" in p or "培训班" in p]
    assert asked and not any("我们还" in p or "另外" in p for p in asked), asked
    assert "设立少数民族流动人口服务站2个" in draft.text and "举办宗教教职人员政策法规培训班4期" in draft.text, draft.text
    assert "我们还" not in draft.text and "另外" not in draft.text, draft.text
    assert [a.accepted for a in draft.attempts] == [True, True], [a.reasons for a in draft.attempts]
