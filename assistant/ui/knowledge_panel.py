"""Knowledge panel handlers: list the examples, index uploads with a progress bar, remove an upload."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.services.knowledge import KnowledgeService
from assistant.ui import rendering as R
from assistant.ui.callbacks import Updates, warn


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
        uploads = k.user_examples_dir.resolve()
        rows, removable = [], []
        for d in docs:
            path = Path(str(d.get("path", "")))
            uploaded = uploads in path.resolve().parents
            rows.append([str(d["doc"]), str(d.get("title", "")), int(d.get("chunks", 0) or 0),
                         "上传" if uploaded else "内置"])
            if uploaded:
                removable.append(str(d["doc"]))
        summary = f"范文库共 {len(docs)} 篇、{count} 个段落。" if docs else "范文库还是空的：请上传范文。"
        text = f"{message} {summary}" if message else summary
        return {"kb_table": rows, "kb_count": R.render_status(text, "ok" if message else "idle"),
                "kb_remove_pick": gr.update(choices=removable, value=None)}

    def kb_ensure(self) -> Updates:
        """Index the bundled examples on first start (loads the embedding model; ~10 s once)."""
        try:
            report = self.knowledge.ensure_indexed()
        except UserError as exc:
            return {"kb_count": R.render_status(exc.message, "error")}
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
