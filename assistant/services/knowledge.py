"""Knowledge use cases: ingest the example folders, search them, list, add and remove examples.

Never draft silently without examples (issue 21 §5): the first search or draft on an empty store indexes the
example folders (`ensure_indexed`, with a progress line), and when there is nothing to index the faces say so
in one Chinese line (`empty_notice`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.config import Settings
from assistant.errors import UserError
from assistant.index.embedder import Embedder
from assistant.index.retriever import Mode, Retriever
from assistant.index.store import ChunkStore, open_store
from assistant.index.sync import ProgressFn, sync_paths
from assistant.schema import Document, IngestReport, Role, SearchHit

log = logging.getLogger(__name__)


class KnowledgeService:
    """Owns the embedder, the store and the retriever; built lazily because torch is slow to import."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._ensured = False  # ensure_indexed ran in this process
        self._embedder: Embedder | None = None
        self._store: ChunkStore | None = None
        self._retriever: Retriever | None = None
        self._lock = threading.RLock()
        self._examples: tuple[tuple[tuple[str, int, int], ...], list[Document]] | None = None

    # --- lazily built parts -------------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = Embedder(self.settings.embedding_model, self.settings.embedding_batch_size,
                                          allow_hub_download=self.settings.allow_hub_download)
            return self._embedder

    @property
    def store(self) -> ChunkStore:
        with self._lock:
            if self._store is None:
                emb = self.embedder
                self._store = open_store(self.settings, emb.model_id, emb.dimension)
            return self._store

    @property
    def retriever(self) -> Retriever:
        with self._lock:
            if self._retriever is None:
                self._retriever = Retriever(self.store, self.embedder)
            return self._retriever

    @property
    def user_examples_dir(self) -> Path:
        """Uploaded examples live under the data dir, never in the repo's knowledge/."""
        return self.settings.data_dir / "knowledge"

    def default_paths(self) -> list[Path]:
        paths = [self.settings.knowledge_dir]
        if self.user_examples_dir.is_dir():
            paths.append(self.user_examples_dir)
        return paths

    # --- use cases ----------------------------------------------------------------------------------
    def ingest(self, paths: Sequence[Path] | None = None, *, reindex: bool = False,
               progress: ProgressFn | None = None) -> IngestReport:
        """Index the given files/folders (default: knowledge/ and uploaded examples)."""
        targets = list(paths) if paths else self.default_paths()
        for p in targets:
            if not Path(p).exists() and not paths:  # the default folder (ASSISTANT_KNOWLEDGE_DIR, ./knowledge)
                raise UserError(f"找不到范文文件夹 {Path(p).resolve()}：请把本单位往年的总结放进这个文件夹，"
                                "或用 ASSISTANT_KNOWLEDGE_DIR 指定范文所在的文件夹。")
            if not Path(p).exists():
                raise UserError(f"找不到路径：{p}")
        with self._lock:
            if reindex:
                emb = self.embedder
                self._store = open_store(self.settings, emb.model_id, emb.dimension, reset=True)
                self._retriever = None
            report = sync_paths(targets, self.store, self.embedder,
                                max_bytes=int(self.settings.max_upload_mb * 1024 * 1024), progress=progress)
            self.retriever.refresh(force=True)
        return report

    def ensure_indexed(self, say: Callable[[str], None] | None = None) -> IngestReport | None:
        """Index the example folders when the store is empty (first use); None when nothing was indexed.

        `say` receives one Chinese line before indexing and one after it, or the one line saying there is
        nothing to index (also kept as `empty_notice()`). Once per process: later calls only look at the flag.
        """
        with self._lock:
            if self._ensured:
                return None
            report: IngestReport | None = None
            if self.store.count() == 0:
                files = self._candidate_files()
                if files:
                    if say is not None:
                        say(f"范文库还是空的：正在为 {len(files)} 篇范文建立索引（只在第一次使用时进行，请稍候）……")
                    report = self.ingest()
                    if say is not None and self.store.count():
                        say(f"已为 {len(report.updated) + len(report.unchanged)} 篇范文建立索引，"
                            f"共 {self.store.count()} 段。")
                if self.store.count() == 0 and say is not None:
                    say(self.empty_notice())
            self._ensured = True
            return report

    def empty_notice(self) -> str:
        """One Chinese line when the store holds no example, "" otherwise."""
        if self.store.count():
            return ""
        folder = self.settings.knowledge_dir
        where = f"范文文件夹 {folder.resolve()} 不存在" if not folder.is_dir() else f"{folder.resolve()} 里没有可用的范文"
        return (f"范文库是空的（{where}）：起草时没有本单位的范文可参考；请放入往年的总结（.txt、.md、.docx、.pdf）"
                "后运行 assistant ingest，或在网页的“范文库”中上传。")

    def _candidate_files(self) -> list[Path]:
        """Files in the example folders that indexing would read."""
        from assistant.ingest.readers import SUPPORTED_SUFFIXES

        return [f for p in self.default_paths() if p.is_dir() for f in sorted(p.rglob("*"))
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)]

    def search(self, query: str, k: int | None = None, *, role: Role | None = None, doc: str | None = None,
               mode: Mode = "hybrid", org_type: Sequence[str] | None = None,
               prefer_uploads: bool = True) -> list[SearchHit]:
        """Best passages for the query.

        `org_type`: the user's unit-type tags (`facts.unit_type.unit_type_of(facts.unit)`): examples of that
        kind of unit rank first among near-equals. `prefer_uploads`: so do the user's own examples (uploads
        and their own files in knowledge/) over the shipped ones. Neither filters.
        """
        if not query or not query.strip():
            raise UserError("查询内容为空：请输入要查找的内容。")
        return self.retriever.search(query, k or self.settings.retrieval_k, role=role, doc=doc, mode=mode,
                                     org_type=org_type, prefer_user=prefer_uploads)

    def documents(self) -> list[dict[str, object]]:
        return self.retriever.documents()

    def chunk_count(self) -> int:
        return self.store.count()

    def add_example(self, filename: str, data: bytes, *, progress: ProgressFn | None = None) -> IngestReport:
        """Save an uploaded example under the data dir and index it; a file that cannot be used is not kept."""
        from assistant.fsutil import atomic_write_bytes, confined, safe_filename
        from assistant.ingest.readers import SUPPORTED_SUFFIXES

        name = safe_filename(filename, default="example.txt")
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise UserError(f"不支持的文件类型“{suffix or '无扩展名'}”：请上传 .txt、.md、.docx 或 .pdf 文件。")
        limit = self.settings.max_upload_mb
        if len(data) > limit * 1024 * 1024:
            raise UserError(f"文件“{name}”太大（{len(data) / 1048576:.1f} MB）：上传上限是 {limit:g} MB。")
        if not data.strip():
            raise UserError(f"文件“{name}”是空的。")
        target = confined(self.user_examples_dir, name)
        with self._lock:
            taken = {str(d["doc"]): str(d.get("path", "")) for d in self.documents()}
            doc_id = Path(name).stem
            if doc_id in taken and Path(taken[doc_id]).resolve() != target:
                raise UserError(f"范文库里已有名为“{doc_id}”的文档：请改个文件名再上传。")
            atomic_write_bytes(target, data)
            try:
                report = self.ingest([target], progress=progress)
            except Exception:
                target.unlink(missing_ok=True)
                raise
            if not report.updated and not report.unchanged:
                target.unlink(missing_ok=True)
                reason = report.skipped[0][1] if report.skipped else "读不出正文"
                raise UserError(f"文件“{name}”没有加入范文库：{reason}。")
        return report

    def remove_example(self, doc_id: str) -> int:
        """Remove an uploaded example (file and index); the bundled knowledge/ examples stay."""
        with self._lock:
            entry = self.store.manifest().get(doc_id)
            if entry is None:
                raise UserError(f"范文库里没有“{doc_id}”。")
            path = Path(entry.path).resolve()
            if self.user_examples_dir.resolve() not in path.parents:
                raise UserError(f"“{doc_id}”是内置范文，不能在页面上删除；请从 knowledge 文件夹移走后重新索引。")
            path.unlink(missing_ok=True)
            removed = self.store.remove_document(doc_id)
            self.retriever.refresh(force=True)
        return removed

    def example_texts(self) -> list[str]:
        """Texts of all example files, read without the embedder; the guard checks drafts for leaks from them.

        Cached per (path, mtime, size) so an upload or an edit is seen on the next draft.
        """
        return [d.text for d in self.example_documents()]

    def example_signature(self) -> tuple[tuple[str, int, int], ...]:
        """(path, mtime, size) of every example file: changes when an example is added, edited or removed."""
        paths = [p for p in self.default_paths() if p.exists()]
        return tuple(sorted(
            (str(f), f.stat().st_mtime_ns, f.stat().st_size)
            for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()
        ))

    def example_documents(self) -> list[Document]:
        """The example files as documents (text and header), read without the embedder; cached like the texts."""
        from assistant.ingest.loader import load_paths

        paths = [p for p in self.default_paths() if p.exists()]
        signature = self.example_signature()
        with self._lock:
            if self._examples is None or self._examples[0] != signature:
                loaded = load_paths(paths, max_bytes=int(self.settings.max_upload_mb * 1024 * 1024))
                self._examples = (signature, list(loaded.documents))
            return list(self._examples[1])
