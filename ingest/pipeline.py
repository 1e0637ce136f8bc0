"""Files -> chunks -> embeddings -> the index: incremental, per-document atomic, nothing lost."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.access import AccessPolicy
from assistant.embedding import Embedder
from assistant.index import IndexPoint, VectorIndex
from assistant.index.schema import chunk_point_id
from assistant.index.sparse import Bm25Encoder
from assistant.text.glossary import GLOSSARY_FILE, CurrentGlossary, Glossary, GlossaryError
from assistant.text.normalize import normalize_for_matching
from ingest.boilerplate import BoilerplateFilter
from ingest.chunking import ChunkDraft, chunk_document
from ingest.discovery import SourceFile, discover, requested_folders
from ingest.errors import IngestError
from ingest.lifecycle import DocumentLifecycle, VersionDraft
from ingest.loaders import ParsedDocument
from ingest.manifest import ManifestEntry, ManifestStore
from ingest.metadata import DocumentMeta, resolve_metadata
from ingest.parser_process import ParsedFiles
from ingest.payloads import chunk_payload, doc_id_for, document_payload, embedding_text
from ingest.prefetch import EmbeddingPrefetch
from ingest.report import IngestOptions, IngestReport, Progress

# Bump when parsing/chunking changes so every document is re-read once.
PIPELINE_VERSION = "2"


@dataclass
class _Change:
    """A new or changed file on its way into the index."""

    src: SourceFile
    digest: str
    existed: bool  # replaces an earlier version (reported as updated, not added)

    @property
    def doc_id(self) -> str:
        return doc_id_for(self.src.source)


def _content_hash(src: SourceFile, options: IngestOptions, model_id: str) -> str:
    h = hashlib.sha256()
    h.update(src.path.read_bytes())
    for meta_file in src.meta_files:
        h.update(meta_file.read_bytes())
    h.update(json.dumps(options.overrides, sort_keys=True, default=str).encode())
    h.update(f"{PIPELINE_VERSION}|{model_id}".encode())
    return h.hexdigest()


class IngestService:
    """One ingest at a time per process; readers keep seeing the previous version until a document is done."""

    def __init__(
        self,
        index: VectorIndex,
        embedder: Embedder,
        manifest: ManifestStore,
        policy: AccessPolicy,
        lifecycle: DocumentLifecycle,
        review_required: bool = False,
        verify_every: dict[str, int] | None = None,
        chunk_size: int = 450,
        chunk_overlap: int = 80,
        ocr_languages: str = "chi_sim+eng",
        encoder: Bm25Encoder | None = None,
        embed_batch: int = 16,
        glossary: CurrentGlossary | None = None,
        *,
        parse_timeout_s: float,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.manifest = manifest
        self.policy = policy
        self.lifecycle = lifecycle
        self.review_required = review_required  # the whole KB (ASSISTANT_REVIEW_REQUIRED)
        self.verify_every = verify_every or {}  # days per doc_type when the metadata says none
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self.ocr_languages = ocr_languages
        self.encoder = encoder or Bm25Encoder()
        self.embed_batch = embed_batch
        self.glossary = glossary  # where search reads the folders' `_glossary.yaml`, merged
        self.parse_timeout_s = parse_timeout_s  # a file that takes longer fails; the others go on
        self._lock = threading.Lock()

    def ingest(
        self, paths: Iterable[Path], options: IngestOptions | None = None, progress: Progress | None = None
    ) -> IngestReport:
        options = options or IngestOptions()
        with self._lock:
            if options.reindex:
                self.index.reset()
                self.manifest.clear()
            self.index.check_model(self.embedder.model_id, self.embedder.dim)  # before reading anything
            report = IngestReport()
            path_list = [Path(p) for p in paths]
            sources, missing = discover(path_list)
            report.failed.extend((str(p), "no such file or directory") for p in missing)
            self._record_glossaries(requested_folders(path_list), report)
            todo = self._changed(sources, options, report)
            started = time.perf_counter()
            embeddings = EmbeddingPrefetch(self.embedder)
            reading = _reading_progress(todo, embeddings, progress, started)
            paths = [c.src.path for c in todo]
            with (
                embeddings,
                ParsedFiles(paths, self.ocr_languages, self.parse_timeout_s, reading) as reader,
                ThreadPoolExecutor(1, thread_name_prefix="ingest-index") as setup,
            ):
                # While the first files are read and embedded: the index schema (disk syncs, a second
                # on a new index), leftovers of a crash mid-ingest, the BM25 tokenizer's dictionaries.
                prepared = setup.submit(self._prepare_index)
                parsed = self._read_all(todo, reader, embeddings, options, report)
                prepared.result()
                self._write_all(parsed, embeddings, options, report, progress, started)
            if options.sync:
                self._sync(sources, requested_folders(path_list), report, options.submitted_by)
            self.index.flush()
            if report.chunks or report.removed:
                # The embedded engine builds its search index and vacuums deleted versions only when
                # asked (no background optimiser): without this a big KB is searched by full scan.
                self.index.optimize()
            return report

    def _prepare_index(self) -> None:
        self.encoder.load()  # first: this process has little else to do before the first file is read
        self.index.ensure_model(self.embedder.model_id, self.embedder.dim)
        self.index.delete_pending()

    def _changed(
        self, sources: list[SourceFile], options: IngestOptions, report: IngestReport
    ) -> list[_Change]:
        todo = []
        for src in sources:
            if src.error:
                report.failed.append((src.source, src.error))
                continue
            digest = _content_hash(src, options, self.embedder.model_id)
            known = self.manifest.get(doc_id_for(src.source))
            again = options.resubmit and self.lifecycle.last_rejected(doc_id_for(src.source))
            if known and known.content_hash == digest and not again:
                report.unchanged.append(src.source)
            else:
                todo.append(_Change(src, digest, existed=known is not None))
        return todo

    def _read_all(
        self,
        todo: list[_Change],
        reader: ParsedFiles,
        embeddings: EmbeddingPrefetch,
        options: IngestOptions,
        report: IngestReport,
    ) -> list[tuple[_Change, ParsedDocument]]:
        """Every file parsed (in `todo` order); each one's chunks embedded as soon as it is read, with
        the boilerplate known so far, so embedding overlaps parsing."""
        outcomes: dict[int, ParsedDocument | str] = {}
        boilerplate = BoilerplateFilter()
        for i, outcome in reader:
            outcomes[i] = outcome
            if isinstance(outcome, str):
                continue
            boilerplate.count(outcome)
            boilerplate.settle(units_to_come=len(todo) - len(outcomes))
            try:
                drafts = self._drafts(todo[i], boilerplate.clean(outcome), options)[1]
            except IngestError:
                continue  # reported when the document is written
            for batch in self._batches(drafts):
                embeddings.ahead([embedding_text(d) for d in batch])
        parsed = []
        for i, change in enumerate(todo):
            outcome = outcomes[i]
            if isinstance(outcome, str):
                report.failed.append((change.src.source, outcome))
            else:
                parsed.append((change, outcome))
        return parsed

    def _drafts(
        self, change: _Change, doc: ParsedDocument, options: IngestOptions
    ) -> tuple[DocumentMeta, list[ChunkDraft]]:
        src = change.src
        meta = resolve_metadata(src.path, src.root, options.overrides, self.policy, doc.front_matter, doc)
        return meta, chunk_document(doc, meta.title, self.chunk_size, self.chunk_overlap)

    def _batches(self, drafts: list[ChunkDraft]) -> list[list[ChunkDraft]]:
        return [drafts[start : start + self.embed_batch] for start in range(0, len(drafts), self.embed_batch)]

    def _write_all(
        self,
        parsed: list[tuple[_Change, ParsedDocument]],
        embeddings: EmbeddingPrefetch,
        options: IngestOptions,
        report: IngestReport,
        progress: Progress | None,
        started: float,
    ) -> None:
        boilerplate = BoilerplateFilter().learn([doc for _, doc in parsed])
        for i, (change, doc) in enumerate(parsed):
            src = change.src
            if progress:
                rate = report.chunks / max(time.perf_counter() - started, 1e-9)
                progress(f"{rate:.1f} chunks/s, indexing {src.source}", i, len(parsed))
            try:
                doc = boilerplate.clean(doc)
                meta, drafts = self._drafts(change, doc, options)
                draft = self._write_document(change, doc, meta, drafts, embeddings, options.submitted_by)
            except IngestError as exc:
                report.failed.append((src.source, str(exc)))
                continue
            needs_review = (self.review_required or meta.review == "required") and not options.reindex
            version = self.lifecycle.record(draft, needs_review)
            (report.updated if change.existed else report.added).append(src.source)
            if needs_review:
                report.pending_review.append(src.source)
            report.chunks += draft.chunks
            self.manifest.put(
                ManifestEntry(
                    change.doc_id, src.source, str(src.path), change.digest, str(version.number), meta.title,
                    draft.chunks,
                )
            )  # fmt: skip

    def _write_document(
        self,
        change: _Change,
        doc: ParsedDocument,
        meta: DocumentMeta,
        drafts: list[ChunkDraft],
        embeddings: EmbeddingPrefetch,
        submitted_by: str,
    ) -> VersionDraft:
        """Write a new version's chunks, all pending: nothing is searchable until the lifecycle says."""
        if not drafts:
            raise IngestError(
                f"{change.src.source}: no text found (empty document, or a scan OCR could not read)"
            )
        doc_id = change.doc_id
        number = self.lifecycle.next_number(doc_id)
        version = str(number)
        self.index.discard(doc_id, version)  # a crash between publishing and recording left it
        base = document_payload(meta, change.src.source, doc_id, version)
        base["verify_every"] = meta.verify_every or self.verify_every.get(meta.doc_type)
        base["verified_at"] = dt.date.today().isoformat()  # a new version is checked by whoever wrote it
        for batch in self._batches(drafts):
            texts = [embedding_text(d) for d in batch]
            dense = embeddings.vectors(texts)
            points = [
                IndexPoint(
                    id=chunk_point_id(doc_id, version, d.n),
                    dense=vec,
                    sparse=self.encoder.document(text),
                    payload={**base, **chunk_payload(d)},
                )
                for d, text, vec in zip(batch, texts, dense, strict=True)
            ]
            self.index.upsert(points)
        access = {"access_level": base["access_level"], "groups": base["groups"]}
        return VersionDraft(
            doc_id, number, change.digest, change.src.source, meta.title, access, doc.text, len(drafts),
            submitted_by,
        )  # fmt: skip

    def index_record(
        self, doc_id: str, version: str, meta: DocumentMeta, text: str, match_text: str, extra: dict[str, Any]
    ) -> None:
        """A one-chunk document from the database (a curated answer): the same access stamping, written
        pending and published; its dense vector is `match_text` embedded as a query, so questions of
        the same meaning land close to it."""
        with self._lock:
            self.index.ensure_model(self.embedder.model_id, self.embedder.dim)
            base = document_payload(meta, f"{meta.doc_type}/{doc_id}", doc_id, version)
            text_norm = normalize_for_matching(text)
            point = IndexPoint(
                id=chunk_point_id(doc_id, version, 0),
                dense=self.embedder.embed_query(normalize_for_matching(match_text)),
                sparse=self.encoder.document(normalize_for_matching(match_text) + "\n" + text_norm),
                payload={
                    **base,
                    **extra,
                    "n": 0,
                    "text": text,
                    "text_norm": text_norm,
                    "title_path": [meta.title],
                },
            )
            self.index.upsert([point])
            self.index.publish(doc_id, version)
            self.index.flush()

    def _record_glossaries(self, folders: list[Path], report: IngestReport) -> None:
        """Each ingested folder's `_glossary.yaml` files replace what that folder had in the glossary."""
        if self.glossary is None:
            return
        for folder in folders:
            try:
                self.glossary.record(folder, Glossary.of_folder(folder))
            except (GlossaryError, yaml.YAMLError) as exc:
                report.failed.append((str(folder / GLOSSARY_FILE), f"glossary not read: {exc}"))

    def _sync(self, sources: list[SourceFile], roots: list[Path], report: IngestReport, by: str) -> None:
        """Documents under the given folders whose files are gone get a "removed" version."""
        seen = {doc_id_for(src.source) for src in sources}
        for entry in self.manifest.all():
            path = Path(entry.path).resolve()
            under_root = any(root in path.parents for root in roots)
            if entry.doc_id not in seen and under_root and not path.exists():
                self.lifecycle.remove(entry.doc_id, entry.source, by)
                self.manifest.remove(entry.doc_id)
                report.removed.append(entry.source)


def _reading_progress(
    todo: list[_Change], embeddings: EmbeddingPrefetch, progress: Progress | None, started: float
) -> Callable[[int], None]:
    """Progress as the parser starts each file: one that takes long is named while it does."""
    files_read = itertools.count()

    def reading(i: int) -> None:
        if progress:
            rate = embeddings.embedded / max(time.perf_counter() - started, 1e-9)
            progress(f"{rate:.1f} chunks/s, reading {todo[i].src.source}", next(files_read), len(todo))

    return reading
