"""`assistant bench`, answer side: /v1/ask through the real HTTP API, the service path, chat acks."""

from __future__ import annotations

import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import uvicorn

from assistant.access import AccessPolicy
from assistant.answer.models import AskRequest
from assistant.answer.service import KnowledgeAssistant
from assistant.api.app import create_app
from assistant.api.hosting import freeze_startup_heap
from assistant.bench.channels import measure_slack_ack, measure_wecom_callback
from assistant.bench.load import drive
from assistant.bench.scale import percentile, principals, time_queries
from assistant.embedding import Embedder
from assistant.index.edge import EdgeIndex
from assistant.retrieval import SearchService
from assistant.services import Services, build_services

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


def local_settings(settings: Any, data_dir: Path) -> Any:
    """`settings` on a data dir of the bench's own: embedded index, SQLite, no rate limit."""
    update = {"data_dir": data_dir, "database_url": None, "rate_limit_per_minute": 0, "qdrant_url": None}
    return settings.model_copy(update=update)


@contextmanager
def serving(local: Any, services: Services) -> Iterator[tuple[str, str]]:
    """The real app on a real uvicorn, started as `assistant serve` starts it: (base URL, a manager's
    API token). The services stay open; the caller closes them."""
    port = _free_port()
    _, token = services.users.add_user(f"bench-{port}", ["manager"], ["east"])  # a new user per server
    server = uvicorn.Server(
        uvicorn.Config(create_app(local, services=services), port=port, log_level="warning")
    )
    services.assistant.warm_up()
    freeze_startup_heap()
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", token
    finally:
        server.should_exit = True
        thread.join(timeout=10)


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
        local = local_settings(settings, Path(tmp))
        services = build_services(local, embedder, check_model=False, index=edge)
        try:
            with serving(local, services) as (base_url, token):
                return ask_summary("ask", drive(base_url, token, questions, CONCURRENCY, WARMUP, sequential))
        finally:
            services.ingest.manifest.close()  # the index is the caller's
            services.db.dispose()


def ask_summary(prefix: str, measured: dict[str, Any]) -> dict[str, Any]:
    """The load generator's latencies as the bench reports them."""
    return _summary(prefix, measured["sequential"], measured["concurrent"], measured["concurrent_s"])


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
