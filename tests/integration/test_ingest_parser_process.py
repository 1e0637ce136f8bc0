"""Files are parsed in a child process: its failures cost one file at most, never the batch or a hang."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.config import Settings
from assistant.services import Services, build_services
from ingest.parser_process import start_parser
from tests.integration.test_ingest_pipeline import ADMIN, sources, write

LONG_SECTIONS = 300  # a Markdown file that takes the parser a second or more
HUGE_SECTIONS = 4000  # one that takes it many CPU-seconds (parsing grows faster than its length)
TIMEOUT_S = 2.0  # a small file takes a few hundredths of that, even on a busy machine


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    built = build_services(settings)
    yield built
    built.close()


def parser_children() -> list[int]:
    """This process's parser children, from /proc (Linux). A thread or child that ends while they are
    listed (the parse timeout's timer threads come and go) is passed over."""
    pids: list[int] = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            pids += [int(p) for p in (task / "children").read_text().split()]
    return [p for p in pids if b"ingest.parser_process" in _cmdline(p)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return b""


def small_kb(root: Path, long_sections: int = LONG_SECTIONS) -> Path:
    kb = root / "kb"
    kb.mkdir()
    (kb / "faq.csv").write_text("问题,回答\n能私有化部署吗,可以，需要三台服务器\n", "utf-8")
    sections = "\n\n".join(f"## 第{i}节\n\n第{i}节介绍报表的导出方式。" for i in range(long_sections))
    write(kb, "long.md", f"# 长文档\n\n{sections}\n")
    write(kb, "trial.md", "# 试用\n\n星河CRM 可以免费试用 45 天。\n")
    write(kb, "sso.md", "# 登录\n\n企业版支持单点登录，接入企业微信。\n")
    return kb


def test_a_parser_killed_mid_file_costs_that_file_only(services: Services, tmp_path: Path) -> None:
    kb = small_kb(tmp_path)
    killed: list[int] = []

    def kill_the_parser(step: str, done: int, total: int) -> None:
        if step.endswith("reading long.md") and not killed:  # the parser has started it
            killed.extend(parser_children())
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    report = services.ingest.ingest([kb], progress=kill_the_parser)
    assert killed, "a parser child was running"
    assert [source for source, _ in report.failed] == ["long.md"]
    message = report.failed[0][1]
    assert "parser process stopped" in message and "SIGKILL" in message, message
    assert sorted(report.added) == ["faq.csv", "sso.md", "trial.md"]
    assert sources(services, "免费试用多少天", ADMIN)[0] == "trial.md"
    assert services.ingest.ingest([kb]).added == ["long.md"], "the next ingest reads the lost file"


def test_a_broken_file_is_reported_and_the_others_land(services: Services, tmp_path: Path) -> None:
    kb = small_kb(tmp_path)
    (kb / "long.md").unlink()
    (kb / "broken.pptx").write_bytes(b"PK\x03\x04 not a real deck" * 20)
    report = services.ingest.ingest([kb])
    assert [source for source, _ in report.failed] == ["broken.pptx"]
    assert "not a readable PowerPoint deck" in report.failed[0][1]
    assert sorted(report.added) == ["faq.csv", "sso.md", "trial.md"]


def test_the_parser_stays_warm_and_a_dead_one_is_replaced(services: Services, tmp_path: Path) -> None:
    kb = small_kb(tmp_path)
    (kb / "long.md").unlink()
    services.ingest.ingest([kb])
    warm = parser_children()
    assert len(warm) == 1, "one child waits for the next ingest"
    write(kb, "trial.md", "# 试用\n\n星河CRM 可以免费试用 60 天。\n")
    assert services.ingest.ingest([kb]).updated == ["trial.md"]
    assert parser_children() == warm, "the next ingest used it"
    os.kill(warm[0], signal.SIGKILL)
    write(kb, "sso.md", "# 登录\n\n企业版支持单点登录，接入钉钉。\n")
    report = services.ingest.ingest([kb])
    assert report.ok and report.updated == ["sso.md"]
    assert sources(services, "单点登录 钉钉", ADMIN)[0] == "sso.md"


def test_a_file_that_parses_too_long_fails_alone_and_is_tried_again(
    settings: Settings, tmp_path: Path
) -> None:
    kb = small_kb(tmp_path, HUGE_SECTIONS)
    reading_long: list[int] = []  # the parser children there were while the progress said "reading long.md"

    def progress(step: str, done: int, total: int) -> None:
        if step.endswith("reading long.md"):
            reading_long.extend(parser_children())

    built = build_services(settings.model_copy(update={"parse_timeout_s": TIMEOUT_S}))
    try:
        report = built.ingest.ingest([kb], progress=progress)
        assert [source for source, _ in report.failed] == ["long.md"]
        message = report.failed[0][1]
        assert f"long.md: parse timed out after {TIMEOUT_S:g} s (ASSISTANT_PARSE_TIMEOUT_S)" in message, (
            message
        )
        assert sorted(report.added) == ["faq.csv", "sso.md", "trial.md"], "the files after it were read"
        assert sources(built, "免费试用多少天", ADMIN)[0] == "trial.md"
        warm = parser_children()
        assert len(warm) == 1, "the stopped parser is gone; its successor waits, warm"
        assert reading_long and not set(reading_long) & set(warm), "progress named it while it was read"
        again = built.ingest.ingest([kb])
        assert [source for source, _ in again.failed] == ["long.md"], "the next ingest tried it again"
        assert sorted(again.unchanged) == ["faq.csv", "sso.md", "trial.md"]
    finally:
        built.close()


def test_the_curator_sees_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = small_kb(tmp_path, HUGE_SECTIONS)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    monkeypatch.setenv("ASSISTANT_PARSE_TIMEOUT_S", f"{TIMEOUT_S:g}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    result = CliRunner().invoke(app, ["ingest", str(kb)])
    assert result.exit_code == 2
    assert "added 3" in result.stdout and "failed 1" in result.stdout
    assert "FAILED long.md: " in result.stderr and f"parse timed out after {TIMEOUT_S:g} s" in result.stderr


def test_a_parser_started_ahead_reads_the_next_ingest(services: Services, tmp_path: Path) -> None:
    kb = small_kb(tmp_path)
    (kb / "long.md").unlink()
    start_parser([kb])  # as `assistant ingest` does while the embedder loads
    ahead = parser_children()
    assert len(ahead) == 1
    report = services.ingest.ingest([kb])
    assert report.ok and sorted(report.added) == ["faq.csv", "sso.md", "trial.md"]
    assert parser_children() == ahead, "the ingest used the parser started ahead"
