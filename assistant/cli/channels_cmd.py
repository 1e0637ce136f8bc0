"""`assistant channels ...`: the top access level and groups answers may use in a chat channel."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from assistant.cli.database import cli_errors, open_database
from assistant.db import ChannelPolicies

channels_app = typer.Typer(help="Set what a Slack channel / WeCom group chat may see.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(channels_app, name="channels")


def _policies() -> ChannelPolicies:
    engine, policy = open_database()
    return ChannelPolicies(engine, policy)


@channels_app.command("set")
def set_channel(
    platform: Annotated[str, typer.Argument(help="slack or wecom")],
    channel_id: str,
    level: Annotated[str, typer.Option("--level", help="Highest access level answers may use there.")],
    group: Annotated[list[str] | None, typer.Option("--group", help="Group; repeatable.")] = None,
) -> None:
    """Set a channel's level and groups (channels without a setting are public, no groups)."""
    with cli_errors():
        saved = _policies().set(platform, channel_id, level, group or [])
    typer.echo(f"{saved.platform} {saved.channel_id}: level={saved.max_level} groups={_groups(saved.groups)}")


@channels_app.command("list")
def list_channels(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List channels with a non-default setting."""
    with cli_errors():
        found = _policies().list()
    if as_json:
        rows = [
            {
                "platform": p.platform,
                "channel_id": p.channel_id,
                "level": p.max_level,
                "groups": sorted(p.groups),
            }
            for p in found
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not found:
        typer.echo("No channel settings: every channel is public with no groups.")
    for p in found:
        typer.echo(f"{p.platform} {p.channel_id}: level={p.max_level} groups={_groups(p.groups)}")


def _groups(groups: frozenset[str]) -> str:
    return ",".join(sorted(groups)) or "-"
