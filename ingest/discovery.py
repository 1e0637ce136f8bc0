"""Which files a batch holds, where each one's metadata comes from, and its `source` name."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.metadata import is_metadata_file, metadata_files


@dataclass
class SourceFile:
    path: Path
    root: Path
    source: str  # the path relative to the folder that was ingested: what users see as the source
    meta_files: list[Path] = field(default_factory=list)
    error: str | None = None


def _source_file(path: Path, root: Path) -> SourceFile:
    src = SourceFile(
        path=path, root=root, source=path.relative_to(root).as_posix(), meta_files=metadata_files(path, root)
    )
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        supported = " ".join(sorted(SUPPORTED_SUFFIXES))
        src.error = f"{src.source}: unsupported format '{path.suffix or '(none)'}' (supported: {supported})"
    return src


def discover(paths: list[Path]) -> tuple[list[SourceFile], list[Path]]:
    """Every document under the given files and folders (hidden files and metadata files skipped)."""
    sources: list[SourceFile] = []
    missing: list[Path] = []
    for given in paths:
        path = given.resolve()
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = file.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or is_metadata_file(file):
                    continue
                sources.append(_source_file(file, path))
        elif path.is_file():
            if not is_metadata_file(path):
                sources.append(_source_file(path, path.parent))
        else:
            missing.append(given)
    return sources, missing


def requested_folders(paths: list[Path]) -> list[Path]:
    return [p.resolve() for p in paths if p.is_dir()]
