"""What the index holds for a document: its id, its chunks' payloads, the text its vectors are made from."""

from __future__ import annotations

import hashlib
from typing import Any

from assistant.access import ALL_GROUPS, PENDING
from ingest.chunking import ChunkDraft
from ingest.metadata import DocumentMeta


def doc_id_for(source: str) -> str:
    """A document's id: its source path, hashed (the same file is the same document on every ingest)."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:20]


def embedding_text(draft: ChunkDraft) -> str:
    """What a chunk's dense vector is computed from: its title path and matching text."""
    return " > ".join(draft.title_path) + "\n" + draft.text_norm


def document_payload(meta: DocumentMeta, source: str, doc_id: str, version: str) -> dict[str, Any]:
    """Every chunk's share of the document: its metadata with the access stamp, written pending."""
    data = meta.model_dump(mode="json", exclude_none=True)
    talk = data.pop("talk_track", None) or {}
    data.update({k: v for k, v in talk.items() if v})
    data["groups"] = list(meta.groups) or [ALL_GROUPS]
    data.update({"doc_id": doc_id, "version": version, "state": PENDING, "source": source})
    return data


def chunk_payload(draft: ChunkDraft) -> dict[str, Any]:
    """One chunk's own text and place in the document."""
    payload: dict[str, Any] = {
        "n": draft.n,
        "text": draft.text,
        "text_norm": draft.text_norm,
        "title_path": draft.title_path,
        "page": draft.page,
    }
    if draft.fields:
        payload["fields"] = draft.fields
    return payload
