"""`assistant bench` helpers: ack latency of the real webhooks, without touching the caller's data."""

from __future__ import annotations

from assistant.bench.channels import measure_slack_ack, measure_wecom_callback
from tests.integration.channels_env import ChannelEnv, channel_env, env

__all__ = ["channel_env", "env"]


def test_bench_measures_acks_and_leaves_the_callers_data_alone(channel_env: ChannelEnv) -> None:
    audit_before = (
        len(channel_env.services.audit.list()) if hasattr(channel_env.services.audit, "list") else None
    )
    for measure in (measure_slack_ack, measure_wecom_callback):
        latencies = measure(channel_env.services, 3)
        assert len(latencies) == 3 and all(ms > 0 for ms in latencies)
    assert channel_env.slack.calls == [] and channel_env.wecom.sent == []
    if audit_before is not None:
        assert len(channel_env.services.audit.list()) == audit_before
