"""A real PostgreSQL for tests: Debian's server started in a temp dir, or ASSISTANT_TEST_DATABASE_URL.

`database_url` runs a test once per backend (SQLite file, fresh PostgreSQL database).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import make_url

EXTERNAL_URL_ENV = "ASSISTANT_TEST_DATABASE_URL"


def _pg_bin_dir() -> Path | None:
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(Path(d).parent.name))
    found = [Path(d) for d in dirs if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists()]
    return found[-1] if found else None


def _as_server_user() -> Callable[[list[str]], list[str]]:
    """PostgreSQL refuses to run as root: wrap commands to run as the `postgres` OS user then."""
    if os.geteuid() != 0:
        return lambda cmd: cmd
    if shutil.which("runuser"):
        return lambda cmd: ["runuser", "-u", "postgres", "--", *cmd]
    return lambda cmd: ["su", "postgres", "-s", "/bin/sh", "-c", subprocess.list2cmdline(cmd)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A libpq URL (no driver) to a server where we may CREATE DATABASE; skips if none can be had."""
    external = os.environ.get(EXTERNAL_URL_ENV)
    if external:
        yield external
        return
    bin_dir = _pg_bin_dir()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (apt install postgresql)"
        )
    wrap = _as_server_user()
    if os.geteuid() == 0:
        try:
            import pwd

            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' OS user to run the server as")
    base = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    if os.geteuid() == 0:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data, port = base / "data", _free_port()
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    try:
        _run(wrap([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                   "--no-sync"]), "initdb")  # fmt: skip
        _run(wrap([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "server.log"),
                   "-w", "-t", "60", "start"]), "pg_ctl start")  # fmt: skip
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start a test PostgreSQL: {exc}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(wrap([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database for one test (dropped afterwards), as a `postgresql+psycopg` URL."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    libpq = make_url(postgres_server).set(drivername="postgresql")
    admin_dsn = libpq.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield libpq.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test against SQLite (a file in tmp) and PostgreSQL (started only if a test needs it)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'assistant.db'}"
    return str(request.getfixturevalue("postgres_url"))
