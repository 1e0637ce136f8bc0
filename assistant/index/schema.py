"""The index schema both backends share: vector names, payload indexes, the meta point."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from assistant.access import ACCESS_KEYS, FILTERABLE_KEYS

DENSE = "dense"
SPARSE = "bm25"
# Keyword payload indexes: everything a filter may touch.
KEYWORD_INDEXES = tuple(dict.fromkeys((*ACCESS_KEYS, *FILTERABLE_KEYS, "version")))
# One reserved point records which embedding model built the index. Its state is never "live",
# so no search can return it.
META_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "sales-assistant/index-meta"))
META_STATE = "meta"
# Candidates each prefetch hands to the fusion step.
PREFETCH_LIMIT = 50
RRF_K = 60
# Chunks in these languages and all the others are two groups whose dense cosines are compared only
# after calibration (see assistant/retrieval/calibration.py).
SEPARATE_LANGUAGES = ("en",)


def meta_vector(dim: int) -> list[float]:
    return [1.0] + [0.0] * (dim - 1)


def version_number(payload: dict[str, Any]) -> int | None:
    """A chunk's document version (None in an index built before versions were numbered)."""
    raw = str(payload.get("version", ""))
    return int(raw) if raw.isdigit() else None


def is_unverified(payload: dict[str, Any], today: dt.date) -> bool:
    """Past its verification interval (chunks ingested before verification existed never are)."""
    verified, every = payload.get("verified_at"), payload.get("verify_every")
    if not verified or not every:
        return False
    try:
        due = dt.date.fromisoformat(str(verified)) + dt.timedelta(days=int(every))
    except ValueError:
        return False
    return due < today


def chunk_point_id(doc_id: str, version: str, n: int) -> str:
    """The point id of a document version's n-th chunk (re-writing a version overwrites it)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{doc_id}/{version}/{n}"))
