"""Benchmark corpora built from real text: the government work reports in ../shared plus knowledge/.

Embedding 100k chunks for real would take hours on 2 cores, so each unique sentence is embedded once (cached
under the bench dir by text hash) and a chunk is a window of consecutive sentences of one document whose
vector is the normalised mean of its sentences' vectors. Windows vary in length and offset across every
document, so no text repeats; query embedding stays real and is timed by the callers.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
EVAL_FILE = REPO / "tests" / "data" / "retrieval_eval.jsonl"
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
MIN_SENTENCE_CHARS = 8
BASE_MAX_WINDOW = 8

# Requests a user of this assistant would type: unit-level summary topics and national-report topics.
EXTRA_QUERIES: tuple[str, ...] = (
    "组织职工开展劳动竞赛和技能比武", "关心困难职工，开展送温暖活动", "加强工会组织建设，发展会员",
    "职工代表大会和厂务公开", "开展文体活动丰富职工业余生活", "维护女职工合法权益",
    "安全生产检查和隐患整改", "医院工会开展医德医风教育", "社区志愿服务和便民服务",
    "交通系统道路养护和绿化", "存在的问题：学习不够深入，创新不足", "明年工作打算和主要任务",
    "稳定粮食生产，增加农民收入", "深化国有企业改革，建立现代企业制度", "扩大内需，促进消费增长",
    "加强生态环境保护，治理大气污染", "推进科技创新和人才培养", "完善社会保障体系，扩大养老保险覆盖面",
    "发展教育事业，促进教育公平", "加强医疗卫生服务体系建设", "控制物价总水平，防止通货膨胀",
    "积极稳妥推进城镇化", "加快中西部地区发展", "扩大对外开放，利用外资",
    "加强廉政建设，反对腐败", "转变政府职能，简政放权", "就业是民生之本，做好就业工作",
    "保障性住房建设和房地产调控", "财政收支和赤字安排", "深化金融体制改革，防范金融风险",
    "支持小微企业和民营经济发展", "脱贫攻坚，精准扶贫", "加强社会治安综合治理",
    "文化事业和文化产业发展", "国防和军队建设", "香港澳门和台湾工作",
    "节能减排，淘汰落后产能", "水利基础设施建设和防汛抗旱", "税费改革减轻企业负担",
    "总结一年来的工作，取得了显著成绩",
)


@dataclass
class Source:
    """The real documents a corpus is cut from, and a sentence saying where they came from."""

    docs: list[tuple[str, str, list[str]]]  # (doc_id, title, sentences in order)
    note: str


@dataclass
class Corpus:
    """N chunks as parallel lists, ready for either store."""

    ids: list[str]
    docs: list[str]
    titles: list[str]
    texts: list[str]
    roles: list[str]
    orders: list[int]
    vectors: np.ndarray
    signature: str = ""
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)


def shared_dir() -> Path | None:
    """../shared beside the repo, or None when absent."""
    path = REPO.parent / "shared"
    return path if path.is_dir() else None


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。！？； (line breaks end one too); very short fragments are dropped."""
    out = []
    for piece in _SENTENCE.findall(text):
        piece = piece.strip().strip("\u3000")
        if len(piece) >= MIN_SENTENCE_CHARS:
            out.append(piece)
    return out


def load_source(knowledge_dir: Path, shared: Path | None, per_doc_limit: int | None = None) -> Source:
    """Read the reports (when ../shared exists) and the house examples with the project's own reader."""
    from assistant.ingest.loader import load_paths

    paths: list[Path] = []
    reports = sorted((shared / "corpus" / "gov-work-reports").glob("gwr_*.txt")) if shared else []
    paths.extend(reports)
    if knowledge_dir.is_dir():
        paths.append(knowledge_dir)
    result = load_paths(paths, max_bytes=50 * 1024 * 1024)
    docs = []
    for d in result.documents:
        sentences = split_sentences(d.text)
        if per_doc_limit:
            sentences = sentences[:per_doc_limit]
        if sentences:
            docs.append((d.doc_id, d.title or d.doc_id, sentences))
    if reports:
        note = (f"corpus: {len(reports)} government work reports from ../shared/corpus/gov-work-reports "
                f"+ knowledge/ ({len(docs)} documents)")
    else:
        note = "../shared is absent: corpus built from knowledge/ alone (small; large sizes may be capped)"
    return Source(docs, note)


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class SentenceCache:
    """Sentence vectors on disk keyed by text hash, one file per embedding model."""

    def __init__(self, cache_dir: Path, model_id: str) -> None:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id)[-80:]
        self.path = cache_dir / f"sentences-{safe}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.is_file():
            try:
                data = np.load(self.path)
                self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
            except (OSError, ValueError, KeyError):
                self.vectors = {}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self.vectors), dtype="<U40")
        vecs = np.stack(list(self.vectors.values())).astype(np.float32) if self.vectors else np.zeros((0, 1))
        tmp = self.path.with_name(self.path.stem + ".tmp.npz")
        np.savez(tmp, keys=keys, vectors=vecs)
        tmp.replace(self.path)

    def ensure(self, texts: list[str], embedder) -> tuple[int, float]:  # noqa: ANN001 - Embedder
        """Embed the texts not cached yet; returns (how many were embedded, seconds)."""
        import time

        missing = list(dict.fromkeys(t for t in texts if text_key(t) not in self.vectors))
        if not missing:
            return 0, 0.0
        start = time.perf_counter()
        vecs = embedder.encode(missing)
        for t, v in zip(missing, vecs, strict=True):
            self.vectors[text_key(t)] = np.asarray(v, dtype=np.float32)
        self.save()
        return len(missing), time.perf_counter() - start

    def get(self, text: str) -> np.ndarray:
        return self.vectors[text_key(text)]


def _role(position: float) -> str:
    """A section role from the relative position in the document (reports run opening → results → ...)."""
    if position < 0.05:
        return "开头"
    if position < 0.70:
        return "成绩"
    if position < 0.80:
        return "问题"
    if position < 0.97:
        return "计划"
    return "结尾"


def windows(source: Source, n: int, seed: int = 0) -> tuple[list[tuple[int, int, int]], int]:
    """Up to n distinct (doc index, start, length) windows, shuffled once so smaller sizes nest in larger.

    The longest window grows only when the sentences are too few for n windows of up to 8 sentences.
    """
    total = sum(len(s) for _, _, s in source.docs) or 1
    max_len = min(max(BASE_MAX_WINDOW, math.ceil(n / total) + 2), 64)
    cands = [(di, start, length) for di, (_, _, sents) in enumerate(source.docs)
             for length in range(1, max_len + 1) for start in range(0, len(sents) - length + 1)]
    random.Random(seed).shuffle(cands)
    seen: set[str] = set()
    out = []
    for di, start, length in cands:
        text = "".join(source.docs[di][2][start:start + length])
        if text in seen:
            continue
        seen.add(text)
        out.append((di, start, length))
        if len(out) >= n:
            break
    return out, max_len


def build_corpus(source: Source, cache: SentenceCache, n: int) -> Corpus:
    """n chunks (fewer if the source is too small, noted) with mean-of-sentence vectors."""
    picked, max_len = windows(source, n)
    picked.sort()
    ids, docs, titles, texts, roles, orders, vecs = [], [], [], [], [], [], []
    order_in_doc: dict[int, int] = {}
    for di, start, length in picked:
        doc_id, title, sents = source.docs[di]
        part = sents[start:start + length]
        v = np.mean([cache.get(s) for s in part], axis=0)
        vecs.append(v / (np.linalg.norm(v) or 1.0))
        order = order_in_doc.get(di, 0)
        order_in_doc[di] = order + 1
        ids.append(f"{doc_id}:{order}")
        docs.append(doc_id)
        titles.append(title)
        texts.append("".join(part))
        roles.append(_role(start / max(len(sents), 1)))
        orders.append(order)
    sig = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    notes = [] if len(texts) >= n else [f"only {len(texts)} distinct windows available (asked {n})"]
    matrix = np.asarray(vecs, dtype=np.float32).reshape(len(vecs), -1)
    return Corpus(ids, docs, titles, texts, roles, orders, matrix, sig, notes + [f"windows of 1-{max_len} sentences"])


def load_queries(limit: int | None = None) -> list[str]:
    """Distinct real requests: the labelled retrieval-eval queries, then the topic list above."""
    queries: list[str] = []
    if EVAL_FILE.is_file():
        for line in EVAL_FILE.read_text(encoding="utf-8").splitlines():
            if line.strip():
                queries.append(str(json.loads(line)["query"]))
    queries.extend(EXTRA_QUERIES)
    queries = list(dict.fromkeys(q for q in queries if q.strip()))
    return queries[:limit] if limit else queries
