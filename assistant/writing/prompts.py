"""Prompt files (assistant/writing/prompts/*.yaml, a `system` and a `user` Jinja template each), rendered strictly.

The files are package data, read with importlib.resources, so an installed wheel carries them.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined

_ENV = Environment(undefined=StrictUndefined, keep_trailing_newline=False, autoescape=False)


@cache
def _load(name: str, folder: str | None) -> dict[str, str]:
    source = (Path(folder) if folder is not None else files("assistant.writing") / "prompts") / f"{name}.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"system", "user"} <= set(data):
        raise ValueError(f"prompt {name} must define 'system' and 'user'")
    return {"system": data["system"], "user": data["user"]}


def render(name: str, folder: Path | None = None, **variables: Any) -> list[dict[str, str]]:
    """Messages [{'role': 'system'|'user', 'content': ...}] for a prompt file; undefined names raise.

    `folder` reads the prompt from another folder instead of the packaged ones (for tests).
    """
    spec = _load(name, str(folder) if folder is not None else None)
    return [
        {"role": "system", "content": _ENV.from_string(spec["system"]).render(**variables).strip()},
        {"role": "user", "content": _ENV.from_string(spec["user"]).render(**variables).strip()},
    ]
