"""A plain install works: the wheel carries every data file the code loads, and, installed on its own (no
repository beside it, run from another folder), drafts and checks.

The wheel is built from a copy of the sources (the build leaves no build/ folder in the repository) and
installed with --no-deps into a folder of its own; its dependencies come from this virtualenv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_bad_input import FACTS_YAML as FACTS

pytestmark = pytest.mark.integration


@dataclass
class Installed:
    wheel: Path
    site: Path
    workdir: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), capture_output=True, text=True, cwd=self.workdir, env=self.env,
                              timeout=300)


def _files(folder: Path, inside: str) -> set[str]:
    """Every file under `folder` but caches, as a path inside the wheel (`inside` is the folder there)."""
    return {f"{inside}/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*")
            if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("packaging")
    src = root / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    for folder in ("assistant", "prompts"):
        shutil.copytree(REPO / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = root / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                    "--no-cache-dir", "-q", "-w", str(dist)], check=True, capture_output=True, timeout=300)
    wheel = next(dist.glob("*.whl"))
    site = root / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", str(wheel), "--no-deps", "--no-cache-dir", "-q",
                    "--target", str(site)], check=True, capture_output=True, timeout=300)
    workdir = root / "elsewhere"
    workdir.mkdir()
    (workdir / "facts.yaml").write_text(FACTS, encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ASSISTANT_", "HF_", "TRANSFORMERS_")) and k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)  # the installed copy, not the repository
    yield Installed(wheel=wheel, site=site, workdir=workdir, env=env)


def test_the_wheel_carries_every_data_file(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as zf:
        names = set(zf.namelist())
    # prompts/ (the top-level home of the prompt files) ships as the package assistant.prompts
    prompts = _files(REPO / "prompts", "assistant/prompts")
    assert {"assistant/prompts/draft_section.yaml", "assistant/prompts/outline.yaml"} <= prompts
    missing = (_files(REPO / "assistant", "assistant") | prompts) - names
    assert not missing, f"files left out of the wheel (pyproject's packages or package-data): {sorted(missing)}"
    assert not [n for n in names if n.startswith(("tests/", "bench/", "knowledge/"))]


# prints where the prompt files were read from, after rendering one
_WHERE_PROMPTS = ("from assistant.writing.prompts import prompts_folder, render; "
                  "render('fact_sentence', section='成绩', fact='x'); print(prompts_folder() / 'fact_sentence.yaml')")


def test_the_installed_copy_reads_its_packaged_prompts(installed: Installed) -> None:
    proc = installed.run(sys.executable, "-c", _WHERE_PROMPTS)
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()) == installed.site / "assistant" / "prompts" / "fact_sentence.yaml"


def test_a_checkout_reads_its_own_prompts_folder() -> None:
    """A source checkout (PYTHONPATH, or an editable install) has no assistant/prompts: it reads prompts/."""
    proc = subprocess.run([sys.executable, "-c", _WHERE_PROMPTS], capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()) == REPO / "prompts" / "fact_sentence.yaml"


def test_the_installed_copy_is_the_one_that_runs(installed: Installed) -> None:
    proc = installed.run(sys.executable, "-c", "import assistant, sys; print(assistant.__file__)")
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()).is_relative_to(installed.site)


def test_the_installed_package_drafts_and_checks_from_another_folder(installed: Installed) -> None:
    proc = installed.run(sys.executable, "-m", "assistant", "draft", "--backend", "template",
                         "--facts", "facts.yaml", "--section", "成绩", "--json")
    assert proc.returncode == 0, proc.stderr
    draft = json.loads(proc.stdout)
    assert "340" in draft["text"] and "11.6万元" in draft["text"]
    assert draft["check"]["unsupported_numbers"] == [] and draft["check"]["leaks"] == []

    (installed.workdir / "bad.txt").write_text("一年来，工会举办教职工技能培训班9期，培训999人次。", encoding="utf-8")
    script = installed.site / "bin" / "assistant"  # the console script pip wrote for this install
    proc = installed.run(str(script), "check", "--facts", "facts.yaml", "--draft", "bad.txt", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] is False and any("999" in n for n in report["unsupported_numbers"])
    assert (installed.workdir / "data").is_dir()  # ASSISTANT_DATA_DIR's default: ./data of the current folder


def test_without_a_knowledge_folder_ingest_says_where_examples_go(installed: Installed) -> None:
    proc = installed.run(sys.executable, "-m", "assistant", "ingest")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "找不到范文文件夹" in proc.stderr and str(installed.workdir / "knowledge") in proc.stderr
    assert "ASSISTANT_KNOWLEDGE_DIR" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
