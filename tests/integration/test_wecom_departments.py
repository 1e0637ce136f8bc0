"""WeCom departments count as groups when configured: looked up through user/get, cached, never fatal."""

from __future__ import annotations

from assistant.channels.messages import IncomingMessage
from assistant.channels.wecom.client import WeComClient
from assistant.channels.wecom.departments import DepartmentGroups
from tests.fakes.wecom_api import FakeWeComApi
from tests.integration.channels_env import CORP_ID, WECOM_SECRET, ChannelEnv, channel_env, env

__all__ = ["channel_env", "env"]


def _lookups(wecom: FakeWeComApi) -> int:
    return sum(1 for m in wecom.sent if m["path"] == "user/get")


def test_departments_map_to_groups_and_are_cached() -> None:
    now = [0.0]
    with FakeWeComApi(CORP_ID, WECOM_SECRET) as wecom:
        wecom.departments = {"zhangsan": [1, 7, 9]}
        client = WeComClient(wecom.base_url, CORP_ID, WECOM_SECRET, 1000002)
        groups = DepartmentGroups(client, {"7": "east", "8": "south"}, clock=lambda: now[0])
        assert groups.groups_of("zhangsan") == frozenset({"east"})
        assert groups.groups_of("zhangsan") == frozenset({"east"})
        assert _lookups(wecom) == 1, "a second message within the cache window costs no API call"
        now[0] += 601
        wecom.departments = {"zhangsan": [8]}
        assert groups.groups_of("zhangsan") == frozenset({"south"}), "moved departments are picked up"


def test_lookup_failure_keeps_the_directory_groups() -> None:
    with FakeWeComApi(CORP_ID, WECOM_SECRET) as wecom:
        client = WeComClient(wecom.base_url, CORP_ID, WECOM_SECRET, 1000002)
        groups = DepartmentGroups(client, {"7": "east"})
        assert groups.groups_of("nobody") == frozenset()  # WeCom says "userid not found": no extra groups


def test_linked_users_gain_their_department_groups(channel_env: ChannelEnv) -> None:
    channel = channel_env.channels["wecom"]
    channel_env.wecom.departments = {"mia": [7], "stranger": [7]}
    original = channel.departments  # type: ignore[attr-defined]
    channel.departments = DepartmentGroups(channel.client, {"7": "east"})  # type: ignore[attr-defined]
    try:
        mia = channel.identify(IncomingMessage("wecom", "k1", "mia", "mia", "hi", True))
        assert "east" in mia.principal.groups and "manager" in mia.principal.roles
        stranger = channel.identify(IncomingMessage("wecom", "k2", "stranger", "stranger", "hi", True))
        assert not stranger.linked and stranger.principal.groups == frozenset()
    finally:
        channel.departments = original  # type: ignore[attr-defined]
        channel_env.wecom.departments = {}
