"""Smoke test of the benchmark's pieces on tiny sizes: shapes and invariants, never speeds."""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from bench import load, memory, report
from bench.corpus import (
    SentenceCache,
    Source,
    build_corpus,
    load_queries,
    load_source,
    split_sentences,
    windows,
)
from bench.retrieval import percentiles
from tests.conftest import KNOWLEDGE, SHARED


class HashEmbedder:
    """Deterministic unit vectors from a text hash: lets corpus code run without loading a model."""

    model_id = "hash-test"
    dimension = 16

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = []
        for t in texts:
            seed = int(hashlib.sha1(t.encode()).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).normal(size=self.dimension).astype(np.float32)
            out.append(v / np.linalg.norm(v))
        return np.asarray(out)


def small_source() -> Source:
    docs = [(f"d{i}", f"文档{i}", [f"第{i}篇第{j}句讲的是工作总结里的一件具体事情。" for j in range(12)])
            for i in range(3)]
    return Source(docs, "test source")


def test_split_sentences_keeps_real_sentences_and_drops_fragments() -> None:
    text = "一年来，我们做了三件事。好！\n第二件事是开展劳动竞赛；第三件事是走访慰问困难职工？"
    got = split_sentences(text)
    assert got == ["一年来，我们做了三件事。", "第二件事是开展劳动竞赛；", "第三件事是走访慰问困难职工？"]


def test_source_from_knowledge_alone_says_so() -> None:
    source = load_source(KNOWLEDGE, None)
    assert source.docs, "knowledge/ should yield documents"
    assert "knowledge/ alone" in source.note
    assert all(len(s) >= 8 for _, _, sents in source.docs for s in sents)


def test_source_with_shared_reports_names_them() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent beside the repo")
    source = load_source(KNOWLEDGE, SHARED, per_doc_limit=3)
    assert "government work reports" in source.note
    assert len(source.docs) > 20
    assert all(len(sents) <= 3 for _, _, sents in source.docs)


def test_windows_are_distinct_and_nested() -> None:
    source = small_source()
    small, _ = windows(source, 10)
    large, _ = windows(source, 40)
    assert len(small) == 10 and len(large) == 40
    assert small == large[:10]
    texts = ["".join(source.docs[d][2][s:s + n]) for d, s, n in large]
    assert len(set(texts)) == len(texts)


def test_corpus_vectors_are_normalised_means(tmp_path: Path) -> None:
    source = small_source()
    emb = HashEmbedder()
    cache = SentenceCache(tmp_path, emb.model_id)
    sentences = [s for _, _, sents in source.docs for s in sents]
    embedded, _ = cache.ensure(sentences, emb)
    assert embedded == len(set(sentences))
    corpus = build_corpus(source, cache, 25)
    assert len(corpus) == 25
    assert corpus.vectors.shape == (25, emb.dimension)
    assert np.allclose(np.linalg.norm(corpus.vectors, axis=1), 1.0, atol=1e-5)
    assert len(set(corpus.ids)) == 25 and len(set(corpus.texts)) == 25
    assert set(corpus.roles) <= {"开头", "成绩", "问题", "计划", "结尾"}
    # a one-sentence window's vector is that sentence's own vector
    single = [i for i, t in enumerate(corpus.texts) if t in set(sentences)]
    assert single, "expected some one-sentence windows"
    assert np.allclose(corpus.vectors[single[0]], cache.get(corpus.texts[single[0]]), atol=1e-6)


def test_corpus_too_small_is_noted(tmp_path: Path) -> None:
    source = Source([("d", "t", ["只有这一句话而且足够长。", "还有第二句话也足够长。"])], "tiny")
    emb = HashEmbedder()
    cache = SentenceCache(tmp_path, emb.model_id)
    cache.ensure([s for _, _, ss in source.docs for s in ss], emb)
    corpus = build_corpus(source, cache, 50)
    assert len(corpus) == 3
    assert any("only 3 distinct windows" in n for n in corpus.notes)


def test_sentence_cache_persists_by_text_hash(tmp_path: Path) -> None:
    emb = HashEmbedder()
    first = SentenceCache(tmp_path, emb.model_id)
    first.ensure(["第一句话足够长了。", "第二句话也够长了。"], emb)
    again = SentenceCache(tmp_path, emb.model_id)
    embedded, _ = again.ensure(["第一句话足够长了。", "第二句话也够长了。", "第三句是新来的句子。"], emb)
    assert embedded == 1
    assert np.allclose(again.get("第一句话足够长了。"), first.get("第一句话足够长了。"))


def test_queries_are_distinct_and_enough() -> None:
    queries = load_queries()
    assert len(queries) >= 50
    assert len(set(queries)) == len(queries)
    assert len(load_queries(7)) == 7


def test_percentiles_shape() -> None:
    stats = percentiles([0.010, 0.020, 0.030, 0.040])
    assert set(stats) == {"p50_ms", "p95_ms", "mean_ms", "max_ms", "n"}
    assert stats["n"] == 4
    assert stats["p50_ms"] <= stats["p95_ms"] <= stats["max_ms"] == 40.0
    assert percentiles([])["p95_ms"] is None  # no NaN in the JSON line


def fake_results() -> dict:
    size = lambda n: {"chunks": n, "queries": 3, "lexical_warmup_s": 0.1, "ours_build_s": 1.0,  # noqa: E731
                      "ours_build_cached": False, "naive_build_s": 1.0, "naive_build_cached": True,
                      **{k: {"p50_ms": 10.0, "p95_ms": 12.0, "mean_ms": 10.5, "n": 3}
                         for k in ("ours", "naive", "ours_dense", "ours_role")},
                      "ours_search_only": {"p50_ms": 3.0, "p95_ms": 4.0, "mean_ms": 3.0, "n": 3},
                      "naive_search_only": {"p50_ms": 1.0, "p95_ms": 2.0, "mean_ms": 1.0, "n": 3}}
    return {
        "retrieval": {"sizes": [size(1000), size(5000)], "embed_only": {"p50_ms": 8.0, "p95_ms": 9.0, "n": 3}},
        "ingest": {"ingest_chunks_per_s": 10.0, "raw_encode_chunks_per_s": 20.0, "ingest_vs_raw": 0.5,
                   "chunks": 100, "files": 3, "batch_size": 32, "pipeline_s": 10.0, "raw_encode_s": 5.0,
                   "overhead_s": 5.0, "naive_ingest_chunks": 90, "naive_ingest_s": 4.0,
                   "naive_ingest_chunks_per_s": 22.5},
        "cold_start": {"page_error": "RuntimeError: no server"},
        "llm": {"error": "embedded model unavailable"},
        "load": {"users": 20, "errors": 0, "mixing": 0, "wall_s": 3.0, "export_via": "x",
                 "steps": {s: {"p50_ms": 1.0, "p95_ms": 2.0, "max_ms": 2.5, "n": 20} for s in load.STEPS}},
    }


def test_summary_has_the_required_keys() -> None:
    summary = report.summary(fake_results(), quick=True, elapsed_s=12.0)
    for key in ("retrieval_p95_ms", "naive_retrieval_p95_ms", "ingest_chunks_per_s", "raw_encode_chunks_per_s",
                "chunks"):
        assert key in summary
    assert summary["chunks"] == 5000
    assert summary["retrieval_p95_vs_naive"] == 1.0
    assert summary["search_only_p95_vs_naive"] == 2.0
    assert summary["load_draft_p95_ms"] == 2.0
    assert "llm" in summary["sections_failed"]
    json.dumps(summary)


def test_markdown_and_plot(tmp_path: Path) -> None:
    md = report.markdown(fake_results(), ["a note"], quick=True, elapsed_s=12.0)
    assert "| 5000 |" in md and "## Indexing throughput" in md and "- a note" in md
    assert "no server" in md
    png = report.plot(fake_results(), tmp_path / "latency.png")
    assert png is not None and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert report.plot({"retrieval": {"sizes": []}}, tmp_path / "none.png") is None
    empty = report.markdown({}, [], quick=False, elapsed_s=1.0)  # every part skipped
    assert empty.count("Not measured: not run") == 6


def test_unit_names_and_markers_cannot_collide() -> None:
    n = 22  # the 20 concurrent users, the warm-up user and the single-user baseline
    names = [load.unit_name(i) for i in range(n)]
    markers = [load.marker(i) for i in range(n)]
    for group in (names, markers):
        assert len(set(group)) == n
        assert not any(a != b and a in b for a in group for b in group)
    assert all(load.marker(i) in load.facts_text(i) and load.unit_name(i) in load.facts_text(i) for i in range(n))


def test_step_models_prefer_task_ids_on_the_template_backend() -> None:
    ids = ["summary-writer", "summary-writer-outline", "summary-writer-draft", "summary-writer-chat",
           "summary-writer@template"]
    assert load.step_models(ids) == {"facts": "summary-writer-chat@template",
                                     "outline": "summary-writer-outline@template",
                                     "draft": "summary-writer-draft@template"}
    assert load.step_models(["summary-writer"])["outline"] == "summary-writer@template"


def test_mixing_is_detected() -> None:
    clean = load.UserRun(0, replies={"draft": f"{load.unit_name(0)}培训职工{load.marker(0)}"})
    mixed = load.UserRun(1, replies={"draft": f"{load.unit_name(1)}和{load.unit_name(0)}"})
    missing = load.UserRun(2, replies={"draft": "一段没有单位名的草稿"})
    problems = load.mixing_problems([clean, mixed, missing], users=3)
    assert any(p.startswith("user 1 draft") for p in problems)
    assert any(p.startswith("user 2 draft") and "none of its own" in p for p in problems)
    assert not any(p.startswith("user 0") for p in problems)


def test_memory_helpers_read_this_process(tmp_path: Path) -> None:
    mem = memory.process_memory_mb(os.getpid())
    assert mem["peak_rss_mb"] >= mem["rss_mb"] >= mem["rss_file_mb"] > 0
    models = {"data": [{"id": "gongzuo-template"}, {"id": "gongzuo-embedded"}]}
    assert memory.pick_model(models, "embedded") == "gongzuo-embedded"
    assert memory.pick_model({"data": []}, "template") == "template"
    blob = tmp_path / "fake-model.gguf"
    blob.write_bytes(b"GGUF" + b"\0" * 8192)
    assert not memory.maps_file(os.getpid(), blob.name)
    with blob.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ):
        assert memory.maps_file(os.getpid(), blob.name)


# --- the load test against a stand-in server ---------------------------------------------------------------
class _ChatStub(BaseHTTPRequestHandler):
    """OpenAI-shaped replies naming the request's unit and figures; `mix` answers with the previous request's."""

    mix = False
    last = ""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        content = body["messages"][-1]["content"]
        unit = re.search(r"单位：(\S+)", content).group(1)
        figures = "、".join(re.findall(r"\d+人次", content))
        answer_unit = type(self).last if type(self).mix and type(self).last else unit
        type(self).last = unit
        reply = {"choices": [{"message": {"role": "assistant", "content": f"{answer_unit}：培训职工{figures}。"}}]}
        data = json.dumps(reply, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def _serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("mix", [False, True])
def test_load_run_times_every_step_and_catches_mixed_replies(tmp_path: Path, mix: bool) -> None:
    handler = type("Stub", (_ChatStub,), {"mix": mix, "last": ""})
    server = _serve(handler)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        exporter = load.services_exporter(tmp_path / "data", KNOWLEDGE)
        models = load.step_models(["summary-writer"])
        res = load.run(base, models, exporter, users=4, time_limit_s=60)
    finally:
        server.shutdown()
    assert res["users"] == 4 and res["errors"] == 0 and res["completed"] == 4
    for step in load.STEPS:
        stats = res["steps"][step]
        assert stats["n"] == 4
        assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["max_ms"]
    exports = list((tmp_path / "data" / "exports").rglob("*.docx"))
    assert len(exports) == 4
    if mix:
        assert res["mixing"] > 0 and res["problems"]
    else:
        assert res["mixing"] == 0


# --- the whole bench on a tiny corpus -----------------------------------------------------------------------
@pytest.fixture()
def one_torch_thread() -> Iterator[None]:
    """No timing is checked here, and one thread is far faster than two on a busy 2-core machine."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.mark.usefixtures("one_torch_thread")
def test_bench_main_on_a_tiny_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Retrieval (ours and naive), indexing and the outputs, end to end with the real model and Chroma."""
    from bench.__main__ import main

    tiny = tmp_path / "knowledge"
    tiny.mkdir()
    shutil.copy(KNOWLEDGE / "03-shequ-gonghui.md", tiny)  # 17 sentences, 153 distinct windows
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(tiny))
    data = tmp_path / "data"
    code = main(["--sizes", "30", "60", "--queries", "3", "--no-shared", "--data-dir", str(data),
                 "--skip", "cold_start", "load", "llm", "memory", "house_style", "draft_quality", "house_fit",
                 "interview", "chat"])  # each has its own test below
    assert code == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    summary = json.loads(last)
    assert summary["sections_failed"] == []
    assert summary["chunks"] == 60
    for key in ("retrieval_p95_ms", "naive_retrieval_p95_ms", "ingest_chunks_per_s", "raw_encode_chunks_per_s"):
        assert isinstance(summary[key], float) and 0 < summary[key] < 1e6, key
    assert summary["ours_p50_ms_30"] <= summary["ours_p95_ms_30"]
    assert summary["retrieval_p95_vs_naive"] > 0 and 0 < summary["ingest_vs_raw"]
    for key in ("search_only_p95_ms", "naive_search_only_p95_ms", "ours_dense_p95_ms_60", "ours_role_p95_ms_60"):
        assert isinstance(summary[key], float) and summary[key] > 0, key

    bench_dir = data / "bench"
    results = json.loads((bench_dir / "results.json").read_text(encoding="utf-8"))
    assert results["summary"] == summary
    ingest = results["results"]["ingest"]
    assert ingest["chunks"] >= 3 and ingest["files"] == 1
    sizes = results["results"]["retrieval"]["sizes"]
    assert [s["chunks"] for s in sizes] == [30, 60]
    assert all(s["ours"]["n"] == s["naive"]["n"] == 3 for s in sizes)
    md = (bench_dir / "report.md").read_text(encoding="utf-8")
    assert "| 60 |" in md and "knowledge/ alone" in md and "Not measured: not run" in md
    assert (bench_dir / "latency.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # A second run finds both stores of a size already built for the same corpus.
    from assistant.index.embedder import Embedder
    from bench.retrieval import open_naive, open_ours

    embedder = Embedder()
    source = load_source(tiny, None)
    corpus = build_corpus(source, SentenceCache(bench_dir / "cache", embedder.model_id), 30)
    _, ours = open_ours(bench_dir / "stores" / "ours-30", corpus, embedder)
    _, naive = open_naive(bench_dir / "stores" / "naive-30", corpus, embedder)
    assert ours["cached"] and naive["cached"]


def test_model_parts_fail_soft_without_a_gguf(tmp_path: Path) -> None:
    """An empty data dir has no assembled model: both model parts say why instead of failing the run."""
    from assistant.config import load_settings
    from bench import llm_bench
    from bench.__main__ import embedded_model

    settings = load_settings(data_dir=tmp_path)
    path, reason = embedded_model(settings)
    assert path is None and reason
    result = llm_bench.run(settings)
    assert result["runs"] == [] and "embedded model unavailable" in result["error"]
    assert llm_bench.markdown(result).startswith("embedded model benchmark skipped")
    summary = report.summary({"llm": result, "memory": {"error": f"embedded model unavailable: {reason}"}},
                             quick=True, elapsed_s=1.0)
    assert {"llm", "memory"} <= set(summary["sections_failed"])


def test_house_style_bench(tmp_path: Path, hashed: None) -> None:
    """Retrieval recall on the paraphrase set and the style table run end to end (hashed vectors: the numbers here
    are the machinery's, the real ones come from `python -m bench`)."""
    from assistant.config import load_settings
    from bench import house_style
    from bench.guard_eval import load_sheets

    settings = load_settings(data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)
    result = house_style.run(settings)
    ret, style = result["retrieval"], result["style"]
    assert "error" not in ret and "error" not in style, result
    assert ret["queries"] >= 20 and ret["missing_targets"] == [] and ret["documents"] == len(list(KNOWLEDGE.glob("*.md")))
    assert 0 < ret["mean_bigram_overlap"] < 0.3  # the requests share few words with their targets
    assert set(ret["runs"]) == {label for label, *_ in house_style.RUNS}
    assert all(0 <= r["recall@1"] <= r["recall@3"] <= 1 for r in ret["runs"].values())
    assert set(ret["by_unit_type"]) == set(house_style.SECTORS)
    assert [row["sheet"] for row in style["sheets"]] == [name for name, _, _ in load_sheets()]
    assert all(row["draft"]["whole_summary"] for row in style["sheets"])
    md = house_style.markdown(result)
    assert "| hybrid + role + own unit type |" in md and "| fact sheet | unit | unit type |" in md
    assert all(f"| {row['sheet']} |" in md for row in style["sheets"])
    assert house_style.markdown(None).endswith("Not measured: not run\n")


def test_interview_and_chat_benches_on_one_sheet(indexed_dir: Path) -> None:
    """The interview bench reads questions independently of the interviewer and drafts with the written answers;
    the chat bench times revisions and intakes (template backend: seconds here are not the measurement)."""
    from assistant.facts.parse import load_facts_file
    from assistant.services import build_services
    from bench import chat, interview
    from bench.draft_quality import SHEETS
    from tests.conftest import make_settings

    settings = make_settings(indexed_dir)
    services = build_services(settings)

    facts = load_facts_file(SHEETS / "street_office.yaml")
    row = interview.one_sheet(services, facts, interview.ANSWERS / "tuning" / "street_office.yaml", "template")
    assert row["questions"] >= 1 and row["asked_for_stated"] == []
    assert row["quoted_from_house"] == row["questions"]  # every quoted fragment is an example's own words
    assert row["after"]["han_chars"] > row["before"]["han_chars"]
    assert row["details_used"] == row["details"] > 0 and row["after"]["flagged_delivered"] == 0
    t = interview._totals([row])
    assert t["details_used"] == t["details"] and "| template" not in interview.markdown({"totals": {}})

    result = chat.run(settings, "template", 1)
    assert result["totals"]["revisions"] == len(chat.REVISIONS) * len(chat.SHEETS_USED)
    assert 0 <= result["totals"]["revision_p50_s"] <= result["totals"]["revision_p95_s"]
    assert all(r["read"] for r in result["rows"] if r["what"] == "intake")  # each intake message states a fact
