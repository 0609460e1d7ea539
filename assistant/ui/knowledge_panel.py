"""Knowledge panel handlers: list the examples, index uploads with a progress bar, remove an upload.

The list says which examples are in use and where each comes from (the seed page, written for this project,
uploaded, or the user's own file in knowledge/) and which kind of unit it is for: drafting prefers the
user's kind of unit and the user's own examples, so the user can see what it learns from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.services.knowledge import KnowledgeService
from assistant.ui import rendering as R
from assistant.ui.updates import Updates, warn

ORIGIN_LABELS = {"seed": "种子范文", "project": "项目示例"}
UPLOAD_LABEL, OWN_LABEL, BUNDLED_LABEL = "上传", "自有", "内置"
KB_HEADERS = ["文档", "标题", "单位类型", "来源", "段落数"]


class KnowledgeActions:
    """Handlers of the 范文库 tab; they hold no user data (the examples are shared by all users)."""

    def __init__(self, knowledge: KnowledgeService) -> None:
        self.knowledge = knowledge

    def kb_view(self, message: str = "") -> Updates:
        """The examples table, the chunk count and the list of removable (uploaded) examples."""
        import gradio as gr

        k = self.knowledge
        try:
            docs = k.documents()
            count = k.chunk_count()
        except UserError as exc:
            return {"kb_count": R.render_status(exc.message, "error")}
        rows, removable = example_rows(docs, k.user_examples_dir)
        summary = f"范文库共 {len(docs)} 篇、{count} 个段落（{_by_source(rows)}）。" if docs else "范文库还是空的：请上传范文。"
        text = f"{message} {summary}" if message else summary
        return {"kb_table": rows, "kb_count": R.render_status(text, "ok" if message else "idle"),
                "kb_remove_pick": gr.update(choices=removable, value=None)}

    def kb_ensure(self) -> Updates:
        """Index the bundled examples on first start (loads the embedding model; ~10 s once); with nothing to
        index, say so (drafting then says it again in the status line)."""
        try:
            report = self.knowledge.ensure_indexed()
            empty = self.knowledge.empty_notice()
        except UserError as exc:
            return {"kb_count": R.render_status(exc.message, "error")}
        if empty:
            return {**self.kb_view(), "kb_count": R.render_status(empty, "warn")}
        return self.kb_view("已为范文建立索引。" if report else "")

    def kb_upload(self, files: Sequence[str] | str | None, progress: Callable[..., Any] | None = None) -> Updates:
        if not files:
            return {"kb_count": R.render_status("请先选择要上传的范文文件。", "warn")}
        paths = [files] if isinstance(files, str) else list(files)
        added: list[str] = []
        errors: list[str] = []
        for i, p in enumerate(paths, start=1):
            path = Path(p)

            def step(done: int, total: int, i: int = i, name: str = path.name) -> None:
                if progress is not None:
                    progress((done / total) if total else 1.0, desc=f"正在索引 {name}（{i}/{len(paths)}）")

            try:
                report = self.knowledge.add_example(path.name, path.read_bytes(), progress=step)
                added.append(f"{path.name}（{report.chunks_added} 段）")
            except UserError as exc:
                errors.append(exc.message)
            except OSError as exc:
                errors.append(f"读不了上传的文件“{path.name}”：{exc.strerror or exc}")
        for e in errors:
            warn(e)
        message = ("已加入范文库：" + "、".join(added) + "。") if added else "没有加入新的范文。"
        view = self.kb_view(message)
        view["kb_upload"] = None
        if errors:
            view["kb_count"] = R.render_status(message + " " + " ".join(errors), "warn" if added else "error")
        return view

    def kb_remove(self, doc_id: str | None) -> Updates:
        if not doc_id:
            return {"kb_count": R.render_status("请先在下拉框中选择要删除的范文。", "warn")}
        try:
            self.knowledge.remove_example(doc_id)
        except UserError as exc:
            warn(exc.message)
            return {"kb_count": R.render_status(exc.message, "error")}
        return self.kb_view(f"已从范文库删除“{doc_id}”。")


def source_label(doc: dict[str, object], uploads: Path) -> str:
    """Where an example comes from, in the panel's words."""
    origin = str(doc.get("origin", "") or "")
    if origin in ORIGIN_LABELS:
        return ORIGIN_LABELS[origin]
    uploaded = uploads.resolve() in Path(str(doc.get("path", ""))).resolve().parents
    if uploaded:
        return UPLOAD_LABEL
    return OWN_LABEL if origin == "user" else BUNDLED_LABEL  # no origin: indexed before origins were kept


def example_rows(docs: Sequence[dict[str, object]], uploads: Path) -> tuple[list[list[object]], list[str]]:
    """The table rows (文档, 标题, 单位类型, 来源, 段落数) and the ids of the uploads the user may remove."""
    rows = [[str(d["doc"]), str(d.get("title", "")), str(d.get("org_type", "") or "未标注"), source_label(d, uploads),
             int(d.get("chunks", 0) or 0)] for d in docs]
    return rows, [str(r[0]) for r in rows if r[3] == UPLOAD_LABEL]


def _by_source(rows: Sequence[Sequence[object]]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row[3])] = counts.get(str(row[3]), 0) + 1
    return "、".join(f"{label} {n} 篇" for label, n in counts.items())
