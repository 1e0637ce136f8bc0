"""The ingest manifest of a server collection lives in the shared database, on both databases."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from assistant.config import Settings
from assistant.db import build_engine
from ingest.manifest import DatabaseManifest, Manifest, ManifestEntry, build_manifest


def _entry(doc_id: str, digest: str = "h1") -> ManifestEntry:
    return ManifestEntry(doc_id, f"kb/{doc_id}.md", f"/srv/kb/{doc_id}.md", digest, "v1", doc_id.title(), 3)


def test_entries_are_kept_replaced_and_removed(engine: Engine) -> None:
    manifest = DatabaseManifest(engine, "sales_kb")
    manifest.put(_entry("beta"))
    manifest.put(_entry("alpha"))
    manifest.put(_entry("beta", digest="h2"))  # a changed file replaces its entry
    assert manifest.get("beta") == _entry("beta", digest="h2")
    assert [e.doc_id for e in manifest.all()] == ["alpha", "beta"]
    manifest.remove("alpha")
    assert manifest.get("alpha") is None and len(manifest.all()) == 1


def test_each_collection_has_its_own_manifest(engine: Engine) -> None:
    sales, support = DatabaseManifest(engine, "sales_kb"), DatabaseManifest(engine, "support_kb")
    sales.put(_entry("alpha"))
    support.put(_entry("other"))
    sales.clear()
    assert sales.all() == [] and support.get("other") == _entry("other")


def test_a_second_worker_sees_what_the_first_ingested(database_url: str, engine: Engine) -> None:
    DatabaseManifest(engine, "sales_kb").put(_entry("alpha"))
    elsewhere = build_engine(database_url)  # another process, another machine
    assert DatabaseManifest(elsewhere, "sales_kb").get("alpha") == _entry("alpha")
    elsewhere.dispose()


def test_server_mode_copies_an_older_file_manifest_in_once(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, qdrant_url="http://qdrant:6333")  # type: ignore[call-arg]
    old = Manifest(settings.manifest_path)
    old.put(_entry("alpha"))
    old.close()
    shared = build_manifest(settings, engine)
    assert isinstance(shared, DatabaseManifest) and shared.get("alpha") == _entry("alpha")
    shared.remove("alpha")
    shared.put(_entry("beta"))
    assert build_manifest(settings, engine).get("alpha") is None  # not copied again


def test_the_embedded_index_keeps_its_file(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    manifest = build_manifest(settings, engine)
    assert isinstance(manifest, Manifest)
    manifest.close()
