"""The knowledge base's glossary of a server collection, in the shared database: ingest on one worker
records it, every replica's search reads it."""

from __future__ import annotations

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.models import GlossaryFolderRow, utcnow
from assistant.text.glossary import CurrentGlossary, GlossaryJson, GlossaryStore

# How stale a replica's glossary may be: it asks the database for the collection's revision at most
# this often (one indexed MAX per check), not once per question.
CHECK_EVERY_S = 2.0


class DatabaseGlossary:
    """Each folder's glossary groups for one collection, one row per folder."""

    def __init__(self, engine: Engine, collection: str) -> None:
        self.engine, self.collection = engine, collection

    def stamp(self) -> object:
        """The collection's highest revision (None before the first record)."""
        with Session(self.engine) as session:
            return session.scalar(self._max_revision())

    def folders(self) -> dict[str, list[list[str]]]:
        query = (
            select(GlossaryFolderRow)
            .where(GlossaryFolderRow.collection == self.collection)
            .order_by(GlossaryFolderRow.folder)
        )
        with Session(self.engine) as session:
            return {row.folder: row.groups for row in session.scalars(query) if row.groups}

    def record(self, folder: str, groups: list[list[str]]) -> None:
        """A folder left without a glossary keeps an empty row: its revision tells replicas to drop it."""
        with Session(self.engine) as session:
            revision = (session.scalar(self._max_revision()) or 0) + 1
            row = GlossaryFolderRow(
                collection=self.collection,
                folder=folder,
                groups=groups,
                revision=revision,
                updated_at=utcnow(),
            )
            session.merge(row)
            session.commit()

    def _max_revision(self) -> Select[int]:
        return select(func.max(GlossaryFolderRow.revision)).where(
            GlossaryFolderRow.collection == self.collection
        )


def build_glossary(settings: Settings, engine: Engine) -> CurrentGlossary:
    """The file beside the embedded shard; the shared database for a server collection.

    A server collection's older glossary file (`glossary-{collection}.json`) is copied in once.
    """
    if not settings.qdrant_url:
        return CurrentGlossary(GlossaryJson(settings.glossary_path))
    shared: GlossaryStore = DatabaseGlossary(engine, settings.qdrant_collection)
    if settings.glossary_path.exists() and shared.stamp() is None:
        for folder, groups in GlossaryJson(settings.glossary_path).folders().items():
            shared.record(folder, groups)
    return CurrentGlossary(shared, CHECK_EVERY_S)
