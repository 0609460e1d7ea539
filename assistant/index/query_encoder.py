"""The packaged m3e-small run in numpy, for queries: a search must not wait for torch.

Importing sentence-transformers costs about 10 s on the 2-core target (torch, transformers, then scikit-learn,
scipy and pandas that sentence-transformers imports for its utilities), most of the cold start of a search.
A query is one short text through a 4-layer, 512-wide BERT, which numpy does in milliseconds, so queries use
this encoder while documents are still embedded by sentence-transformers (batched, length-sorted, threads).
`tests/test_query_encoder.py` holds it to sentence-transformers' own vectors for the same texts.

The weights are read from the model's `pytorch_model.bin` (a zip of a pickle plus raw tensor storages)
with a restricted unpickler that knows only tensors, so torch is not needed and nothing else is executed.
"""

from __future__ import annotations

import json
import math
import pickle
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

_DTYPES = {"FloatStorage": np.float32, "HalfStorage": np.float16, "LongStorage": np.int64, "IntStorage": np.int32}


class _StorageType:
    def __init__(self, name: str) -> None:
        self.name = name


def _rebuild_tensor(storage: np.ndarray, offset: int, size: tuple[int, ...], stride: tuple[int, ...],
                    *_: Any) -> np.ndarray:
    itemsize = storage.dtype.itemsize
    view = np.lib.stride_tricks.as_strided(storage[offset:], shape=size,
                                           strides=tuple(s * itemsize for s in stride))
    return np.array(view, dtype=np.float32)


class _TensorUnpickler(pickle.Unpickler):
    """Unpickles a torch state dict into numpy arrays; any other global is refused."""

    def __init__(self, file: Any, archive: zipfile.ZipFile, prefix: str) -> None:
        super().__init__(file)
        self._archive = archive
        self._prefix = prefix

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in (("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor")):
            return _rebuild_tensor
        if module == "collections" and name == "OrderedDict":
            return OrderedDict
        if module == "torch" and name in _DTYPES:
            return _StorageType(name)
        raise pickle.UnpicklingError(f"unexpected object in weights file: {module}.{name}")

    def persistent_load(self, pid: Any) -> np.ndarray:
        _, storage_type, key, _location, _numel = pid
        raw = self._archive.read(f"{self._prefix}/data/{key}")
        return np.frombuffer(raw, dtype=_DTYPES[storage_type.name])


def load_state_dict(path: Path) -> dict[str, np.ndarray]:
    """Tensors of a torch zip checkpoint as float32 numpy arrays, without torch."""
    with zipfile.ZipFile(path) as archive:
        pkl = next(n for n in archive.namelist() if n.endswith("/data.pkl"))
        prefix = pkl[: -len("/data.pkl")]
        with archive.open(pkl) as fh:
            state = _TensorUnpickler(fh, archive, prefix).load()
    return {k.removeprefix("bert."): v for k, v in state.items()}


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to within 1.5e-7 (Abramowitz & Stegun 7.1.26), vectorised: numpy has none and scipy is slow to
    import; float32 weights carry more error than this."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as BERT's "gelu"."""
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def bert_config(folder: Path) -> dict[str, Any]:
    """The model's config.json, refused unless it is a plain BERT with (erf) GELU, which this file runs."""
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
        raise ValueError(f"not a plain BERT model: {folder}")
    return config


class NumpyBertEncoder:
    """Mean-pooled, normalised BERT embeddings of single texts — the packaged model's sentence-transformers
    pipeline (BertNormalizer with lower casing, WordPiece, [CLS] … [SEP], truncation, mean pooling)."""

    def __init__(self, folder: Path, max_length: int = 512, lowercase: bool = True) -> None:
        from tokenizers import Tokenizer

        config = bert_config(folder)
        spec = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
        spec["normalizer"]["lowercase"] = lowercase
        spec["truncation"] = None
        spec["padding"] = None
        self.tokenizer = Tokenizer.from_str(json.dumps(spec))
        self._cls, self._sep = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
        self.max_length = min(max_length, int(config["max_position_embeddings"]))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.dimension = int(config["hidden_size"])
        self.w = load_state_dict(folder / "pytorch_model.bin")

    def _ids(self, text: str) -> np.ndarray:
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        return np.array([self._cls, *ids[: self.max_length - 2], self._sep], dtype=np.int64)

    def encode(self, text: str) -> np.ndarray:
        """Normalised embedding (float32, shape (dimension,))."""
        w = self.w
        ids = self._ids(text)
        n = ids.size
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        d = self.dimension // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q = dense(x, "attention.self.query").reshape(n, self.heads, d).transpose(1, 0, 2)
            k = dense(x, "attention.self.key").reshape(n, self.heads, d).transpose(1, 0, 2)
            v = dense(x, "attention.self.value").reshape(n, self.heads, d).transpose(1, 0, 2)
            att = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(1, 0, 2).reshape(n, self.dimension)
            x = _layer_norm(x + dense(ctx, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], self.eps)
            h = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(x + dense(h, "output.dense"), w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"], self.eps)
        pooled = x.mean(0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)
