"""Crash safety: ingest killed with SIGKILL at random points, and saves that crash mid-write.

The ingest child uses `HashEmbedder` (a deterministic bigram-hash embedding of the same shape as the real
one) so the time between kills is spent in the real splitter, sync and Chroma writes rather than in
torch; the store code under test is the product's own. Run as a module, this file is also the child:
`python -m tests.test_crash_safety ingest DATA_DIR FOLDER`.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, make_settings
from tests.fakes import release_chroma, use_hash_embedder

TOPICS = ("加强职工技能培训", "推进民主管理", "开展困难职工帮扶", "丰富职工文化生活", "加强基层组织建设",
          "维护职工合法权益", "推进劳动竞赛", "做好女职工工作")
VERBS = ("组织", "举办", "开展", "完成", "走访", "建成", "发放", "签订")
OBJECTS = ("培训班", "座谈会", "慰问活动", "技能比武", "读书分享会", "法律讲座", "健康体检", "文体比赛")


def summary_text(i: int, version: int) -> str:
    """A generated 工作总结 of a few headed sections; every paragraph is distinct."""
    rng = random.Random(i * 7919 + version)
    lines = [f"第{i}基层工会{2020 + i % 5}年工作总结", "",
             f"（第{version}稿）一年来，第{i}基层工会在上级工会的正确领导下，团结带领职工扎实开展各项工作，现将工作总结如下：", ""]
    for h, topic in enumerate(rng.sample(TOPICS, 4)):
        lines += [f"{'一二三四'[h]}、{topic}", ""]
        for p in range(3):
            n = rng.randint(2, 90)
            lines += [f"全年{rng.choice(VERBS)}{rng.choice(OBJECTS)}{n}次，覆盖职工{n * 13 + p}人次，"
                      f"这是第{i}号文档第{h}节第{p}段的第{version}版内容，编号{i}-{h}-{p}-{version}。"
                      f"{rng.choice(TOPICS)}取得实效，职工满意度{60 + rng.randint(0, 39)}%。", ""]
    return "\n".join(lines)


def write_corpus(folder: Path, ids: range | list[int], version: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in ids:
        (folder / f"doc{i:03d}.md").write_text(summary_text(i, version), encoding="utf-8")


def _services(data_dir: Path, folder: Path) -> Any:
    from assistant.services import build_services

    return build_services(make_settings(data_dir, knowledge_dir=folder))


def live_rows(store: Any) -> list[tuple[str, int, str]]:
    """(doc, order, text) of the chunks of every document's live version, sorted."""
    manifest = store.manifest()
    return sorted((str(m["doc"]), int(m["order"]), text) for _, text, m in store.all_chunks()
                  if m.get("doc") in manifest and manifest[m["doc"]].doc_hash == m.get("doc_hash"))


def assert_consistent(services: Any) -> None:
    """Every indexed document is whole (its live version complete), with no duplicate ids or texts."""
    store = services.knowledge.store
    rows = store.all_chunks()
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate chunk ids"
    per_version: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for _, text, meta in rows:
        per_version.setdefault((str(meta.get("doc")), str(meta.get("doc_hash"))), []).append(
            (int(meta.get("order", -1)), text))
    for (doc, doc_hash), items in per_version.items():
        orders = [o for o, _ in items]
        texts = [t for _, t in items]
        assert len(orders) == len(set(orders)), f"{doc}@{doc_hash[:8]}: duplicate chunk order"
        assert len(texts) == len(set(texts)), f"{doc}@{doc_hash[:8]}: duplicate chunk text"
    for doc, entry in store.manifest().items():
        live = store.count_version(doc, entry.doc_hash)
        assert live == entry.count, f"{doc}: manifest says {entry.count} chunks, {live} are stored (half-replaced)"
    hits = services.knowledge.search("职工技能培训 劳动竞赛", 5)
    if store.manifest():
        assert hits, "the store holds documents but search found nothing"
    live_ids = {cid for cid, _, m in rows
                if (e := store.manifest().get(str(m.get("doc")))) and e.doc_hash == m.get("doc_hash")}
    assert all(h.chunk_id in live_ids for h in hits), "search returned a chunk that is not live"


# --- the child ---------------------------------------------------------------------------------------
def _child_ingest(data_dir: str, folder: str) -> None:
    use_hash_embedder()
    services = _services(Path(data_dir), Path(folder))
    _ = services.knowledge.store
    print("READY", flush=True)
    report = services.knowledge.ingest([Path(folder)],
                                       progress=lambda done, total: print(f"P {done} {total}", flush=True))
    print("DONE " + json.dumps({"added": report.chunks_added, "removed": len(report.removed)}), flush=True)


# The session child runs sessions.py alone (`python -c`): importing the services package would pull in
# LangChain and add seconds per kill. It saves ever newer versions of one session as fast as it can.
SESSIONS_CHILD = """
import importlib.util, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("sessions_alone", Path(sys.argv[1]) / "assistant/services/sessions.py")
sessions = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = sessions
spec.loader.exec_module(sessions)
store = sessions.SessionStore(Path(sys.argv[2]))
for i in range(1, 100_000):
    body = f"第{i}版草稿。" * (200 + (i % 7) * 300)  # sizes vary so a torn write would show
    store.save("0" * 32, sessions.SessionData(outline=f"版本{i}", sections={"成绩": body, "问题": f"版本{i}"},
                                              chat=[{"role": "user", "content": f"版本{i}"}]))
    print(i, flush=True)
"""


# --- helpers for the parent --------------------------------------------------------------------------
def _spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    if args[0] == "sessions":
        command = ["-c", SESSIONS_CHILD, str(REPO), *args[1:]]
    else:
        command = ["-m", "tests.test_crash_safety", *args]
    return subprocess.Popen([sys.executable, *command], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


def _kill_ingest_midway(data_dir: Path, folder: Path, rng: random.Random) -> str:
    """Start an ingest child and SIGKILL it after a random amount of progress; returns what it printed last."""
    proc = _spawn("ingest", str(data_dir), str(folder))
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    last = ""
    target: int | None = None
    try:
        for line in proc.stdout:
            last = line.strip()
            if last.startswith("P "):
                done, total = map(int, last.split()[1:])
                if target is None:
                    target = rng.randint(1, max(1, int(total * 0.9)))
                if done >= target:
                    time.sleep(rng.uniform(0.0, 0.05))
                    break
            if last.startswith("DONE") or time.monotonic() > deadline:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert not last.startswith("DONE"), "the ingest finished before it could be killed; make the corpus larger"
    assert last.startswith("P "), f"the child never reached the embedding phase (last line: {last!r})"
    return last


# --- tests -------------------------------------------------------------------------------------------
def expected_rows(folder: Path) -> list[tuple[str, int, str]]:
    """What a clean ingest of the folder stores: (doc, order, text) of every chunk, sorted."""
    from assistant.ingest.loader import load_paths
    from assistant.ingest.splitter import split_document

    return sorted((doc.doc_id, c.order, c.text) for doc in load_paths([folder]).documents
                  for c in split_document(doc))


def test_ingest_killed_at_random_points_recovers_without_duplicates(tmp_path: Path, hashed: None) -> None:
    seed = int(os.environ.get("CRASH_SEED", "20240"))
    rng = random.Random(seed)
    folder = tmp_path / "examples"
    data = tmp_path / "data"
    write_corpus(folder, range(16), version=1)

    clean = _services(tmp_path / "clean", folder)  # one real clean ingest: the oracle for round 1
    clean.knowledge.ingest([folder])
    clean_a = live_rows(clean.knowledge.store)
    assert clean.knowledge.chunk_count() == len(clean_a) > 100
    assert clean_a == expected_rows(folder)  # so the splitter's view can stand in for round 2
    del clean
    release_chroma()

    # Round 1: the first ingest is killed, then rerun to completion.
    for kill in range(1):
        last = _kill_ingest_midway(data, folder, rng)
        services = _services(data, folder)
        assert_consistent(services)
        del services
        release_chroma()
        print(f"kill {kill + 1} (seed {seed}) after {last}")
    services = _services(data, folder)
    services.knowledge.ingest([folder])
    assert services.knowledge.chunk_count() == len(clean_a)
    assert live_rows(services.knowledge.store) == clean_a
    assert_consistent(services)
    del services
    release_chroma()

    # Round 2: half the files change, some go, some arrive; the replacing ingest is killed twice.
    write_corpus(folder, range(0, 16, 2), version=2)
    for i in range(13, 16):
        (folder / f"doc{i:03d}.md").unlink()
    write_corpus(folder, range(16, 19), version=1)
    clean_b = expected_rows(folder)
    for kill in range(2):
        last = _kill_ingest_midway(data, folder, rng)
        services = _services(data, folder)
        assert_consistent(services)  # each document searchable as exactly one whole version, old or new
        del services
        release_chroma()
        print(f"kill {kill + 2} (seed {seed}) after {last}")
    services = _services(data, folder)
    report = services.knowledge.ingest([folder])
    assert report.skipped == []
    assert services.knowledge.chunk_count() == len(clean_b), "chunks left behind by a killed run"
    assert live_rows(services.knowledge.store) == clean_b
    assert_consistent(services)
    docs = {d["doc"] for d in services.knowledge.documents()}
    assert docs == {f"doc{i:03d}" for i in [*range(13), *range(16, 19)]}


class _Killed(Exception):
    """Stands in for the process dying at this point."""


class _CrashOnDelete:
    """A Chroma collection that dies when asked to delete with one particular filter."""

    def __init__(self, real: Any, where: dict[str, Any]) -> None:
        self._real = real
        self._where = where

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("where") == self._where:
            raise _Killed
        return self._real.delete(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_removal_interrupted_between_manifest_and_chunks_is_finished_by_the_next_run(
        tmp_path: Path, hashed: None) -> None:
    """A crash inside remove_document (file already deleted by the user) must not orphan chunks forever."""
    folder = tmp_path / "examples"
    write_corpus(folder, range(3), version=1)
    services = _services(tmp_path / "data", folder)
    services.knowledge.ingest([folder])
    total = services.knowledge.chunk_count()
    gone = folder / "doc002.md"
    gone_chunks = services.knowledge.store.count_version("doc002",
                                                         services.knowledge.store.manifest()["doc002"].doc_hash)
    gone.unlink()
    store = services.knowledge.store
    store.collection = _CrashOnDelete(store.collection, {"doc": "doc002"})
    with pytest.raises(_Killed):
        services.knowledge.ingest([folder])
    del services, store
    release_chroma()
    again = _services(tmp_path / "data", folder)
    again.knowledge.ingest([folder])
    assert "doc002" not in again.knowledge.store.manifest()
    assert again.knowledge.chunk_count() == total - gone_chunks, "the deleted file's chunks were orphaned"


def test_session_save_killed_mid_write_leaves_a_whole_file(tmp_path: Path) -> None:
    rng = random.Random(7)
    root = tmp_path / "sessions"
    path = root / f"{'0' * 32}.json"
    for _ in range(2):
        proc = _spawn("sessions", str(root))
        assert proc.stdout is not None
        target = rng.randint(5, 60)
        try:
            for line in proc.stdout:
                if int(line) >= target:
                    time.sleep(rng.uniform(0.0, 0.01))
                    break
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        data = json.loads(path.read_text(encoding="utf-8"))  # never torn: strict parse, not the tolerant loader
        version = data["outline"].removeprefix("版本")
        assert data["sections"]["问题"] == f"版本{version}"
        body = data["sections"]["成绩"]
        assert body and set(body.split("。")[:-1]) == {f"第{version}版草稿"}
        assert data["chat"] == [{"role": "user", "content": f"版本{version}"}]


def _fail_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_session_save_that_fails_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.services.sessions import SessionData, SessionStore

    store = SessionStore(tmp_path / "sessions")
    sid = store.new_id()
    store.save(sid, SessionData(outline="旧提纲", sections={"成绩": "旧的成绩部分。"}))
    before = store.path(sid).read_bytes()
    _fail_replace(monkeypatch)
    with pytest.raises(OSError):
        store.save(sid, SessionData(outline="新提纲", sections={"成绩": "新" * 100_000}))
    monkeypatch.undo()
    assert store.path(sid).read_bytes() == before
    assert store.load(sid).outline == "旧提纲"
    assert _leftovers(store.root) == []


@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_export_that_fails_keeps_the_old_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                suffix: str) -> None:
    from assistant.schema import SectionDraft, SummaryDocument
    from assistant.services.exporting import ExportService

    exporter = ExportService(make_settings(tmp_path / "data"))
    out = tmp_path / f"总结{suffix}"
    old = SummaryDocument(title="旧标题", sections=[SectionDraft(role="开头", text="旧的开头。")])
    exporter.export_to(old, out)
    before = out.read_bytes()
    _fail_replace(monkeypatch)
    new = SummaryDocument(title="新标题", sections=[SectionDraft(role="开头", text="新的开头。" * 1000)])
    with pytest.raises(OSError):
        exporter.export_to(new, out)
    monkeypatch.undo()
    assert out.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_atomic_write_interrupted_by_keyboard_interrupt_cleans_up(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.fsutil import atomic_write_text

    target = tmp_path / "facts.yaml"
    atomic_write_text(target, "单位: 旧\n")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "单位: 新\n" * 10_000)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "单位: 旧\n"
    assert _leftovers(tmp_path) == []


if __name__ == "__main__" and sys.argv[1] == "ingest":
    _child_ingest(sys.argv[2], sys.argv[3])
