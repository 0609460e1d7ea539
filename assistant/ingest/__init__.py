"""Ingestion: read example files, clean them, split them into chunks with heading paths and roles.

Modules: readers (files → Document), cleaning (whitespace and scrape debris), splitter (chunks, roles),
structure (numbering checks), loader (paths and folders → documents + skipped). Heading numerals live in
assistant.text.headings.
"""

from assistant.ingest.cleaning import clean_text
from assistant.ingest.loader import LoadResult, load_paths
from assistant.ingest.readers import SUPPORTED_SUFFIXES, UnreadableFile, read_document
from assistant.ingest.splitter import ROLE_CUES, find_headings, split_document
from assistant.ingest.structure import NumberingIssue, check_numbering, outline_of

__all__ = [
    "ROLE_CUES",
    "SUPPORTED_SUFFIXES",
    "LoadResult",
    "NumberingIssue",
    "UnreadableFile",
    "check_numbering",
    "clean_text",
    "find_headings",
    "load_paths",
    "outline_of",
    "read_document",
    "split_document",
]
