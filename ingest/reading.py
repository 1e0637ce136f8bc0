"""One file read into a document, or the reason it could not be; the order a batch is read in."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders import ParsedDocument, load_parser, needs_unstructured, parse_file

Outcome = ParsedDocument | str  # the document, or why it could not be read


def read_file(path: Path, ocr_languages: str) -> Outcome:
    """One file parsed, or the message a report shows for it; a parser bug must not sink the batch."""
    try:
        return parse_file(path, ocr_languages=ocr_languages)
    except IngestError as exc:
        return str(exc)
    except Exception as exc:
        return f"could not read the file ({type(exc).__name__}: {exc})"


def prepare_reading(path: Path) -> None:
    """Import what reading this file's format takes (seconds, once per process), so that the time
    its parse takes is its own. A failure here is reported by `read_file`, which meets it again."""
    try:
        load_parser(path)
    except Exception:
        return


def reading_order(paths: Sequence[Path]) -> list[int]:
    """Positions in `paths`, formats read without unstructured first: their chunks are embedded
    while unstructured (and spaCy) is imported."""
    return sorted(range(len(paths)), key=lambda i: needs_unstructured(paths[i]))
