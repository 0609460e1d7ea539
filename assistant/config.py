"""Typed settings: ASSISTANT_* environment variables, an optional TOML/YAML file, explicit overrides.

Nothing is read at import time: callers build a Settings with `load_settings()` and pass it down.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.limits import DEFAULT_MAX_INPUT_KB

BackendName = Literal["embedded", "openai", "template"]
PACKAGED_EMBEDDING = "m3e-small"


class Settings(BaseSettings):
    """Every knob of the assistant; see README "设置" for what each one does."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore", validate_default=True)

    # Both relative to the current directory unless given as absolute paths (README "Settings").
    data_dir: Path = Field(Path("data"), description="Chroma store, caches, sessions, exports; ./data by default.")
    knowledge_dir: Path = Field(Path("knowledge"), description="The house examples to index; ./knowledge by default.")
    embedding_model: str = Field(
        PACKAGED_EMBEDDING,
        description="'m3e-small' (packaged, offline) or any sentence-transformers model id or local path.",
    )
    allow_hub_download: bool = Field(
        False, description="Let a model id that is not a local folder be fetched from the Hugging Face hub.",
    )
    embedding_batch_size: int = 32
    chroma_url: str | None = Field(None, description="http://host:port of a Chroma server; unset = embedded.")
    collection: str = "house_examples"

    backend: BackendName = "embedded"
    llm_model_path: Path | None = Field(None, description="Another GGUF file for the embedded backend.")
    llm_threads: int = Field(2, ge=1, le=64)
    llm_context: int = Field(4096, ge=512)
    llm_max_tokens: int = Field(700, ge=16)
    llm_temperature: float = Field(0.3, ge=0.0, le=2.0)

    openai_base_url: str = "http://127.0.0.1:11434/v1"
    openai_api_key: SecretStr | None = None
    openai_model: str = "qwen2.5:7b-instruct"
    openai_timeout: float = Field(60.0, gt=0)
    openai_max_retries: int = Field(2, ge=0, le=10)

    retrieval_k: int = Field(3, ge=1, le=20)
    # The API asks the interview's questions before drafting a whole summary while most results lack 做法/成效.
    interview_first: bool = False
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=0, le=65535)
    api_key: SecretStr | None = Field(None, description="Bearer token required by /v1/* when set.")
    auth: SecretStr | None = Field(None, description="'user:password' to require a login on the web app.")
    max_upload_mb: float = Field(20.0, gt=0, description="Largest example document (Word, PDF, text) accepted.")
    max_input_kb: int = Field(DEFAULT_MAX_INPUT_KB, ge=1, le=100 * 1024,
                              description="Largest text in one piece: a page box, an API message, a CLI file.")
    session_days: float = Field(30.0, gt=0, description="Saved page sessions untouched this long are removed.")
    sign_date: dt.date | None = Field(
        None, description="落款日期: the date line under the signature of every export (2026-01-15 or "
                          "2026年1月15日); unset = the day of the export.",
    )

    @field_validator("sign_date", mode="before")
    @classmethod
    def _chinese_date(cls, value: Any) -> Any:
        """"2026年1月15日", "2026.1.15" and "2026/1/15" as well as ISO "2026-01-15"; "" means unset."""
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            m = re.fullmatch(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?", text)
            try:
                return dt.date(*(int(g) for g in m.groups())) if m else dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"落款日期“{text[:20]}”不是有效的日期，应写成 2026-01-15 或 2026年1月15日") from None
        return value

    @property
    def max_input_bytes(self) -> int:
        return self.max_input_kb * 1024

    # Derived locations, all under data_dir so runtime state never leaks elsewhere.
    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def models_dir(self) -> Path:
        return self.cache_dir / "models"

    @property
    def sessions_dir(self) -> Path:
        return self.data_dir / "sessions"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def bench_dir(self) -> Path:
        return self.data_dir / "bench"


def _read_settings_file(path: Path) -> dict[str, Any]:
    """Load a flat TOML or YAML mapping of setting names (without the ASSISTANT_ prefix)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".toml":
        import tomllib

        data = tomllib.loads(text)
    else:
        import yaml

        data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError(f"settings file {path} must hold a mapping")
    return {str(k).lower(): v for k, v in data.items()}


def load_settings(settings_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Build Settings: file values < environment < explicit overrides (None overrides are ignored)."""
    from pydantic import ValidationError

    from assistant.errors import UserError

    file_values: dict[str, Any] = {}
    path = settings_file or os.environ.get("ASSISTANT_SETTINGS_FILE")
    if path:
        try:
            file_values = _read_settings_file(Path(path))
        except OSError as exc:
            raise UserError(f"读不了设置文件 {path}：{exc.strerror or exc}") from exc
        except Exception as exc:  # noqa: BLE001 - TOML/YAML parser errors of any kind
            raise UserError(f"设置文件 {path} 格式有误：{exc}") from exc
    env_names = {k[len("ASSISTANT_"):].lower() for k in os.environ if k.startswith("ASSISTANT_")}
    base = {k: v for k, v in file_values.items() if k not in env_names}
    base.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**base)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(x) for x in first.get("loc", ())) or "?"
        message = str(first.get("msg", "")).removeprefix("Value error, ")  # our validators say it in Chinese
        raise UserError(f"设置项 {name.upper()} 的值无效：{message}") from exc
