"""Model backends behind one narrow interface: a LangChain chat model that streams text, or none (template).

Import `assistant.llm.registry` for `resolve_backend` and `stream_text`; heavy clients load lazily.
"""
