"""Where the CLI's log records go: without --verbose, stderr carries only the assistant's own Chinese lines.

Libraries speak English on stderr when left alone (jieba's "Building prefix dict …", a library's
FutureWarning, chromadb or transformers notices). A user reads those as faults, so the quiet default keeps
only records of the assistant's own loggers at WARNING or above that are written for users (Chinese); the
rest, Python warnings included, is dropped. `--verbose` shows everything at DEBUG, libraries included.
"""

from __future__ import annotations

import logging
import re
import sys

FORMAT = "%(levelname)s %(name)s: %(message)s"
OWN_LOGGER = "assistant"
_CJK = re.compile(r"[\u4e00-\u9fff]")


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (a test's capture, a redirected stream), never a stale one."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self):  # noqa: ANN201 - the stream logging writes to
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:  # StreamHandler.__init__ assigns it
        pass


def for_users(record: logging.LogRecord) -> bool:
    """A record a user should read: the assistant's own, a warning or worse, and written in Chinese."""
    own = record.name == OWN_LOGGER or record.name.startswith(OWN_LOGGER + ".")
    return own and record.levelno >= logging.WARNING and bool(_CJK.search(record.getMessage()))


def configure_logging(verbose: bool) -> None:
    """Set up the root handler once per run (replacing an earlier one of ours) and quiet the libraries."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _CurrentStderr)]:
        root.removeHandler(handler)
    handler = _CurrentStderr()
    handler.setFormatter(logging.Formatter(FORMAT if verbose else "%(message)s"))  # a user reads the sentence
    if not verbose:
        handler.addFilter(for_users)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.captureWarnings(True)  # Python warnings become "py.warnings" records: shown with -v, dropped without
    _route_jieba(verbose)


def _route_jieba(verbose: bool) -> None:
    """jieba sets its logger to DEBUG and gives it its own stderr handler when imported: take both back, so its
    records pass through the root handler (shown with -v, dropped without). Importing jieba costs ~40 ms."""
    import jieba

    jieba.setLogLevel(logging.DEBUG if verbose else logging.WARNING)
    jieba.default_logger.removeHandler(jieba.log_console)
