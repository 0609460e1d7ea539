"""LangChain pieces: the knowledge base as a BaseRetriever, strict prompt files as a Runnable, and the
section-drafting chain (retrieve → mask → prompt → chat model → text) that streams and composes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompt_values import ChatPromptValue
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import ConfigDict

from assistant.schema import SearchHit
from assistant.writing.prompts import render

_ROLE_TO_MESSAGE = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


def to_messages(messages: list[dict[str, str]]) -> list[BaseMessage]:
    return [_ROLE_TO_MESSAGE[m["role"]](content=m["content"]) for m in messages]


class KnowledgeRetriever(BaseRetriever):
    """The house examples as a LangChain retriever; metadata carries doc, heading, role and score."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    search: Callable[..., list[SearchHit]]
    k: int = 3
    role: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun
                                ) -> list[LCDocument]:
        hits = self.search(query, self.k, role=self.role)
        return [LCDocument(page_content=h.text, metadata={"doc": h.doc, "heading": h.heading, "role": h.role,
                                                          "score": h.score, "chunk_id": h.chunk_id})
                for h in hits]


def prompt_runnable(name: str) -> Runnable[dict[str, Any], ChatPromptValue]:
    """A prompt file as a Runnable: variables in, ChatPromptValue out (StrictUndefined rendering)."""
    return RunnableLambda(lambda variables: ChatPromptValue(messages=to_messages(render(name, **variables))),
                          name=f"prompt:{name}")


def model_chain(name: str, chat_model: Any) -> Runnable[dict[str, Any], str]:
    """prompt file → chat model → text; streams token by token with `.stream(variables)`."""
    return prompt_runnable(name) | chat_model | StrOutputParser()
