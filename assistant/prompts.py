"""Prompt files (prompts/*.yaml, a `system` and a `user` Jinja template each), rendered strictly."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
_ENV = Environment(undefined=StrictUndefined, keep_trailing_newline=False, autoescape=False)


@cache
def _load(name: str, folder: str) -> dict[str, str]:
    data = yaml.safe_load((Path(folder) / f"{name}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"system", "user"} <= set(data):
        raise ValueError(f"prompt {name} must define 'system' and 'user'")
    return {"system": data["system"], "user": data["user"]}


def render(name: str, folder: Path = PROMPTS_DIR, **variables: Any) -> list[dict[str, str]]:
    """Messages [{'role': 'system'|'user', 'content': ...}] for a prompt file; undefined names raise."""
    spec = _load(name, str(folder))
    return [
        {"role": "system", "content": _ENV.from_string(spec["system"]).render(**variables).strip()},
        {"role": "user", "content": _ENV.from_string(spec["user"]).render(**variables).strip()},
    ]
