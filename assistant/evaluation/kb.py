"""A knowledge base ingested for evaluation: built once per (content, embedder), copied fresh per run."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.embedding import Embedder
from assistant.services import Services, build_services
from ingest.pipeline import PIPELINE_VERSION
from ingest.report import IngestOptions

COMPLETE = "complete.json"


def kb_fingerprint(kb: Path, overrides: dict[str, Any], embedder: Embedder, settings: Settings) -> str:
    """Everything that changes the built index: file names and bytes, ingest overrides, model, chunking."""
    h = hashlib.sha256()
    for path in sorted(p for p in kb.rglob("*") if p.is_file()):
        h.update(path.relative_to(kb).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(json.dumps(overrides, sort_keys=True).encode())
    h.update(f"{embedder.model_id}|{settings.chunk_size}|{settings.chunk_overlap}".encode())
    h.update(PIPELINE_VERSION.encode())
    return h.hexdigest()[:16]


def eval_settings(settings: Settings, data_dir: Path) -> Settings:
    """The caller's settings on a private data dir: embedded index, fresh SQLite, nothing shared."""
    return settings.model_copy(update={"data_dir": data_dir, "qdrant_url": None, "database_url": None})


def build_cached_kb(
    settings: Settings, kb: Path, overrides: dict[str, Any], embedder: Embedder, log: Callable[[str], None]
) -> Path:
    """The cache folder holding `kb` ingested; built (minutes, real embedder) only when missing."""
    cache = (
        settings.data_dir / "eval-cache" / f"{kb.name}-{kb_fingerprint(kb, overrides, embedder, settings)}"
    )
    if (cache / COMPLETE).exists():
        log(f"using cached index {cache}")
        return cache
    log(f"ingesting {kb} into {cache} with {embedder.model_id} (cold cache: this takes minutes)")
    cache.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=cache.parent))
    services = build_services(eval_settings(settings, building), embedder)
    try:
        report = services.ingest.ingest([kb], IngestOptions(dict(overrides)))
    finally:
        services.close()
    if report.failed:
        log(f"warning: {len(report.failed)} file(s) failed to ingest: {report.failed}")
    (building / COMPLETE).write_text(json.dumps(report.as_dict(), ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(cache, ignore_errors=True)
    building.rename(cache)
    return cache


def open_kb(settings: Settings, cache: Path, embedder: Embedder) -> tuple[Services, Path]:
    """Services over a throwaway copy of the cached index, so answers and audit rows never pile up."""
    workdir = Path(tempfile.mkdtemp(prefix="assistant-eval-"))
    shutil.copytree(cache, workdir, dirs_exist_ok=True)
    for stale in workdir.glob("assistant.db*"):
        stale.unlink()
    return build_services(eval_settings(settings, workdir), embedder), workdir
