"""Where exported files wait until the browser fetches them: one temporary folder per process.

Gradio serves output files only from the temp dir, the working directory or allowed paths, so an export made under
the data dir is copied here first; Gradio then keeps its own copy in its cache (bounded by the page's
`delete_cache`). This folder is pruned of old files after each export and removed when the process ends.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import time
from pathlib import Path

MAX_AGE_S = 3600.0  # an export is fetched seconds after it is made; an hour is generous


@functools.cache
def download_folder() -> Path:
    """This process's download folder (created on first use, removed at exit)."""
    path = Path(tempfile.mkdtemp(prefix="assistant-downloads-"))
    atexit.register(shutil.rmtree, path, True)
    return path


def prune(folder: Path, max_age_s: float = MAX_AGE_S, now: float | None = None) -> int:
    """Remove files older than `max_age_s` and the folders they leave empty; the number of files removed."""
    now = time.time() if now is None else now
    removed = 0
    if not folder.is_dir():
        return 0
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        try:
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            elif now - path.stat().st_mtime > max_age_s:
                path.unlink()
                removed += 1
        except OSError:  # fetched or removed by another request meanwhile
            continue
    return removed
