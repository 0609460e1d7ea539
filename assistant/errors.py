"""Errors a user can cause. They carry one Chinese sentence that says what to do; never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in the user's input or environment (bad file, empty facts, model unreachable)."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ModelUnavailable(UserError):
    """The chosen model backend cannot answer (not installed, unreachable, refused)."""


class EmbeddingMismatch(UserError):
    """The index was built with another embedding model; re-indexing is needed."""
