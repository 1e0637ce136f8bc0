"""Break 8: the ingest API refuses empty and relative paths, and admin tokens ingest only under the roots."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.access import Principal
from assistant.api import create_app
from assistant.config import Settings
from assistant.services import build_services
from tests.integration.api_kb import DOCS, kb_settings, write_kb


def _client(root: Path, **settings: Any) -> Iterator[tuple[TestClient, dict[str, str], Any]]:
    services = build_services(kb_settings(root / "data", **settings))
    _, token = services.users.add_user("root-admin", ["admin"])
    with TestClient(create_app(services.settings, services)) as client:
        yield client, {"Authorization": f"Bearer {token}"}, services
    services.close()


@pytest.fixture
def rooted(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Any]]:
    write_kb(tmp_path / "kb")
    yield from _client(tmp_path, ingest_roots=[tmp_path / "kb"])


@pytest.fixture
def unrooted(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Any]]:
    yield from _client(tmp_path)


def _chunks(services: Any) -> int:
    return int(services.index.stats(Principal.of("x", services.policy.roles)))


@pytest.mark.parametrize("path", ["", "   ", ".", "kb", "./kb", "~/kb"])
def test_empty_and_relative_paths_are_422(rooted: tuple[TestClient, dict[str, str], Any], path: str) -> None:
    client, auth, services = rooted
    response = client.post("/v1/admin/ingest", json={"paths": [path]}, headers=auth)
    assert response.status_code == 422, response.text
    assert "absolute" in response.json()["error"]["message"]
    assert _chunks(services) == 0


def test_paths_outside_the_roots_are_403(
    rooted: tuple[TestClient, dict[str, str], Any], tmp_path: Path
) -> None:
    client, auth, services = rooted
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.md").write_text("# Secret\n\nfloor price 1 yuan\n", encoding="utf-8")
    for path in (
        "/etc",
        str(tmp_path / "elsewhere"),
        str(tmp_path / "kb" / ".." / "elsewhere"),
        str(tmp_path),
    ):
        response = client.post("/v1/admin/ingest", json={"paths": [path]}, headers=auth)
        assert response.status_code == 403, (path, response.text)
        assert "ASSISTANT_INGEST_ROOTS" in response.json()["error"]["message"]
    assert _chunks(services) == 0


def test_paths_under_a_root_are_ingested(
    rooted: tuple[TestClient, dict[str, str], Any], tmp_path: Path
) -> None:
    client, auth, services = rooted
    job = client.post("/v1/admin/ingest", json={"paths": [str(tmp_path / "kb")]}, headers=auth).json()
    deadline = time.monotonic() + 120
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        job = client.get(f"/v1/admin/ingest/{job['job_id']}", headers=auth).json()
    assert job["status"] == "done", job
    assert len(job["report"]["added"]) == len(DOCS)


def test_without_roots_admin_tokens_cannot_ingest(
    unrooted: tuple[TestClient, dict[str, str], Any], tmp_path: Path
) -> None:
    client, auth, _ = unrooted
    write_kb(tmp_path / "kb")
    response = client.post("/v1/admin/ingest", json={"paths": [str(tmp_path / "kb")]}, headers=auth)
    assert response.status_code == 403
    assert "ASSISTANT_INGEST_ROOTS" in response.json()["error"]["message"]


def test_roots_setting_reads_a_list_or_a_path_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_INGEST_ROOTS", "/srv/kb:/srv/more")
    assert Settings(_env_file=None).ingest_roots == [Path("/srv/kb"), Path("/srv/more")]  # type: ignore[call-arg]
    monkeypatch.setenv("ASSISTANT_INGEST_ROOTS", '["/srv/kb"]')
    assert Settings(_env_file=None).ingest_roots == [Path("/srv/kb")]  # type: ignore[call-arg]
    monkeypatch.setenv("ASSISTANT_INGEST_ROOTS", "relative/kb")
    with pytest.raises(ValueError, match="absolute"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_a_link_inside_a_root_pointing_outside_is_403(
    rooted: tuple[TestClient, dict[str, str], Any], tmp_path: Path
) -> None:
    client, auth, services = rooted
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "floor.md").write_text("# Floor\n\nfloor price 1 yuan\n", encoding="utf-8")
    (tmp_path / "kb" / "linked").symlink_to(tmp_path / "outside")
    response = client.post("/v1/admin/ingest", json={"paths": [str(tmp_path / "kb")]}, headers=auth)
    assert response.status_code == 403, response.text
    assert "linked" in response.json()["error"]["message"]
    assert _chunks(services) == 0
