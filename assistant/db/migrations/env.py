"""Alembic environment: migrations run on the connection `build_engine` hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from assistant.db.models import Base

config = context.config
connection = config.attributes.get("connection")


def _run(conn: object) -> None:
    context.configure(
        connection=conn,  # type: ignore[arg-type]
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    # `alembic -x url=...` from a shell, for authoring new revisions.
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("pass -x url=<database url>")
    with create_engine(url).begin() as own:
        _run(own)
