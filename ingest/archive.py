"""Archiving stale documents: unverified and uncited for N days -> queued; a week later archived.

Archived documents are never in answers (their chunks are not live), stay readable to whoever may
read them through their versions, and come back with one restore.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.db import AnswerStore
from assistant.db.versions import VersionStore
from assistant.index import VectorIndex
from assistant.index.schema import is_unverified
from ingest.lifecycle import ARCHIVE_QUEUED, SYSTEM, DocumentLifecycle

ARCHIVE_GRACE_DAYS = 7
REPORT_FIELDS = ("doc_id", "source", "title", "version", "archived_at", "archived_by", "state_now")


@dataclass
class ArchiveReport:
    queued: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)


class Archiver:
    def __init__(
        self,
        lifecycle: DocumentLifecycle,
        index: VectorIndex,
        answers: AnswerStore,
        after_days: int = 180,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.lifecycle, self.index, self.answers = lifecycle, index, answers
        self.after_days = after_days
        self.today = today

    def run(self) -> ArchiveReport:
        """Queue what went stale; archive what stayed stale through the grace week."""
        today, report = self.today(), ArchiveReport()
        window = dt.timedelta(days=self.after_days)
        cited = self.answers.cited_since(dt.datetime.now(dt.UTC) - window)
        for payload in self.index.documents(SYSTEM):
            doc_id, source = str(payload.get("doc_id")), str(payload.get("source"))
            if doc_id in cited or not is_unverified(payload, today - window):
                continue
            queued = payload.get(ARCHIVE_QUEUED)
            if not queued:
                self.index.update_document(doc_id, {ARCHIVE_QUEUED: today.isoformat()})
                report.queued.append(source)
            elif dt.date.fromisoformat(str(queued)) + dt.timedelta(days=ARCHIVE_GRACE_DAYS) <= today:
                self.lifecycle.archive(doc_id, "lifecycle")
                report.archived.append(source)
        return report


def quarter_bounds(quarter: str) -> tuple[dt.datetime, dt.datetime]:
    """ "2026Q4" -> its first instant and the next quarter's (UTC); ValueError for anything else."""
    year, _, q = quarter.upper().partition("Q")
    if not (year.isdigit() and q in ("1", "2", "3", "4")):
        raise ValueError(f"quarter must look like 2026Q4, not {quarter!r}")
    start = dt.datetime(int(year), 3 * int(q) - 2, 1, tzinfo=dt.UTC)
    end = dt.datetime(int(year) + (q == "4"), 1 if q == "4" else 3 * int(q) + 1, 1, tzinfo=dt.UTC)
    return start, end


def archive_report(store: VersionStore, quarter: str) -> list[dict[str, Any]]:
    """Documents archived in a quarter, and whether they are still archived now."""
    rows = []
    for version in store.by_action("archive", *quarter_bounds(quarter)):
        current = store.current(version.doc_id)
        values = (
            version.doc_id, version.source, version.title, version.number,
            version.created_at.isoformat(), version.submitted_by, current.state if current else "",
        )  # fmt: skip
        rows.append(dict(zip(REPORT_FIELDS, values, strict=True)))
    return rows
