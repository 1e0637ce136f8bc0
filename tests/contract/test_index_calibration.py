"""Dense scores calibrated per language group, on both Qdrant backends: the calibration decides which
language's nearest chunks rank first, and never widens what the principal may read."""

from __future__ import annotations

import time

import pytest

from assistant.access import Principal
from assistant.index import VectorIndex
from assistant.index.base import DenseCalibration
from assistant.index.sparse import Sparse
from assistant.retrieval.calibration import MIN_GROUP, REFRESH_S, LanguageCalibration
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


def test_english_documents_added_later_are_calibrated_after_the_refresh(index: VectorIndex) -> None:
    """Statistics are taken again in the background after REFRESH_S; questions never wait for it."""
    now = [0.0]
    for n in range(MIN_GROUP):
        put(index, f"zh-{n}", [f"第{n}份中文资料"], language="zh-Hans")
    calibration = LanguageCalibration(index, clock=lambda: now[0])
    query = EMBEDDER.embed_query("资料")
    assert calibration.for_query(query) is None
    for n in range(MIN_GROUP):
        put(index, f"en-{n}", [f"English note {n}"], language="en")
    assert calibration.for_query(query) is None, "not before REFRESH_S"
    now[0] = REFRESH_S + 1
    deadline = time.monotonic() + 10
    while calibration.for_query(query) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert calibration.for_query(query) is not None
