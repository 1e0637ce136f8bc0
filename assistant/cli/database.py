"""Opening the database for CLI commands, and turning its failures into one-line errors.

Kept free of the search/ingest stack so `assistant users ...` starts fast and works without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from assistant.access import AccessPolicy
from assistant.config import get_settings
from assistant.db import build_engine, normalize_url


def fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _first_line(exc: BaseException) -> str:
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


@contextmanager
def cli_errors() -> Iterator[None]:
    """Known failures (bad input, bad settings, unreachable database) end the command with one line."""
    try:
        yield
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        fail(f"invalid settings: {problems}")
    except (ValueError, OSError) as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        fail(f"database error: {_first_line(exc)}")


def open_database() -> tuple[Engine, AccessPolicy]:
    """The migrated engine and the access policy, as configured; call inside `cli_errors()`."""
    settings = get_settings()
    policy = AccessPolicy.load(settings.policy_file)
    url = settings.resolved_database_url
    try:
        return build_engine(url), policy
    except SQLAlchemyError as exc:
        shown = normalize_url(url).render_as_string(hide_password=True)
        raise ValueError(f"cannot open database {shown}: {_first_line(exc)}") from None
