"""What the evaluation knows about each ingested document: who may read it, and its chunks' text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.access import Principal
from assistant.evaluation import metrics
from assistant.services import Services


@dataclass(frozen=True)
class DocumentView:
    source: str
    doc_id: str
    access: dict[str, Any]  # access_level and groups, as stamped at ingest
    chunks: tuple[str, ...]


def curator_principal(services: Services) -> Principal:
    """A principal that reads everything the policy has: every role that sees every level and group."""
    top = services.policy.levels[-1]
    roles = [
        name for name, role in services.policy.spec.roles.items() if top in role.levels and role.all_groups
    ]
    if not roles:
        raise ValueError("the access policy has no role that reads every level and group")
    return Principal.of("eval-curator", roles)


def load_documents(services: Services) -> dict[str, DocumentView]:
    """Every ingested document by source, read through the index with an all-seeing principal."""
    reader = curator_principal(services)
    views = {}
    for entry in services.ingest.manifest.all():
        hits = services.index.chunks_of(reader, entry.doc_id)
        if not hits:
            continue
        first = hits[0].payload
        access = {"access_level": first.get("access_level"), "groups": list(first.get("groups") or [])}
        texts = tuple(str(h.payload.get("text", "")) for h in hits)
        views[entry.source] = DocumentView(entry.source, entry.doc_id, access, texts)
    return views


def reference_contexts(views: dict[str, DocumentView], sources: list[str], facts: list[str]) -> list[str]:
    """Chunks of the expected sources that hold a key fact (all their chunks when no fact is given)."""
    wanted = [metrics.normalize(f) for f in facts]
    out: list[str] = []
    for source in sources:
        view = views.get(source)
        if view is None:
            continue
        out.extend(t for t in view.chunks if not wanted or any(w in metrics.normalize(t) for w in wanted))
    return out
