"""Blocks -> chunks that follow the document's structure and keep their title path and page."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.text.normalize import normalize_for_matching, strip_pinyin
from assistant.text.sentences import split_sentences
from ingest.loaders import Block, ParsedDocument
from ingest.outline import is_parent


@dataclass
class ChunkDraft:
    n: int
    text: str  # for display: original script, pinyin noise removed
    text_norm: str  # normalize_for_matching(text)
    title_path: list[str]  # ["文档标题", "章", "节"]
    page: int | None = None
    fields: dict[str, str] = field(default_factory=dict)  # column -> value when the chunk is a table row


def _pieces(sentence: str, size: int, overlap: int) -> list[str]:
    """A sentence longer than `size` cut into windows of `size` that overlap by `overlap`."""
    if len(sentence) <= size:
        return [sentence]
    step = max(1, size - overlap)
    return [sentence[i : i + size] for i in range(0, len(sentence) - overlap, step)]


def _joiner(left: str, right: str) -> str:
    return " " if left[-1:].isascii() and right[:1].isascii() else ""


class _Section:
    """Body text under one heading path, cut into overlapping windows at sentence ends."""

    def __init__(self, size: int, overlap: int) -> None:
        self.size, self.overlap = size, overlap
        self.sentences: list[tuple[str, int | None]] = []

    def add(self, block: Block) -> None:
        for sentence in split_sentences(block.text):
            self.sentences += [(p, block.page) for p in _pieces(sentence, self.size, self.overlap)]

    def windows(self) -> list[tuple[str, int | None]]:
        out: list[tuple[str, int | None]] = []
        start = 0
        while start < len(self.sentences):
            end, length = start, 0
            while end < len(self.sentences) and (
                end == start or length + len(self.sentences[end][0]) <= self.size
            ):
                length += len(self.sentences[end][0])
                end += 1
            out.append((self._join(start, end), self.sentences[start][1]))
            if end >= len(self.sentences):
                break
            start = self._overlap_start(start, end)
        return out

    def _join(self, start: int, end: int) -> str:
        text = ""
        for sentence, _ in self.sentences[start:end]:
            text += (_joiner(text, sentence) if text else "") + sentence
        return text

    def _overlap_start(self, start: int, end: int) -> int:
        """Step back over whole trailing sentences that fit in `overlap` characters."""
        back, length = end, 0
        while back - 1 > start and length + len(self.sentences[back - 1][0]) <= self.overlap:
            back -= 1
            length += len(self.sentences[back][0])
        return back


def chunk_document(doc: ParsedDocument, title: str, size: int = 450, overlap: int = 80) -> list[ChunkDraft]:
    """Chunks per section (heading, slide, sheet); one chunk per table row, with its fields."""
    title = strip_pinyin(title).strip()
    headings: list[tuple[int, str]] = []
    drafts: list[ChunkDraft] = []
    section = _Section(size, overlap)
    boundary: tuple[int | None, str | None] = (None, None)
    slides = doc.path.suffix.lower() == ".pptx"

    def flush() -> None:
        nonlocal section
        path = [title] + [h for _, h in headings if h != title]
        for text, page in section.windows():
            drafts.append(_draft(len(drafts), text, path, page))
        section = _Section(size, overlap)

    for block in doc.blocks:
        here = (block.page if slides else None, block.sheet)
        if here != boundary:
            flush()
            if block.sheet != boundary[1] or slides:
                headings = [(1, block.sheet)] if block.sheet else []
            boundary = here
        if block.kind == "title":
            flush()
            # A table of contents before the body leaves stale entries: `1.1.1` is not under `8.2`.
            kept = [(lvl, h) for lvl, h in headings if lvl < block.level and is_parent(h, block.text)]
            headings = kept + [(block.level, block.text)]
        elif block.kind == "table_row":
            flush()
            path = [title] + [h for _, h in headings if h != title]
            drafts.append(_draft(len(drafts), block.text, path, block.page, block.fields))
        else:
            section.add(block)
    flush()
    return drafts


def _draft(
    n: int, text: str, path: list[str], page: int | None, fields: dict[str, str] | None = None
) -> ChunkDraft:
    text = strip_pinyin(text)
    return ChunkDraft(n, text, normalize_for_matching(text), path, page, dict(fields or {}))
