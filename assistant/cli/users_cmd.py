"""`assistant users ...`: create users, list them, disable them, API tokens, web sign-in sessions."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from assistant.api.signin.service import end_all_sessions
from assistant.cli.database import cli_errors, fail, open_database
from assistant.config import get_settings
from assistant.db import AuditLog, User, UserDirectory, build_session_store

users_app = typer.Typer(help="Manage users and their API tokens.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")


def _directory() -> UserDirectory:
    engine, policy = open_database()
    return UserDirectory(engine, policy, get_settings().token_ttl)


def _user_dict(user: User) -> dict[str, object]:
    return {
        "name": user.name,
        "roles": list(user.roles),
        "groups": list(user.groups),
        "slack_id": user.slack_id,
        "wecom_id": user.wecom_id,
        "email": user.email,
        "disabled": user.disabled,
    }


@users_app.command("add")
def add(
    name: str,
    role: Annotated[list[str], typer.Option("--role", help="Role from the policy; repeatable.")],
    group: Annotated[list[str] | None, typer.Option("--group", help="Group; repeatable.")] = None,
    slack_id: Annotated[str | None, typer.Option("--slack-id")] = None,
    wecom_id: Annotated[str | None, typer.Option("--wecom-id")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Create a user and print its API token (shown only this once)."""
    with cli_errors():
        user, token = _directory().add_user(
            name, role, groups=group or [], slack_id=slack_id, wecom_id=wecom_id, email=email
        )
    if as_json:
        typer.echo(
            json.dumps(
                {"name": user.name, "roles": list(user.roles), "groups": list(user.groups), "token": token}
            )
        )
        return
    typer.echo(
        f"Created user {user.name} (roles: {', '.join(user.roles)}; groups: {', '.join(user.groups) or '-'})"
    )
    typer.echo(f"API token: {token}")
    typer.echo("Store it now: it will not be shown again.")


@users_app.command("list")
def list_users(as_json: JsonFlag = False) -> None:
    """List users with their roles, groups and chat identities."""
    with cli_errors():
        found = _directory().list_users()
    if as_json:
        typer.echo(json.dumps([_user_dict(u) for u in found], ensure_ascii=False))
        return
    if not found:
        typer.echo("No users yet. Add one with: assistant users add NAME --role ROLE")
    for user in found:
        ids = ", ".join(f"{k}={v}" for k, v in _user_dict(user).items() if k.endswith(("_id", "email")) and v)
        state = " [disabled]" if user.disabled else ""
        typer.echo(
            f"{user.name}{state}  roles={','.join(user.roles)}  groups={','.join(user.groups) or '-'}  {ids}"
        )


@users_app.command("disable")
def disable(name: str) -> None:
    """Disable a user: its tokens and chat identities stop working."""
    with cli_errors():
        revoked = _directory().disable(name)
    typer.echo(f"Disabled {name} ({revoked} token(s) revoked).")


@users_app.command("token")
def token(
    name: str,
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Revoke all of the user's tokens instead.")
    ] = False,
    rotate: Annotated[
        bool, typer.Option("--rotate", help="Issue a new token and revoke all earlier ones.")
    ] = False,
) -> None:
    """Issue a new API token for a user (--rotate: and revoke the old ones; --revoke: only revoke)."""
    with cli_errors():
        directory = _directory()
        if revoke:
            typer.echo(f"Revoked {directory.revoke_tokens(name)} token(s) for {name}.")
            return
        if rotate:
            new, revoked = directory.rotate_token(name)
            typer.echo(f"Revoked {revoked} earlier token(s) for {name}.")
        else:
            new = directory.new_token(name)
        expires = directory.tokens(name)[-1].expires_at
    typer.echo(f"API token: {new}")
    typer.echo(f"Expires: {expires:%Y-%m-%d %H:%M} UTC" if expires else "Expires: never")
    typer.echo("Store it now: it will not be shown again.")


@users_app.command("link")
def link(
    name: str,
    slack_id: Annotated[str | None, typer.Option("--slack-id")] = None,
    wecom_id: Annotated[str | None, typer.Option("--wecom-id")] = None,
) -> None:
    """Attach a Slack and/or WeCom user id to an existing user."""
    if not (slack_id or wecom_id):
        fail("give --slack-id and/or --wecom-id")
    with cli_errors():
        user = _directory().link(name, slack_id=slack_id, wecom_id=wecom_id)
    typer.echo(f"Linked {user.name}: slack_id={user.slack_id or '-'} wecom_id={user.wecom_id or '-'}")


@users_app.command("sessions")
def sessions(
    name: str,
    end: Annotated[bool, typer.Option("--end", help="Sign the user out of every browser.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """List a user's web sign-in sessions, or end them all with --end (API tokens are untouched)."""
    with cli_errors():
        engine, policy = open_database()
        if UserDirectory(engine, policy).get(name) is None:
            raise ValueError(f"no such user {name!r}")
        store = build_session_store(engine, get_settings())
        if end:
            ended = end_all_sessions(store, AuditLog(engine), name, by="cli", channel="cli")
            typer.echo(f"Ended {ended} session(s) of {name}.")
            return
        found = store.list_for(name)
    if as_json:
        typer.echo(json.dumps([s.to_dict() for s in found], ensure_ascii=False))
        return
    if not found:
        typer.echo(f"{name} is not signed in anywhere.")
    for s in found:
        typer.echo(
            f"{s.public_id}  via={s.provider}  since={s.created_at:%Y-%m-%d %H:%M}  last={s.last_seen_at:%Y-%m-%d %H:%M}  {s.user_agent[:50]}"
        )
