"""The real store: incremental ingest, replacement, removal, filters, pieces and the embedding-model guard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.errors import EmbeddingMismatch, UserError
from assistant.index.pieces import chunk_pieces
from assistant.index.store import open_store
from assistant.services import build_services
from tests.conftest import KNOWLEDGE, make_settings

CORPUS_FILES = 6  # a few house examples: the ingest mechanics are under test here, not retrieval over all of them


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "examples"
    folder.mkdir()
    for path in sorted(KNOWLEDGE.glob("*.md"))[:CORPUS_FILES]:
        shutil.copy(path, folder / path.name)
    return folder


def _files(folder: Path) -> int:
    return len(list(folder.glob("*.md")))


def _doc_chunks(services, doc: str) -> list[dict]:  # noqa: ANN001
    got = services.knowledge.store.collection.get(where={"doc": doc}, include=["metadatas"])
    return got["metadatas"]


def test_second_ingest_embeds_nothing(tmp_path: Path, corpus: Path) -> None:
    services = build_services(make_settings(tmp_path / "data", knowledge_dir=corpus))
    first = services.knowledge.ingest()
    assert len(first.read) == _files(corpus) and first.chunks_added > 0
    total = services.knowledge.chunk_count()
    assert total == first.chunks_added
    second = services.knowledge.ingest()
    assert second.chunks_added == 0 and second.updated == [] and len(second.unchanged) == _files(corpus)
    assert services.knowledge.chunk_count() == total


def test_changed_file_is_replaced_and_deleted_file_removed(tmp_path: Path, corpus: Path) -> None:
    services = build_services(make_settings(tmp_path / "data", knowledge_dir=corpus))
    services.knowledge.ingest()
    files = sorted(corpus.glob("*.md"))
    changed, deleted = files[0], files[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n新增的一段：组织职工开展读书分享活动。\n",
                       encoding="utf-8")
    deleted.unlink()
    report = services.knowledge.ingest()
    assert report.updated == [changed.stem]
    assert report.removed == [deleted.stem]
    metas = _doc_chunks(services, changed.stem)
    assert len({m["doc_hash"] for m in metas}) == 1  # the old version is gone
    assert any("读书分享" in h.text for h in services.knowledge.search("读书分享活动", 3, doc=changed.stem))
    assert _doc_chunks(services, deleted.stem) == []
    assert deleted.stem not in {d["doc"] for d in services.knowledge.documents()}


def _pieces_by_version(services) -> dict[tuple[str, str], int]:  # noqa: ANN001
    got = services.knowledge.store.piece_collection.get(include=["metadatas"])
    out: dict[tuple[str, str], int] = {}
    for meta in got["metadatas"]:
        key = (meta["doc"], meta["doc_hash"])
        out[key] = out.get(key, 0) + 1
    return out


def test_pieces_follow_their_chunks_through_replace_and_remove(tmp_path: Path, corpus: Path) -> None:
    services = build_services(make_settings(tmp_path / "data", knowledge_dir=corpus))
    services.knowledge.ingest()
    store = services.knowledge.store
    chunks = store.all_chunks()
    expected = sum(len(chunk_pieces(text)) for _, text, _ in chunks)
    assert expected > 0 and sum(m["pieces"] for _, _, m in chunks) == expected
    assert sum(_pieces_by_version(services).values()) == expected
    files = sorted(corpus.glob("*.md"))
    changed, deleted = files[0], files[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n新增一段：组织读书分享活动；开展书香家庭评选。\n",
                       encoding="utf-8")
    deleted.unlink()
    services.knowledge.ingest()
    manifest = store.manifest()
    versions = _pieces_by_version(services)
    assert {doc for doc, _ in versions} <= set(manifest)  # the deleted file's pieces are gone
    assert all(manifest[doc].doc_hash == doc_hash for doc, doc_hash in versions)  # no old version's pieces
    assert sum(versions.values()) == sum(len(chunk_pieces(text)) for _, text, _ in store.all_chunks())


def test_a_chunk_of_one_sentence_has_no_pieces() -> None:
    assert chunk_pieces("组织职工开展读书分享活动。") == []
    assert chunk_pieces("一是开展技能培训；二是走访慰问困难职工。三是建成职工书屋。") == [
        "一是开展技能培训；", "二是走访慰问困难职工。", "三是建成职工书屋。"]
    pieces = chunk_pieces("其中：全年开展培训12期。共计：参训860人次。")
    assert pieces == ["其中：全年开展培训12期。", "共计：参训860人次。"]
    assert "".join(chunk_pieces("对此。组织职工开展读书分享活动。走访慰问困难职工。")) == \
        "对此。组织职工开展读书分享活动。走访慰问困难职工。"  # a piece too short to stand alone joins the next


def test_ingesting_one_extra_file_removes_nothing(tmp_path: Path, corpus: Path) -> None:
    services = build_services(make_settings(tmp_path / "data", knowledge_dir=corpus))
    services.knowledge.ingest()
    extra = tmp_path / "extra.txt"
    extra.write_text("2024年学校工会工作总结\n\n一、加强师德建设\n\n组织教职工开展师德师风学习。\n", encoding="utf-8")
    report = services.knowledge.ingest([extra])
    assert report.removed == [] and report.updated == ["extra"]
    assert len(services.knowledge.documents()) == _files(corpus) + 1


def test_junk_in_folder_is_skipped_and_named(tmp_path: Path, corpus: Path) -> None:
    (corpus / "broken.docx").write_bytes(b"not a zip at all")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 10)
    services = build_services(make_settings(tmp_path / "data", knowledge_dir=corpus))
    report = services.knowledge.ingest()
    skipped = {Path(p).name for p, _ in report.skipped}
    assert {"broken.docx", "empty.txt", "binary.txt"} <= skipped
    assert all(reason for _, reason in report.skipped)
    assert len(report.read) == _files(corpus)


def test_role_and_document_filters(indexed_settings) -> None:  # noqa: ANN001
    knowledge = build_services(indexed_settings).knowledge
    hits = knowledge.search("工作中存在的不足", 5, role="问题")
    assert hits and all(h.role == "问题" for h in hits)
    doc = knowledge.documents()[0]["doc"]
    hits = knowledge.search("工会工作", 5, doc=doc)
    assert hits and all(h.doc == doc for h in hits)


def test_scores_are_sorted_and_json_shape(indexed_settings) -> None:  # noqa: ANN001
    hits = build_services(indexed_settings).knowledge.search("开展劳动竞赛", 4)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert set(hits[0].to_json()) == {"text", "doc", "heading", "role", "score"}


def test_other_embedding_model_is_refused(indexed_settings) -> None:  # noqa: ANN001
    with pytest.raises(EmbeddingMismatch) as err:
        open_store(indexed_settings, "BAAI/bge-small-zh-v1.5", 512)
    assert "--reindex" in err.value.message


def test_empty_query_is_a_user_error(indexed_settings) -> None:  # noqa: ANN001
    with pytest.raises(UserError):
        build_services(indexed_settings).knowledge.search("   ")


def test_missing_path_is_a_user_error(tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path / "data"))
    with pytest.raises(UserError):
        services.knowledge.ingest([tmp_path / "nope"])


@pytest.mark.parametrize("strategy", ["exact", "overfetch", "chroma"])
def test_filtered_dense_search_is_the_filtered_top(indexed_settings, strategy: str,  # noqa: ANN001
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way a role filter can be served (exact over cached vectors, unfiltered neighbours filtered
    here, Chroma's own filter; pieces in memory or through Chroma) gives the brute-force top of that role by
    the dense score: half the chunk's cosine, half its best piece's."""
    import numpy as np

    import assistant.index.retriever as retriever_module

    if strategy != "exact":
        monkeypatch.setattr(retriever_module, "EXACT_LIMIT", 0)
        monkeypatch.setattr(retriever_module, "PIECE_EXACT_LIMIT", 0)
    if strategy == "chroma":
        monkeypatch.setattr(retriever_module, "MAX_OVERFETCH", 0)
    knowledge = build_services(indexed_settings).knowledge
    got = knowledge.store.collection.get(include=["embeddings", "metadatas"])
    pieces = knowledge.store.piece_collection.get(include=["embeddings", "metadatas"])
    query = "加强职工队伍建设，做好困难帮扶"
    q = np.asarray(knowledge.embedder.embed_query(query), dtype=np.float32)
    best_piece: dict[str, float] = {}
    for vec, meta in zip(pieces["embeddings"], pieces["metadatas"], strict=True):
        sim = float(np.asarray(vec, dtype=np.float32) @ q)
        best_piece[meta["chunk"]] = max(sim, best_piece.get(meta["chunk"], -1.0))
    assert best_piece, "no pieces were stored"
    dense = {}
    for cid, vec, meta in zip(got["ids"], got["embeddings"], got["metadatas"], strict=True):
        own = float(np.asarray(vec, dtype=np.float32) @ q)
        assert (cid in best_piece) == (meta["pieces"] > 0)
        dense[cid] = 0.5 * own + 0.5 * best_piece.get(cid, own)
    roles = {cid: m["role"] for cid, m in zip(got["ids"], got["metadatas"], strict=True)}
    for role in sorted(set(roles.values())):
        expected = sorted((cid for cid in dense if roles[cid] == role), key=lambda cid: -dense[cid])[:3]
        hits = knowledge.retriever.search(query, 3, role=role, mode="dense")  # type: ignore[arg-type]
        assert [h.chunk_id for h in hits] == expected, role
        assert all(h.role == role for h in hits)


def test_empty_store_and_chunks_without_pieces_are_searched(tmp_path: Path) -> None:
    """An empty store answers nothing (no error); chunks written without pieces (a store of an older
    writer, the latency bench) are scored by their own vector alone."""
    from assistant.index.retriever import Retriever
    from assistant.index.store import ManifestEntry
    from assistant.schema import Chunk
    from tests.fakes import HashEmbedder

    embedder = HashEmbedder()
    store = open_store(make_settings(tmp_path / "data"), embedder.model_id, embedder.dimension)
    retriever = Retriever(store, embedder)
    assert retriever.search("职工书屋建设", 3) == []
    texts = ["全年新建职工书屋15个。开展读书分享活动。", "组织职工技能竞赛6项。"]
    chunks = [Chunk(chunk_id=f"d:{i}", doc="d", title="t", heading_path=(), role="成绩", text=text, order=i)
              for i, text in enumerate(texts)]
    store.replace_document(ManifestEntry("d", "h1", 2, "d.md", "t"), chunks, embedder.encode(texts).tolist())
    retriever.refresh(force=True)
    hits = retriever.search("职工书屋建设", 2)
    assert hits[0].text == texts[0] and len(hits) == 2
    assert store.piece_collection.count() == 0
