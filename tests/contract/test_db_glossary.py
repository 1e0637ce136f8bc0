"""The glossary of a server collection lives in the shared database, on both databases: what one
worker's ingest records, every replica reads."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from assistant.config import Settings
from assistant.db import build_engine
from assistant.db.glossary import DatabaseGlossary, build_glossary
from assistant.text.glossary import CurrentGlossary, Glossary, GlossaryJson

SIGNING = [["电签", "电子签章"]]
FAIR = [["年会", "annual meeting"]]


def test_each_folder_is_kept_replaced_and_emptied(engine: Engine) -> None:
    store = DatabaseGlossary(engine, "sales_kb")
    assert store.stamp() is None and store.folders() == {}
    store.record("/kb/sales", SIGNING)
    store.record("/kb/hr", FAIR)
    first = store.stamp()
    store.record("/kb/sales", [["专票", "增值税专用发票"]])  # the folder's glossary changed
    assert store.folders() == {"/kb/hr": FAIR, "/kb/sales": [["专票", "增值税专用发票"]]}
    store.record("/kb/hr", [])  # the folder's glossary was deleted
    assert store.folders() == {"/kb/sales": [["专票", "增值税专用发票"]]}
    assert store.stamp() != first


def test_each_collection_has_its_own_glossary(engine: Engine) -> None:
    DatabaseGlossary(engine, "sales_kb").record("/kb", SIGNING)
    assert DatabaseGlossary(engine, "support_kb").folders() == {}


def test_a_replica_reads_what_another_recorded(database_url: str, engine: Engine) -> None:
    elsewhere = build_engine(database_url)  # another replica, another machine
    reader = CurrentGlossary(DatabaseGlossary(elsewhere, "sales_kb"))
    assert "电子签章" not in reader.current().expansions("能走电签吗")
    writer = CurrentGlossary(DatabaseGlossary(engine, "sales_kb"))
    writer.record(Path("/kb"), Glossary(SIGNING))
    assert "电子签章" in reader.current().expansions("能走电签吗")
    writer.record(Path("/kb"), Glossary())
    assert "电子签章" not in reader.current().expansions("能走电签吗")
    elsewhere.dispose()


def test_server_mode_copies_an_older_glossary_file_in_once(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, qdrant_url="http://qdrant:6333")  # type: ignore[call-arg]
    GlossaryJson(settings.glossary_path).record("/kb", SIGNING)
    shared = build_glossary(settings, engine)
    assert isinstance(shared.store, DatabaseGlossary)
    assert "电子签章" in shared.current().expansions("电签")
    shared.record(Path("/kb"), Glossary())
    assert "电子签章" not in build_glossary(settings, engine).current().expansions("电签")


def test_the_embedded_index_keeps_its_file(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    glossary = build_glossary(settings, engine)
    glossary.record(Path("/kb"), Glossary(SIGNING))
    assert isinstance(glossary.store, GlossaryJson) and settings.glossary_path.is_file()
