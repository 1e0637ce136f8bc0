"""Talk tracks: structured fields from front matter or table columns, ranked by meaning, fit and votes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.answer.citations import to_citation
from assistant.answer.models import TalkTrack, TalkTrackRequest
from assistant.retrieval.search import RetrievedChunk
from assistant.text.normalize import normalize_for_matching

FIELDS = ("situation", "stage", "persona", "industry", "competitor", "script", "proof_points")
# Column names (normalised: Simplified, lower case, no spaces/underscores) -> field.
_COLUMNS = {
    "situation": ("situation", "objection", "scenario", "场景", "情境", "异议", "客户异议", "情况"),
    "stage": ("stage", "salesstage", "阶段", "销售阶段"),
    "persona": ("persona", "role", "角色", "对象", "客户角色"),
    "industry": ("industry", "行业"),
    "competitor": ("competitor", "竞品", "竞争对手"),
    "script": ("script", "talktrack", "response", "话术", "建议说法", "回应"),
    "proof_points": ("proofpoints", "proof", "evidence", "证明点", "佐证", "证据"),
}
_COLUMN_FIELD = {name: f for f, names in _COLUMNS.items() for name in names}
# How much each kind of evidence moves the score; meaning (relative RRF) is worth up to 1.
FILTER_BOOST = 0.25
FEEDBACK_WEIGHT = 0.3
_LIST_SPLIT = re.compile(r"[；;\n]|(?<=。)")


def _column_key(name: str) -> str:
    return re.sub(r"[\s_\-/]", "", normalize_for_matching(name).lower())


def _proof_list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else _LIST_SPLIT.split(str(value or ""))
    return [str(v).strip(" -•·") for v in items if str(v).strip(" -•·")]


def track_fields(chunk: RetrievedChunk) -> dict[str, Any]:
    """The talk-track fields of a chunk: table-row columns win over document front matter."""
    payload = chunk.metadata
    fields: dict[str, Any] = {f: payload.get(f) for f in FIELDS if payload.get(f)}
    if not fields.get("stage") and payload.get("sales_stage"):
        fields["stage"] = payload["sales_stage"]
    row: Mapping[str, Any] = payload.get("fields") or {}
    for column, value in row.items():
        field = _COLUMN_FIELD.get(_column_key(column))
        if field and value:
            fields[field] = value
    fields["proof_points"] = _proof_list(fields.get("proof_points"))
    return fields


def _matches(wanted: str | None, have: Any) -> bool:
    if not wanted or not have:
        return False
    a, b = _column_key(wanted), _column_key(str(have))
    return a in b or b in a


@dataclass
class _Candidate:
    chunk: RetrievedChunk
    fields: dict[str, Any]
    score: float


def _key(chunk: RetrievedChunk) -> str:
    # Front-matter tracks repeat their fields on every chunk of the document: one track per document.
    return chunk.chunk_id if chunk.metadata.get("fields") else chunk.doc_id


def rank_tracks(
    req: TalkTrackRequest, chunks: list[RetrievedChunk], votes: Mapping[str, tuple[int, int]]
) -> list[_Candidate]:
    """Best first: relative retrieval score + a boost per matching filter + net feedback."""
    top = max((c.score for c in chunks), default=0.0) or 1.0
    best: dict[str, _Candidate] = {}
    for chunk in chunks:
        fields = track_fields(chunk)
        score = chunk.score / top
        wanted = {
            "stage": req.stage,
            "industry": req.industry,
            "competitor": req.competitor,
            "persona": req.persona,
        }
        have = {**fields, "industry": fields.get("industry") or chunk.metadata.get("industry")}
        score += FILTER_BOOST * sum(_matches(w, have.get(k)) for k, w in wanted.items())
        up, down = votes.get(chunk.doc_id, (0, 0))
        score += FEEDBACK_WEIGHT * (up - down) / (up + down + 1)
        key = _key(chunk)
        if key not in best or score > best[key].score:
            best[key] = _Candidate(chunk, fields, score)
    return sorted(best.values(), key=lambda c: c.score, reverse=True)


def to_talk_track(candidate: _Candidate) -> TalkTrack:
    fields, chunk = candidate.fields, candidate.chunk
    situation = str(fields.get("situation") or "")
    context = " · ".join(
        str(fields[k]) for k in ("stage", "persona", "industry", "competitor") if fields.get(k)
    )
    when = f"{situation} ({context})" if situation and context else situation or context
    title = (
        chunk.title if not chunk.metadata.get("fields") or not situation else f"{chunk.title}: {situation}"
    )
    script = str(fields.get("script") or chunk.text)
    return TalkTrack(
        title=title,
        when_to_use=when,
        script=script,
        proof_points=list(fields["proof_points"]),
        citations=[to_citation(chunk, 1, snippet=script[:220])],
    )
