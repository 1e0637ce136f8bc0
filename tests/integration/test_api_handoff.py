"""The serving process owns the embedded shard; `assistant ingest`/`search` hand their work to it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.access import AccessPolicy
from assistant.api import create_app
from assistant.db import UserDirectory, build_engine
from assistant.index.ownership import ShardOwnership
from tests.integration.api_kb import DOCS, ServerThread, free_port, kb_settings, write_kb

NEW_DOC = {
    "late/orion-warranty.md": """---
title: Orion warranty terms
doc_type: policy
access_level: internal
---
# Orion warranty

Every Orion appliance carries a Quokkawarranty of five years, parts and labour included.
"""
}


def _cli(data_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_EMBEDDER": "hash"}
    env.pop("ASSISTANT_QDRANT_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=cwd,  # no stray .env from a developer checkout
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ServerThread, Path]]:
    data_dir = tmp_path / "data"
    port = free_port()
    # No services passed: the app's lifespan takes the shard and publishes the local admin token.
    app = create_app(kb_settings(data_dir, port=port))
    with ServerThread(app, port) as server:
        server.app = app  # type: ignore[attr-defined]
        yield server, data_dir
    assert ShardOwnership(data_dir).service_info() is None, "service.json must go with the service"


def test_ingest_while_serving_is_searchable_without_restart(
    served: tuple[ServerThread, Path], tmp_path: Path
) -> None:
    server, data_dir = served
    info = ShardOwnership(data_dir).service_info()
    assert info is not None and info["url"] == server.url
    engine = build_engine(kb_settings(data_dir).resolved_database_url)
    _, token = UserDirectory(engine, AccessPolicy.load()).add_user("rep", ["rep"], ["east"])
    engine.dispose()
    ask = {"query": "Quokkawarranty five years"}
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as client:
        assert client.get("/readyz").json()["chunks"] == 0

        result = _cli(data_dir, tmp_path, "ingest", str(write_kb(tmp_path / "kb", {**DOCS, **NEW_DOC})))
        assert result.returncode == 0, result.stderr
        assert "handing the job to it" in result.stderr
        assert f"added {len(DOCS) + 1}" in result.stdout

        found = client.post("/v1/search", json=ask).json()["results"]
        assert found and found[0]["title"] == "Orion warranty terms"
        assert client.get("/readyz").json()["chunks"] == len(DOCS) + 1


def test_search_command_goes_through_the_service(served: tuple[ServerThread, Path], tmp_path: Path) -> None:
    _, data_dir = served
    assert _cli(data_dir, tmp_path, "ingest", str(write_kb(tmp_path / "kb"))).returncode == 0
    as_rep = _cli(data_dir, tmp_path, "search", "Orion discount approval", "--role", "rep", "--json")
    as_manager = _cli(
        data_dir,
        tmp_path,
        "search",
        "Orion discount approval",
        "--role",
        "manager",
        "--group",
        "east",
        "--json",
    )
    assert as_rep.returncode == 0 and as_manager.returncode == 0, as_rep.stderr + as_manager.stderr
    rep_levels = {r["access_level"] for r in json.loads(as_rep.stdout)["results"]}
    manager_levels = {r["access_level"] for r in json.loads(as_manager.stdout)["results"]}
    assert rep_levels == {"internal"} and "confidential" in manager_levels
    bad = _cli(data_dir, tmp_path, "search", "Orion", "--role", "wizard")
    assert bad.returncode != 0 and "unknown role 'wizard'" in bad.stderr


def test_admin_endpoints_refuse_other_tokens(served: tuple[ServerThread, Path]) -> None:
    server, data_dir = served
    for header in ({}, {"Authorization": "Bearer local_guess"}):
        response = httpx.post(f"{server.url}/v1/admin/ingest", json={"paths": ["/etc"]}, headers=header)
        assert response.status_code == 401
    engine = build_engine(kb_settings(data_dir).resolved_database_url)
    _, rep = UserDirectory(engine, AccessPolicy.load()).add_user("rep2", ["rep"])
    engine.dispose()
    response = httpx.post(
        f"{server.url}/v1/admin/search",
        json={"query": "x", "roles": ["admin"]},
        headers={"Authorization": f"Bearer {rep}"},
    )
    assert response.status_code == 403


def test_second_server_fails_clearly(served: tuple[ServerThread, Path], tmp_path: Path) -> None:
    server, data_dir = served
    result = _cli(data_dir, tmp_path, "serve", "--port", str(free_port()))
    assert result.returncode == 1
    assert "held by another process" in result.stderr and server.url in result.stderr
