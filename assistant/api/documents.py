"""The document view: a document's metadata and its chunks' text, in order, for one reader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from assistant.answer.pii import mask_pii
from assistant.index import SearchHit
from assistant.index.schema import is_unverified, version_number

# Per-chunk and bookkeeping payload keys; everything else on a chunk is document metadata.
_CHUNK_KEYS = {"n", "text", "text_norm", "title_path", "page", "fields"}
_INTERNAL_KEYS = {"state", "version"}


class DocumentChunk(BaseModel):
    n: int
    text: str
    title_path: list[str]
    page: int | None = None


class DocumentView(BaseModel):
    doc_id: str
    title: str
    source: str
    as_of: str | None = None
    expired: bool = False
    version: int | None = None
    unverified: bool = False
    metadata: dict[str, Any]
    chunks: list[DocumentChunk]


def _no_mask(text: str) -> str:
    return text


def _masked(value: Any, mask: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [mask(v) if isinstance(v, str) else v for v in value]
    return value


def build_document_view(
    doc_id: str, hits: list[SearchHit], mask_personal_data: bool, today: dt.date | None = None
) -> DocumentView:
    """Assemble the view from chunks already access-filtered and in order.

    With `mask_personal_data` (readers without the `pii` privilege) phones, IDs, cards and e-mails
    are masked the same way answers mask them.
    """
    mask = mask_pii if mask_personal_data else _no_mask
    first = hits[0].payload
    metadata = {k: _masked(v, mask) for k, v in first.items() if k not in _CHUNK_KEYS | _INTERNAL_KEYS}
    expires = first.get("expires")
    expired = bool(expires) and str(expires) < (today or dt.date.today()).isoformat()
    chunks = [
        DocumentChunk(
            n=int(h.payload.get("n", i)),
            text=mask(str(h.payload.get("text", ""))),
            title_path=[mask(str(t)) for t in h.payload.get("title_path") or []],
            page=h.payload.get("page"),
        )
        for i, h in enumerate(hits)
    ]
    return DocumentView(
        doc_id=doc_id,
        title=mask(str(first.get("title") or first.get("source") or doc_id)),
        source=str(first.get("source", "")),
        as_of=str(first["effective"]) if first.get("effective") else None,
        expired=expired,
        version=version_number(first),
        unverified=is_unverified(first, today or dt.date.today()),
        metadata=metadata,
        chunks=chunks,
    )
