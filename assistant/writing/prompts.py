"""Prompt files (the top-level prompts/*.yaml, a `system` and a `user` Jinja template each), rendered strictly.

A prompt may also hold `shots`: worked examples as user/assistant turns placed between the system message and
the user's turn. They render the same for every call, so with the system message they form a prefix that
llama.cpp evaluates once and reuses for every following call.

The files have one home, prompts/ at the top of the repository. The wheel carries them as the package
`assistant.prompts` (pyproject's package-dir maps it to prompts/), read with importlib.resources. A source
checkout or an editable install has no assistant/prompts folder; there they are read from the prompts/ folder
beside the package, so a checkout always uses its own prompts and never another install's.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined

_ENV = Environment(undefined=StrictUndefined, keep_trailing_newline=False, autoescape=False)


@cache
def prompts_folder() -> Traversable:
    """Where the prompt files are: inside the installed package (a wheel), or beside it (a checkout)."""
    if (files("assistant") / "prompts").is_dir():
        return files("assistant.prompts")
    checkout = Path(__file__).resolve().parents[2] / "prompts"  # assistant/writing/prompts.py → the checkout
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("no prompt files: neither assistant/prompts (a wheel) nor prompts/ beside the package")


@cache
def _load(name: str, folder: str | None) -> dict[str, Any]:
    source = (Path(folder) if folder is not None else prompts_folder()) / f"{name}.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"system", "user"} <= set(data):
        raise ValueError(f"prompt {name} must define 'system' and 'user'")
    shots = data.get("shots") or []
    if not isinstance(shots, list) or not all(isinstance(s, dict) and {"user", "assistant"} <= set(s) for s in shots):
        raise ValueError(f"prompt {name}: 'shots' must be a list of {{user, assistant}} pairs")
    return {"system": data["system"], "user": data["user"], "shots": shots}


def render(name: str, folder: Path | None = None, **variables: Any) -> list[dict[str, str]]:
    """Messages [system, (user, assistant)*, user] for a prompt file; undefined names raise.

    `folder` reads the prompt from another folder instead of the packaged ones (for tests).
    """
    spec = _load(name, str(folder) if folder is not None else None)
    messages = [{"role": "system", "content": _ENV.from_string(spec["system"]).render(**variables).strip()}]
    for shot in spec["shots"]:
        messages.append({"role": "user", "content": str(shot["user"]).strip()})
        messages.append({"role": "assistant", "content": str(shot["assistant"]).strip()})
    messages.append({"role": "user", "content": _ENV.from_string(spec["user"]).render(**variables).strip()})
    return messages
