"""Load test: N concurrent simulated users (threads, loopback only), each doing facts → outline → draft → export
against a running server on the template backend, through the OpenAI-compatible API.

Every user has a unique unit name; a reply or export that names another user's unit, or misses its own,
is counted as state mixed between users. Bounded in users and time; p50/p95 per step.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.cold_start import http_json
from bench.retrieval import percentiles

# Distinct two-character words, none inside another or in the house examples, so a name check is exact.
UNIT_WORDS = ("青松", "翠柏", "红梅", "白杨", "金桂", "银杏", "紫藤", "玉兰", "海棠", "丁香",
              "芙蓉", "木棉", "腊梅", "水杉", "香樟", "红枫", "绿竹", "墨兰", "雪莲", "山茶",
              "青桐", "合欢", "凌霄", "石榴", "杜鹃", "茉莉", "桔梗", "芍药", "鸢尾", "紫荆")
STEPS = ("facts", "outline", "draft", "export")


def unit_name(i: int) -> str:
    return f"{UNIT_WORDS[i % len(UNIT_WORDS)]}社区工会"


def marker(i: int) -> str:
    """A number only this user's facts contain (three digits, so no other user's is a substring of it)."""
    return f"{(10 + i) * 20}人次"


def facts_text(i: int) -> str:
    """A user's facts in the plain-text form the API accepts in a chat message."""
    n = 10 + i
    return (f"单位：{unit_name(i)}\n年度：2024\n主要成绩：\n- 举办职工技能培训{n}期，培训职工{n * 20}人次\n"
            f"- 走访慰问困难职工{n + 5}户\n存在问题：\n- 活动阵地面积不足\n- 青年职工参与度不高\n"
            f"明年计划：\n- 新建职工书屋{(i % 3) + 1}个\n")


@dataclass
class UserRun:
    user: int
    times: dict[str, float] = field(default_factory=dict)
    replies: dict[str, str] = field(default_factory=dict)
    error: str = ""


def _chat(base: str, model: str, content: str, headers: dict[str, str]) -> str:
    payload = {"model": model, "messages": [{"role": "user", "content": content}], "stream": False}
    status, body = http_json(base + "/v1/chat/completions", payload, timeout=120, headers=headers)
    if status != 200 or not isinstance(body, dict):
        raise RuntimeError(f"HTTP {status}: {str(body)[:200]}")
    return str(body["choices"][0]["message"]["content"])


Exporter = Callable[[int, str, str, str], str]


def step_models(model_ids: list[str], backend: str = "template") -> dict[str, str]:
    """Per-step model ids on the given backend: the task ids when the server lists them, else the base id."""
    def pick(task: str) -> str:
        want = f"summary-writer-{task}"
        if want in model_ids:
            return f"{want}@{backend}"
        if "summary-writer" in model_ids:
            return f"summary-writer@{backend}"
        return next((m for m in model_ids if backend in m), model_ids[0] if model_ids else backend)

    return {"facts": pick("chat"), "outline": pick("outline"), "draft": pick("draft")}


def one_user(i: int, base: str, models: dict[str, str], exporter: Exporter, headers: dict[str, str]) -> UserRun:
    """One user's flow; each step is timed, the first failure ends it."""
    run = UserRun(i)
    facts = facts_text(i)
    steps: list[tuple[str, Callable[[], str]]] = [
        ("facts", lambda: _chat(base, models["facts"], facts + "\n请核对以上事实，列出可以写进总结的数字。", headers)),
        ("outline", lambda: _chat(base, models["outline"], facts + "\n请列出“主要工作和成绩”部分的提纲。", headers)),
        ("draft", lambda: _chat(base, models["draft"], facts + "\n请起草“主要工作和成绩”部分。", headers)),
        ("export", lambda: exporter(i, facts, run.replies.get("outline", ""), run.replies.get("draft", ""))),
    ]
    for name, fn in steps:
        start = time.perf_counter()
        try:
            run.replies[name] = fn()
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the other users
            run.error = f"user {i} step {name}: {type(exc).__name__}: {str(exc)[:200]}"
            return run
        run.times[name] = time.perf_counter() - start
    return run


def mixing_problems(runs: list[UserRun], users: int) -> list[str]:
    """Replies naming another user's unit or figure, or a draft/export carrying none of the user's own."""
    problems = []
    for r in runs:
        own = (unit_name(r.user), marker(r.user))
        for step, text in r.replies.items():
            others = [x for u in range(users) if u != r.user for x in (unit_name(u), marker(u)) if x in text]
            if others:
                problems.append(f"user {r.user} {step}: contains {', '.join(others)}")
            if step in ("draft", "export") and not any(x in text for x in own):
                problems.append(f"user {r.user} {step}: none of its own unit name or figures")
    return problems


def run(base: str, models: dict[str, str], exporter: Exporter, users: int = 20, time_limit_s: float = 300.0,
        headers: dict[str, str] | None = None, first_user: int = 0) -> dict[str, Any]:
    """Run the users concurrently; returns per-step latency, errors and mixing problems."""
    start = time.perf_counter()
    results: list[UserRun] = []
    errors: list[str] = []
    ids = range(first_user, first_user + users)
    pool = ThreadPoolExecutor(max_workers=users)
    try:
        futures = [pool.submit(one_user, i, base, models, exporter, headers or {}) for i in ids]
        try:
            for fut in as_completed(futures, timeout=time_limit_s):
                r = fut.result()
                results.append(r)
                if r.error:
                    errors.append(r.error)
        except TimeoutError:
            errors.append(f"time limit {time_limit_s:.0f} s reached with {len(results)}/{users} users done")
            for fut in futures:
                fut.cancel()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a stuck request must not hold the bench past its limit
    wall = time.perf_counter() - start
    problems = mixing_problems(results, first_user + users)
    steps = {}
    for step in STEPS:
        samples = [r.times[step] for r in results if step in r.times]
        steps[step] = percentiles(samples)
    return {"users": users, "completed": sum(1 for r in results if not r.error), "errors": len(errors),
            "mixing": len(problems), "wall_s": round(wall, 2), "steps": steps, "models": models,
            "problems": (errors + problems)[:20]}


def services_exporter(data_dir: Path, knowledge_dir: Path) -> Exporter:
    """Export through the Python services (the same ExportService the UI uses), then read the file back."""
    from assistant.config import load_settings
    from assistant.schema import SectionDraft, SummaryDocument
    from assistant.services.exporting import ExportService

    settings = load_settings(data_dir=data_dir, knowledge_dir=knowledge_dir, backend="template")
    exporter = ExportService(settings)

    def export(i: int, facts: str, outline: str, draft: str) -> str:
        doc = SummaryDocument(title=f"{unit_name(i)}2024年工作总结", unit=unit_name(i),
                              sections=[SectionDraft(role="成绩", text=draft, heading="主要工作和成绩")])
        path = exporter.export(doc, "docx", folder=f"load-user-{i}")
        return read_docx_text(path)

    return export


def read_docx_text(path: Path) -> str:
    from docx import Document as DocxDocument

    return "\n".join(p.text for p in DocxDocument(str(path)).paragraphs)
