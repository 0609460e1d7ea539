"""Peak memory of the app with the embedded model loaded: on a running server (embedded backend, the verified
GGUF passed in its environment), ask for one draft through the OpenAI-compatible API, check that the model
really answered (the GGUF is mapped into the process; the app would otherwise fall back to the template
backend silently), then read the process's high-water mark (VmHWM) from /proc."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.cold_start import AppServer, http_json

DRAFT_REQUEST = ("单位：青松社区工会\n年度：2024\n主要成绩：\n- 举办职工技能培训4期，培训职工320人次\n"
                 "- 走访慰问困难职工26户\n\n请起草“主要工作和成绩”部分。")
DRAFT_MODEL = "summary-writer-draft@embedded"
# --quick: one short chat answer loads the model just the same (its KV cache is sized by the context, not the
# answer) without the draft's long prompt and possible regeneration.
CHAT_REQUEST = DRAFT_REQUEST.replace("请起草“主要工作和成绩”部分。", "请用一句话概括今年的工作。")
CHAT_MODEL = "summary-writer-chat@embedded"


def _status_kb(pid: int, field: str) -> int:
    """A field of /proc/<pid>/status in kB (0 when the process or the field is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def process_memory_mb(pid: int) -> dict[str, float]:
    """RSS now (and its file-backed part), peak (VmHWM), and the largest peak among its children, in MB."""
    import psutil

    children = []
    try:
        children = [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        pass
    child_peak = max((_status_kb(c, "VmHWM") for c in children), default=0)
    return {"rss_mb": round(_status_kb(pid, "VmRSS") / 1024, 1),
            "rss_file_mb": round(_status_kb(pid, "RssFile") / 1024, 1),
            "peak_rss_mb": round(_status_kb(pid, "VmHWM") / 1024, 1),
            "children": len(children), "child_peak_rss_mb": round(child_peak / 1024, 1)}


def maps_file(pid: int, name: str) -> bool:
    """True when a file of this name is mapped into the process (llama.cpp mmaps the GGUF)."""
    try:
        return any(line.rstrip().endswith("/" + name) for line in Path(f"/proc/{pid}/maps").read_text().splitlines())
    except OSError:
        return False


def pick_model(models: Any, backend: str) -> str:
    """The /v1/models id that names the backend, else the first one listed."""
    ids = [str(m.get("id")) for m in (models.get("data") or [])] if isinstance(models, dict) else []
    for mid in ids:
        if backend in mid:
            return mid
    return ids[0] if ids else backend


def run(server: AppServer, model_file: Path, quick: bool = False) -> dict[str, Any]:
    """Peak RSS of the running app after one draft (with quick, one chat answer) on the embedded model; the
    server must have been started with ASSISTANT_BACKEND=embedded and ASSISTANT_LLM_MODEL_PATH=model_file."""
    pid = server.proc.pid
    before = process_memory_mb(pid)
    model, request = (CHAT_MODEL, CHAT_REQUEST) if quick else (DRAFT_MODEL, DRAFT_REQUEST)
    payload = {"model": model, "messages": [{"role": "user", "content": request}], "stream": False}
    start = time.perf_counter()
    status, body = http_json(server.base + "/v1/chat/completions", payload, timeout=900)
    draft_s = time.perf_counter() - start
    after = process_memory_mb(pid)
    if status != 200 or not isinstance(body, dict):
        raise RuntimeError(f"draft request failed ({status}): {str(body)[:300]}")
    text = str(body["choices"][0]["message"]["content"])
    if not maps_file(pid, model_file.name):
        raise RuntimeError(f"the app answered without loading {model_file.name} (template fallback?): {text[:120]}")
    return {"model_id": model, "model_file": model_file.name,
            "rss_before_draft_mb": before["rss_mb"], "peak_before_draft_mb": before["peak_rss_mb"],
            "draft_s": round(draft_s, 2), "draft_chars": len(text),
            "app_peak_rss_mb": after["peak_rss_mb"], "app_rss_after_mb": after["rss_mb"],
            "app_rss_file_after_mb": after["rss_file_mb"], "model_file_mb": round(model_file.stat().st_size / 1048576),
            "child_processes": after["children"], "child_peak_rss_mb": after["child_peak_rss_mb"]}
