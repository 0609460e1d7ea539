"""`python -m bench` exits 1 when a section failed, 0 when every section it ran gave numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import bench.__main__ as bench_main
from tests.fakes import HashEmbedder

ALL_BUT_LLM = ["--skip", "retrieval", "ingest", "cold_start", "load", "memory"]


@pytest.mark.parametrize("fails", [True, False])
def test_exit_code_follows_the_sections(fails: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import assistant.index.embedder

    monkeypatch.setattr(assistant.index.embedder, "Embedder", HashEmbedder)  # no model load for this

    def llm_part(settings: Any, quick: bool) -> dict[str, Any]:
        if fails:
            raise RuntimeError("the model would not load")
        return {"first_token_s": 1.0}

    monkeypatch.setattr(bench_main, "llm_part", llm_part)
    run_section = bench_main.section
    monkeypatch.setattr(bench_main, "section",  # only the llm section runs, whatever sections exist
                        lambda name, results, fn: run_section(name, results, fn) if name == "llm" else None)
    code = bench_main.main(["--quick", "--no-shared", "--data-dir", str(tmp_path), *ALL_BUT_LLM])
    err = capsys.readouterr().err
    assert code == (1 if fails else 0)
    assert ("failed sections: llm" in err) is fails
    assert (tmp_path / "bench" / "report.md").is_file()  # the report is written either way
