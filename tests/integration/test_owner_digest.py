"""The owners' digest through the CLI, delivered to local fake Slack and WeCom APIs once a day."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.channels.base import RetryPolicy
from assistant.channels.owner_digest import build_digest
from assistant.cli.main import app as cli
from assistant.db import EventLedger, build_engine
from assistant.services import build_services
from ingest.pipeline import doc_id_for
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.wecom_api import FakeWeComApi
from tests.integration.api_kb import free_port, kb_settings

CORP, SECRET = "wwcorp", "wecom-secret"
DOCS = {
    "policies/travel.md": "---\nowner: rep\nverify_every: 30\n---\n# Travel policy\n\nTaxis are refunded.\n",
    "products/promo.md": "---\nowner: wu\nexpires: 2020-01-01\n---\n# Spring promo\n\nTen percent off.\n",
    "products/fresh.md": "---\nowner: rep\n---\n# Orion sheet\n\nOrion ships dashboards.\n",
    "products/quiet.md": "---\nowner: nobody-here\n---\n# Quiet\n\nNothing due here.\n",
}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeSlackApi, FakeWeComApi, Path]]:
    with FakeSlackApi() as slack, FakeWeComApi(CORP, SECRET) as wecom:
        variables = {
            "DATA_DIR": str(tmp_path / "data"),
            "EMBEDDER": "hash",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_API_URL": slack.base_url,
            "WECOM_CORP_ID": CORP,
            "WECOM_SECRET": SECRET,
            "WECOM_AGENT_ID": "1000002",
            "WECOM_API_URL": wecom.base_url,
        }
        for name, value in variables.items():
            monkeypatch.setenv(f"ASSISTANT_{name}", value)
        monkeypatch.chdir(tmp_path)
        services = build_services(kb_settings(tmp_path / "data"))
        for name, text in DOCS.items():
            (tmp_path / "kb" / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "kb" / name).write_text(text, "utf-8")
        assert services.ingest.ingest([tmp_path / "kb"]).ok
        services.index.update_document(doc_id_for("policies/travel.md"), {"verified_at": "2020-01-01"})
        services.users.add_user("rep", ["rep"], ["east"], slack_id="U1")
        services.users.add_user("wu", ["curator"], wecom_id="wu01")
        services.answers.save(
            "a1", "mgr", "Orion?", "Orion ships dashboards.", [doc_id_for("products/fresh.md")]
        )
        services.feedback.add("a1", "mgr", "down", None)
        services.close()
        yield slack, wecom, tmp_path


def run_cli() -> dict[str, list[str]]:
    result = CliRunner().invoke(cli, ["lifecycle", "run", "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_each_owner_gets_one_digest_a_day(env: tuple[FakeSlackApi, FakeWeComApi, Path]) -> None:
    slack, wecom, tmp_path = env
    report = run_cli()
    assert (report["sent"], report["unreachable"]) == (["rep", "wu"], [])
    (dm,) = slack.calls_to("chat.postMessage")
    assert dm["channel"] == "U1"
    assert "Travel policy: verification overdue" in dm["text"] and "Orion sheet: cited in a 👎" in dm["text"]
    (sent,) = [m for m in wecom.sent if m["path"] == "message/send"]
    assert sent["touser"] == "wu01" and "Spring promo: expired on 2020-01-01" in sent["text"]["content"]
    again = run_cli()
    assert again["sent"] == [] and again["already_today"] == ["rep", "wu"]
    assert len(slack.calls_to("chat.postMessage")) == 1, "not twice in one day"
    engine = build_engine(kb_settings(tmp_path / "data").resolved_database_url)
    key = f"rep/{dt.date.today().isoformat()}"
    assert not EventLedger(engine).claim("digest", key, lease=dt.timedelta(0)), "a sent digest stays sent"
    engine.dispose()


def test_a_failed_delivery_is_reported_and_retried_next_run(
    env: tuple[FakeSlackApi, FakeWeComApi, Path],
) -> None:
    slack, _, tmp_path = env
    services = build_services(
        kb_settings(tmp_path / "data", slack_bot_token="xoxb-test", slack_api_url=slack.base_url)
    )
    waits: list[float] = []
    try:
        digest = build_digest(services, RetryPolicy(delays=(0.5, 1.0), sleep=waits.append))
        digest.today = lambda: dt.date.today() + dt.timedelta(days=1)
        slack.fail("chat.postMessage", "internal_error", times=3)
        failed = digest.run()
        assert [owner for owner, _ in failed.failed] == ["rep"] and "internal_error" in failed.failed[0][1]
        assert waits == [0.5, 1.0] and failed.sent == ["wu"], "one failure does not stop the others"
        assert digest.run().sent == ["rep"]
    finally:
        services.close()


def test_a_running_service_sends_the_digest_by_itself(
    env: tuple[FakeSlackApi, FakeWeComApi, Path],
) -> None:
    """`assistant serve` runs archiving and owners' digests itself (ASSISTANT_LIFECYCLE_EVERY_HOURS)."""
    slack, wecom, tmp_path = env
    port = free_port()
    # 0.0003 h is about a second: the first run comes that soon instead of a minute after start.
    environ = {**os.environ, "ASSISTANT_PORT": str(port), "ASSISTANT_LIFECYCLE_EVERY_HOURS": "0.0003"}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], env=environ, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while not slack.calls_to("chat.postMessage") and time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            time.sleep(0.2)
        (dm,) = slack.calls_to("chat.postMessage")
        assert dm["channel"] == "U1" and "Travel policy: verification overdue" in dm["text"]
        time.sleep(3)  # several more runs: still one digest today
        assert len(slack.calls_to("chat.postMessage")) == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        log.close()
