"""`assistant bench`, ingest side: a cold ingest of real documents, in a fresh process.

Cold means a new Python process and an empty data dir, as a first `assistant ingest` runs: the
parser process is started as the embedder loads, and imports the parsers (unstructured, spaCy)
meanwhile; what is left of its imports falls inside the timed call. Run as a module, this file is
that child: it prints its measurements as one JSON line.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.embedding import Embedder, build_embedder
from assistant.services import build_services
from ingest.parser_process import close_idle_parsers, start_parser

# The settings that decide what the child embeds with; everything else is the defaults.
EMBEDDER_FIELDS = ("embedder", "embed_model", "embed_device", "embed_threads", "embed_batch_size")
CHILD_LIMIT_S = 900
TIMED = (
    "the ingest call in a fresh process with an empty data dir: parsing (and what is left of the parser "
    "process importing the parsers, started beside the embedder's load as `assistant ingest` does), "
    "boilerplate, chunking, embedding, BM25, index and database writes, flush; CPU time counts this "
    "process and the parser process (all of its imports); not timed: interpreter start, app imports, "
    "loading the embedder (ingest_process_s has everything)"
)


def bench_ingest(settings: Settings, sample_dir: Path) -> dict[str, Any]:
    """A whole cold ingest of `sample_dir` in a child process, with `settings`' embedder."""
    fields = {name: getattr(settings, name) for name in EMBEDDER_FIELDS}
    command = [sys.executable, "-m", "assistant.bench.ingest", str(sample_dir), json.dumps(fields)]
    started = time.perf_counter()
    child = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_LIMIT_S, check=False)
    process_s = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"the cold ingest child failed: {child.stderr.strip()[-2000:]}")
    measured: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    chunks, wall_s, cpu_s = measured["chunks"], measured["wall_s"], measured["cpu_s"]
    return {
        "ingest_sample": str(sample_dir),
        "ingest_chunks": chunks,
        "ingest_chunks_per_s": round(chunks / wall_s, 1),
        "ingest_chunks_per_cpu_s": round(chunks / cpu_s, 1),
        "ingest_s": round(wall_s, 2),
        "ingest_process_s": round(process_s, 2),
        "ingest_failed": measured["failed"],
        "ingest_load_avg_1m": measured["load_avg_1m"],
        # The same ingest again in the same process, into another empty data dir: the parser process
        # is warm (as in `assistant serve`), the embedder too. Not the cold figure.
        "ingest_warm_chunks_per_s": round(chunks / measured["warm_wall_s"], 1),
        "ingest_timed": TIMED,
    }


def _child(sample_dir: Path, fields: dict[str, Any]) -> dict[str, Any]:
    # Local and empty whatever the environment says: embedded index, SQLite in a temp dir.
    settings = Settings(_env_file=None, **fields).model_copy(  # type: ignore[call-arg]
        update={"qdrant_url": None, "database_url": None}
    )
    start_parser([sample_dir])  # as `assistant ingest` does: it imports while the embedder loads
    embedder = build_embedder(settings)
    chunks, failed, wall_s, cpu_s = _ingest_into_empty(settings, embedder, sample_dir)
    close_idle_parsers()  # reaped, so their CPU time is counted
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cold = {
        "chunks": chunks,
        "failed": failed,
        "wall_s": wall_s,
        "cpu_s": cpu_s + children.ru_utime + children.ru_stime,  # this process, all threads, and its parsers
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    _ingest_into_empty(settings, embedder, sample_dir)  # starts a parser process and leaves it warm
    return {**cold, "warm_wall_s": _ingest_into_empty(settings, embedder, sample_dir)[2]}


def _ingest_into_empty(
    settings: Settings, embedder: Embedder, sample_dir: Path
) -> tuple[int, int, float, float]:
    """(chunks, failed files, wall seconds, CPU seconds of this process) of one ingest into an empty data dir."""
    with tempfile.TemporaryDirectory(prefix="assistant-bench-ingest-") as workdir:
        services = build_services(settings.model_copy(update={"data_dir": Path(workdir)}), embedder=embedder)
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            report = services.ingest.ingest([sample_dir])
            return report.chunks, len(report.failed), time.perf_counter() - wall, time.process_time() - cpu
        finally:
            services.close()


if __name__ == "__main__":
    print(json.dumps(_child(Path(sys.argv[1]), json.loads(sys.argv[2]))))
