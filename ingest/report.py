"""What an ingest is asked to do (`IngestOptions`) and what it did (`IngestReport`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[str, int, int], None]  # (source, done, total)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pending_review: list[str] = field(default_factory=list)  # staged: live once a second curator approves
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "pending_review": self.pending_review,
            "failed": [{"source": s, "error": e} for s, e in self.failed],
            "chunks": self.chunks,
        }


@dataclass
class IngestOptions:
    overrides: dict[str, Any] = field(default_factory=dict)  # --access-level, --group, --doc-type
    sync: bool = False
    reindex: bool = False
    # Who is behind this ingest (CLI `--as NAME`, or the API token's user); recorded in each version.
    submitted_by: str = "cli"
    # Stage again a document whose last version was rejected, though its file did not change.
    resubmit: bool = False
