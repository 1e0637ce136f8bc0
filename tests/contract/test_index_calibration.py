"""Dense scores calibrated per language group, on both Qdrant backends: the calibration decides which
language's nearest chunks rank first, and never widens what the principal may read."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from qdrant_client import QdrantClient

from assistant.access import AccessPolicy, Principal
from assistant.index import VectorIndex
from assistant.index.base import DenseCalibration
from assistant.index.server import ServerIndex
from assistant.index.sparse import Sparse
from assistant.retrieval.calibration import MIN_GROUP, MISSING_GROUP_S, REFRESH_S, LanguageCalibration
from tests.contract.conftest import EMBEDDER, put

REP = Principal.of("rep", ["rep"], ["east"])
NO_KEYWORDS = Sparse([], [])  # the dense side alone decides
LIFT_ENGLISH = DenseCalibration(rest=(1.0, 0.0), separate=(1.0, 10.0))
LIFT_CHINESE = DenseCalibration(rest=(1.0, 10.0), separate=(1.0, 0.0))


def _fill(index: VectorIndex) -> None:
    for n in range(MIN_GROUP):
        put(index, f"zh-{n}", [f"第{n}份中文资料 价格与审批"], language="zh-Hans")
        put(index, f"en-{n}", [f"English note number {n} on prices"], language="en")


def _first(index: VectorIndex, calibration: DenseCalibration | None, who: Principal = REP) -> str:
    vector = EMBEDDER.embed_query("价格")
    hits = index.search(who, vector, NO_KEYWORDS, 5, calibration=calibration)
    return str(hits[0].payload["doc_id"])


def test_the_calibration_decides_between_languages(index: VectorIndex) -> None:
    _fill(index)
    assert _first(index, LIFT_ENGLISH).startswith("en-")
    assert _first(index, LIFT_CHINESE).startswith("zh-")


def test_a_calibrated_search_keeps_the_access_filter(index: VectorIndex) -> None:
    _fill(index)
    put(index, "secret-en", ["Confidential floor prices"], language="en", access_level="confidential")
    hits = index.search(REP, EMBEDDER.embed_query("floor prices"), NO_KEYWORDS, 20, calibration=LIFT_ENGLISH)
    assert hits and "secret-en" not in {h.payload["doc_id"] for h in hits}


def test_each_group_is_centred_on_its_own_mean(index: VectorIndex) -> None:
    """After calibration a group's average chunk scores 0, whatever its language's bias."""
    _fill(index)
    query = EMBEDDER.embed_query("价格")
    calibration = LanguageCalibration(index).for_query(query)
    assert calibration is not None
    for separate, (scale, offset) in ((False, calibration.rest), (True, calibration.separate)):
        cosines = [
            sum(a * b for a, b in zip(query, v, strict=True)) for v in index.dense_sample(separate, 100)
        ]
        assert sum(c * scale + offset for c in cosines) / len(cosines) == pytest.approx(0.0, abs=1e-6)


def test_a_one_language_index_is_not_calibrated(index: VectorIndex) -> None:
    for n in range(MIN_GROUP + 2):
        put(index, f"zh-{n}", [f"第{n}份中文资料"], language="zh-Hans")
    assert LanguageCalibration(index).for_query(EMBEDDER.embed_query("资料")) is None


def test_english_documents_ingested_here_are_calibrated_at_the_next_question(index: VectorIndex) -> None:
    """A service asked before its first English documents were ingested calibrates as soon as they
    are live, not REFRESH_S later."""
    for n in range(MIN_GROUP):
        put(index, f"zh-{n}", [f"第{n}份中文资料"], language="zh-Hans")
    calibration = LanguageCalibration(index, clock=lambda: 0.0)
    query = EMBEDDER.embed_query("资料")
    assert calibration.for_query(query) is None
    for n in range(MIN_GROUP):
        put(index, f"en-{n}", [f"English note {n}"], language="en")
    assert calibration.for_query(query) is not None


def test_a_missing_group_written_by_another_process_is_looked_for_again_soon(policy: AccessPolicy) -> None:
    """Another replica's ingest is not seen as a change here: while English is missing, the statistics
    are taken again after MISSING_GROUP_S (in the background), not REFRESH_S."""
    client = QdrantClient(location=":memory:")
    writer, reader = ServerIndex(client, "kb", policy), ServerIndex(client, "kb", policy)
    writer.ensure_model(EMBEDDER.model_id, EMBEDDER.dim)
    now = [0.0]
    for n in range(MIN_GROUP):
        put(writer, f"zh-{n}", [f"第{n}份中文资料"], language="zh-Hans")
    calibration = LanguageCalibration(reader, clock=lambda: now[0])
    query = EMBEDDER.embed_query("资料")
    assert calibration.for_query(query) is None
    for n in range(MIN_GROUP):
        put(writer, f"en-{n}", [f"English note {n}"], language="en")
    assert calibration.for_query(query) is None, "not before MISSING_GROUP_S"
    now[0] = MISSING_GROUP_S + 1
    deadline = time.monotonic() + 10
    while calibration.for_query(query) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert calibration.for_query(query) is not None
    assert MISSING_GROUP_S < REFRESH_S


def test_questions_arriving_together_take_the_statistics_once(index: VectorIndex) -> None:
    """The first questions after a start all wait for the statistics: one of them takes them (two
    samples, one per language group), not each of them."""
    _fill(index)
    calibration, sampled, together = LanguageCalibration(index), [], threading.Barrier(8)
    real_sample = index.dense_sample

    def slow_sample(separate: bool, limit: int) -> list[list[float]]:
        sampled.append(separate)
        time.sleep(0.05)  # long enough for every question to arrive while the first one samples
        return real_sample(separate, limit)

    def ask() -> DenseCalibration | None:
        together.wait()
        return calibration.for_query(EMBEDDER.embed_query("价格"))

    index.dense_sample = slow_sample  # type: ignore[method-assign]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: ask(), range(8)))
    assert all(a is not None for a in answers) and sorted(sampled) == [False, True]
