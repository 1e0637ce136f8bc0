"""The real `assistant` CLI: users, tokens, channel settings and the audit log, on both databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from click.testing import Result
from sqlalchemy import Engine
from typer.testing import CliRunner

from assistant.access import AccessPolicy
from assistant.db import AuditLog, ChannelPolicies, UserDirectory, build_engine


@dataclass
class Cli:
    app: typer.Typer
    env: dict[str, str | None]
    url: str

    def __call__(self, *args: str) -> Result:
        return CliRunner().invoke(self.app, list(args), env=self.env)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return result.stdout


@pytest.fixture
def cli_app() -> typer.Typer:
    from assistant.cli.main import app

    return app


@pytest.fixture
def cli(
    cli_app: typer.Typer, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Cli]:
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout
    data_dir = tmp_path / "fresh" / "data"
    env: dict[str, str | None] = {"ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_POLICY_FILE": None}
    if database_url.startswith("sqlite"):
        env["ASSISTANT_DATABASE_URL"] = None  # the default: a file in the data dir
        url = f"sqlite:///{data_dir / 'assistant.db'}"
    else:
        url = database_url
        env["ASSISTANT_DATABASE_URL"] = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    yield Cli(cli_app, env, url)


@pytest.fixture
def engine(cli: Cli) -> Iterator[Engine]:
    engine = build_engine(cli.url)
    yield engine
    engine.dispose()


def test_add_json_gives_a_working_token(cli: Cli) -> None:
    out = json.loads(
        cli.ok("users", "add", "alice", "--role", "rep", "--role", "manager", "--group", "emea", "--json")
    )
    assert set(out) == {"name", "roles", "groups", "token"}
    assert (out["name"], out["roles"], out["groups"]) == ("alice", ["rep", "manager"], ["emea"])
    engine = build_engine(cli.url)
    user = UserDirectory(engine, AccessPolicy.load()).authenticate(out["token"])
    engine.dispose()
    assert user is not None and user.name == "alice" and user.groups == ("emea",)


def test_human_add_shows_the_token_once(cli: Cli, engine: Engine) -> None:
    out = cli.ok("users", "add", "bob", "--role", "support", "--slack-id", "U42", "--email", "bob@x.io")
    assert "will not be shown again" in out
    token = next(word for word in out.split() if word.startswith("sk_"))
    directory = UserDirectory(engine, AccessPolicy.load())
    assert directory.authenticate(token).name == "bob"  # type: ignore[union-attr]
    assert directory.by_slack_id("U42").email == "bob@x.io"  # type: ignore[union-attr]
    assert token not in cli.ok("users", "list")


def test_duplicate_user_is_a_one_line_error(cli: Cli) -> None:
    cli.ok("users", "add", "alice", "--role", "rep")
    result = cli("users", "add", "alice", "--role", "manager")
    assert result.exit_code != 0
    assert result.stderr.strip() == "error: user 'alice' already exists"
    assert "Traceback" not in result.output


def test_unknown_role_names_the_known_ones(cli: Cli) -> None:
    result = cli("users", "add", "carol", "--role", "wizard")
    assert result.exit_code != 0
    assert "unknown role 'wizard'" in result.stderr and "executive" in result.stderr
    assert json.loads(cli.ok("users", "list", "--json")) == []


def test_disable_and_token_management(cli: Cli, engine: Engine) -> None:
    alice = json.loads(cli.ok("users", "add", "alice", "--role", "rep", "--json"))["token"]
    cli.ok("users", "add", "bob", "--role", "rep")
    directory = UserDirectory(engine, AccessPolicy.load())

    assert "Disabled alice" in cli.ok("users", "disable", "alice")
    assert directory.authenticate(alice) is None
    listed = {u["name"]: u["disabled"] for u in json.loads(cli.ok("users", "list", "--json"))}
    assert listed == {"alice": True, "bob": False}
    assert "disabled" in cli("users", "token", "alice").stderr

    second = cli.ok("users", "token", "bob").split()[2]
    assert directory.authenticate(second).name == "bob"  # type: ignore[union-attr]
    assert "Revoked 2 token(s) for bob" in cli.ok("users", "token", "bob", "--revoke")
    assert directory.authenticate(second) is None
    assert cli("users", "token", "nobody").exit_code != 0


def test_channel_levels_are_set_by_the_cli(cli: Cli, engine: Engine, policy: AccessPolicy) -> None:
    cli.ok("channels", "set", "slack", "C123", "--level", "confidential", "--group", "emea")
    assert ChannelPolicies(engine, policy).get("slack", "C123") == ("confidential", frozenset({"emea"}))
    listed = json.loads(cli.ok("channels", "list", "--json"))
    assert listed == [
        {"platform": "slack", "channel_id": "C123", "level": "confidential", "groups": ["emea"]}
    ]
    bad = cli("channels", "set", "slack", "C123", "--level", "secret")
    assert bad.exit_code != 0 and "unknown access level 'secret'" in bad.stderr
    assert ChannelPolicies(engine, policy).get("slack", "C123")[0] == "confidential"


def test_audit_shows_what_was_asked(cli: Cli, engine: Engine) -> None:
    audit = AuditLog(engine)
    audit.record("alice", "slack", "ask", "What does Acme pay?", ["pricing-2024"], answer_id="a1")
    audit.record("bob", "api", "search", "security whitepaper", ["sec-1"])
    assert "What does Acme pay?" in cli.ok("audit")
    entries = json.loads(cli.ok("audit", "--user", "alice", "--json"))
    assert [(e["user"], e["doc_ids"], e["answer_id"]) for e in entries] == [("alice", ["pricing-2024"], "a1")]
    assert [e["user"] for e in json.loads(cli.ok("audit", "--action", "search", "--json"))] == ["bob"]
    assert len(json.loads(cli.ok("audit", "--limit", "1", "--json"))) == 1
    assert cli("audit", "--action", "delete").exit_code != 0


def test_unreachable_database_is_a_one_line_error(cli_app: typer.Typer, tmp_path: Path) -> None:
    env = {
        "ASSISTANT_DATA_DIR": str(tmp_path),
        "ASSISTANT_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    }
    result = CliRunner().invoke(cli_app, ["users", "list"], env=env)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: cannot open database postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
