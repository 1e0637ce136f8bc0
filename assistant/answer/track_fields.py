"""Talk-track fields of a chunk (situation, stage, persona, industry, competitor, script, proof
points) from front matter or table columns named in Chinese or English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

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
_LIST_SPLIT = re.compile(r"[；;\n]|(?<=。)")


def column_key(name: str) -> str:
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
        field = _COLUMN_FIELD.get(column_key(column))
        if field and value:
            fields[field] = value
    fields["proof_points"] = _proof_list(fields.get("proof_points"))
    return fields
