"""What has been ingested: one row per document, its content hash and live version."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from assistant.data_dir import create_private_file


@dataclass(frozen=True)
class ManifestEntry:
    doc_id: str
    source: str
    path: str
    content_hash: str
    version: str
    title: str
    chunks: int


class Manifest:
    """A small SQLite table beside the index; the index stays the source of truth for content."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private_file(path)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS documents (doc_id TEXT PRIMARY KEY, source TEXT, path TEXT,"
            " content_hash TEXT, version TEXT, title TEXT, chunks INTEGER,"
            " ingested_at TEXT DEFAULT CURRENT_TIMESTAMP)"
        )

    def get(self, doc_id: str) -> ManifestEntry | None:
        with self._lock:
            row = self._db.execute(
                "SELECT doc_id, source, path, content_hash, version, title, chunks FROM documents WHERE doc_id=?",
                (doc_id,),
            ).fetchone()
        return ManifestEntry(*row) if row else None

    def put(self, entry: ManifestEntry) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO documents (doc_id, source, path, content_hash, version, title, chunks)"
                " VALUES (?,?,?,?,?,?,?)",
                (
                    entry.doc_id,
                    entry.source,
                    entry.path,
                    entry.content_hash,
                    entry.version,
                    entry.title,
                    entry.chunks,
                ),
            )

    def remove(self, doc_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))

    def all(self) -> list[ManifestEntry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_id, source, path, content_hash, version, title, chunks FROM documents ORDER BY source"
            ).fetchall()
        return [ManifestEntry(*r) for r in rows]

    def clear(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM documents")

    def close(self) -> None:
        self._db.close()
