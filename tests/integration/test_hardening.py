"""Break 9: the data dir is private to this OS user; headers, probes and docs expose nothing."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.config import Settings
from assistant.services import Services, build_services


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_and_its_files_are_private(settings: Settings) -> None:
    services = build_services(settings)
    try:
        _ = services.users.list_users()  # the database file exists from here on
        data = settings.data_dir
        assert _mode(data) == 0o700
        assert _mode(data / "assistant.db") == 0o600
        assert _mode(settings.manifest_path) == 0o600
    finally:
        services.close()


def test_an_existing_open_data_dir_is_tightened(settings: Settings) -> None:
    data = settings.data_dir
    data.mkdir(mode=0o755)
    (data / "notes.txt").write_text("x")
    (data / "notes.txt").chmod(0o644)
    (data / "sub").mkdir(mode=0o755)
    build_services(settings).close()
    assert _mode(data) == 0o700 and _mode(data / "sub") == 0o700
    assert _mode(data / "notes.txt") == 0o600


# Headers, API docs and the readiness probe, on the real app.
def _app_client(settings: Settings, **overrides: object) -> Iterator[tuple[TestClient, Services]]:
    services = build_services(settings.model_copy(update=overrides))
    with TestClient(create_app(services.settings, services)) as client:
        yield client, services
    services.close()


@pytest.fixture
def app_client(settings: Settings) -> Iterator[tuple[TestClient, Services]]:
    yield from _app_client(settings)


@pytest.mark.parametrize("path", ["/", "/v1/me", "/healthz", "/openapi.json", "/static/chat.js", "/nowhere"])
def test_every_response_carries_the_security_headers(
    app_client: tuple[TestClient, Services], path: str
) -> None:
    client, _ = app_client
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "cdn" not in csp


def test_api_docs_are_off_by_default(app_client: tuple[TestClient, Services]) -> None:
    client, _ = app_client
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200  # the schema itself loads nothing


def test_api_docs_when_enabled_load_no_cdn(settings: Settings) -> None:
    for client, _ in _app_client(settings, api_docs=True):
        page = client.get("/docs")
        assert page.status_code == 200
        assert "cdn.jsdelivr.net" not in page.text and "unpkg" not in page.text
        for asset in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
            assert client.get(asset).status_code == 200, asset


def test_readyz_shows_counts_only_with_a_token(app_client: tuple[TestClient, Services]) -> None:
    client, services = app_client
    anonymous = client.get("/readyz")
    assert anonymous.status_code == 200 and anonymous.json() == {"status": "ready"}
    _, token = services.users.add_user("ops", ["rep"])
    counted = client.get("/readyz", headers={"Authorization": f"Bearer {token}"}).json()
    assert counted["status"] == "ready" and counted["users"] == 1 and "chunks" in counted
