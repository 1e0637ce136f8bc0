"""Break 9: API tokens expire (default 90 days) and can be rotated by their owner or an admin."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner

from assistant.api import create_app
from assistant.cli.main import app as cli_app
from assistant.config import Settings
from assistant.db.models import ApiTokenRow, utcnow
from assistant.services import Services, build_services


@pytest.fixture
def served(settings: Settings) -> Iterator[tuple[TestClient, Services]]:
    services = build_services(settings)
    with TestClient(create_app(services.settings, services)) as client:
        yield client, services
    services.close()


def _me(client: TestClient, token: str) -> int:
    return client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_tokens_expire_after_the_configured_days(served: tuple[TestClient, Services]) -> None:
    client, services = served
    _, token = services.users.add_user("rep", ["rep"])
    [expiry] = [t.expires_at for t in services.users.tokens("rep")]
    assert expiry is not None
    assert timedelta(days=89) < expiry - utcnow() <= timedelta(days=90)
    assert _me(client, token) == 200
    with services.db.begin() as conn:  # ninety days later
        conn.execute(update(ApiTokenRow).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and "expired" in response.json()["error"]["message"]


def test_owner_rotates_their_token(served: tuple[TestClient, Services]) -> None:
    client, services = served
    _, old = services.users.add_user("rep", ["rep"])
    response = client.post("/v1/me/token", headers={"Authorization": f"Bearer {old}"})
    assert response.status_code == 200, response.text
    new = response.json()["token"]
    assert response.json()["expires_at"]
    assert _me(client, new) == 200 and _me(client, old) == 401


def test_cli_rotate_revokes_the_old_tokens(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_EMBEDDER": "hash"}
    runner = CliRunner()
    added = runner.invoke(cli_app, ["users", "add", "ana", "--role", "rep", "--json"], env=env)
    assert added.exit_code == 0, added.output
    rotated = runner.invoke(cli_app, ["users", "token", "ana", "--rotate"], env=env)
    assert rotated.exit_code == 0, rotated.output
    assert "revoked 1" in rotated.stdout.lower() and "expires" in rotated.stdout.lower()
    services = build_services(settings)
    try:
        assert services.users.authenticate(json.loads(added.stdout)["token"]) is None
        new = rotated.stdout.split("API token: ", 1)[1].split()[0]
        assert services.users.authenticate(new) is not None
    finally:
        services.close()


def test_zero_days_means_no_expiry(settings: Settings) -> None:
    services = build_services(settings.model_copy(update={"token_ttl_days": 0}))
    try:
        services.users.add_user("svc", ["rep"])
        assert [t.expires_at for t in services.users.tokens("svc")] == [None]
    finally:
        services.close()
