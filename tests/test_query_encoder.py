"""The numpy query encoder: the same vectors as sentence-transformers, torch-free searches, safe unpickling."""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from assistant.config import PACKAGED_EMBEDDING
from assistant.index.embedder import Embedder, packaged_model_path, query_encoder
from assistant.index.query_encoder import load_state_dict
from tests.conftest import KNOWLEDGE, REPO

TEXTS = [
    "组织职工开展劳动竞赛和技能比武",
    "ABC Union 2024年 GDP增长5.2%，ＡＢＣ全角",  # upper case: the packaged model is used lower-cased
    "会", "", "　\t\n", "職工書屋①㈠", "emoji 😀 and a lone ideograph 𠀀",
    "x" * 3000,  # far over 512 tokens: truncated the same way
]


@pytest.fixture(scope="module")
def st_embedder() -> Embedder:
    return Embedder(PACKAGED_EMBEDDING, fast_queries=False)


def _house_texts() -> list[str]:
    paragraphs = [p.strip() for f in sorted(KNOWLEDGE.glob("*.md")) for p in f.read_text("utf-8").split("\n\n")]
    return [p for p in paragraphs if len(p) > 10][::4]


def test_same_vectors_as_sentence_transformers(st_embedder: Embedder) -> None:
    fast = Embedder(PACKAGED_EMBEDDING)
    texts = TEXTS + _house_texts()
    assert len(texts) > 20
    reference = st_embedder.encode(texts)
    for text, ref in zip(texts, reference, strict=True):
        vec = np.asarray(fast.embed_query(text), dtype=np.float32)
        assert vec.shape == ref.shape
        assert float(np.abs(vec - ref).max()) < 1e-5, text[:30]
    assert fast.dimension == st_embedder.dimension == 512


def test_fast_path_is_only_for_the_packaged_model(tmp_path: Path) -> None:
    assert query_encoder(PACKAGED_EMBEDDING) is not None
    assert query_encoder(str(tmp_path)) is None
    assert Embedder(PACKAGED_EMBEDDING, fast_queries=False)._query_encoder() is None


def test_state_dict_matches_torch() -> None:
    import torch

    path = packaged_model_path() / "pytorch_model.bin"
    ours = load_state_dict(path)
    theirs = {k.removeprefix("bert."): v.numpy() for k, v in torch.load(path, map_location="cpu").items()}
    assert set(ours) == set(theirs)
    for name, value in theirs.items():
        np.testing.assert_array_equal(ours[name], value.astype(np.float32), err_msg=name)


def test_weights_file_with_code_is_refused(tmp_path: Path) -> None:
    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("echo pwned",))

    buf = io.BytesIO()
    pickle.dump({"w": Evil()}, buf)
    path = tmp_path / "evil.bin"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("evil/data.pkl", buf.getvalue())
    with pytest.raises(pickle.UnpicklingError, match="unexpected object"):
        load_state_dict(path)


def test_a_search_process_never_imports_torch(indexed_dir: Path) -> None:
    """The point of the encoder: `assistant search` answers without torch or sentence-transformers."""
    code = (
        "import sys, json\n"
        "from assistant.interfaces.cli import main\n"
        f"rc = main(['--data-dir', {str(indexed_dir)!r}, 'search', '职工技能培训', '--json'])\n"
        "print(json.dumps({'rc': rc, 'torch': 'torch' in sys.modules,"
        " 'st': 'sentence_transformers' in sys.modules}))\n"
    )
    env = {**os.environ, "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE), "ASSISTANT_BACKEND": "template"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=300)
    lines = proc.stdout.strip().splitlines()
    hits = json.loads("\n".join(lines[:-1]))["results"]
    assert hits and "培训" in "".join(h["text"] for h in hits)
    assert json.loads(lines[-1]) == {"rc": 0, "torch": False, "st": False}, proc.stderr


def test_search_into_a_closed_pipe_is_quiet(indexed_dir: Path) -> None:
    """`assistant search … | head`: the reader is gone before the answer (here `true` exits at once);
    no internal-error line, exit 0."""
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(indexed_dir), "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE)}
    script = f'{sys.executable} -m assistant search 职工 -k 5 | true; echo "rc=${{PIPESTATUS[0]}}"'
    proc = subprocess.run(["/bin/bash", "-c", script], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=300)
    assert proc.stdout.strip() == "rc=0", proc.stderr
    assert "内部错误" not in proc.stderr and "Traceback" not in proc.stderr
