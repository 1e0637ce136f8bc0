"""`assistant bench`, answer side: /v1/ask through the real HTTP API, the service path, chat acks."""

from __future__ import annotations

import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn

from assistant.access import AccessPolicy
from assistant.answer.models import AskRequest
from assistant.answer.service import KnowledgeAssistant
from assistant.api.app import create_app
from assistant.api.hosting import freeze_startup_heap
from assistant.bench.channels import measure_slack_ack, measure_wecom_callback
from assistant.bench.scale import percentile, principals, time_queries
from assistant.embedding import Embedder
from assistant.index.edge import EdgeIndex
from assistant.retrieval import SearchService
from assistant.services import build_services

WARMUP = 10
CONCURRENCY = 20
SEQUENTIAL = 200  # questions asked one at a time (p50/p95)
# Then twice as many, CONCURRENCY at a time: questions the server has not seen, so each answer
# embeds its question as a user's new question does (repeats would be served from the query-vector
# cache and time everything but the embedder).
QUESTIONS = 3 * SEQUENTIAL
T = TypeVar("T")


def _summary(
    prefix: str, sequential: list[float], concurrent: list[float | None], concurrent_s: float
) -> dict[str, Any]:
    ok = [ms for ms in concurrent if ms is not None]
    return {
        f"{prefix}_c20_per_s": round(len(ok) / concurrent_s, 1),
        f"{prefix}_p50_ms": round(statistics.median(sequential), 2),
        f"{prefix}_p95_ms": round(percentile(sequential, 95), 2),
        f"{prefix}_c20_p50_ms": round(statistics.median(ok), 2) if ok else None,
        f"{prefix}_c20_p95_ms": round(percentile(ok, 95), 2) if ok else None,
        f"{prefix}_c20_requests": len(concurrent),
        f"{prefix}_c20_errors": len(concurrent) - len(ok),
    }


def _concurrently(
    call: Callable[[T], object], items: list[T], failure: type[Exception]
) -> tuple[list[float | None], float]:
    """Each item's latency in ms (None when `call` raised `failure`) with CONCURRENCY workers, and the
    wall-clock seconds for all of them."""

    def timed(item: T) -> float | None:
        t0 = time.perf_counter()
        try:
            call(item)
        except failure:
            return None
        return (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        latencies = list(pool.map(timed, items))
    return latencies, time.perf_counter() - t0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_ask_http(
    edge: EdgeIndex,
    questions: list[str],
    embedder: Embedder,
    policy: AccessPolicy,
    settings: Any,
    sequential: int = SEQUENTIAL,
) -> dict[str, Any]:
    """POST /v1/ask (extractive) on a real uvicorn over the filled index: the first `sequential`
    questions one at a time, then the next 2 x `sequential` (new to the server) 20 at a time."""

    with tempfile.TemporaryDirectory(prefix="assistant-bench-api-") as tmp:
        local = settings.model_copy(
            update={
                "data_dir": Path(tmp),
                "database_url": None,
                "rate_limit_per_minute": 0,
                "qdrant_url": None,
            }
        )
        services = build_services(local, embedder, check_model=False, index=edge)
        _, token = services.users.add_user("bench", ["manager"], ["east"])
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(local, services=services), port=port, log_level="warning")
        )
        freeze_startup_heap()  # as `assistant serve` does
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            result = _drive(f"http://127.0.0.1:{port}", token, questions, sequential)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            services.ingest.manifest.close()
            services.db.dispose()
    return result


def _drive(base_url: str, token: str, questions: list[str], sequential: int) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=CONCURRENCY)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, limits=limits, timeout=60) as client:

        def ask(question: str) -> None:
            client.post("/v1/ask", json={"question": question}).raise_for_status()

        for q in questions[:WARMUP]:
            ask(q)
        one_by_one = time_queries(ask, questions[:sequential])
        fresh = questions[sequential : 3 * sequential]
        concurrent, concurrent_s = _concurrently(ask, fresh, httpx.HTTPError)
    return _summary("ask", one_by_one, concurrent, concurrent_s)


def bench_ask_service(
    edge: EdgeIndex, questions: list[str], embedder: Embedder, policy: AccessPolicy, settings: Any
) -> dict[str, Any]:
    """The same work without HTTP and the database: query embedding, hybrid search, composing."""

    assistant = KnowledgeAssistant(SearchService(edge, embedder), policy, settings)
    who = principals()
    asks = [(AskRequest(question=q), who[i % len(who)]) for i, q in enumerate(questions[:QUESTIONS])]
    by_question = dict((q.question, (q, p)) for q, p in asks[:SEQUENTIAL])
    for request, principal in asks[:WARMUP]:  # warm the model and caches
        assistant.ask(request, principal)
    sequential = time_queries(lambda q: assistant.ask(*by_question[q]), list(by_question))

    concurrent, concurrent_s = _concurrently(lambda item: assistant.ask(*item), asks[SEQUENTIAL:], Exception)
    return {
        "ask_embedder": embedder.model_id,
        **_summary("ask_service", sequential, concurrent, concurrent_s),
    }


def bench_channels(services: Any, n: int = 100) -> dict[str, Any]:
    """Time from a signed Slack event / encrypted WeCom callback to the platform's 200."""

    slack = measure_slack_ack(services, n)
    wecom = measure_wecom_callback(services, n)
    return {
        "slack_ack_p50_ms": round(statistics.median(slack), 2),
        "slack_ack_p99_ms": round(percentile(slack, 99), 2),
        "wecom_callback_p50_ms": round(statistics.median(wecom), 2),
        "wecom_callback_p99_ms": round(percentile(wecom, 99), 2),
    }
