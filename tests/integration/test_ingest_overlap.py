"""Ingest embeds while it still parses, and writes exactly what reading everything first would."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import AccessPolicy
from assistant.config import Settings
from assistant.embedding import Embedder
from assistant.embedding.hashing import HashEmbedder
from assistant.embedding.onnx_backend import OnnxE5Embedder
from assistant.index import IndexPoint, VectorIndex
from assistant.index.edge import EdgeIndex
from assistant.index.schema import chunk_point_id
from assistant.services import build_services
from ingest.boilerplate import BoilerplateFilter
from ingest.chunking import chunk_document
from ingest.discovery import discover
from ingest.loaders import parse_file
from ingest.metadata import resolve_metadata
from ingest.payloads import doc_id_for, embedding_text
from tests.conftest import SAMPLE_KB

HEADER = "云帆科技官网 | 首页 | 产品 | 联系我们"


def sequential_points(
    kb: Path, embedder: Embedder, settings: Settings, policy: AccessPolicy
) -> list[IndexPoint]:
    """The plain order: read every file, learn the batch's boilerplate, then chunk and embed each
    document in batches of `embed_batch_size`."""
    sources, _ = discover([kb])
    parsed = [(src, parse_file(src.path)) for src in sources]
    boilerplate = BoilerplateFilter().learn([doc for _, doc in parsed])
    points = []
    for src, raw in parsed:
        doc = boilerplate.clean(raw)
        meta = resolve_metadata(src.path, src.root, {}, policy, doc.front_matter, doc)
        drafts = chunk_document(doc, meta.title, settings.chunk_size, settings.chunk_overlap)
        size = settings.embed_batch_size
        for batch in (drafts[i : i + size] for i in range(0, len(drafts), size)):
            vectors = embedder.embed_passages([embedding_text(d) for d in batch])
            points += [
                IndexPoint(chunk_point_id(doc_id_for(src.source), "1", d.n), v, None, {"text": d.text})  # type: ignore[arg-type]
                for d, v in zip(batch, vectors, strict=True)
            ]
    return points


def stored(index: VectorIndex) -> dict[str, tuple[list[float], str]]:
    """Chunk id -> (dense vector, text), read back from the index (not its model record)."""
    return {p.id: (p.dense, p.payload["text"]) for p in index._points(None, 10_000) if "text" in p.payload}


def assert_same_as_sequential(kb: Path, embedder: Embedder, settings: Settings, policy: AccessPolicy) -> None:
    services = build_services(settings, embedder=embedder)
    try:
        report = services.ingest.ingest([kb])
        assert report.ok and report.added == [src.source for src in discover([kb])[0]]
        got = stored(services.index)
    finally:
        services.close()
    # The reference goes through a second index too, so both sets of vectors are stored the same way.
    reference = EdgeIndex(settings.data_dir / "reference", policy)
    reference.create(embedder.dim)
    for point in sequential_points(kb, embedder, settings, policy):
        reference.upsert(
            [IndexPoint(point.id, point.dense, services.ingest.encoder.document(""), point.payload)]
        )
    expected = stored(reference)
    reference.close()
    assert report.chunks == len(expected) == len(got)
    assert got == expected


def test_sample_kb_chunks_are_those_of_reading_everything_first(
    settings: Settings, policy: AccessPolicy
) -> None:
    assert_same_as_sequential(SAMPLE_KB, HashEmbedder(), settings, policy)


@pytest.fixture(scope="module")
def onnx() -> OnnxE5Embedder:
    return OnnxE5Embedder(threads=2)


def test_vectors_are_bit_identical_even_when_boilerplate_is_learned_late(
    onnx: OnnxE5Embedder, settings: Settings, policy: AccessPolicy, tmp_path: Path
) -> None:
    """The site header is only known to be boilerplate after the second page is read: the first
    page's chunks, embedded early with it, are embedded again without it. Vectors are compared bit
    for bit with the ONNX embedder, whose results depend on the batch a text is embedded in."""
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "prices.csv").write_text(
        "产品,价格\n云帆CRM 标准版,每用户每年 1200 元\n云帆BI,每用户每年 900 元\n", "utf-8"
    )
    topics = ["报价审批流程", "私有化部署要求", "续约折扣规则", "实施周期说明"]
    for n, topic in enumerate(topics):
        body = "".join(f"关于{topic}的第{k}条说明：请与区域销售总监确认细节。" for k in range(30))
        (kb / f"page{n}.md").write_text(f"{HEADER}\n\n# {topic}\n\n{body}\n", "utf-8")
    assert_same_as_sequential(kb, onnx, settings, policy)
    services = build_services(settings.model_copy(update={"data_dir": tmp_path / "again"}), embedder=onnx)
    try:
        services.ingest.ingest([kb])
        texts = [text for _, text in stored(services.index).values()]
    finally:
        services.close()
    assert texts and not any("云帆科技官网" in t for t in texts), "the header was dropped from every page"
