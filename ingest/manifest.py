"""What has been ingested: one row per document, its content hash and live version.

The embedded index keeps it in a file beside the shard; a server collection keeps it in the
database, so every worker writing to the collection sees what any of them ingested.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import ColumnElement, Engine, delete, select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.data_dir import create_private_file
from assistant.db.models import ManifestRow, utcnow


@dataclass(frozen=True)
class ManifestEntry:
    doc_id: str
    source: str
    path: str
    content_hash: str
    version: str
    title: str
    chunks: int


class ManifestStore(Protocol):
    def get(self, doc_id: str) -> ManifestEntry | None: ...

    def put(self, entry: ManifestEntry) -> None: ...

    def remove(self, doc_id: str) -> None: ...

    def all(self) -> list[ManifestEntry]: ...

    def clear(self) -> None: ...

    def close(self) -> None: ...


def build_manifest(settings: Settings, engine: Engine) -> ManifestStore:
    """The file beside the embedded shard; the shared database for a server collection.

    A server collection's older file manifest (`manifest-{collection}.db`) is copied in once.
    """
    if not settings.qdrant_url:
        return Manifest(settings.manifest_path)
    shared = DatabaseManifest(engine, settings.qdrant_collection)
    if settings.manifest_path.exists() and not shared.all():
        old = Manifest(settings.manifest_path)
        for entry in old.all():
            shared.put(entry)
        old.close()
    return shared


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


class DatabaseManifest:
    """The manifest of one server collection, in the shared database (ingest jobs run one at a time)."""

    def __init__(self, engine: Engine, collection: str) -> None:
        self.engine, self.collection = engine, collection

    def get(self, doc_id: str) -> ManifestEntry | None:
        with Session(self.engine) as session:
            row = session.get(ManifestRow, (self.collection, doc_id))
            return _entry(row) if row else None

    def put(self, entry: ManifestEntry) -> None:
        with Session(self.engine) as session:
            session.merge(ManifestRow(collection=self.collection, ingested_at=utcnow(), **asdict(entry)))
            session.commit()

    def remove(self, doc_id: str) -> None:
        self._delete(ManifestRow.doc_id == doc_id)

    def all(self) -> list[ManifestEntry]:
        query = (
            select(ManifestRow).where(ManifestRow.collection == self.collection).order_by(ManifestRow.source)
        )
        with Session(self.engine) as session:
            return [_entry(row) for row in session.scalars(query)]

    def clear(self) -> None:
        self._delete()

    def close(self) -> None:
        """The engine belongs to the services."""

    def _delete(self, *where: ColumnElement[bool]) -> None:
        with Session(self.engine) as session:
            session.execute(delete(ManifestRow).where(ManifestRow.collection == self.collection, *where))
            session.commit()


def _entry(row: ManifestRow) -> ManifestEntry:
    return ManifestEntry(
        row.doc_id, row.source, row.path, row.content_hash, row.version, row.title, row.chunks
    )
