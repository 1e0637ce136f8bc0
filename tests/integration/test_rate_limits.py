"""Break 7: one budget per person (not per token), chat is limited too, and failed sign-ins per client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.channels.base import RetryPolicy
from assistant.services import build_services
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.wecom_api import FakeWeComApi
from tests.integration.api_kb import kb_settings
from tests.integration.channels_env import CORP_ID, WECOM_SECRET, ChannelEnv, channel_settings, seed

LIMIT = 3


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, list[str]]]:
    services = build_services(
        kb_settings(tmp_path / "data", rate_limit_per_minute=LIMIT, auth_failures_per_minute=5)
    )
    _, first = services.users.add_user("rep", ["rep"])
    second = services.users.new_token("rep")
    with TestClient(create_app(services.settings, services)) as c:
        yield c, [first, second]
    services.close()


def _me(c: TestClient, token: str) -> int:
    return c.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_second_token_does_not_double_the_budget(client: tuple[TestClient, list[str]]) -> None:
    c, (first, second) = client
    assert [_me(c, first), _me(c, second), _me(c, first)] == [200, 200, 200]
    assert _me(c, second) == 429 and _me(c, first) == 429


def test_failed_sign_ins_are_limited_per_client(client: tuple[TestClient, list[str]]) -> None:
    c, (first, _) = client
    statuses = [_me(c, f"sk_guess{i}") for i in range(8)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    blocked = c.get("/v1/me", headers={"Authorization": f"Bearer {first}"})
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers  # a guesser learns nothing


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[ChannelEnv]:
    with FakeSlackApi() as slack, FakeWeComApi(CORP_ID, WECOM_SECRET) as wecom:
        settings = channel_settings(tmp_path / "data", slack, wecom).model_copy(
            update={"rate_limit_per_minute": LIMIT}
        )
        services = build_services(settings)
        seed(services, tmp_path / "kb")
        retry = RetryPolicy(delays=(), sleep=lambda _s: None)
        with TestClient(create_app(services.settings, services, channel_retry=retry)) as c:
            yield ChannelEnv(services, c, slack, wecom)
        services.close()


def test_chat_is_limited_per_person_and_told_so(chat: ChannelEnv) -> None:
    for i in range(LIMIT + 2):
        assert (
            chat.dm(f"What is the Nimbus list price? ({i})", user="UREP", channel="DREP").status_code == 200
        )
        chat.drain()
    replies = [c["text"] for c in chat.slack.calls_to("chat.postMessage")]
    assert len(replies) == LIMIT + 2  # everyone gets a reply...
    slowed = [r for r in replies if "too many" in r.lower()]
    assert len(slowed) == 2  # ...but only LIMIT of them were answered
    asked = [e for e in chat.services.audit.list(user="ravi") if e.action == "ask"]
    assert len(asked) == LIMIT
